package io.dash4j.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Peer tools (memccapable, nutcracker) that some tests drive as child processes: finding them on
 * the PATH, running them with a deadline, and picking free loopback ports for them.
 */
final class ExternalTools {

    private ExternalTools() {
    }

    /** The first of {@code names} found as an executable on the PATH (or in /usr/bin, /usr/sbin). */
    static Optional<Path> find(String... names) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin"
                + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/usr/local/bin";
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** A finished child process: its exit code (-1 when it was killed at the deadline) and output. */
    record Result(int exitCode, boolean timedOut, String output) {
    }

    /**
     * Runs {@code command} with stdout and stderr merged into a temp file, waits at most
     * {@code timeoutSeconds}, and kills it (and its children) if it is still running.
     */
    static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("dash4j-tool", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                stop(p);
                return new Result(-1, true, Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            return new Result(p.exitValue(), false, Files.readString(log, StandardCharsets.ISO_8859_1));
        } finally {
            stop(p);
            Files.deleteIfExists(log);
        }
    }

    /** Ends a child process: SIGTERM, then SIGKILL after two seconds; waits for it. */
    static void stop(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(2, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** A loopback port that was free a moment ago (for a child process that must be told its port). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until something accepts connections on {@code port}, or fails after {@code millis}. */
    static void awaitListening(int port, long millis, Process owner) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (owner != null && !owner.isAlive()) {
                throw new IllegalStateException("the process exited with status " + owner.exitValue()
                        + " before listening on port " + port);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nothing listens on 127.0.0.1:" + port + " after " + millis + " ms");
    }
}
