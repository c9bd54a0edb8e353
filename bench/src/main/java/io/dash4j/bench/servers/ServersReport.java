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

    /** RESP servers in table order; "redis" is Redis at its default (io-threads 1), the reference. */
    static final String[] RESP_ORDER = {"dash4j", "redis", "redis-io", "dash4j-t1"};
    static final String[] TESTS = {"SET", "GET"};
    static final int[] PIPELINES = {1, 16};
    static final Color DASH4J = new Color(0x1f77b4);
    static final Color DASH4J_T1 = new Color(0xaec7e8);
    static final Color REDIS = new Color(0xd62728);
    static final Color REDIS_IO = new Color(0xff9896);
    static final Color MEMCACHED = new Color(0x2ca02c);

    private ServersReport() {
    }

    /** One redis-benchmark run of one test (-t set or -t get), with the CPU and load around it. */
    record Resp(String server, int pipeline, String test, String rep, double rps, double avgMs, double p50Ms,
                double p99Ms, Cpu cpu, long n) {
        /** Server CPU microseconds per operation (the run made {@code n} operations). */
        double usPerOp() {
            return cpu == null || n == 0 ? Double.NaN : cpu.serverUsPerOp(n);
        }

        /** Of those, the kernel's microseconds per operation. */
        double kernelUsPerOp() {
            return cpu == null || n == 0 ? Double.NaN : cpu.kernelUsPerOp(n);
        }
    }

    /** One memcaslap run: overall TPS and the latency figures of its "Total Statistics". */
    record Slap(String server, String rep, double tps, long ops, double avgUs, int p50Log2, int p99Log2,
                double getAvgUs, double setAvgUs, long getMisses, long errorReplies, Cpu cpu) {
    }

    /**
     * CPU over one load-generator run: its wall time, its own CPU, the server process's CPU (and of
     * it the kernel's share, {@code serverSys}: NaN when not recorded), the 1-minute load average
     * when it started, the server's RSS (bytes) when it ended, and for a JVM the garbage-collection
     * pauses logged during the run ({@code gcPauses} -1 when not recorded).
     */
    record Cpu(double real, double client, double server, double serverSys, double load1, long rss,
               int gcPauses, double gcPauseMs, double gcPauseMaxMs) {
        static Cpu read(Path f) throws IOException {
            Map<String, String> m = keyValues(f);
            if (m.isEmpty()) {
                return null;
            }
            return new Cpu(Double.parseDouble(m.get("real")),
                    Double.parseDouble(m.get("client_user")) + Double.parseDouble(m.get("client_sys")),
                    Double.parseDouble(m.get("server_cpu")), Double.parseDouble(m.getOrDefault("server_sys", "NaN")),
                    ServersReport.load1(m.get("load")), Long.parseLong(m.getOrDefault("rss", "-1")),
                    Integer.parseInt(m.getOrDefault("gc_pauses", "-1")),
                    Double.parseDouble(m.getOrDefault("gc_pause_ms", "NaN")),
                    Double.parseDouble(m.getOrDefault("gc_pause_max_ms", "NaN")));
        }

        /** Server CPU microseconds per operation. */
        double serverUsPerOp(long ops) {
            return server * 1e6 / ops;
        }

        /** Of {@link #serverUsPerOp}, the microseconds the kernel spent for the server (its syscalls). */
        double kernelUsPerOp(long ops) {
            return serverSys * 1e6 / ops;
        }

        /** The load generator's CPU use, in % of one core. */
        double clientPercent() {
            return 100 * client / real;
        }
    }

    static double load1(String loadavg) {
        if (loadavg == null || loadavg.isBlank()) {
            return Double.NaN;
        }
        return Double.parseDouble(loadavg.trim().split("\\s+")[0]);
    }

    /** One server loaded with {@code keys} keys: its accounting and its RSS before and after. */
    record Mem(String server, long keys, long usedBefore, long usedAfter, long rssBefore, long rssAfter,
               long rssPeak, double load1) {
        double usedPerKey() {
            return (double) (usedAfter - usedBefore) / keys;
        }

        double rssPerKey() {
            return (double) (rssAfter - rssBefore) / keys;
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
        Pattern name = Pattern.compile("resp-(.+)-P(\\d+)-(set|get)-r(\\w+)\\.csv");
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
                    all.add(new Resp(m.group(1), Integer.parseInt(m.group(2)), c[0], m.group(4),
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

    /** Every raw/mem-SERVER-KEYS.txt. */
    static List<Mem> readMem(Path raw) throws IOException {
        List<Mem> all = new ArrayList<>();
        try (var files = Files.list(raw)) {
            for (Path f : files.sorted().toList()) {
                if (!f.getFileName().toString().matches("mem-.+-\\d+\\.txt")) {
                    continue;
                }
                Map<String, String> m = keyValues(f);
                all.add(new Mem(m.get("server"), Long.parseLong(m.get("keys")), Long.parseLong(m.get("used_before")),
                        Long.parseLong(m.get("used_after")), Long.parseLong(m.get("rss_before")),
                        Long.parseLong(m.get("rss_after")), Long.parseLong(m.getOrDefault("rss_peak", "-1")),
                        load1(m.get("load"))));
            }
        }
        all.sort(Comparator.comparingLong(Mem::keys));
        return all;
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
            case "dash4j-t1" -> "dash4j (--threads 1)";
            case "redis" -> "Redis (default, io-threads 1)";
            case "redis-io" -> "Redis (io-threads " + t + ")";
            case "memcached" -> "memcached (-t " + t + ")";
            default -> server;
        };
    }

    static double medianOf(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.removeIf(v -> v == null || v.isNaN());
        if (s.isEmpty()) {
            return Double.NaN;
        }
        s.sort(Comparator.naturalOrder());
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    static String num(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : fmt("%,." + decimals + "f", v);
    }

    /**
     * A target's verdict: {@code ratio} (dash4j / the other) against {@code want}, where
     * {@code lowerIsBetter} says which side meets it.
     */
    static String verdict(double ratio, double want, boolean lowerIsBetter) {
        if (Double.isNaN(ratio)) {
            return "not measured";
        }
        boolean met = lowerIsBetter ? ratio <= want : ratio >= want;
        if (met) {
            return "**met**";
        }
        return lowerIsBetter ? fmt("**missed** (%.0f %% over)", 100 * (ratio / want - 1))
                : fmt("**missed** (%.0f %% short)", 100 * (1 - ratio / want));
    }

    static final class Run {
        final Path work;
        final Path out;
        final Path img;
        final Map<String, String> meta;
        final List<Resp> resp;
        final List<Slap> slap;
        final List<Mem> mem;
        final StringBuilder md = new StringBuilder();
        /** Targets missed, one sentence each, for "Reading the results". */
        final List<String> missed = new ArrayList<>();

        Run(Path work, Path out, Path img) throws IOException {
            this.work = work;
            this.out = out;
            this.img = img;
            this.meta = keyValues(work.resolve("meta.txt"));
            this.resp = readResp(work.resolve("raw"));
            this.slap = readSlap(work.resolve("raw"));
            this.mem = readMem(work.resolve("raw"));
        }

        String threads() {
            return meta.getOrDefault("threads", "?");
        }

        List<String> respServers() {
            List<String> s = new ArrayList<>();
            for (String name : RESP_ORDER) {
                if (!runs(name, 1, "SET").isEmpty() || !runs(name, 16, "SET").isEmpty()) {
                    s.add(name);
                }
            }
            return s;
        }

        List<Resp> runs(String server, int p, String test) {
            return resp.stream().filter(r -> r.server.equals(server) && r.pipeline == p && r.test.equals(test)
                    && !r.rep.equals("warm")).toList();
        }

        double rps(String server, int p, String test) {
            return medianOf(runs(server, p, test).stream().map(Resp::rps).toList());
        }

        double usPerOp(String server, int p, String test) {
            return medianOf(runs(server, p, test).stream().map(Resp::usPerOp).toList());
        }

        double kernelUsPerOp(String server, int p, String test) {
            return medianOf(runs(server, p, test).stream().map(Resp::kernelUsPerOp).toList());
        }

        /** The GC pauses of the median run by pause total: "count, total ms (longest ms)", or "" when not logged. */
        String gcPauses(String server, int p, String test) {
            List<Resp> logged = runs(server, p, test).stream().filter(r -> r.cpu != null && r.cpu.gcPauses >= 0).toList();
            if (logged.isEmpty()) {
                return "";
            }
            Cpu c = median(logged, Comparator.comparingDouble(r -> r.cpu.gcPauseMs)).cpu;
            return c.gcPauses == 0 ? "none" : fmt("%d, %.0f ms (max %.1f)", c.gcPauses, c.gcPauseMs, c.gcPauseMaxMs);
        }

        double p99(String server, int p, String test) {
            return medianOf(runs(server, p, test).stream().map(Resp::p99Ms).toList());
        }

        double p50(String server, int p, String test) {
            return medianOf(runs(server, p, test).stream().map(Resp::p50Ms).toList());
        }

        double load(String server, int p, String test) {
            return medianOf(runs(server, p, test).stream().map(r -> r.cpu == null ? Double.NaN : r.cpu.load1).toList());
        }

        /** The server's RSS after the runs (median), in bytes; -1 when not recorded. */
        long rss(String server, int p, String test) {
            double m = medianOf(runs(server, p, test).stream()
                    .map(r -> r.cpu == null || r.cpu.rss < 0 ? Double.NaN : (double) r.cpu.rss).toList());
            return Double.isNaN(m) ? -1 : (long) m;
        }

        double clientPercent(String server, int p, String test) {
            return medianOf(runs(server, p, test).stream()
                    .map(r -> r.cpu == null ? Double.NaN : r.cpu.clientPercent()).toList());
        }

        Slap slapMedian(String server) {
            List<Slap> runs = slap.stream().filter(s -> s.server.equals(server)).toList();
            return runs.isEmpty() ? null : median(runs, Comparator.comparingDouble(Slap::tps));
        }

        Mem mem(String server, long keys) {
            return mem.stream().filter(m -> m.server.equals(server) && m.keys == keys).findFirst().orElse(null);
        }

        List<Long> memorySizes() {
            return mem.stream().map(Mem::keys).distinct().sorted().toList();
        }

        void write() throws IOException {
            Files.createDirectories(img);
            header();
            targetsSection();
            respSection();
            scalingSection();
            slapSection();
            floorSection();
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
            md.append("Generated by `bench/compare-servers.sh").append("1".equals(meta.get("quick")) ? " --quick" : "")
                    .append("` on ").append(meta.getOrDefault("date", "?"))
                    .append(". Every number below comes from that run (raw outputs: `").append(work)
                    .append("`); the verdicts are computed from them, not written by hand. ")
                    .append("All servers listen on 127.0.0.1 and the load generators run on the same machine.\n\n");
            if ("1".equals(meta.get("quick"))) {
                md.append("> **Quick mode** (one short run of each test, a small key count): a check that the ")
                        .append("script works, not a measurement to quote.\n\n");
            }
            md.append("| | |\n|---|---|\n");
            row("machine", meta.get("machine"));
            row("OS", meta.get("os"));
            row("JDK", meta.get("jdk"));
            row("dash4j", "`" + meta.get("dash4j_cmd") + "` (commit " + meta.get("commit") + "), which runs `"
                    + meta.get("dash4j_jvm") + "`");
            row("Redis (the reference)", meta.get("redis") + ": `" + meta.get("redis_cmd") + "`");
            if (respServers().contains("redis-io")) {
                row("Redis (extra column)", "`" + meta.get("redis_io_cmd") + "`");
            }
            row("memcached", meta.get("memcached") + ": `" + meta.get("memcached_cmd") + "`");
            row("clients", "redis-benchmark (" + meta.getOrDefault("redis", "") + "), " + meta.get("memaslap")
                    + ", redis-cli --pipe");
            row("load average (1, 5, 15 min)", meta.get("load_start") + " at the start, " + meta.get("load_end") + " at the end");
            md.append('\n');
            double cpus = Double.parseDouble(meta.getOrDefault("cpus", "2"));
            String[] l = meta.getOrDefault("load_start", "0").split(" ");
            double load = Double.parseDouble(l[0]);
            if (load > cpus / 2) {
                md.append("> **The machine was busy** (load average ").append(l[0]).append(" on ")
                        .append((int) cpus).append(" CPUs when the run started): other work shared the cores with ")
                        .append("the servers and the load generators, so the throughput and latency numbers are noisy. ")
                        .append("Each figure is the median of ").append(meta.get("repeat"))
                        .append(" interleaved runs, and each row shows the load average its runs started at. ")
                        .append("CPU per operation and memory are much less affected.\n\n");
            }
        }

        void row(String k, String v) {
            md.append("| ").append(k).append(" | ").append(v == null ? "?" : v).append(" |\n");
        }

        void targetsSection() {
            md.append("## Targets (issue 13)\n\n");
            md.append("Against Redis at its default (one I/O thread), the reference; the last column repeats the ")
                    .append("throughput targets against Redis with `--io-threads ").append(threads())
                    .append("` for information (its I/O threads spin, which costs it dearly on this machine).\n\n");
            boolean extra = respServers().contains("redis-io");
            md.append("| target | dash4j | Redis | dash4j / Redis | verdict |").append(extra ? " vs Redis io-threads " + threads() + " |" : "")
                    .append("\n|---|---:|---:|---:|---|").append(extra ? "---|" : "").append('\n');
            for (int p : PIPELINES) {
                for (String test : TESTS) {
                    respTarget(fmt("server CPU µs per op, -P %d %s: <= 0.8x Redis", p, test),
                            usPerOp("dash4j", p, test), usPerOp("redis", p, test), usPerOp("redis-io", p, test),
                            0.8, true, 2, extra);
                }
            }
            for (int p : PIPELINES) {
                double want = p == 1 ? 1.0 : 1.3;
                for (String test : TESTS) {
                    respTarget(fmt("ops/s, -P %d %s: >= %s", p, test, p == 1 ? "Redis" : "1.3x Redis"),
                            rps("dash4j", p, test), rps("redis", p, test), rps("redis-io", p, test), want, false, 0, extra);
                }
            }
            for (String test : TESTS) {
                respTarget(fmt("p99 latency ms, -P 1 %s: <= Redis", test), p99("dash4j", 1, test),
                        p99("redis", 1, test), p99("redis-io", 1, test), 1.0, true, 3, extra);
            }
            String pad = extra ? "  |" : "";
            Slap ds = slapMedian("dash4j");
            Slap ms = slapMedian("memcached");
            if (ds != null && ms != null) {
                double x = ds.tps / ms.tps;
                boolean errors = ds.errorReplies > 0 || ms.errorReplies > 0;
                String v = errors ? "**not valid**: the servers answered errors (see the memcaslap table)" : verdict(x, 1.2, false);
                target("memcaslap TPS (90 % gets): >= 1.2x memcached", ops(ds.tps), ops(ms.tps) + " (memcached)", x, v, pad);
            }
            for (long keys : memorySizes()) {
                Mem d = mem("dash4j", keys);
                Mem r = mem("redis", keys);
                if (d == null || r == null) {
                    continue;
                }
                double want = keys >= 5_000_000 ? 0.7 : 1.0;
                double x = (double) d.rssAfter / r.rssAfter;
                target(fmt("process RSS after loading %s keys (no manual GC): <= %s", count(keys),
                        want == 1.0 ? "Redis" : want + "x Redis"), mib(d.rssAfter), mib(r.rssAfter), x,
                        verdict(x, want, true), pad);
            }
            if (!memorySizes().isEmpty()) {
                long keys = memorySizes().get(0);
                Mem d = mem("dash4j", keys);
                Mem r = mem("redis", keys);
                if (d != null && r != null) {
                    double x = d.usedPerKey() / r.usedPerKey();
                    target(fmt("used_memory per key (%s keys, default policy): <= 0.6x Redis", count(keys)),
                            fmt("%.1f B", d.usedPerKey()), fmt("%.1f B", r.usedPerKey()), x, verdict(x, 0.6, true), pad);
                }
            }
            md.append('\n');
        }

        void respTarget(String what, double dash, double redis, double redisIo, double want, boolean lowerIsBetter,
                        int decimals, boolean extra) {
            if (Double.isNaN(dash) || Double.isNaN(redis)) {
                return;
            }
            double x = dash / redis;
            String v = verdict(x, want, lowerIsBetter);
            md.append("| ").append(what).append(" | ").append(num(dash, decimals)).append(" | ").append(num(redis, decimals))
                    .append(" | ").append(ratio(x)).append(" | ").append(v).append(" |");
            if (extra) {
                double y = dash / redisIo;
                md.append(Double.isNaN(y) ? " |" : " " + num(redisIo, decimals) + " = " + ratio(y) + ": "
                        + verdict(y, want, lowerIsBetter) + " |");
            }
            md.append('\n');
            if (v.startsWith("**missed")) {
                missed.add(what + ": " + num(dash, decimals) + " vs " + num(redis, decimals) + " (" + ratio(x) + ")");
            }
        }

        void target(String what, String dash, String other, double x, String v, String pad) {
            md.append("| ").append(what).append(" | ").append(dash).append(" | ").append(other).append(" | ")
                    .append(ratio(x)).append(" | ").append(v).append(" |").append(pad).append('\n');
            if (v.startsWith("**missed")) {
                missed.add(what + ": " + dash + " vs " + other + " (" + ratio(x) + ")");
            }
        }

        static String count(long keys) {
            return keys % 1_000_000 == 0 ? (keys / 1_000_000) + "M" : keys % 1000 == 0 ? (keys / 1000) + "k" : String.valueOf(keys);
        }

        void respSection() throws IOException {
            md.append("## redis-benchmark: `-c 50 -d 64 -r 100000`, `-t set` and `-t get`\n\n");
            md.append("One redis-benchmark process (one client thread, 50 connections, 64-byte values over 100,000 ")
                    .append("random keys), one test per run so that each test has its own CPU figure. `-n` was chosen per ")
                    .append("server, depth and test from a calibration run (which also warms up the JVM) so that a run ")
                    .append("takes about ").append(meta.get("run_seconds")).append(" s. Each figure is the median of ")
                    .append(meta.get("repeat")).append(" interleaved runs. Server CPU per operation is the server ")
                    .append("process's CPU time (user + system, `/proc/PID/stat`) over the run divided by `-n`: on a ")
                    .append("shared machine it is steadier than ops/s, and whoever needs less CPU per request serves ")
                    .append("more of them. \"Load\" is the 1-minute load average when the runs started; ")
                    .append("\"client CPU\" shows how close the single redis-benchmark thread was to its limit (100 %); ")
                    .append("\"RSS\" is the server's `VmRSS` right after the run. \"Of which kernel\" is the system part ")
                    .append("of the server's CPU (`stime`): its syscalls and, on loopback, the TCP stack both ways. ")
                    .append("\"GC pauses\" are the JVM's stop-the-world collections logged during the run (count, ")
                    .append("total, longest), every shard stopped meanwhile.\n\n");
            md.append("| server | -P | test | -n | ops/s | server CPU µs/op | of which kernel | p50 ms | p99 ms | GC pauses | RSS | load | client CPU | ops/s of every run |\n");
            md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|\n");
            List<String> servers = respServers();
            for (int p : PIPELINES) {
                for (String test : TESTS) {
                    for (String s : servers) {
                        if (runs(s, p, test).isEmpty()) {
                            continue;
                        }
                        String all = String.join(", ", runs(s, p, test).stream().map(r -> ops(r.rps)).toList());
                        md.append(fmt("| %s | %d | %s | %s | %s | %s | %s | %.3f | %.3f | %s | %s | %.2f | %.0f %% | %s |\n",
                                label(s, meta), p, test, nOf(s, p, test), ops(rps(s, p, test)),
                                num(usPerOp(s, p, test), 2), num(kernelUsPerOp(s, p, test), 2), p50(s, p, test),
                                p99(s, p, test), gcPauses(s, p, test), mib(rss(s, p, test)),
                                load(s, p, test), clientPercent(s, p, test), all));
                    }
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
            Map<String, List<Double>> cpuSeries = new LinkedHashMap<>();
            Map<String, List<Double>> p99Series = new LinkedHashMap<>();
            for (String s : servers) {
                List<Double> o = new ArrayList<>();
                List<Double> c = new ArrayList<>();
                List<Double> l = new ArrayList<>();
                for (int p : PIPELINES) {
                    for (String test : TESTS) {
                        o.add(zeroIfNaN(rps(s, p, test)));
                        c.add(zeroIfNaN(usPerOp(s, p, test)));
                        l.add(zeroIfNaN(p99(s, p, test)));
                    }
                }
                opsSeries.put(label(s, meta), o);
                cpuSeries.put(label(s, meta), c);
                p99Series.put(label(s, meta), l);
            }
            chart("servers-resp-ops.png", "redis-benchmark -c 50 -d 64: ops/s (median)", "ops/s", cats, opsSeries, "#,##0");
            chart("servers-resp-cpu.png", "redis-benchmark -c 50 -d 64: server CPU per operation (median)", "µs", cats, cpuSeries, "#,##0.00");
            chart("servers-resp-p99.png", "redis-benchmark -c 50 -d 64: p99 latency (median)", "ms", cats, p99Series, "#,##0.0");
            md.append("![redis-benchmark ops/s](img/servers-resp-ops.png)\n\n");
            md.append("![server CPU per operation](img/servers-resp-cpu.png)\n\n");
            md.append("![redis-benchmark p99](img/servers-resp-p99.png)\n\n");
        }

        static double zeroIfNaN(double v) {
            return Double.isNaN(v) ? 0 : v;
        }

        String nOf(String server, int p, String test) {
            String n = meta.get("n_" + server + "_" + p + "_" + test.toLowerCase(Locale.ROOT));
            return n == null ? "" : fmt("%,d", Long.parseLong(n));
        }

        void scalingSection() {
            md.append("## Scaling beyond 2 cores\n\n");
            String t = threads();
            boolean measured = respServers().contains("dash4j-t1");
            if (measured) {
                md.append("The same redis-benchmark runs against dash4j with `--threads 1` (one shard: every key is ")
                        .append("local to the connection's shard) and `--threads ").append(t).append("` (a command whose key ")
                        .append("another shard owns is handed to that shard's inbox, which writes a single command's reply ")
                        .append("to the socket itself and hands a pipelined batch's results back: about ")
                        .append(fmt("%.0f %%", 100.0 * (1 - 1.0 / Integer.parseInt(t))))
                        .append(" of the commands). Shared-nothing should keep CPU per operation flat; what it grows by ")
                        .append("is the price of the hop.\n\n");
                md.append("| -P | test | CPU µs/op, --threads 1 | CPU µs/op, --threads ").append(t)
                        .append(" | ratio | ops/s, --threads 1 | ops/s, --threads ").append(t).append(" |\n");
                md.append("|---:|---|---:|---:|---:|---:|---:|\n");
                for (int p : PIPELINES) {
                    for (String test : TESTS) {
                        double c1 = usPerOp("dash4j-t1", p, test);
                        double cn = usPerOp("dash4j", p, test);
                        md.append(fmt("| %d | %s | %s | %s | %s | %s | %s |\n", p, test, num(c1, 2), num(cn, 2),
                                Double.isNaN(c1) ? "n/a" : ratio(cn / c1), ops(rps("dash4j-t1", p, test)), ops(rps("dash4j", p, test))));
                    }
                }
                md.append('\n');
                md.append("**Projection.** Write c(N) = c1 + (1 - 1/N) h for the CPU per operation with N shards, where c1 ")
                        .append("is the all-local cost (`--threads 1`) and h the extra cost of a command that hops to another ")
                        .append("shard; the two measurements give h = 2 (c2 - c1)").append(t.equals("2") ? "" : " (with N = " + t + ")")
                        .append(". On 16 and 64 cores nearly every command hops (94 % and 98 %), so:\n\n");
                md.append("| -P | test | c1 | h | c(16) | c(64) |\n|---:|---|---:|---:|---:|---:|\n");
                int n = Integer.parseInt(t);
                for (int p : PIPELINES) {
                    for (String test : TESTS) {
                        double c1 = usPerOp("dash4j-t1", p, test);
                        double cn = usPerOp("dash4j", p, test);
                        double h = (cn - c1) / (1 - 1.0 / n);
                        md.append(fmt("| %d | %s | %s | %s | %s | %s |\n", p, test, num(c1, 2), num(h, 2),
                                num(c1 + h * 15 / 16, 2), num(c1 + h * 63 / 64, 2)));
                    }
                }
                md.append('\n');
                md.append("On this machine the load generator shares the two cores, so `--threads ").append(t)
                        .append("` also pays for two shard threads taking turns with redis-benchmark on one core; ")
                        .append("h is an upper bound. Throughput on N cores is then about N / c(N) when the clients ")
                        .append("spread over all shards and nothing shared is the bottleneck.\n\n");
            } else {
                md.append("Not measured in this run (SCALING=0 or THREADS=1).\n\n");
            }
            md.append("""
                    **What is per shard and what is shared.** Each shard thread owns one partition of the keyspace \
                    (its Dashtable caches, eviction, expiry, memory budget `maxmemory / threads`), its own selector and \
                    connections, its inbox (a lock-free MPSC queue) and its counters: nothing on the command path takes a \
                    lock or touches another shard's memory, so adding cores adds capacity until the hop cost above \
                    dominates. What is shared:
                    - **the accept thread**: one thread accepts every connection and hands it to a shard in turn. It \
                    costs per connection, not per command; a connection storm on 64 cores would queue behind it (several \
                    acceptors with `SO_REUSEPORT` would fix that).
                    - **client ids and the connection count**: one atomic increment per connection opened or closed; \
                    contended only by connection churn.
                    - **keyspace-wide commands**: DBSIZE, KEYS, FLUSHALL, INFO, RANDOMKEY, CLIENT LIST and CONFIG SET \
                    maxmemory run a part on every shard and aggregate; their cost grows linearly with the shard count \
                    (64 hops for one INFO): fine for admin commands, not for a hot loop.
                    - **transactions' intent locks**: EXEC and multi-key commands whose keys live on several shards take \
                    per-shard intent locks (VLL, docs/server.md §1b), one shard after the other in shard-id order; with \
                    more shards the same keys spread over more shards, so a transaction pays more sequential hops before \
                    it runs and holds its locks longer. A single-key command takes none: it checks its own shard's locks \
                    (free when none are held) and waits only behind a transaction holding its key.
                    - **the JVM**: one heap. The launcher's Serial collector stops every shard for each collection (the \
                    GC pauses column above shows what that cost in each run); its young generation grows with the shard \
                    count (4 MiB each), and a full collection of a heap of tens of GB would stop all 64 shards for seconds. At that size choose a \
                    parallel or concurrent collector (`DASH4J_JAVA_OPTS="-XX:+UseParallelGC ..."` or G1), trading RSS \
                    for pauses; see docs/server.md.

                    """);
        }

        void slapSection() throws IOException {
            md.append("## memcaslap: `-c 50 -X 64 -t ").append(meta.get("memaslap_time")).append("`, 90 % gets\n\n");
            md.append("`").append(meta.get("memaslap")).append("` with a `-F` workload file of 16-byte keys ")
                    .append("(memcaslap's minimum key length), 64-byte values, 10 % set and 90 % get, `-T ")
                    .append(threads()).append("` client threads; a 3-second warm-up run precedes the measured ")
                    .append("runs. memcaslap reports latency as an average and a power-of-two histogram, so p50 and p99 ")
                    .append("are given as the histogram bucket that holds them. Median of ").append(meta.get("repeat"))
                    .append(" runs.\n\n");
            md.append("| server | TPS | server CPU µs per op | of which kernel | avg µs | get avg µs | set avg µs | p50 bucket | p99 bucket | get misses | error replies | RSS | load | memcaslap CPU (% of a core) | TPS of every run |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---|\n");
            List<String> cats = new ArrayList<>();
            List<Double> vals = new ArrayList<>();
            for (String s : new String[]{"dash4j", "memcached"}) {
                Slap m = slapMedian(s);
                if (m == null) {
                    continue;
                }
                String all = String.join(", ", slap.stream().filter(x -> x.server.equals(s)).map(x -> ops(x.tps)).toList());
                md.append(fmt("| %s | %s | %s | %s | %.0f | %.0f | %.0f | %s | %s | %d | %d | %s | %s | %s | %s |\n",
                        label(s, meta), ops(m.tps),
                        m.cpu == null ? "" : fmt("%.2f", m.cpu.serverUsPerOp(m.ops)),
                        m.cpu == null ? "" : num(m.cpu.kernelUsPerOp(m.ops), 2), m.avgUs, m.getAvgUs, m.setAvgUs,
                        bucket(m.p50Log2), bucket(m.p99Log2), m.getMisses, m.errorReplies,
                        m.cpu == null ? "" : mib(m.cpu.rss), m.cpu == null ? "" : num(m.cpu.load1, 2),
                        m.cpu == null ? "" : fmt("%.0f %%", m.cpu.clientPercent()), all));
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
            md.append("## Memory: 12-byte keys with 16-byte values\n\n");
            md.append("Each server is started fresh and loaded with the same keys (`key:00000000` .. and ")
                    .append("`val:000000000000` ..; `redis-cli --pipe` for dash4j and Redis, a pipelined `set ... noreply` ")
                    .append("connection for memcached), then left alone for ").append(meta.getOrDefault("settle_seconds", "?"))
                    .append(" s. RSS is `VmRSS` from `/proc/PID/status`: what `top` shows and what a host pays, ")
                    .append("JVM included, with no manual GC; \"peak\" is `VmHWM`, the most RSS the process ever had. ")
                    .append("\"Accounted\" is the server's own figure per key: INFO `used_memory` for dash4j and Redis, ")
                    .append("`stats bytes` for memcached (item bytes only: no hash table, no slab slack). dash4j runs ")
                    .append("with `--maxmemory ").append(meta.getOrDefault("dash4j_maxmemory", "?"))
                    .append("` through bin/dash4j-server, which sizes the JVM from it (docs/server.md, \"The JVM: heap, ")
                    .append("collector and RSS\").\n\n");
            md.append("| keys | server | RSS before | RSS after | RSS / Redis | peak RSS | RSS growth per key | accounted B/key | load |\n");
            md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
            List<String> cats = new ArrayList<>();
            Map<String, List<Double>> series = new LinkedHashMap<>();
            for (long keys : memorySizes()) {
                cats.add(count(keys) + " keys");
                Mem r = mem("redis", keys);
                for (String s : new String[]{"dash4j", "redis", "memcached"}) {
                    Mem m = mem(s, keys);
                    series.computeIfAbsent(label(s, meta), k -> new ArrayList<>())
                            .add(m == null ? 0 : m.rssAfter / 1048576.0);
                    if (m == null) {
                        continue;
                    }
                    md.append(fmt("| %s | %s | %s | %s | %s | %s | %.1f B | %.1f B | %.2f |\n", fmt("%,d", keys),
                            label(s, meta), mib(m.rssBefore), mib(m.rssAfter),
                            r == null ? "" : ratio((double) m.rssAfter / r.rssAfter), mib(m.rssPeak), m.rssPerKey(),
                            m.usedPerKey(), m.load1));
                }
            }
            md.append('\n');
            if (!cats.isEmpty()) {
                chart("servers-rss.png", "Process RSS after loading (12-byte keys, 16-byte values)", "MiB", cats, series, "#,##0");
                md.append("![RSS after loading](img/servers-rss.png)\n\n");
            }
        }

        static String mib(long bytes) {
            return bytes < 0 ? "" : fmt("%.1f MiB", bytes / 1048576.0);
        }

        /**
         * What the CPU targets leave for user-space code once the kernel has been paid: the same
         * syscalls cost every server about the same, so a target below the kernel's share of the
         * work cannot be met by any code above it.
         */
        void floorSection() {
            if (!respServers().contains("redis") || Double.isNaN(kernelUsPerOp("dash4j", 1, "GET"))) {
                return;
            }
            String t = threads();
            boolean t1 = respServers().contains("dash4j-t1");
            md.append("## The kernel's share: what the CPU targets leave for our code\n\n");
            md.append("Each server's CPU per operation split into user and kernel time (`utime` and `stime` of ")
                    .append("`/proc/PID/stat`, median runs of the table above). Both servers make the same syscalls ")
                    .append("per command (one `read` and one `write` per command at -P 1, per pipeline of 16 at -P 16, ")
                    .append("and a fraction of an `epoll_wait`; docs/profile-server.md counts them), and the kernel's ")
                    .append("work for them is the same whoever calls. The target \"≤ 0.8x Redis\" is a budget for ")
                    .append("dash4j's whole CPU per operation; what remains of it after dash4j's own kernel time is ")
                    .append("all that user-space code (the JVM's NIO and the command itself) may spend.\n\n");
            md.append("| -P | test | Redis: user + kernel µs/op | budget (0.8x Redis) | dash4j ")
                    .append(t1 ? "--threads 1: user + kernel | dash4j " : "").append("--threads ").append(t)
                    .append(": user + kernel | budget left for user code (--threads ").append(t).append(") |\n");
            md.append(t1 ? "|---:|---|---:|---:|---:|---:|---:|\n" : "|---:|---|---:|---:|---:|---:|\n");
            for (int p : PIPELINES) {
                for (String test : TESTS) {
                    double r = usPerOp("redis", p, test);
                    double rk = kernelUsPerOp("redis", p, test);
                    double d = usPerOp("dash4j", p, test);
                    double dk = kernelUsPerOp("dash4j", p, test);
                    md.append(fmt("| %d | %s | %s + %s | %s | ", p, test, num(r - rk, 2), num(rk, 2), num(0.8 * r, 2)));
                    if (t1) {
                        double c1 = usPerOp("dash4j-t1", p, test);
                        double k1 = kernelUsPerOp("dash4j-t1", p, test);
                        md.append(fmt("%s + %s | ", num(c1 - k1, 2), num(k1, 2)));
                    }
                    md.append(fmt("%s + %s | %s (%s user now) |\n", num(d - dk, 2), num(dk, 2), num(0.8 * r - dk, 2),
                            num(d - dk, 2)));
                }
            }
            md.append('\n');
            double r1 = usPerOp("redis", 1, "GET");
            double rk1 = kernelUsPerOp("redis", 1, "GET");
            double dk1 = kernelUsPerOp("dash4j", 1, "GET");
            md.append(fmt("At -P 1 a GET costs Redis %.2f µs of which the kernel %.2f (%.0f %%); dash4j's own kernel time "
                    + "is %.2f µs, which leaves %.2f µs of the %.2f µs budget for everything above the kernel, where "
                    + "Redis itself spends %.2f µs in user space. ", r1, rk1, 100 * rk1 / r1, dk1, 0.8 * r1 - dk1,
                    0.8 * r1, r1 - rk1));
            if (t1) {
                double k1 = kernelUsPerOp("dash4j-t1", 1, "GET");
                md.append(fmt("With one shard (no hop) dash4j's kernel time is %.2f µs; the difference to %s shards is "
                        + "the hop's sleeps and wake-ups (an eventfd write and a context switch each; see the scaling "
                        + "section). ", k1, t));
            }
            md.append("The kernel's split is sampled at the scheduler tick, so it is good to a few per cent of a ")
                    .append("run's CPU; `perf record` of the same runs (docs/profile-server.md) puts about three quarters ")
                    .append("of the shard threads' -P 1 samples in the kernel.\n\n");
            Slap dm = slapMedian("dash4j");
            Slap mm = slapMedian("memcached");
            if (dm != null && mm != null && dm.cpu != null && mm.cpu != null) {
                double c = mm.cpu.client * 1e6 / mm.ops; // memcaslap's CPU per op against memcached
                double sm = mm.cpu.serverUsPerOp(mm.ops);
                double budget = (c + sm) / 1.2 - c;
                md.append(fmt("**memcaslap.** When the %s cores are the limit, TPS is about cores / (C + S), with C the "
                        + "load generator's and S the server's CPU per operation. Against memcached C = %.2f µs and "
                        + "S = %.2f µs (kernel %.2f), so 1.2x memcached's TPS needs S ≤ (C + S) / 1.2 − C = %.2f µs "
                        + "for dash4j, whose kernel time alone is %.2f µs per operation (memcaslap keeps one request "
                        + "in flight per connection: one `read` and one `write` per request, no batch to coalesce).\n\n",
                        meta.getOrDefault("cpus", "?"), c, sm, mm.cpu.kernelUsPerOp(mm.ops), budget,
                        dm.cpu.kernelUsPerOp(dm.ops)));
            }
        }

        void whySection() {
            md.append("## Reading the results\n\n");
            if (missed.isEmpty()) {
                md.append("- Every target was met in this run.\n");
            } else {
                md.append("- **Missed in this run:** ").append(String.join("; ", missed)).append(".\n");
            }
            md.append("- **Noise.** The load generators run on the same ")
                    .append(meta.getOrDefault("cpus", "?"))
                    .append(" CPUs as the server under test (and, on a shared machine, beside other work), so ops/s ")
                    .append("and latency vary from run to run: compare the medians with the spread in the last column ")
                    .append("and the load average of each row. Server CPU per operation depends much less on what else runs.\n");
            double d1 = usPerOp("dash4j", 1, "GET");
            double r1 = usPerOp("redis", 1, "GET");
            double d16 = usPerOp("dash4j", 16, "GET");
            double r16 = usPerOp("redis", 16, "GET");
            if (!Double.isNaN(d1) && !Double.isNaN(r1)) {
                md.append(fmt("- **CPU per operation.** GET cost dash4j %.2f µs at -P 1 and %.2f at -P 16, Redis %.2f and %.2f "
                        + "(%.2fx and %.2fx). dash4j's shards are shared-nothing: with %s shards about %s of the "
                        + "commands are owned by another shard than the connection's and pay a hop through its inbox "
                        + "(see the scaling section for the price of that hop, and \"The kernel's share\" for what "
                        + "the targets leave once the syscalls are paid).\n",
                        d1, d16, r1, r16, d1 / r1, d16 / r16, threads(),
                        threads().equals("1") ? "none" : fmt("%.0f %%", 100.0 * (1 - 1.0 / Integer.parseInt(threads())))));
            }
            double io1 = usPerOp("redis-io", 1, "GET");
            if (!Double.isNaN(io1) && !Double.isNaN(r1)) {
                md.append(fmt("- **Redis with `--io-threads %s`** spent %.1f µs of CPU per GET at -P 1, against %.1f with its "
                        + "default single thread: its I/O threads busy-poll for work and the main thread spins until they "
                        + "finish, which pays off only with spare cores. That is why the reference is Redis's default.\n",
                        threads(), io1, r1));
            }
            if (!memorySizes().isEmpty()) {
                long keys = memorySizes().get(0);
                Mem d = mem("dash4j", keys);
                Mem r = mem("redis", keys);
                if (d != null && r != null) {
                    md.append(fmt("- **Memory.** Before any key, the JVM's fixed cost was %s of RSS against Redis's %s "
                            + "(libjvm's code, the classes, the JIT's code cache, the young generation); per key, dash4j's "
                            + "data costs %.1f B on the heap (`used_memory`: the packed entry array and its share of the "
                            + "Dashtable) against Redis's %.1f, and the RSS grew by %.1f B per key against Redis's %.1f "
                            + "(the heap keeps 10-20 %% free after each collection). So the JVM's fixed cost is paid for "
                            + "by the smaller entries after about %s keys.\n",
                            mib(d.rssBefore), mib(r.rssBefore), d.usedPerKey(), r.usedPerKey(), d.rssPerKey(), r.rssPerKey(),
                            r.rssPerKey() > d.rssPerKey() ? fmt("%,.0f", (d.rssBefore - r.rssBefore) / (r.rssPerKey() - d.rssPerKey()))
                                    : "(never, at these sizes)"));
                }
            }
            md.append('\n');
        }

        void reproduce() {
            md.append("## Reproduce\n\n```sh\nbench/compare-servers.sh            # the full run (~10 minutes): THREADS=2 REPEAT=3\n")
                    .append("bench/compare-servers.sh --quick    # a check of the script (~4 minutes), report in /tmp\n")
                    .append("THREADS=4 REPEAT=5 bench/compare-servers.sh\n```\n\n")
                    .append("The script installs the Debian packages it needs when they are missing (redis-server, ")
                    .append("redis-tools, memcached, libmemcached-tools), builds the server jar, runs everything on ")
                    .append("127.0.0.1 and stops every server it started. Run it on a quiet machine: the load average ")
                    .append("of each row shows whether it was.\n");
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
            if (name.startsWith("dash4j (--threads 1)")) {
                return DASH4J_T1;
            }
            if (name.startsWith("dash4j")) {
                return DASH4J;
            }
            if (name.startsWith("Redis (io-threads")) {
                return REDIS_IO;
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
