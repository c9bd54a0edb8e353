package io.dash4j.bench.report;

import io.dash4j.bench.jmh.BenchCache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The "Throughput (JMH)" section of {@code docs/results.md}, from a {@code CacheBench} JSON file
 * and the run's side file ({@link #writeRunInfo}: profile, load average before and after). It
 * holds everything JMH-related — tables, the targets as ratios with their error, bytes
 * per operation, where forks disagree — so that {@code jmh full} can replace just this section
 * of an existing page ({@link #splice}) and {@code report} can render it in a full page.
 */
public final class JmhSection {

    static final String HEADING = "## Throughput (JMH)";
    /** Operations in table order. */
    static final List<String> OPERATIONS = List.of("getHit", "getHitZipf", "zipfMix", "getMiss", "putEvict");
    /** Fork means further apart than this (relative to their mean) are flagged as noise. */
    static final double FORK_SPREAD = 0.10;

    private final JmhResults jmh;
    private final Path json;
    private final Properties run;
    private final Path img;
    private final StringBuilder md = new StringBuilder();
    private final List<String> noisy = new ArrayList<>();

    private JmhSection(JmhResults jmh, Path json, Properties run, Path img) {
        this.jmh = jmh;
        this.json = json;
        this.run = run;
        this.img = img;
    }

    /** The side file of a result file: {@code jmh.json} -> {@code jmh.json.run}. */
    static Path runInfoFile(Path json) {
        return json.resolveSibling(json.getFileName() + ".run");
    }

    /** Records how a JMH run went, beside its JSON: profile, start, duration, load average before and after. */
    public static void writeRunInfo(Path json, String profile, Instant started, double loadBefore, List<String> args) throws IOException {
        Properties p = new Properties();
        p.setProperty("profile", profile);
        p.setProperty("started", ZonedDateTime.ofInstant(started, ZoneOffset.UTC).format(ReportCommand.DATE));
        p.setProperty("seconds", String.valueOf((Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000));
        p.setProperty("loadBefore", String.format(Locale.ROOT, "%.2f", loadBefore));
        p.setProperty("loadAfter", String.format(Locale.ROOT, "%.2f", Machine.loadAverage()));
        p.setProperty("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        p.setProperty("args", String.join(" ", args));
        try (var out = Files.newBufferedWriter(runInfoFile(json), StandardCharsets.UTF_8)) {
            p.store(out, "JMH run (written by dash-bench jmh)");
        }
    }

    public static double loadAverage() {
        return Machine.loadAverage();
    }

    /** The section's markdown (and its charts in {@code img}) for result file {@code json}. */
    static String render(Path json, Path img) throws IOException {
        if (!Files.isRegularFile(json)) {
            return HEADING + "\n\nNo JMH result file at `" + json + "`. `BUILD=1 bench/run-jmh full` (3 forks, about 18 minutes "
                    + "on a quiet 2-core machine) writes one and this section; `bench/run-jmh quick` is a smoke test (~2 min).\n\n";
        }
        Properties run = new Properties();
        Path info = runInfoFile(json);
        if (Files.isRegularFile(info)) {
            try (var in = Files.newBufferedReader(info, StandardCharsets.UTF_8)) {
                run.load(in);
            }
        }
        JmhSection s = new JmhSection(JmhResults.read(json), json, run, img);
        s.write();
        return s.md.toString();
    }

    /**
     * Replaces the JMH section of the page {@code page} (from its heading to the next {@code ## }
     * heading) with a freshly rendered one; appends it when the page has none.
     */
    public static void splice(Path page, Path json, Path img) throws IOException {
        Files.createDirectories(img);
        String section = render(json, img);
        String text = Files.isRegularFile(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
        int start = text.indexOf(HEADING + "\n");
        String out;
        if (start < 0) {
            out = text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + "\n" + section;
        } else {
            int end = text.indexOf("\n## ", start + HEADING.length());
            out = text.substring(0, start) + section + (end < 0 ? "" : text.substring(end + 1));
        }
        Files.writeString(page, out, StandardCharsets.UTF_8);
    }

    private void write() throws IOException {
        JmhResults.Row any = jmh.rows.get(0);
        md.append(HEADING).append("\n\n");
        md.append("From `").append(json).append("`");
        if (!run.isEmpty()) {
            md.append(String.format(Locale.ROOT, " (profile `%s`, started %s, %s s; load average %s before, %s after, %s cores)",
                    run.getProperty("profile"), run.getProperty("started"), run.getProperty("seconds"),
                    run.getProperty("loadBefore"), run.getProperty("loadAfter"), run.getProperty("cores")));
        } else {
            md.append(" (written ").append(ReportCommand.modified(json)).append("; load average not recorded)");
        }
        md.append(String.format(Locale.ROOT, ": %d fork(s) x %d measurement iteration(s) of %s per benchmark, %s %s. ",
                any.forks(), any.iterations(), any.iterationTime(), any.vm(), any.jdk()));
        md.append("Ops/s summed over threads, ± JMH's 99.9 % confidence interval, and bytes allocated per operation ")
                .append("from `-prof gc` (`gc.alloc.rate.norm`). Suite: `io.dash4j.bench.jmh.CacheBench1T` / `CacheBench2T`.\n\n");
        if (any.forks() < 3) {
            md.append("> **Smoke-test numbers** (fewer than 3 forks, the `jmh quick` profile): do not quote them as a verdict; ")
                    .append("a 2x difference can be noise on a shared machine. `bench/run-jmh full` gives the quotable ones.\n\n");
        }
        double before = parse(run.getProperty("loadBefore"));
        double after = parse(run.getProperty("loadAfter"));
        int cores = (int) parse(run.getProperty("cores", "0"));
        if (cores > 0 && (before > cores * 0.5 || after > cores * 0.5)) {
            md.append("> **The machine was busy** (load average above half the cores): two-thread numbers understate two free cores.\n\n");
        }
        md.append("- **getHit**: get of a resident key, uniform (a shuffled cycle over all of them); **getHitZipf**: resident keys ")
                .append("drawn from Zipf(0.99); **zipfMix**: Zipf(0.99) over 4x the capacity, 90 % gets / 10 % puts; **getMiss**: ")
                .append("a key never inserted; **putEvict**: an absent key into a full cache (each put evicts). Every lookup ")
                .append("uses an equal copy of the stored key, never the stored instance.\n");
        md.append("- Contenders: ");
        List<String> desc = new ArrayList<>();
        for (String c : BenchCache.NAMES) {
            desc.add("`" + c + "` = " + BenchCache.describe(c));
        }
        md.append(String.join("; ", desc)).append(". `dash` and `lhm` are single-threaded structures and run on one thread only.\n");
        md.append("- † marks a figure whose forks disagree by more than ").append(Math.round(FORK_SPREAD * 100))
                .append(" % (fork means listed under **Noise**): read it as a range, not a number.\n\n");

        for (int capacity : jmh.capacities()) {
            md.append("### Capacity ").append(String.format(Locale.ROOT, "%,d", capacity)).append("\n\n");
            for (int threads : jmh.threadCounts()) {
                table(capacity, threads);
            }
            targets(capacity);
        }
        if (!noisy.isEmpty()) {
            md.append("### Noise\n\nForks that disagree (mean of each fork's iterations):\n\n");
            for (String n : noisy) {
                md.append("- ").append(n).append("\n");
            }
            md.append("\n");
        }
    }

    private void table(int capacity, int threads) throws IOException {
        List<String> caches = new ArrayList<>();
        for (String c : BenchCache.NAMES) {
            if (jmh.rows.stream().anyMatch(r -> r.cache().equals(c) && r.threads() == threads && r.capacity() == capacity)) {
                caches.add(c);
            }
        }
        if (caches.isEmpty()) {
            return;
        }
        md.append("**").append(threads).append(threads == 1 ? " thread" : " threads").append("** — ops/s (B/op)\n\n| operation |");
        caches.forEach(c -> md.append(" ").append(c).append(" |"));
        md.append("\n|---|");
        caches.forEach(c -> md.append("---:|"));
        md.append("\n");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        caches.forEach(c -> series.put(c, new ArrayList<>()));
        List<String> ops = new ArrayList<>();
        for (String op : OPERATIONS) {
            if (caches.stream().noneMatch(c -> jmh.find(op, threads, c, capacity).isPresent())) {
                continue;
            }
            ops.add(op);
            md.append("| ").append(op).append(" |");
            for (String c : caches) {
                Optional<JmhResults.Row> r = jmh.find(op, threads, c, capacity);
                md.append(" ").append(r.map(this::cell).orElse("–")).append(" |");
                series.get(c).add(r.map(x -> x.score() / 1e3).orElse(null));
            }
            md.append("\n");
        }
        md.append("\n");
        String png = String.format(Locale.ROOT, "jmh-%dt-%d.png", threads, capacity);
        Charts.groupedBars(img.resolve(png), String.format(Locale.ROOT, "Throughput, %d thread%s, capacity %,d (higher is better)",
                threads, threads == 1 ? "" : "s", capacity), "thousand ops/s (log scale)", ops, series, true);
        md.append("![throughput ").append(threads).append("t ").append(capacity).append("](img/").append(png).append(")\n\n");
    }

    private String cell(JmhResults.Row r) {
        String s = ReportCommand.mops(r.score());
        if (!Double.isNaN(r.error()) && r.error() > 0) {
            s += " ± " + ReportCommand.mops(r.error());
        }
        if (!Double.isNaN(r.allocBytesPerOp())) {
            s += String.format(Locale.ROOT, " (%s B)", ReportCommand.bytes(r.allocBytesPerOp()));
        }
        double spread = forkSpread(r);
        if (spread > FORK_SPREAD) {
            s += " †";
            List<String> means = new ArrayList<>();
            for (double m : r.forkMeans()) {
                means.add(ReportCommand.mops(m));
            }
            noisy.add(String.format(Locale.ROOT, "%s, %d thread%s, %s, capacity %,d: forks %s (spread %.0f %%)", r.operation(),
                    r.threads(), r.threads() == 1 ? "" : "s", r.cache(), r.capacity(), String.join(" / ", means), spread * 100));
        }
        return s;
    }

    /** (max - min) / mean of the fork means; 0 with fewer than two forks. */
    static double forkSpread(JmhResults.Row r) {
        double[] m = r.forkMeans();
        if (m.length < 2) {
            return 0;
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        for (double v : m) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        return (max - min) / (sum / m.length);
    }

    /** The throughput targets at one capacity (single owner; ConcurrentDashCache, issue 15), as ratios with their error. */
    private void targets(int capacity) {
        List<String[]> rows = new ArrayList<>();
        // the single owner's targets (issues before 15)
        ratio(rows, "1T: dash / lhm, getHit", "getHit", 1, "dash", 1, "lhm", capacity, 1.5);
        ratio(rows, "1T: dash / caffeine, getHit", "getHit", 1, "dash", 1, "caffeine", capacity, 1.0);
        ratio(rows, "1T: dash / lhm, putEvict", "putEvict", 1, "dash", 1, "lhm", capacity, 2.0);
        for (String op : List.of("getHit", "getHitZipf", "zipfMix", "putEvict")) {
            ratio(rows, "cdash 2T / cdash 1T, " + op, op, 2, "cdash", 1, "cdash", capacity, op.equals("putEvict") ? 1.0 : 1.7);
        }
        for (String op : OPERATIONS) {
            for (String rival : List.of("caffeine", "caffeine-sync")) {
                ratio(rows, "2T: cdash / " + rival + ", " + op, op, 2, "cdash", 2, rival, capacity, 1.0);
            }
        }
        for (String op : List.of("getHit", "getHitZipf", "getMiss", "putEvict")) {
            for (int threads : jmh.threadCounts()) {
                jmh.find(op, threads, "cdash", capacity).ifPresent(r -> {
                    double b = r.allocBytesPerOp();
                    rows.add(new String[] {String.format(Locale.ROOT, "cdash %dT, %s: 0 B/op", threads, op),
                            Double.isNaN(b) ? "not measured (no -prof gc)" : String.format(Locale.ROOT, "%.3f B/op", b),
                            Double.isNaN(b) ? "unknown" : b < 0.01 ? "**met**" : b < 1 ? "**met**: under a byte per operation, "
                                    + "so no allocation per operation (JMH's per-iteration residue, larger when few operations ran)"
                                    : "**missed**"});
                });
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        md.append("**Targets** at capacity ").append(String.format(Locale.ROOT, "%,d", capacity))
                .append(": ratios in this run, ± propagated from JMH's intervals.\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (String[] r : rows) {
            md.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(r[2]).append(" |\n");
        }
        md.append("\n");
    }

    private void ratio(List<String[]> rows, String name, String op, int tA, String cA, int tB, String cB, int capacity, double want) {
        Optional<JmhResults.Row> a = jmh.find(op, tA, cA, capacity);
        Optional<JmhResults.Row> b = jmh.find(op, tB, cB, capacity);
        if (a.isEmpty() || b.isEmpty()) {
            return;
        }
        double ra = a.get().score();
        double rb = b.get().score();
        double ratio = ra / rb;
        double rel = Math.hypot(relative(a.get()), relative(b.get()));
        String measured = String.format(Locale.ROOT, "%.2f%s (%s vs %s ops/s)", ratio,
                rel > 0 ? String.format(Locale.ROOT, " ± %.2f", ratio * rel) : "", ReportCommand.mops(ra), ReportCommand.mops(rb));
        String verdict;
        if (ratio * (1 - rel) >= want) {
            verdict = "**met**";
        } else if (ratio * (1 + rel) < want) {
            verdict = String.format(Locale.ROOT, "**missed** (target %.1f)", want);
        } else {
            verdict = String.format(Locale.ROOT, "within the error of %.1f: undecided", want);
        }
        rows.add(new String[] {name + String.format(Locale.ROOT, " ≥ %.1f", want), measured, verdict});
    }

    private static double relative(JmhResults.Row r) {
        return Double.isNaN(r.error()) || r.score() == 0 ? 0 : r.error() / r.score();
    }

    private static double parse(String s) {
        try {
            return s == null ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
