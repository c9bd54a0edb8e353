package io.dash4j.bench.jmh;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar dash-bench.jar jmh [quick|full] [JMH ARGS]}: runs {@code org.openjdk.jmh.Main}.
 *
 * <ul>
 *   <li>{@code jmh quick}: every cache x {getHit, getMiss, putEvict, zipfMix} x {1, 2} threads at
 *       capacity 65,536, one fork, 1 x 0.4 s warm-up and 1 x 0.8 s measurement, with {@code -prof gc}:
 *       about 100 s on two cores. A smoke test of relative speed, not a careful measurement.</li>
 *   <li>{@code jmh full}: the same at capacities 262,144 and 1,048,576, 3 forks of 5 x 1 s warm-up
 *       and 5 x 1 s measurement: 80 benchmarks x 3 forks, about an hour.</li>
 *   <li>anything else is passed to JMH unchanged (e.g. {@code jmh -l}, {@code jmh -h},
 *       {@code jmh CacheBench1T.getHit -p cache=dash -prof gc}).</li>
 * </ul>
 * Both profiles write JSON to {@link #defaultResultFile()} (what {@code report} reads) unless
 * {@code -rff} is given; later arguments override the profile's.
 */
public final class JmhCommand {

    public static final String BENCHMARKS = "io.dash4j.bench.jmh.CacheBench";

    static final List<String> QUICK = List.of(
            "-f", "1", "-wi", "1", "-w", "400ms", "-i", "1", "-r", "800ms",
            "-p", "capacity=65536", "-prof", "gc");

    static final List<String> FULL = List.of(
            "-f", "3", "-wi", "5", "-w", "1s", "-i", "5", "-r", "1s",
            "-p", "capacity=262144,1048576", "-prof", "gc");

    private JmhCommand() {
    }

    /** {@code bench/target/jmh.json} from the repository root, else {@code target/jmh.json}. */
    public static Path defaultResultFile() {
        if (Files.isDirectory(Path.of("bench"))) {
            return Path.of("bench", "target", "jmh.json");
        }
        return Path.of("target", "jmh.json");
    }

    /** The JMH argument list for a profile name and extra arguments. */
    public static String[] arguments(String[] args) {
        if (args.length == 0 || !(args[0].equals("quick") || args[0].equals("full"))) {
            return args;
        }
        List<String> extra = Arrays.asList(args).subList(1, args.length);
        List<String> a = new ArrayList<>(args[0].equals("quick") ? QUICK : FULL);
        if (!extra.contains("-rf")) {
            a.addAll(List.of("-rf", "json"));
        }
        if (!extra.contains("-rff")) {
            Path out = defaultResultFile();
            try {
                Files.createDirectories(out.toAbsolutePath().getParent());
            } catch (Exception ignored) {
                // JMH reports the failure to write
            }
            a.addAll(List.of("-rff", out.toString()));
        }
        a.addAll(extra);
        if (!hasPattern(extra)) {
            a.add(BENCHMARKS);
        }
        return a.toArray(new String[0]);
    }

    /** True when {@code args} holds a benchmark regexp: a word that is not an option's value. */
    static boolean hasPattern(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String s = args.get(i);
            if (!s.startsWith("-") && (i == 0 || !args.get(i - 1).startsWith("-"))) {
                return true;
            }
        }
        return false;
    }

    /** For a child JVM ({@code report} runs JMH this way). */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("help"))) {
            out.println("usage: jmh quick|full [JMH ARGS]   (profiles: see io.dash4j.bench.jmh.JmhCommand)");
            out.println("       jmh [JMH ARGS]              (plain org.openjdk.jmh.Main; jmh -h for its options)");
            out.println("quick: " + String.join(" ", QUICK) + " " + BENCHMARKS);
            out.println("full:  " + String.join(" ", FULL) + " " + BENCHMARKS);
            return 0;
        }
        String[] a = arguments(args);
        err.println("jmh " + String.join(" ", a));
        try {
            org.openjdk.jmh.Main.main(a);
            return 0;
        } catch (Exception e) {
            err.println("jmh: " + e);
            return 1;
        }
    }
}
