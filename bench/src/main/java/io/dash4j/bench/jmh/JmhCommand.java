package io.dash4j.bench.jmh;

import io.dash4j.bench.Cli;
import io.dash4j.bench.report.JmhSection;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar dash-bench.jar jmh [quick|full] [JMH ARGS]}: runs the {@code CacheBench} suite.
 *
 * <ul>
 *   <li>{@code jmh full}: the quotable profile. Every contender x operation x {1, 2} threads x
 *       capacities 65,536 and 4,194,304 (80 benchmarks), 3 forks of 1 x 0.5 s warm-up (loading
 *       the cache has compiled the paths) and 3 x 0.5 s measurement, {@code -prof gc}: 240 forks,
 *       estimated at 17-18 minutes on two quiet cores (a 65,536 fork ~3 s, a 4M fork ~6 s, most of
 *       it loading 4M entries). Then it rewrites the JMH section of
 *       {@code docs/results.md} (when run from the repository root).</li>
 *   <li>{@code jmh quick}: a smoke test at capacity 65,536, one fork of 1 x 0.3 s + 1 x 0.5 s:
 *       about 90 s. Never a verdict (no error, no fork-to-fork check).</li>
 *   <li>anything else is passed to JMH unchanged (e.g. {@code jmh -l}, {@code jmh -h},
 *       {@code jmh CacheBench2T.getHit -p cache=cdash -prof gc}).</li>
 * </ul>
 * Both profiles write JSON to {@link #defaultResultFile()} (what {@code report} reads) unless
 * {@code -rff} is given, and beside it {@code jmh.json.run}: the profile, the duration and the load
 * average before and after. Later arguments override the profile's.
 */
public final class JmhCommand {

    public static final String BENCHMARKS = "io.dash4j.bench.jmh.CacheBench";

    static final List<String> QUICK = List.of(
            "-f", "1", "-wi", "1", "-w", "300ms", "-i", "1", "-r", "500ms",
            "-p", "capacity=65536", "-prof", "gc");

    static final List<String> FULL = List.of(
            "-f", "3", "-wi", "1", "-w", "500ms", "-i", "3", "-r", "500ms",
            "-p", "capacity=65536,4194304", "-prof", "gc");

    private JmhCommand() {
    }

    /** {@code bench/target/jmh.json} from the repository root, else {@code target/jmh.json}. */
    public static Path defaultResultFile() {
        if (Files.isDirectory(Path.of("bench"))) {
            return Path.of("bench", "target", "jmh.json");
        }
        return Path.of("target", "jmh.json");
    }

    static boolean isProfile(String[] args) {
        return args.length > 0 && (args[0].equals("quick") || args[0].equals("full"));
    }

    /** The JMH argument list for a profile name and extra arguments. */
    public static String[] arguments(String[] args) {
        if (!isProfile(args)) {
            return args;
        }
        List<String> extra = Arrays.asList(args).subList(1, args.length);
        List<String> a = new ArrayList<>(args[0].equals("quick") ? QUICK : FULL);
        // JMH merges repeated -p options, so a later "-p name=..." replaces the profile's own
        for (int i = 0; i + 1 < extra.size(); i++) {
            if (extra.get(i).equals("-p")) {
                String name = extra.get(i + 1).split("=", 2)[0] + "=";
                for (int j = 0; j + 1 < a.size(); j++) {
                    if (a.get(j).equals("-p") && a.get(j + 1).startsWith(name)) {
                        a.subList(j, j + 2).clear();
                        break;
                    }
                }
            }
        }
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
        Cli.exit(JmhCommand::run, args);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("help"))) {
            out.println("usage: jmh quick|full [JMH ARGS]   (profiles: see io.dash4j.bench.jmh.JmhCommand)");
            out.println("       jmh [JMH ARGS]              (plain org.openjdk.jmh.Main; jmh -h for its options)");
            out.println("quick: " + String.join(" ", QUICK) + " " + BENCHMARKS + "   (smoke test, ~90 s)");
            out.println("full:  " + String.join(" ", FULL) + " " + BENCHMARKS
                    + "   (quotable, ~18 min; then rewrites the JMH section of docs/results.md)");
            return 0;
        }
        String[] a = arguments(args);
        err.println("jmh " + String.join(" ", a));
        try {
            if (!isProfile(args)) {
                org.openjdk.jmh.Main.main(a);
                return 0;
            }
            Instant started = Instant.now();
            double loadBefore = JmhSection.loadAverage();
            new Runner(new CommandLineOptions(a)).run();
            Path json = Path.of(a[Arrays.asList(a).lastIndexOf("-rff") + 1]);
            JmhSection.writeRunInfo(json, args[0], started, loadBefore, Arrays.asList(a));
            Path page = Path.of("docs", "results.md");
            if (args[0].equals("full") && Files.isRegularFile(page)) {
                JmhSection.splice(page, json, Path.of("docs", "img"));
                err.println("jmh: wrote the JMH section of " + page + " from " + json);
            }
            return 0;
        } catch (Exception e) {
            err.println("jmh: " + e);
            return 1;
        }
    }
}
