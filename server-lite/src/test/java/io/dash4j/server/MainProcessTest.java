package io.dash4j.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as its own process (what {@code java -jar dash-server.jar} runs): the banner, a write
 * flood on a small heap with the default maxmemory (no OutOfMemoryError: cache mode evicts), and a
 * clean exit on SIGTERM and on SHUTDOWN.
 */
class MainProcessTest {

    /** A child JVM running {@link Main}, with its output collected. */
    static final class Child implements AutoCloseable {
        final Process process;
        final List<String> lines = new ArrayList<>();
        final int port;
        final int memcachedPort;
        final Thread reader;

        Child(String heap, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
                    + File.separator + "java", heap, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName()));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Void> ready = new CompletableFuture<>();
            reader = new Thread(() -> {
                try {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                        if (line.contains("ready to accept connections")) {
                            ready.complete(null);
                        }
                    }
                } catch (IOException ignored) {
                    // process ended
                }
                ready.complete(null);
            });
            reader.setDaemon(true);
            reader.start();
            ready.get(30, TimeUnit.SECONDS);
            String out = output();
            Matcher m = Pattern.compile("resp\\s+127\\.0\\.0\\.1:(\\d+)").matcher(out);
            assertTrue(m.find(), () -> "no banner in:\n" + out);
            port = Integer.parseInt(m.group(1));
            Matcher mc = Pattern.compile("memcached\\s+127\\.0\\.0\\.1:(\\d+)").matcher(out);
            memcachedPort = mc.find() ? Integer.parseInt(mc.group(1)) : 0;
        }

        /** Waits for the process to end and its output to be read; returns the exit status. */
        int awaitExit(long seconds) throws InterruptedException {
            assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "the server should exit");
            reader.join(5000);
            return process.exitValue();
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    @Timeout(120)
    void floodOnASmallHeapThenSigterm() throws Exception {
        try (Child c = new Child("-Xmx96m", "--port", "0", "--memcached-port", "0", "--threads", "2")) {
            String banner = c.output();
            assertThat(banner).contains("dash4j server-lite").contains("threads     2")
                    .contains("mode        cache").contains("maxmemory").contains("memcached   disabled");
            byte[] value = new byte[4096];
            try (Jedis j = new Jedis("127.0.0.1", c.port, 30_000)) {
                // 240 MB of writes into a 96 MB heap whose default maxmemory is 45% of it
                for (int base = 0; base < 60_000; base += 500) {
                    Pipeline p = j.pipelined();
                    for (int i = base; i < base + 500; i++) {
                        value[0] = (byte) i;
                        p.set(("flood:" + i).getBytes(), value.clone());
                    }
                    p.sync();
                }
                String info = j.info();
                assertThat(info).contains("cache_mode:cache");
                long evicted = Long.parseLong(info.replaceAll("(?s).*evicted_keys:(\\d+).*", "$1"));
                long used = Long.parseLong(info.replaceAll("(?s).*\r\nused_memory:(\\d+).*", "$1"));
                long max = Long.parseLong(info.replaceAll("(?s).*\r\nmaxmemory:(\\d+).*", "$1"));
                assertThat(evicted).isGreaterThan(10_000);
                assertThat(max).isLessThan(96L * 1024 * 1024 / 2);
                assertThat(used).isLessThan(max + max / 4);
                assertEquals("PONG", j.ping());
            }
            assertThat(c.output()).doesNotContain("OutOfMemoryError");
            c.process.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its stdout)
            assertEquals(0, c.awaitExit(20), c::output);
            assertThat(c.output()).contains("SIGTERM received").contains("dash4j: stopped");
        }
    }

    @Test
    @Timeout(60)
    void shutdownCommandExitsCleanly() throws Exception {
        // store mode saves at SHUTDOWN (Redis's default save rules): into a directory of its own
        String dir = java.nio.file.Files.createTempDirectory("dash4j-main").toString();
        try (Child c = new Child("-Xmx64m", "--port", "0", "--memcached-port", "0", "--threads", "1",
                "--cache-mode", "false", "--maxmemory", "8mb", "--dir", dir)) {
            assertThat(c.output()).contains("mode        store").contains("maxmemory   8.00M");
            try (Jedis j = new Jedis("127.0.0.1", c.port)) {
                j.set("a", "b");
                j.sendCommand(RespCommandsTest.cmd("SHUTDOWN"));
            } catch (redis.clients.jedis.exceptions.JedisConnectionException expected) {
                // the server closes the connection without a reply, as Redis does
            }
            assertEquals(0, c.awaitExit(20), c::output);
            assertThat(c.output()).contains("dash4j: stopped");
        }
    }

    @Test
    void badArgumentsPrintUsage() throws Exception {
        Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--bogus", "1")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertThat(out).contains("unknown option --bogus").contains("usage:");
    }
}
