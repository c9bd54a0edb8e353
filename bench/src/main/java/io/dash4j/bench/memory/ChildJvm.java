package io.dash4j.bench.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a main class of this jar in a child JVM (same java binary, same class path) with the flags
 * JOL needs to work without an agent on JDK 17 and 25: self-attach allowed, the magic field
 * offset trick for hidden classes (lambdas), and, on 21+, dynamic agent loading without a warning.
 */
public final class ChildJvm {

    static final String[] OPENS = {"java.lang", "java.lang.ref", "java.lang.invoke", "java.util",
            "java.util.concurrent", "java.util.concurrent.atomic", "java.util.concurrent.locks"};

    private ChildJvm() {
    }

    public static List<String> command(String mainClass, String heap, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-Xms" + heap);
        cmd.add("-Djdk.attach.allowAttachSelf=true");
        cmd.add("-Djol.magicFieldOffset=true");
        // JOL reads fields reflectively; without these opens every field read of a JDK class
        // (HashMap.Node, ConcurrentHashMap.Node inside Caffeine, ...) throws first and falls back
        // to Unsafe, which makes walking a million-node map take minutes instead of seconds.
        for (String pkg : OPENS) {
            cmd.add("--add-opens");
            cmd.add("java.base/" + pkg + "=ALL-UNNAMED");
        }
        if (Runtime.version().feature() >= 21) {
            cmd.add("-XX:+EnableDynamicAgentLoading");
        }
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow"); // JOL uses Unsafe: no deprecation warning
        }
        cmd.add("-D" + MemoryBench.CHILD_PROPERTY + "=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Runs the child; its stderr goes to ours. When {@code stdout} is null the child's stdout goes to
     * ours, else its lines are collected there. Returns the exit code.
     */
    public static int run(String mainClass, String heap, List<String> args, List<String> stdout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(mainClass, heap, args));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        if (stdout == null) {
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        }
        Process p = pb.start();
        if (stdout != null) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    stdout.add(line);
                }
            }
        }
        return p.waitFor();
    }
}
