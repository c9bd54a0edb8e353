package io.dash4j.bench.sim;

import io.dash4j.bench.sim.policy.Policies;
import io.dash4j.bench.sim.trace.SyntheticTrace;
import io.dash4j.bench.sim.trace.TraceFile;
import io.dash4j.bench.sim.trace.TraceFormat;
import io.dash4j.bench.sim.trace.TraceSource;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sim}: the hit-ratio simulator's command line. Prints CSV on standard output and nothing
 * else; progress, timings and notes go to standard error.
 */
public final class SimCommand {

    /** The CSV header, exactly. */
    public static final String HEADER = "trace,policy,size,requests,hits,hit_ratio";

    /** The header of {@code --occupancy-csv}. */
    public static final String OCCUPANCY_HEADER =
            "trace,policy,size,requests,misses,expected_occupancy,final_occupancy,max_occupancy,differs";

    public static final long DEFAULT_SEED = 42;

    static final String DEFAULT_POLICIES = "lru,arc,2q,caffeine,opt";

    private SimCommand() {
    }

    /** The usage text. */
    public static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("""
                usage: dash-bench sim --trace TRACE [--trace TRACE ...] --sizes N[,N...]
                                      [--policies NAME[,NAME...]] [--format arc|plain]
                                      [--seed N] [--occupancy-csv FILE]

                Replays each trace through each policy at each size (one pass per trace) and prints
                CSV on stdout: %s   (hit_ratio in percent)

                TRACE is a file or a synthetic spec; a comma-separated list is split unless it names a file.
                  files: --format arc  the ARC paper's .lis (each line: start count _ _)
                         --format plain one key per line (canonical decimal longs are used as is,
                                        other strings hashed to 64 bits)
                         default: arc for *.lis, plain otherwise; *.zst and *.gz are decompressed
                         while streaming. The CSV names a file by its base name.
                  synthetic (missing trailing parameters take the defaults shown):
                         zipf:ALPHA:KEYS:REQUESTS                  zipf:0.9:100000:1000000
                         uniform:KEYS:REQUESTS                     uniform:100000:1000000
                         scan:ALPHA:KEYS:REQUESTS:SCANLEN:PERIOD   scan:0.9:100000:1000000:20000:100000
                         loop:KEYS:REQUESTS                        loop:100000:1000000
                         shift:KEYS:REQUESTS:HOT:PHASES            shift:100000:1000000:5000:10
                         named in the CSV by the spec as given; deterministic for a --seed (default %d).
                --policies  default %s
                """.formatted(HEADER, DEFAULT_SEED, DEFAULT_POLICIES));
        Policies.all().values().forEach(e ->
                b.append(String.format(Locale.ROOT, "    %-12s %s%n", e.name(), e.description())));
        b.append("""
                --occupancy-csv FILE  also writes, per run, the entries a policy really held
                                      (%s);
                                      runs that held other than min(size, misses) entries, or more than
                                      size at any point, are also reported on stderr.
                """.formatted(OCCUPANCY_HEADER));
        return b.toString();
    }

    /** Runs the command; returns the exit status (0 ok, 1 failure while running, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("sim: " + e.getMessage());
            err.println("sim: try 'dash-bench sim --help'");
            return 2;
        }
        if (o.help) {
            out.print(usage());
            out.flush();
            return 0;
        }
        BufferedWriter occupancy = null;
        try {
            if (o.occupancyCsv != null) {
                try {
                    occupancy = Files.newBufferedWriter(o.occupancyCsv, StandardCharsets.UTF_8);
                    occupancy.write(OCCUPANCY_HEADER);
                    occupancy.write('\n');
                } catch (IOException e) {
                    err.println("sim: cannot write " + o.occupancyCsv + ": " + e.getMessage());
                    return 2;
                }
            }
            out.print(HEADER + "\n");
            out.flush();
            for (TraceSource trace : o.traces) {
                List<SimRun> runs = new ArrayList<>();
                for (String policy : o.policies) {
                    Policies.Entry entry = Policies.get(policy);
                    for (int size : o.sizes) {
                        runs.add(new SimRun(policy, size, entry.create(size)));
                    }
                }
                String label = trace instanceof SyntheticTrace s ? trace.name() + " = " + s.canonical() : trace.name();
                err.printf(Locale.ROOT, "sim: %s: %d runs (%s x %s)%n", label, runs.size(), o.policies, sizesText(o.sizes));
                Simulator.Pass pass;
                try {
                    pass = Simulator.run(trace, runs);
                } catch (IOException | UncheckedIOException e) {
                    err.println("sim: " + trace.name() + ": " + e.getMessage());
                    return 1;
                }
                StringBuilder rows = new StringBuilder();
                for (SimRun r : runs) {
                    rows.append(csv(trace.name())).append(',').append(r.policyName()).append(',')
                            .append(r.size()).append(',').append(r.requests()).append(',').append(r.hits())
                            .append(',').append(String.format(Locale.ROOT, "%.2f", r.hitRatioPercent())).append('\n');
                    err.printf(Locale.ROOT, "sim:   %-12s size %-9d hit %6.2f%%  %8.3f s (cpu %.3f s)%n",
                            r.policyName(), r.size(), r.hitRatioPercent(), r.nanos() / 1e9, r.cpuNanos() / 1e9);
                    if (r.occupancyDiffers()) {
                        err.printf(Locale.ROOT, "sim:   note: %s at size %d held %d entries at the end (max %d), "
                                        + "an exact cache would hold %d%n",
                                r.policyName(), r.size(), r.finalOccupancy(), r.maxOccupancy(), r.expectedOccupancy());
                    }
                    if (occupancy != null) {
                        try {
                            occupancy.write(csv(trace.name()) + "," + r.policyName() + "," + r.size() + ","
                                    + r.requests() + "," + r.misses() + "," + r.expectedOccupancy() + ","
                                    + r.finalOccupancy() + "," + r.maxOccupancy() + "," + r.occupancyDiffers() + "\n");
                        } catch (IOException e) {
                            err.println("sim: cannot write " + o.occupancyCsv + ": " + e.getMessage());
                            return 1;
                        }
                    }
                }
                out.print(rows);
                out.flush();
                err.printf(Locale.ROOT, "sim: %s: %d requests; reading %.3f s%s, total %.3f s%n", trace.name(),
                        pass.requests(), pass.readNanos() / 1e9,
                        pass.heldInMemory() ? " (held in memory, next-use index built)" : "",
                        pass.totalNanos() / 1e9);
            }
            return 0;
        } finally {
            if (occupancy != null) {
                try {
                    occupancy.close();
                } catch (IOException e) {
                    err.println("sim: cannot write " + o.occupancyCsv + ": " + e.getMessage());
                }
            }
        }
    }

    private static String sizesText(int[] sizes) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < sizes.length; i++) {
            b.append(i == 0 ? "" : ", ").append(sizes[i]);
        }
        return b.append(']').toString();
    }

    /** A CSV field, quoted when it has to be. */
    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** The parsed command line. */
    static final class Options {
        final List<TraceSource> traces = new ArrayList<>();
        final List<String> policies = new ArrayList<>();
        int[] sizes;
        long seed = DEFAULT_SEED;
        TraceFormat format;
        Path occupancyCsv;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> traceArgs = new ArrayList<>();
            String policies = null;
            String sizes = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    value = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                switch (a) {
                    case "-h", "--help" -> o.help = true;
                    case "--trace", "-t" -> traceArgs.add(value != null ? value : next(args, ++i, a));
                    case "--policies", "--policy", "-p" -> policies = value != null ? value : next(args, ++i, a);
                    case "--sizes", "--size", "-s" -> sizes = value != null ? value : next(args, ++i, a);
                    case "--format", "-f" -> o.format = TraceFormat.parse(value != null ? value : next(args, ++i, a));
                    case "--seed" -> o.seed = parseLong(value != null ? value : next(args, ++i, a), "--seed");
                    case "--occupancy-csv" -> o.occupancyCsv = Path.of(value != null ? value : next(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (o.help) {
                return o;
            }
            if (traceArgs.isEmpty()) {
                throw new IllegalArgumentException("--trace is required");
            }
            if (sizes == null) {
                throw new IllegalArgumentException("--sizes is required");
            }
            for (String t : traceArgs) {
                if (t.indexOf(',') >= 0 && !Files.exists(Path.of(t))) {
                    for (String part : t.split(",")) {
                        if (!part.isBlank()) {
                            o.traces.add(o.trace(part.trim()));
                        }
                    }
                } else {
                    o.traces.add(o.trace(t));
                }
            }
            for (String p : (policies != null ? policies : DEFAULT_POLICIES).split(",")) {
                String name = p.trim().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (Policies.get(name) == null) {
                    throw new IllegalArgumentException("unknown policy '" + p.trim() + "' (known: "
                            + String.join(", ", Policies.all().keySet()) + ")");
                }
                o.policies.add(name);
            }
            if (o.policies.isEmpty()) {
                throw new IllegalArgumentException("--policies names no policy");
            }
            List<Integer> list = new ArrayList<>();
            for (String s : sizes.split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                long v = parseLong(s.trim(), "--sizes");
                if (v < 1 || v > Integer.MAX_VALUE / 4) {
                    throw new IllegalArgumentException("size out of range: " + s.trim());
                }
                list.add((int) v);
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("--sizes names no size");
            }
            o.sizes = list.stream().mapToInt(Integer::intValue).toArray();
            return o;
        }

        private TraceSource trace(String t) {
            if (SyntheticTrace.isSpec(t)) {
                return SyntheticTrace.parse(t, seed);
            }
            Path p = Path.of(t);
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new IllegalArgumentException("no readable trace file '" + t + "'");
            }
            return new TraceFile(p, format);
        }

        private static String next(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static long parseLong(String s, String option) {
            try {
                return Long.parseLong(s.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not an integer: '" + s + "'");
            }
        }
    }
}
