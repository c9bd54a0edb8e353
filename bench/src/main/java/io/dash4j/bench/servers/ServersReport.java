package io.dash4j.bench.servers;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the raw outputs of {@code bench/compare-servers.sh} (redis-benchmark CSV, memcaslap text,
 * memory key=value files, meta.txt) into {@code docs/results-servers.md} and
 * {@code docs/img/servers-*.png}. Every number and every target verdict is computed here from those
 * files. Needs only XChart; the script runs it as a single source file:
 * {@code java -cp xchart.jar ServersReport.java --work DIR --out FILE --img DIR}.
 */
public final class ServersReport {

    static final String[] RESP_ORDER = {"dash4j", "redis", "redis-1t"};
    static final String[] TESTS = {"SET", "GET"};
    static final int[] PIPELINES = {1, 16};
    static final Color DASH4J = new Color(0x1f77b4);
    static final Color REDIS = new Color(0xd62728);
    static final Color REDIS_1T = new Color(0xff9896);
    static final Color MEMCACHED = new Color(0x2ca02c);

    private ServersReport() {
    }

    /** One redis-benchmark result line. */
    record Resp(String server, int pipeline, String test, String rep, double rps, double avgMs, double p50Ms,
                double p99Ms, Cpu cpu, long n) {
    }

    /** One memcaslap run: overall TPS and the latency figures of its "Total Statistics". */
    record Slap(String server, String rep, double tps, long ops, double avgUs, int p50Log2, int p99Log2,
                double getAvgUs, double setAvgUs, long getMisses, long errorReplies, Cpu cpu) {
    }

    /** CPU over one load-generator run: its wall time, its own CPU, the server process's CPU. */
    record Cpu(double real, double client, double server) {
        static Cpu read(Path f) throws IOException {
            Map<String, String> m = keyValues(f);
            if (m.isEmpty()) {
                return null;
            }
            return new Cpu(Double.parseDouble(m.get("real")),
                    Double.parseDouble(m.get("client_user")) + Double.parseDouble(m.get("client_sys")),
                    Double.parseDouble(m.get("server_cpu")));
        }

        /** Server CPU microseconds per operation. */
        double serverUsPerOp(long ops) {
            return server * 1e6 / ops;
        }

        /** The load generator's CPU use, in % of one core. */
        double clientPercent() {
            return 100 * client / real;
        }
    }

    record Mem(String server, long keys, long usedBefore, long usedAfter, long rssBefore, long rssAfter,
               long rssAfterGc, long heapAfterGc) {
        double usedPerKey() {
            return (double) (usedAfter - usedBefore) / keys;
        }

        double rssPerKey() {
            return (double) (rssAfter - rssBefore) / keys;
        }

        double rssGcPerKey() {
            return rssAfterGc <= 0 ? Double.NaN : (double) (rssAfterGc - rssBefore) / keys;
        }
    }

    public static void main(String[] args) throws IOException {
        Path work = null;
        Path out = Path.of("docs", "results-servers.md");
        Path img = Path.of("docs", "img");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--work" -> work = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--img" -> img = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: ServersReport --work DIR [--out FILE] [--img DIR]");
            }
        }
        if (work == null) {
            throw new IllegalArgumentException("--work DIR is required");
        }
        new ServersReport.Run(work, out, img).write();
    }

    static Map<String, String> keyValues(Path f) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        if (!Files.isRegularFile(f)) {
            return m;
        }
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return m;
    }

    static List<Resp> readResp(Path raw) throws IOException {
        List<Resp> all = new ArrayList<>();
        Pattern name = Pattern.compile("resp-(.+)-P(\\d+)-r(\\w+)\\.csv");
        try (var files = Files.list(raw)) {
            for (Path f : files.sorted().toList()) {
                Matcher m = name.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                Path cpuFile = f.resolveSibling(f.getFileName() + ".cpu");
                Cpu cpu = Cpu.read(cpuFile);
                long n = Long.parseLong(keyValues(cpuFile).getOrDefault("n", "0"));
                for (String line : Files.readAllLines(f)) {
                    String[] c = line.replace("\"", "").split(",");
                    if (c.length < 7 || c[0].equals("test")) {
                        continue;
                    }
                    all.add(new Resp(m.group(1), Integer.parseInt(m.group(2)), c[0], m.group(3),
                            Double.parseDouble(c[1]), Double.parseDouble(c[2]), Double.parseDouble(c[4]),
                            Double.parseDouble(c[6]), cpu, n));
                }
            }
        }
        return all;
    }

    static List<Slap> readSlap(Path raw) throws IOException {
        List<Slap> all = new ArrayList<>();
        Pattern name = Pattern.compile("memaslap-(.+)-r(\\w+)\\.txt");
        Pattern tps = Pattern.compile("Run time: \\S+ Ops: (\\d+) TPS: (\\d+)");
        try (var files = Files.list(raw)) {
            for (Path f : files.sorted().toList()) {
                Matcher m = name.matcher(f.getFileName().toString());
                if (!m.matches() || m.group(2).equals("warm")) {
                    continue;
                }
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                Matcher t = tps.matcher(text);
                if (!t.find()) {
                    throw new IOException(f + ": no 'Run time: ... TPS:' line");
                }
                long[] dist = log2Dist(block(text, "Total Statistics ("));
                all.add(new Slap(m.group(1), m.group(2), Double.parseDouble(t.group(2)), Long.parseLong(t.group(1)),
                        stat(block(text, "Total Statistics ("), "Avg"), percentileLog2(dist, 0.50),
                        percentileLog2(dist, 0.99), stat(block(text, "Get Statistics ("), "Avg"),
                        stat(block(text, "Set Statistics ("), "Avg"), counter(text, "get_misses"),
                        Pattern.compile("(?m)^<\\d+ (CLIENT_|SERVER_)?ERROR").matcher(text).results().count(),
                        Cpu.read(f.resolveSibling(f.getFileName() + ".cpu"))));
            }
        }
        return all;
    }

    /** The text from {@code header} to the next blank line after its "Log2 Dist" rows. */
    static String block(String text, String header) {
        int at = text.indexOf(header);
        if (at < 0) {
            return "";
        }
        int end = text.indexOf("\n\n", text.indexOf("Log2 Dist", at));
        return end < 0 ? text.substring(at) : text.substring(at, end);
    }

    static double stat(String block, String name) {
        Matcher m = Pattern.compile("\\s" + name + ":\\s+([0-9.]+)").matcher(block);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static long counter(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ": (\\d+)").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** memcaslap's "Log2 Dist" rows ("  8:  a b c d" = counts of latencies in [2^8,2^9) .. [2^11,2^12) µs). */
    static long[] log2Dist(String block) {
        long[] d = new long[64];
        int at = block.indexOf("Log2 Dist:");
        if (at < 0) {
            return d;
        }
        for (String line : block.substring(at + "Log2 Dist:".length()).split("\n")) {
            String l = line.strip();
            int colon = l.indexOf(':');
            if (colon < 0) {
                continue;
            }
            int base = Integer.parseInt(l.substring(0, colon).strip());
            String[] counts = l.substring(colon + 1).strip().split("\\s+");
            for (int i = 0; i < counts.length && !counts[i].isEmpty(); i++) {
                d[base + i] = Long.parseLong(counts[i]);
            }
        }
        return d;
    }

    /** The power of two whose bucket [2^k, 2^(k+1)) µs holds quantile {@code q}; -1 when empty. */
    static int percentileLog2(long[] dist, double q) {
        long total = Arrays.stream(dist).sum();
        if (total == 0) {
            return -1;
        }
        long need = (long) Math.ceil(q * total);
        long cum = 0;
        for (int k = 0; k < dist.length; k++) {
            cum += dist[k];
            if (cum >= need) {
                return k;
            }
        }
        return dist.length - 1;
    }

    static String bucket(int k) {
        if (k < 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,d-%,d µs", 1L << k, (1L << (k + 1)) - 1);
    }

    static Mem readMem(Path f) throws IOException {
        Map<String, String> m = keyValues(f);
        if (m.isEmpty()) {
            return null;
        }
        return new Mem(m.get("server"), Long.parseLong(m.get("keys")), Long.parseLong(m.get("used_before")),
                Long.parseLong(m.get("used_after")), Long.parseLong(m.get("rss_before")),
                Long.parseLong(m.get("rss_after")), Long.parseLong(m.getOrDefault("rss_after_gc", "-1")),
                Long.parseLong(m.getOrDefault("heap_after_gc", "-1")));
    }

    static <T> T median(List<T> runs, Comparator<T> by) {
        List<T> s = new ArrayList<>(runs);
        s.sort(by);
        return s.get((s.size() - 1) / 2);
    }

    static String ops(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String ratio(double v) {
        return String.format(Locale.ROOT, "%.2fx", v);
    }

    static String label(String server, Map<String, String> meta) {
        String t = meta.getOrDefault("threads", "?");
        return switch (server) {
            case "dash4j" -> "dash4j (--threads " + t + ")";
            case "redis" -> "Redis (io-threads " + t + ")";
            case "redis-1t" -> "Redis (io-threads 1, reference)";
            case "memcached" -> "memcached (-t " + t + ")";
            default -> server;
        };
    }

    static final class Run {
        final Path work;
        final Path out;
        final Path img;
        final Map<String, String> meta;
        final List<Resp> resp;
        final List<Slap> slap;
        final Map<String, Mem> mem = new LinkedHashMap<>();
        final StringBuilder md = new StringBuilder();
        final List<String[]> targets = new ArrayList<>();

        Run(Path work, Path out, Path img) throws IOException {
            this.work = work;
            this.out = out;
            this.img = img;
            this.meta = keyValues(work.resolve("meta.txt"));
            this.resp = readResp(work.resolve("raw"));
            this.slap = readSlap(work.resolve("raw"));
            for (String s : new String[]{"dash4j", "redis", "memcached"}) {
                Mem m = readMem(work.resolve("raw").resolve("mem-" + s + ".txt"));
                if (m != null) {
                    mem.put(s, m);
                }
            }
        }

        List<String> respServers() {
            List<String> s = new ArrayList<>();
            for (String name : RESP_ORDER) {
                if (resp.stream().anyMatch(r -> r.server.equals(name) && !r.rep.equals("warm"))) {
                    s.add(name);
                }
            }
            return s;
        }

        /** The median run (by ops/s) of one server, pipeline depth and test; null if none. */
        Resp respMedian(String server, int p, String test) {
            List<Resp> runs = resp.stream().filter(r -> r.server.equals(server) && r.pipeline == p
                    && r.test.equals(test) && !r.rep.equals("warm")).toList();
            return runs.isEmpty() ? null : median(runs, Comparator.comparingDouble(Resp::rps));
        }

        /** Of one server's runs at depth {@code p}, the one with the median server CPU per operation. */
        Resp cpuMedian(String server, int p) {
            List<Resp> runs = resp.stream().filter(r -> r.server.equals(server) && r.pipeline == p
                    && r.test.equals("SET") && !r.rep.equals("warm") && r.cpu != null && r.n > 0).toList();
            return runs.isEmpty() ? null : median(runs, Comparator.comparingDouble(r -> r.cpu.serverUsPerOp(2 * r.n)));
        }

        static double usPerOp(Resp r) {
            return r.cpu.serverUsPerOp(2 * r.n);
        }

        List<Resp> respRuns(String server, int p, String test) {
            return resp.stream().filter(r -> r.server.equals(server) && r.pipeline == p && r.test.equals(test)
                    && !r.rep.equals("warm")).toList();
        }

        Slap slapMedian(String server) {
            List<Slap> runs = slap.stream().filter(s -> s.server.equals(server)).toList();
            return runs.isEmpty() ? null : median(runs, Comparator.comparingDouble(Slap::tps));
        }

        void write() throws IOException {
            Files.createDirectories(img);
            header();
            targetsSection();
            respSection();
            slapSection();
            memorySection();
            whySection();
            reproduce();
            String persistence = keptPersistenceSection(out);
            if (!persistence.isEmpty()) {
                md.append('\n').append(persistence);
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
            System.out.println("wrote " + out + " and " + img + "/servers-*.png");
        }

        /**
         * The "Persistence" section that {@code bench/persist-bench.sh} wrote into an older copy of
         * the file: this report does not measure it, so it carries it over instead of dropping it.
         */
        static String keptPersistenceSection(Path file) throws IOException {
            if (!Files.exists(file)) {
                return "";
            }
            String old = Files.readString(file, StandardCharsets.UTF_8);
            int from = old.indexOf("\n" + PERSISTENCE_HEADING);
            if (from < 0) {
                return "";
            }
            int to = old.indexOf("\n## ", from + 1);
            return old.substring(from + 1, to < 0 ? old.length() : to);
        }

        /** The heading {@code bench/persist-bench.sh} writes its section under. */
        static final String PERSISTENCE_HEADING = "## Persistence: BGSAVE and load";

        void header() {
            md.append("# dash4j, Redis and memcached side by side\n\n");
            md.append("Generated by `bench/compare-servers.sh` on ").append(meta.getOrDefault("date", "?"))
                    .append(". Every number below comes from that run (raw outputs: `").append(work)
                    .append("`); the verdicts are computed from them, not written by hand. ")
                    .append("All servers listen on 127.0.0.1 and the load generators run on the same machine.\n\n");
            md.append("| | |\n|---|---|\n");
            row("machine", meta.get("machine"));
            row("OS", meta.get("os"));
            row("JDK", meta.get("jdk"));
            row("dash4j", "`" + meta.get("dash4j_cmd") + "` (commit " + meta.get("commit") + ")");
            row("Redis", meta.get("redis") + ": `" + meta.get("redis_cmd") + "`");
            row("memcached", meta.get("memcached") + ": `" + meta.get("memcached_cmd") + "`");
            row("clients", "redis-benchmark (" + meta.getOrDefault("redis", "") + "), " + meta.get("memaslap")
                    + ", redis-cli --pipe");
            row("load average (1, 5, 15 min)", meta.get("load_start") + " at the start, " + meta.get("load_end") + " at the end");
            md.append('\n');
            double cpus = Runtime.getRuntime().availableProcessors();
            String[] l = meta.getOrDefault("load_start", "0").split(" ");
            double load = Double.parseDouble(l[0]);
            if (load > cpus / 2) {
                md.append("> **The machine was busy** (load average ").append(l[0]).append(" on ")
                        .append((int) cpus).append(" CPUs when the run started): other work shared the cores with ")
                        .append("the servers and the load generators, so the throughput and latency numbers are noisy. ")
                        .append("Each throughput figure is the median of ").append(meta.get("repeat"))
                        .append(" interleaved runs (all runs are listed). Memory numbers are not affected.\n\n");
            }
        }

        void row(String k, String v) {
            md.append("| ").append(k).append(" | ").append(v == null ? "?" : v).append(" |\n");
        }

        void targetsSection() {
            md.append("## Targets\n\n");
            boolean reference = respMedian("redis-1t", 1, "GET") != null;
            md.append("| target | measured | verdict |").append(reference ? " against Redis at its default (io-threads 1) |" : "")
                    .append("\n|---|---|---|").append(reference ? "---|" : "").append('\n');
            for (int p : PIPELINES) {
                double want = p == 1 ? 1.0 : 1.3;
                for (String test : TESTS) {
                    Resp d = respMedian("dash4j", p, test);
                    Resp r = respMedian("redis", p, test);
                    if (d == null || r == null) {
                        continue;
                    }
                    double x = d.rps / r.rps;
                    targets.add(new String[]{"P" + p + " " + test, ratio(x), ratio(want)});
                    md.append("| redis-benchmark -P ").append(p).append(' ').append(test).append(": dash4j >= ")
                            .append(p == 1 ? "Redis" : "1.3x Redis").append(" ops/s | ").append(ops(d.rps)).append(" vs ")
                            .append(ops(r.rps)).append(" = ").append(ratio(x)).append(" | ")
                            .append(verdict(x >= want, x / want)).append(" |");
                    Resp q = respMedian("redis-1t", p, test);
                    if (reference && q != null) {
                        double y = d.rps / q.rps;
                        md.append(' ').append(ops(d.rps)).append(" vs ").append(ops(q.rps)).append(" = ").append(ratio(y))
                                .append(": ").append(verdict(y >= want, y / want)).append(" |");
                    } else if (reference) {
                        md.append("  |");
                    }
                    md.append('\n');
                }
            }
            Slap ds = slapMedian("dash4j");
            Slap ms = slapMedian("memcached");
            if (ds != null && ms != null) {
                double x = ds.tps / ms.tps;
                boolean errors = ds.errorReplies > 0 || ms.errorReplies > 0;
                md.append("| memcaslap (90 % gets): dash4j >= memcached TPS | ").append(ops(ds.tps)).append(" vs ")
                        .append(ops(ms.tps)).append(" = ").append(ratio(x)).append(" | ")
                        .append(errors ? "**not valid**: the servers answered errors (see the memcaslap table)" : verdict(x >= 1, x))
                        .append(" |").append(reference ? "  |" : "").append('\n');
            }
            Mem dm = mem.get("dash4j");
            Mem rm = mem.get("redis");
            if (dm != null && rm != null) {
                double x = dm.usedPerKey() / rm.usedPerKey();
                String pad = reference ? "  |" : "";
                md.append(String.format(Locale.ROOT, "| bytes per key <= 0.6x Redis, by INFO used_memory | %.1f vs %.1f B = %.2fx | %s |%s\n",
                        dm.usedPerKey(), rm.usedPerKey(), x, verdict(x <= 0.6, 0.6 / x), pad));
                double y = dm.rssPerKey() / rm.rssPerKey();
                md.append(String.format(Locale.ROOT, "| bytes per key <= 0.6x Redis, by process RSS (right after loading) | %.1f vs %.1f B = %.2fx | %s |%s\n",
                        dm.rssPerKey(), rm.rssPerKey(), y, verdict(y <= 0.6, 0.6 / y), pad));
                if (!Double.isNaN(dm.rssGcPerKey())) {
                    double z = dm.rssGcPerKey() / rm.rssPerKey();
                    md.append(String.format(Locale.ROOT, "| bytes per key <= 0.6x Redis, by RSS after a full GC of dash4j's JVM | %.1f vs %.1f B = %.2fx | %s |%s\n",
                            dm.rssGcPerKey(), rm.rssPerKey(), z, verdict(z <= 0.6, 0.6 / z), pad));
                }
            }
            md.append('\n');
        }

        static String verdict(boolean met, double factor) {
            if (met) {
                return "**met**";
            }
            return String.format(Locale.ROOT, "**missed** (%.0f %% short)", 100 * (1 - factor));
        }

        void respSection() throws IOException {
            md.append("## redis-benchmark: `-t set,get -c 50 -d 64 -r 100000`\n\n");
            md.append("One redis-benchmark process (one client thread, 50 connections, 64-byte values over 100,000 ")
                    .append("random keys). `-n` was chosen per server and depth from a calibration run (which also ")
                    .append("warms up the JVM) so that the slower test takes about ").append(meta.get("run_seconds"))
                    .append(" s. Median of ").append(meta.get("repeat"))
                    .append(" runs; p50 and p99 come from the median run.\n\n");
            md.append("| server | -P | test | -n | ops/s | p50 ms | p99 ms | avg ms | ops/s of every run |\n");
            md.append("|---|---:|---|---:|---:|---:|---:|---:|---|\n");
            List<String> servers = respServers();
            for (int p : PIPELINES) {
                for (String test : TESTS) {
                    for (String s : servers) {
                        Resp m = respMedian(s, p, test);
                        if (m == null) {
                            continue;
                        }
                        String all = String.join(", ", respRuns(s, p, test).stream().map(r -> ops(r.rps)).toList());
                        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.3f | %.3f | %.3f | %s |\n",
                                label(s, meta), p, test, nOf(s, p), ops(m.rps), m.p50Ms, m.p99Ms, m.avgMs, all));
                    }
                }
            }
            md.append('\n');
            md.append("CPU time over each redis-benchmark run (SET and GET together, 2 x -n operations), median of the runs: ")
                    .append("the server's CPU per operation is a steadier measure than ops/s on a shared machine, and the ")
                    .append("client's CPU use shows how close the single redis-benchmark thread was to its limit.\n\n");
            md.append("| server | -P | server CPU µs per op | server CPU (cores busy) | redis-benchmark CPU (% of a core) |\n");
            md.append("|---|---:|---:|---:|---:|\n");
            for (int p : PIPELINES) {
                for (String s : servers) {
                    Resp m = cpuMedian(s, p);
                    if (m == null) {
                        continue;
                    }
                    md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.0f %% |\n", label(s, meta), p,
                            m.cpu.serverUsPerOp(2 * m.n), m.cpu.server / m.cpu.real, m.cpu.clientPercent()));
                }
            }
            md.append('\n');
            List<String> cats = new ArrayList<>();
            for (int p : PIPELINES) {
                for (String test : TESTS) {
                    cats.add(test + " -P " + p);
                }
            }
            Map<String, List<Double>> opsSeries = new LinkedHashMap<>();
            Map<String, List<Double>> p99Series = new LinkedHashMap<>();
            for (String s : servers) {
                List<Double> o = new ArrayList<>();
                List<Double> l = new ArrayList<>();
                for (int p : PIPELINES) {
                    for (String test : TESTS) {
                        Resp m = respMedian(s, p, test);
                        o.add(m == null ? 0 : m.rps);
                        l.add(m == null ? 0 : m.p99Ms);
                    }
                }
                opsSeries.put(label(s, meta), o);
                p99Series.put(label(s, meta), l);
            }
            chart("servers-resp-ops.png", "redis-benchmark -c 50 -d 64: ops/s (median)", "ops/s", cats, opsSeries, "#,##0");
            chart("servers-resp-p99.png", "redis-benchmark -c 50 -d 64: p99 latency (median run)", "ms", cats, p99Series, "#,##0.0");
            md.append("![redis-benchmark ops/s](img/servers-resp-ops.png)\n\n");
            md.append("![redis-benchmark p99](img/servers-resp-p99.png)\n\n");
        }

        String nOf(String server, int p) {
            String n = meta.get("n_" + server + "_" + p);
            return n == null ? "" : String.format(Locale.ROOT, "%,d", Long.parseLong(n));
        }

        void slapSection() throws IOException {
            md.append("## memcaslap: `-c 50 -X 64 -t ").append(meta.get("memaslap_time")).append("`, 90 % gets\n\n");
            md.append("`").append(meta.get("memaslap")).append("` with a `-F` workload file of 16-byte keys ")
                    .append("(memcaslap's minimum key length), 64-byte values, 10 % set and 90 % get, `-T ")
                    .append(meta.get("threads")).append("` client threads; a 3-second warm-up run precedes the measured ")
                    .append("runs. memcaslap reports latency as an average and a power-of-two histogram, so p50 and p99 ")
                    .append("are given as the histogram bucket that holds them. Median of ").append(meta.get("repeat"))
                    .append(" runs.\n\n");
            md.append("| server | TPS | avg µs | get avg µs | set avg µs | p50 bucket | p99 bucket | get misses | error replies | server CPU µs per op | memcaslap CPU (% of a core) | TPS of every run |\n");
            md.append("|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---|\n");
            List<String> cats = new ArrayList<>();
            List<Double> vals = new ArrayList<>();
            for (String s : new String[]{"dash4j", "memcached"}) {
                Slap m = slapMedian(s);
                if (m == null) {
                    continue;
                }
                String all = String.join(", ", slap.stream().filter(x -> x.server.equals(s)).map(x -> ops(x.tps)).toList());
                md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %s | %s | %d | %d | %s | %s | %s |\n",
                        label(s, meta), ops(m.tps), m.avgUs, m.getAvgUs, m.setAvgUs, bucket(m.p50Log2),
                        bucket(m.p99Log2), m.getMisses, m.errorReplies,
                        m.cpu == null ? "" : String.format(Locale.ROOT, "%.2f", m.cpu.serverUsPerOp(m.ops)),
                        m.cpu == null ? "" : String.format(Locale.ROOT, "%.0f %%", m.cpu.clientPercent()), all));
                cats.add(label(s, meta));
                vals.add(m.tps);
            }
            md.append('\n');
            if (!cats.isEmpty()) {
                Map<String, List<Double>> series = new LinkedHashMap<>();
                series.put("TPS", vals);
                chart("servers-memcaslap.png", "memcaslap -c 50 -X 64, 90 % gets: TPS (median)", "ops/s", cats, series, "#,##0");
                md.append("![memcaslap TPS](img/servers-memcaslap.png)\n\n");
            }
        }

        void memorySection() throws IOException {
            md.append("## Memory: ").append(String.format(Locale.ROOT, "%,d", Long.parseLong(meta.getOrDefault("keys", "0"))))
                    .append(" keys of 12 bytes with 16-byte values\n\n");
            md.append("Each server is started fresh and loaded with the same keys (`key:00000000` .. and ")
                    .append("`val:000000000000` ..; `redis-cli --pipe` for dash4j and Redis, a pipelined `set ... noreply` ")
                    .append("connection for memcached). Per key = (after loading - before loading) / keys. ")
                    .append("\"Accounted\" is the server's own figure: INFO `used_memory` for dash4j and Redis, ")
                    .append("`stats bytes` for memcached (item bytes only: no hash table, no slab slack). RSS is ")
                    .append("`VmRSS` from `/proc/PID/status`.\n\n");
            md.append("| server | accounted before | accounted after | accounted B/key | RSS before | RSS after | RSS B/key | RSS B/key after full GC |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            List<String> cats = new ArrayList<>();
            List<Double> accounted = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            for (Mem m : mem.values()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %s | %s | %.1f | %s |\n",
                        label(m.server, meta), mib(m.usedBefore), mib(m.usedAfter), m.usedPerKey(), mib(m.rssBefore),
                        mib(m.rssAfter), m.rssPerKey(),
                        Double.isNaN(m.rssGcPerKey()) ? "" : String.format(Locale.ROOT, "%.1f (RSS %s, heap in use %s)",
                                m.rssGcPerKey(), mib(m.rssAfterGc), mib(m.heapAfterGc))));
                cats.add(label(m.server, meta));
                accounted.add(m.usedPerKey());
                rss.add(m.rssPerKey());
            }
            md.append('\n');
            if (!cats.isEmpty()) {
                Map<String, List<Double>> series = new LinkedHashMap<>();
                series.put("accounted (used_memory / stats bytes)", accounted);
                series.put("process RSS", rss);
                Mem d = mem.get("dash4j");
                if (d != null && !Double.isNaN(d.rssGcPerKey())) {
                    List<Double> gc = new ArrayList<>();
                    for (Mem m : mem.values()) {
                        gc.add(m.server.equals("dash4j") ? m.rssGcPerKey() : m.rssPerKey());
                    }
                    series.put("RSS (dash4j after a full GC)", gc);
                }
                chart("servers-bytes-per-key.png", "Bytes per key, 12-byte keys and 16-byte values", "bytes per key",
                        cats, series, "#,##0.0");
                md.append("![bytes per key](img/servers-bytes-per-key.png)\n\n");
            }
        }

        static String mib(long bytes) {
            return bytes < 0 ? "" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }

        void whySection() {
            md.append("## Reading the results\n\n");
            String threads = meta.getOrDefault("threads", "?");
            Resp c1d = cpuMedian("dash4j", 1);
            Resp c1r = cpuMedian("redis", 1);
            Resp c1q = cpuMedian("redis-1t", 1);
            Resp c16d = cpuMedian("dash4j", 16);
            Resp c16r = cpuMedian("redis", 16);
            Resp c16q = cpuMedian("redis-1t", 16);
            md.append("- **Noise.** The load generators run on the same ")
                    .append(meta.getOrDefault("machine", "").replaceAll(".*, (\\d+ CPUs).*", "$1"))
                    .append(" as the server under test (and, on a shared machine, beside other work), so ops/s vary from run ")
                    .append("to run; compare the medians with the spread in the last column, and the server CPU per ")
                    .append("operation, which depends much less on what else runs.");
            if (c1d != null && c1q != null) {
                md.append(String.format(Locale.ROOT, " At -P 1 the single redis-benchmark thread used %.0f %% of a core against dash4j "
                        + "and %.0f %% against Redis at its default (100 %% is its ceiling).",
                        c1d.cpu.clientPercent(), c1q.cpu.clientPercent()));
            }
            md.append('\n');
            if (c1r != null && c1q != null) {
                md.append(String.format(Locale.ROOT, "- **Redis with `--io-threads %s`** spent %.1f µs of CPU per operation at -P 1 and %.1f at -P 16, "
                                + "against %.1f and %.1f with its default single thread. Its I/O threads busy-poll for work and the main "
                                + "thread spins until they finish; that pays off only with spare cores, and here there are none (the "
                                + "client takes one). So the comparable-settings verdicts are easy wins for dash4j; the last column "
                                + "of the targets table compares against Redis at its default, the stronger baseline on this machine.\n",
                        threads, usPerOp(c1r), c16r == null ? Double.NaN : usPerOp(c16r), usPerOp(c1q),
                        c16q == null ? Double.NaN : usPerOp(c16q)));
            }
            if (c16d != null && c16q != null && c1d != null && c1q != null) {
                md.append(String.format(Locale.ROOT, "- **dash4j's CPU per operation** was %.2f µs at -P 1 and %.2f at -P 16, against %.2f and %.2f "
                                + "for single-threaded Redis (%.1fx and %.1fx). ",
                        usPerOp(c1d), usPerOp(c16d), usPerOp(c1q), usPerOp(c16q), usPerOp(c1d) / usPerOp(c1q),
                        usPerOp(c16d) / usPerOp(c16q)))
                        .append("With the cores shared, whoever needs less CPU per request serves more requests. One cost Redis ")
                        .append("does not have: dash4j's shards are shared-nothing, a connection lives on one shard, and a command ")
                        .append("for a key another shard owns is handed to that shard's inbox and the reply handed back in order; ")
                        .append("with ").append(threads).append(" shards about ")
                        .append(threads.equals("1") ? "none" : String.format(Locale.ROOT, "%.0f %%", 100.0 * (1 - 1.0 / Integer.parseInt(threads))))
                        .append(" of the commands take that path (see docs/server.md).\n");
            }
            Slap ds = slapMedian("dash4j");
            Slap ms = slapMedian("memcached");
            if (ds != null && ms != null && ds.cpu != null && ms.cpu != null) {
                md.append(String.format(Locale.ROOT, "- **memcaslap.** dash4j spent %.1f µs of CPU per operation, memcached %.1f (%.1fx), "
                                + "and made %s TPS against %s (%s).\n",
                        ds.cpu.serverUsPerOp(ds.ops), ms.cpu.serverUsPerOp(ms.ops),
                        ds.cpu.serverUsPerOp(ds.ops) / ms.cpu.serverUsPerOp(ms.ops), ops(ds.tps), ops(ms.tps), ratio(ds.tps / ms.tps)));
            }
            Mem dm = mem.get("dash4j");
            Mem rm = mem.get("redis");
            if (dm != null && rm != null) {
                md.append(String.format(Locale.ROOT, "- **Memory.** dash4j's own accounting (%.1f B/key: the packed entry array plus its ",
                        dm.usedPerKey()))
                        .append("share of the Dashtable's slots) is what the data costs on the heap. The JVM's RSS is ")
                        .append("larger: a garbage-collected heap needs room for new allocations (G1 grows its young ")
                        .append("generation while the load streams in, and keeps the heap it grew until a full GC ")
                        .append(String.format(Locale.ROOT, "shrinks it), so RSS right after loading was %.1f B/key", dm.rssPerKey()));
                if (!Double.isNaN(dm.rssGcPerKey())) {
                    md.append(String.format(Locale.ROOT, " and %.1f B/key after a full GC", dm.rssGcPerKey()));
                }
                md.append(String.format(Locale.ROOT, ", against Redis's %.1f (jemalloc, allocated as it goes). ", rm.rssPerKey()))
                        .append("RSS is what a machine pays, so it is the figure to size hosts by.\n");
            }
            md.append('\n');
        }

        void reproduce() {
            md.append("## Reproduce\n\n```sh\nbench/compare-servers.sh                 # ~8 minutes; THREADS=2 REPEAT=3 by default\n")
                    .append("THREADS=4 REPEAT=5 bench/compare-servers.sh\n```\n\n")
                    .append("The script installs the Debian packages it needs when they are missing (redis-server, ")
                    .append("redis-tools, memcached, libmemcached-tools), builds the server jar, runs everything on ")
                    .append("127.0.0.1 and stops every server it started.\n");
        }

        void chart(String file, String title, String yTitle, List<String> categories, Map<String, List<Double>> series,
                   String pattern) throws IOException {
            CategoryChart chart = new CategoryChartBuilder().width(1000).height(520).title(title)
                    .xAxisTitle("").yAxisTitle(yTitle).build();
            Styler s = chart.getStyler();
            s.setChartBackgroundColor(Color.WHITE);
            s.setPlotBackgroundColor(Color.WHITE);
            s.setLegendPosition(Styler.LegendPosition.OutsideS);
            s.setLegendLayout(Styler.LegendLayout.Horizontal);
            s.setLegendBorderColor(Color.LIGHT_GRAY);
            chart.getStyler().setLabelsVisible(true);
            chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
            chart.getStyler().setLabelsFontColor(Color.DARK_GRAY);
            chart.getStyler().setDecimalPattern(pattern);
            chart.getStyler().setYAxisMin(0.0);
            List<Color> colors = new ArrayList<>();
            for (String name : series.keySet()) {
                chart.addSeries(name, categories, series.get(name));
                colors.add(colorFor(name, colors.size()));
            }
            s.setSeriesColors(colors.toArray(new Color[0]));
            if (series.size() == 1) {
                s.setLegendVisible(false);
            }
            BitmapEncoder.saveBitmap(chart, img.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
        }

        static Color colorFor(String name, int i) {
            if (name.startsWith("dash4j")) {
                return DASH4J;
            }
            if (name.startsWith("Redis (io-threads 1")) {
                return REDIS_1T;
            }
            if (name.startsWith("Redis")) {
                return REDIS;
            }
            if (name.startsWith("memcached")) {
                return MEMCACHED;
            }
            Color[] palette = {new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f), new Color(0xbcbd22)};
            return palette[i % palette.length];
        }
    }
}
