package io.dash4j.bench.report;

import io.dash4j.bench.Cli;
import io.dash4j.bench.jmh.BenchCache;
import io.dash4j.bench.jmh.JmhCommand;
import io.dash4j.bench.memory.ChildJvm;
import io.dash4j.bench.memory.MemoryBench;
import io.dash4j.bench.work.WorkCommand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleFunction;

/**
 * {@code java -jar dash-bench.jar report [--quick] [--skip-jmh] ...}: regenerates
 * {@code docs/results.md} and the PNG charts in {@code docs/img/} from
 * <ol>
 *   <li>the JOL memory measurement ({@code memory --csv}, run in a child JVM);</li>
 *   <li>the JMH results in {@code bench/target/jmh.json} (running {@code jmh full}, or {@code jmh quick}
 *       with {@code --quick}, first unless {@code --skip-jmh});</li>
 *   <li>hit ratio against cache size per trace, through the simulator's Java API.</li>
 * </ol>
 * Every number in the page comes from this run (or the named JMH file); the verdicts on the
 * project's targets and the list of cases where dash4j loses are computed, not written by hand.
 */
public final class ReportCommand {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

    private ReportCommand() {
    }

    static final class Options {
        boolean quick;
        boolean skipJmh;
        boolean skipMemory;
        boolean skipSim;
        boolean help;
        Path out = Path.of("docs", "results.md");
        Path img = Path.of("docs", "img");
        Path jmhJson = JmhCommand.defaultResultFile();
        Path memoryCsv;
        Path traces;
        List<String> args = List.of();

        static Options parse(String[] args) {
            Options o = new Options();
            o.args = List.of(args);
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> o.quick = true;
                    case "--skip-jmh" -> o.skipJmh = true;
                    case "--skip-memory" -> o.skipMemory = true;
                    case "--skip-sim" -> o.skipSim = true;
                    case "--out" -> o.out = Path.of(args[++i]);
                    case "--img" -> o.img = Path.of(args[++i]);
                    case "--jmh-json" -> o.jmhJson = Path.of(args[++i]);
                    case "--memory-csv" -> o.memoryCsv = Path.of(args[++i]);
                    case "--traces" -> o.traces = Path.of(args[++i]);
                    case "-h", "--help" -> o.help = true;
                    default -> throw new IllegalArgumentException("report: unknown option " + a);
                }
            }
            if (o.traces == null) {
                for (String d : new String[] {"bench/traces/arc", "traces/arc"}) {
                    if (Files.isDirectory(Path.of(d))) {
                        o.traces = Path.of(d);
                        break;
                    }
                }
            }
            return o;
        }
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: report [--quick] [--skip-jmh] [--skip-memory] [--skip-sim] [--jmh-json FILE]
                              [--memory-csv FILE] [--traces DIR] [--out docs/results.md] [--img docs/img]
                  Regenerates docs/results.md and docs/img/*.png (run from the repository root).
                  default      runs `jmh full` (<= 20 min), the JOL memory run and the simulator
                  --quick      `jmh quick` (~2 min) and a smaller P3 sweep: a few minutes in all
                  --skip-jmh   runs no benchmark: uses the JMH JSON file if present (default bench/target/jmh.json)
                  --memory-csv reuses a `memory --csv` output instead of measuring
                  --traces     directory with OLTP.lis(.zst) and P3.lis(.zst) (default bench/traces/arc, the repository's copy)""");
    }

    public static void main(String[] args) {
        Cli.exit(ReportCommand::run, args);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Cli.Parsed<Options> parsed = Cli.parse(args, Options::parse, opts -> opts.help, ReportCommand::usage, out, err);
        if (parsed.options() == null) {
            return parsed.status();
        }
        Options o = parsed.options();
        System.setProperty("java.awt.headless", "true");
        try {
            return new Report(o, err).generate();
        } catch (Exception e) {
            e.printStackTrace(err);
            return 1;
        }
    }

    // ------------------------------------------------------------------ the report

    static final class Report {
        final Options o;
        final PrintStream log;
        final StringBuilder md = new StringBuilder();
        final List<String[]> targets = new ArrayList<>();
        final List<String> losses = new ArrayList<>();
        final double loadBefore = Machine.loadAverage();
        MemoryBench.Result memory;
        JmhResults jmh;
        String jmhNote;
        List<HitRatio.Curve> curves = new ArrayList<>();

        Report(Options o, PrintStream log) {
            this.o = o;
            this.log = log;
        }

        int generate() throws Exception {
            long t0 = System.nanoTime();
            Files.createDirectories(o.img);
            if (!o.skipMemory) {
                memory = measureMemory();
            }
            if (!o.skipSim) {
                for (HitRatio.Plan plan : HitRatio.plans(o.traces, o.quick, log)) {
                    curves.add(HitRatio.run(plan, log));
                }
            }
            if (!o.skipJmh) {
                runJmh();
            }
            if (Files.isRegularFile(o.jmhJson)) {
                jmh = JmhResults.read(o.jmhJson);
            }
            double loadAfter = Machine.loadAverage();

            header(loadAfter);
            StringBuilder body = new StringBuilder();
            StringBuilder saved = new StringBuilder(md);
            md.setLength(0);
            memorySection();
            workSection();
            md.append(JmhSection.render(o.jmhJson, o.img));
            if (jmhNote != null) {
                md.append("> **").append(jmhNote).append("**\n\n");
            }
            hitRatioSection();
            body.append(md);
            md.setLength(0);
            md.append(saved);
            targetsSection();
            lossesSection();
            md.append(body);
            reproduceSection();
            md.append("\n## Servers side by side\n\ndash4j, Redis and memcached over the network (redis-benchmark, memcaslap, bytes per key): [results-servers.md](results-servers.md), written by `bench/compare-servers.sh`.\n");

            Files.createDirectories(o.out.toAbsolutePath().getParent());
            Files.writeString(o.out, md.toString(), StandardCharsets.UTF_8);
            log.printf(Locale.ROOT, "report: wrote %s and %s/*.png in %.0f s%n", o.out, o.img, (System.nanoTime() - t0) / 1e9);
            return 0;
        }

        // -------------------------------------------------------------- gathering

        MemoryBench.Result measureMemory() throws IOException, InterruptedException {
            List<String> lines;
            if (o.memoryCsv != null) {
                lines = Files.readAllLines(o.memoryCsv);
            } else {
                log.println("report: measuring memory with JOL in a child JVM ...");
                lines = new ArrayList<>();
                int rc = ChildJvm.run(MemoryBench.class.getName(), "4g", List.of("--csv"), lines);
                if (rc != 0) {
                    throw new IOException("memory child JVM failed with exit code " + rc);
                }
                Path csv = Path.of("bench", "target", "memory.csv");
                if (Files.isDirectory(csv.getParent())) {
                    Files.write(csv, lines);
                }
            }
            return MemoryBench.parseCsv(lines);
        }

        void runJmh() throws IOException, InterruptedException {
            String profile = o.quick ? "quick" : "full";
            Path logFile = o.jmhJson.resolveSibling("jmh-" + profile + ".log");
            Files.createDirectories(o.jmhJson.toAbsolutePath().getParent());
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(JmhCommand.class.getName());
            cmd.addAll(List.of(profile, "-rff", o.jmhJson.toString()));
            log.println("report: running jmh " + profile + " (output in " + logFile + ") ...");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            int rc = p.waitFor();
            log.printf(Locale.ROOT, "report: jmh %s finished (exit %d) in %.0f s%n", profile, rc, (System.nanoTime() - t0) / 1e9);
            if (rc != 0) {
                jmhNote = "the JMH run exited with code " + rc + "; see " + logFile;
            }
        }

        // -------------------------------------------------------------- sections

        void header(double loadAfter) {
            md.append("# dash4j: measured results\n\n");
            md.append("Generated by `bench/report.sh").append(o.args.isEmpty() ? "" : " " + String.join(" ", o.args))
                    .append("` (`java -jar bench/target/dash-bench.jar report`) on ")
                    .append(ZonedDateTime.now(ZoneOffset.UTC).format(DATE)).append(". Every number below was measured by that run or read from the result files it names ")
                    .append("(the JMH JSON always; the memory CSV when `--memory-csv` is given); the target verdicts and ")
                    .append("the list of losses are computed from them, not written by hand.\n\n");
            md.append("## Machine\n\n");
            md.append("| | |\n|---|---|\n");
            md.append("| machine | ").append(Machine.describe()).append(" |\n");
            md.append("| JDK (report, memory and simulator) | ").append(Machine.jdk()).append(" |\n");
            if (jmh != null && !jmh.rows.isEmpty()) {
                JmhResults.Row r = jmh.rows.get(0);
                md.append("| JDK (JMH forks) | ").append(r.vm()).append(" ").append(r.jdk()).append(" |\n");
            }
            md.append(String.format(Locale.ROOT, "| load average | %.2f at the start, %.2f at the end |\n", loadBefore, loadAfter));
            md.append("\n");
            if (loadBefore > Runtime.getRuntime().availableProcessors() * 0.5 || loadAfter > Runtime.getRuntime().availableProcessors() * 0.5) {
                md.append("> **The machine was busy** (load average above half the cores) while this ran: other work ")
                        .append("shared the CPUs, so throughput numbers are noisy and the two-thread numbers in particular ")
                        .append("understate what two free cores would do. Memory and hit-ratio numbers are unaffected.\n\n");
            }
        }

        void targetsSection() {
            md.append("## The project's targets\n\n");
            if (targets.isEmpty()) {
                md.append("No measurement to judge the targets against in this run.\n\n");
                return;
            }
            md.append("| target | measured | verdict |\n|---|---|---|\n");
            for (String[] t : targets) {
                md.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
            }
            md.append("\n");
        }

        void lossesSection() {
            md.append("## Where dash4j loses\n\n");
            if (losses.isEmpty()) {
                md.append("Nowhere in this run's measurements.\n\n");
                return;
            }
            md.append("Every case in this run where a dash4j structure (DashTable, DashCache / ConcurrentDashCache, ")
                    .append("the `dash2q` policy) does worse than a competitor (the unbounded ConcurrentHashMap ceiling ")
                    .append("is left out here; it is in the throughput tables):\n\n");
            for (String l : losses) {
                md.append("- ").append(l).append("\n");
            }
            md.append("\n");
        }

        /** The counted work of a hit, a miss and an evicting put ({@code dash-bench work}): deterministic, seconds. */
        void workSection() {
            md.append("## Work of a hit, a miss and an evicting put (counted)\n\n");
            md.append("`java -jar bench/target/dash-bench.jar work` (`WorkCommand`): a DashCache of 65,536 `Long` keys, ")
                    .append("warmed over a universe of twice that, then 200,000 hits, misses (keys never stored) and ")
                    .append("evicting puts (absent keys of the universe, some returning as ghosts). Key hashes and ")
                    .append("compares are counted by the key strategy the cache really calls; the lookup columns ")
                    .append("replay each lookup with `Segment.traceFind`, which is checked against `find` (same ")
                    .append("answer, same compares). Cache lines: distinct 64-byte lines of the segment's arrays ")
                    .append("and compared key objects. Counts, not timings: the same on any machine. ")
                    .append("Before/after and what changed: docs/eviction.md.\n\n");
            ByteArrayOutputStream table = new ByteArrayOutputStream();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int rc = WorkCommand.run(new String[0],
                    new PrintStream(table, true, StandardCharsets.UTF_8), new PrintStream(errors, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                md.append("> **work failed: ").append(errors.toString(StandardCharsets.UTF_8).trim()).append("**\n\n");
                return;
            }
            md.append(table.toString(StandardCharsets.UTF_8)).append("\n");
        }

        void memorySection() throws IOException {
            md.append("## Memory per entry\n\n");
            if (memory == null) {
                md.append("Not measured in this run (`--skip-memory`). Run `java -jar bench/target/dash-bench.jar memory`.\n\n");
                return;
            }
            md.append("JOL (`org.openjdk.jol`) footprint of each structure holding 1,000,000 distinct `Long` keys ")
                    .append("(random 64-bit values) mapped to **the key object itself** as the value. ")
                    .append("\"Structure bytes\" is the JOL graph size of the structure minus the graph size of the key ")
                    .append("objects it holds (so the keys and, since each value is its key, the values are excluded): ")
                    .append("what the structure itself costs. The bounded caches are bounded at 1,000,000 entries; ")
                    .append("bytes per entry divide by the entries actually held. All in one JVM ")
                    .append("(`java -jar bench/target/dash-bench.jar memory`), compressed oops, default object headers.")
                    .append(o.memoryCsv == null ? "" : " These numbers were read from `" + o.memoryCsv + "` (written "
                            + modified(o.memoryCsv) + " by `memory --csv`), not measured by this run.")
                    .append("\n\n");
            md.append("| structure | entries held | structure bytes | B/entry | notes |\n|---|---:|---:|---:|---|\n");
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (MemoryBench.Row r : memory.structures()) {
                md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | **%.2f** | %s |\n", r.structure(), r.entries(),
                        r.structureBytes(), r.bytesPerEntry(), r.note()));
                names.add(shortName(r.structure()));
                values.add(round2(r.bytesPerEntry()));
            }
            md.append("\n");
            Charts.bars(o.img.resolve("memory-bytes-per-entry.png"), "Structure bytes per entry, 1M Long keys (lower is better)",
                    "bytes per entry", names, values, "#0.0");
            md.append("![bytes per entry](img/memory-bytes-per-entry.png)\n\n");

            Optional<MemoryBench.Row> dashCache = memory.structures().stream().filter(r -> r.structure().equals("DashCache")).findFirst();
            dashCache.ifPresent(r -> {
                if (r.entries() < 1_000_000) {
                    md.append(String.format(Locale.ROOT, "DashCache held %,d of the 1,000,000 keys put into a cache bounded at 1,000,000 ", r.entries()))
                            .append("(it evicts inside a full segment before the whole cache reaches its bound). Per entry of the ")
                            .append(String.format(Locale.ROOT, "bound it costs %.2f B.%n%n", r.structureBytes() / 1e6));
                    losses.add(String.format(Locale.ROOT, "**Capacity**: DashCache bounded at 1,000,000 held only %,d entries (%.1f %%) after 1,000,000 distinct puts; "
                            + "the exact-LRU baselines and Caffeine hold all 1,000,000.", r.entries(), 100.0 * r.entries() / 1e6));
                }
            });

            if (!memory.sweep().isEmpty()) {
                md.append("### DashTable across sizes\n\n");
                md.append("Extendible hashing splits a segment when it fills; with a uniform hash all segments fill at about ")
                        .append("the same time, so the table's load factor (entries / slots) saws between about 0.5 and 0.9 ")
                        .append("as it grows, and bytes per entry saw with it; B/slot (bytes per entry x load factor) is what a slot ")
                        .append("costs whatever the fill, so a table is under 12 B/entry only while its load factor is above ")
                        .append("12 / B-per-slot.\n\n");
                md.append("| entries | segments | load factor | B/entry | B/slot |\n|---:|---|---:|---:|---:|\n");
                double[] xs = new double[memory.sweep().size()];
                double[] ys = new double[xs.length];
                double[] lf = new double[xs.length];
                int i = 0;
                for (MemoryBench.Row r : memory.sweep()) {
                    md.append(String.format(Locale.ROOT, "| %,d | %s | %.3f | %.2f | %.2f |\n", r.entries(), r.note(),
                            r.loadFactor(), r.bytesPerEntry(), r.bytesPerEntry() * r.loadFactor()));
                    xs[i] = r.entries() / 1e6;
                    ys[i] = r.bytesPerEntry();
                    lf[i] = r.loadFactor();
                    i++;
                }
                md.append("\n");
                Map<String, double[][]> s = new LinkedHashMap<>();
                s.put("B/entry (left)", new double[][] {xs, ys});
                s.put("target 12 B/entry", new double[][] {{xs[0], xs[xs.length - 1]}, {12, 12}});
                s.put("load factor (right)", new double[][] {xs, lf});
                Charts.lines(o.img.resolve("dashtable-sweep.png"), "DashTable: structure bytes per entry and load factor vs size",
                        "entries (millions)", "bytes per entry", s, false, "load factor", List.of("load factor (right)"));
                md.append("![DashTable sweep](img/dashtable-sweep.png)\n\n");
            }

            // targets and losses
            memory.structures().stream().filter(r -> r.structure().equals("DashTable")).findFirst().ifPresent(dt -> {
                boolean met = dt.bytesPerEntry() <= 12.0;
                String sweepText = "";
                if (!memory.sweep().isEmpty()) {
                    double min = memory.sweep().stream().mapToDouble(MemoryBench.Row::bytesPerEntry).min().orElse(Double.NaN);
                    double max = memory.sweep().stream().mapToDouble(MemoryBench.Row::bytesPerEntry).max().orElse(Double.NaN);
                    sweepText = String.format(Locale.ROOT, " (%.1f–%.1f B/entry across %s–%s entries)", min, max,
                            count(memory.sweep().get(0).entries()), count(memory.sweep().get(memory.sweep().size() - 1).entries()));
                }
                targets.add(new String[] {"DashTable ≤ 12 B/entry at 1M",
                        String.format(Locale.ROOT, "%.2f B/entry at load factor %.3f%s", dt.bytesPerEntry(), dt.loadFactor(), sweepText),
                        met ? "**met**" : String.format(Locale.ROOT, "**missed** by %.2f B (%.0f %%)", dt.bytesPerEntry() - 12, 100 * (dt.bytesPerEntry() / 12 - 1))});
                for (MemoryBench.Row r : memory.structures()) {
                    if (!r.structure().startsWith("Dash") && r.bytesPerEntry() < dt.bytesPerEntry()) {
                        losses.add(String.format(Locale.ROOT, "**Memory**: %s costs %.2f B/entry at 1M, less than DashTable's %.2f.",
                                r.structure(), r.bytesPerEntry(), dt.bytesPerEntry()));
                    }
                }
            });
        }

        /** A markdown table, a row per policy and a column per cache size, then a blank line. */
        void policyBySizeTable(int[] sizes, Map<String, double[]> rows, DoubleFunction<String> cell) {
            md.append("| policy |");
            for (int s : sizes) {
                md.append(String.format(Locale.ROOT, " %,d |", s));
            }
            md.append("\n|---|");
            md.append("---:|".repeat(sizes.length));
            md.append("\n");
            for (Map.Entry<String, double[]> e : rows.entrySet()) {
                md.append("| ").append(e.getKey()).append(" |");
                for (double v : e.getValue()) {
                    md.append(' ').append(cell.apply(v)).append(" |");
                }
                md.append("\n");
            }
            md.append("\n");
        }

        void hitRatioSection() throws IOException {
            md.append("## Hit ratio vs cache size\n\n");
            if (curves.isEmpty()) {
                md.append("Not run (`--skip-sim`). The simulator: `java -jar bench/target/dash-bench.jar sim --help`.\n\n");
                return;
            }
            md.append("From the simulator (`io.dash4j.bench.sim`, the same code as `java -jar bench/target/dash-bench.jar sim`), ")
                    .append("hit ratio in percent; a miss inserts the key. `dash2q` is DashCache (single owner) bounded at the size; ")
                    .append("`lru` is exact LRU (ArenaLruCache and LinkedLruCache give the same numbers), `sampled-lru` the ")
                    .append("Redis-style sampled LRU, `clock` CLOCK, `sieve` SIEVE (NSDI'24), `lirs` LIRS (Caffeine's simulator: 1 % HIR, ")
                    .append("2x non-resident), `s3fifo` S3-FIFO (SOSP'23, the authors' version), `caffeine` Caffeine's W-TinyLFU, ")
                    .append("`opt` Belady's offline optimum.\n\n");
            for (HitRatio.Curve c : curves) {
                HitRatio.Plan p = c.plan();
                md.append("### ").append(p.label()).append("\n\n");
                md.append(p.note()).append(String.format(Locale.ROOT, "; %,d requests, simulated in %.0f s.%n%n", c.requests(), c.seconds()));
                Map<String, double[][]> series = new LinkedHashMap<>();
                double[] xs = new double[p.sizes().length];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = p.sizes()[i];
                }
                for (Map.Entry<String, double[]> e : c.hitRatio().entrySet()) {
                    series.put(e.getKey(), new double[][] {xs, e.getValue()});
                }
                policyBySizeTable(p.sizes(), c.hitRatio(), v -> String.format(Locale.ROOT, "%.2f", v));
                if (!c.heldPercent().isEmpty()) {
                    md.append("Entries held at the end as a percentage of what an exact cache of that size holds ")
                            .append("(policies that held less than 99 % somewhere; a cache that holds fewer entries than its bound ")
                            .append("gives up hit ratio for it):\n\n");
                    policyBySizeTable(p.sizes(), c.heldPercent(),
                            v -> Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f %%", v));
                }
                String png = "hit-ratio-" + p.label().replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("-+$", "") + ".png";
                Charts.lines(o.img.resolve(png), "Hit ratio vs cache size: " + p.label(), "cache size (entries, log scale)",
                        "hit ratio (%)", series, true);
                md.append("![hit ratio ").append(p.label()).append("](img/").append(png).append(")\n\n");
                hitRatioLosses(c);
            }
            hitRatioTargets();
        }

        /** The points issue 8 set the targets on: OLTP at five sizes, P3 at four. */
        static final Map<String, int[]> TARGET_POINTS = Map.of(
                "OLTP", new int[] {1000, 2000, 5000, 10000, 15000},
                "P3", new int[] {8192, 32768, 131072, 524288});

        /** Mean hit ratio of {@code policy} over {@link #TARGET_POINTS}, or NaN when a point was not run. */
        double targetMean(String policy) {
            double sum = 0;
            int n = 0;
            for (Map.Entry<String, int[]> t : TARGET_POINTS.entrySet()) {
                HitRatio.Curve c = curves.stream().filter(x -> x.plan().label().equals(t.getKey())).findFirst().orElse(null);
                double[] v = c == null ? null : c.hitRatio().get(policy);
                if (v == null) {
                    return Double.NaN;
                }
                for (int size : t.getValue()) {
                    int i = indexOf(c.plan().sizes(), size);
                    if (i < 0) {
                        return Double.NaN;
                    }
                    sum += v[i];
                    n++;
                }
            }
            return sum / n;
        }

        static int indexOf(int[] a, int x) {
            for (int i = 0; i < a.length; i++) {
                if (a[i] == x) {
                    return i;
                }
            }
            return -1;
        }

        void hitRatioTargets() {
            double dash = targetMean("dash2q");
            if (Double.isNaN(dash)) {
                return;
            }
            String points = "OLTP 1000–15000 (5 sizes), P3 8192–524288 (4 sizes)";
            for (String[] rival : new String[][] {{"arc", "ARC's"}, {"s3fifo", "S3-FIFO's"}, {"caffeine", "Caffeine's (stretch)"}}) {
                double other = targetMean(rival[0]);
                if (Double.isNaN(other)) {
                    continue;
                }
                targets.add(new String[] {"hit ratio: DashCache's mean ≥ " + rival[1] + " over " + points,
                        String.format(Locale.ROOT, "%.2f vs %.2f", dash, other),
                        dash >= other ? String.format(Locale.ROOT, "**met** (by %.2f points)", dash - other)
                                : String.format(Locale.ROOT, "**missed** by %.2f points", other - dash)});
            }
            // every size of every trace the report ran: at least LRU - 0.5
            List<String> below = new ArrayList<>();
            int total = 0;
            for (HitRatio.Curve c : curves) {
                double[] d = c.hitRatio().get("dash2q");
                double[] lru = c.hitRatio().get("lru");
                if (d == null || lru == null) {
                    continue;
                }
                for (int i = 0; i < d.length; i++) {
                    total++;
                    if (d[i] < lru[i] - 0.5) {
                        below.add(String.format(Locale.ROOT, "%s %,d (%.2f vs %.2f)", c.plan().label(), c.plan().sizes()[i], d[i], lru[i]));
                    }
                }
            }
            if (total > 0) {
                targets.add(new String[] {"hit ratio: DashCache ≥ LRU − 0.5 at every size of every trace above",
                        String.format(Locale.ROOT, "%d of %d points", total - below.size(), total),
                        below.isEmpty() ? "**met**" : "**missed** at " + String.join(", ", below)});
            }
        }

        void hitRatioLosses(HitRatio.Curve c) {
            double[] dash = c.hitRatio().get("dash2q");
            if (dash == null) {
                return;
            }
            for (String other : List.of("lru", "sampled-lru", "caffeine", "arc", "2q", "sieve", "lirs", "s3fifo")) {
                double[] o2 = c.hitRatio().get(other);
                if (o2 == null) {
                    continue;
                }
                List<String> at = new ArrayList<>();
                double worst = 0;
                for (int i = 0; i < dash.length; i++) {
                    double gap = o2[i] - dash[i];
                    if (gap > 0.5) {
                        at.add(String.format(Locale.ROOT, "%,d", c.plan().sizes()[i]));
                        worst = Math.max(worst, gap);
                    }
                }
                if (!at.isEmpty()) {
                    losses.add(String.format(Locale.ROOT, "**Hit ratio, %s**: dash2q is below %s by more than 0.5 points at size%s %s (up to %.2f points).",
                            c.plan().label(), other, at.size() == 1 ? "" : "s", String.join(", ", at), worst));
                }
            }
        }

        void reproduceSection() {
            md.append("## Reproduce\n\n```sh\n")
                    .append("bench/report.sh                 # everything: builds, JOL memory, simulator, jmh full (~30 min)\n")
                    .append("bench/report.sh --quick         # a few minutes: jmh quick, fewer P3 sizes\n")
                    .append("bench/report.sh --skip-jmh      # reuse bench/target/jmh.json\n")
                    .append("java -jar bench/target/dash-bench.jar memory            # the memory table alone (markdown; --csv)\n")
                    .append("BUILD=1 bench/run-jmh full      # the quotable JMH run (3 forks, <= 20 min); rewrites the JMH section of this page\n")
                    .append("bench/run-jmh quick             # smoke test (~2 min, 1 fork): never a verdict\n")
                    .append("java -jar bench/target/dash-bench.jar jmh CacheBench2T.getHit -p cache=cdash -prof gc   # any JMH args\n")
                    .append("```\n");
        }
    }

    // ------------------------------------------------------------------ formatting

    static String mops(double opsPerSecond) {
        if (opsPerSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", opsPerSecond / 1e6);
        }
        if (opsPerSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.0f k", opsPerSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", opsPerSecond);
    }

    static String bytes(double b) {
        if (b < 0.01) {
            return "0";
        }
        return String.format(Locale.ROOT, b < 10 ? "%.2f" : "%.0f", b);
    }

    static String modified(Path file) {
        try {
            return ZonedDateTime.ofInstant(Files.getLastModifiedTime(file).toInstant(), ZoneOffset.UTC).format(DATE);
        } catch (IOException e) {
            return "at an unknown time";
        }
    }

    static String count(long n) {
        return n % 1_000_000 == 0 ? n / 1_000_000 + "M" : n % 100_000 == 0 ? String.format(Locale.ROOT, "%.1fM", n / 1e6)
                : String.format(Locale.ROOT, "%,d", n);
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String shortName(String structure) {
        return structure.replace("fastutil Object2ObjectOpenHashMap", "fastutil O2O").replace("Cache", "Cache");
    }
}
