package io.dash4j.bench.memory;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.dash4j.bench.Cli;
import io.dash4j.dashtable.DashTable;
import io.dash4j.eviction.DashCache;
import io.dash4j.eviction.baseline.ArenaLruCache;
import io.dash4j.eviction.baseline.LinkedLruCache;
import io.dash4j.eviction.baseline.SampledLruCache;
import it.unimi.dsi.fastutil.objects.Object2ObjectOpenHashMap;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.info.GraphStats;
import org.openjdk.jol.vm.VM;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Structure bytes per entry, measured with JOL in one JVM.
 *
 * <p>Every structure maps {@code n} distinct {@link Long} keys (random 64-bit values, so none is a
 * boxed-cache instance) to <b>the key object itself</b> as the value. The "structure" footprint is
 * {@code GraphLayout.parseInstance(structure).totalSize()} minus the footprint of the key objects
 * the structure holds ({@code GraphLayout.parseInstance(presentKeys...)}); since each value is its
 * key, that also removes the values. What is left is everything the structure adds per entry:
 * tables, nodes, arrays, sketches, per-entry metadata.
 *
 * <p>Command: {@code java -jar dash-bench.jar memory [--csv] [--n 1000000] [--sweep a,b,c]
 * [--only name,name]}. The command re-launches itself in a child JVM with the flags JOL wants
 * ({@code -Djdk.attach.allowAttachSelf=true -Djol.magicFieldOffset=true}) unless those are
 * already set; {@code --in-process} skips that.
 */
public final class MemoryBench {

    /** One measured structure. {@code loadFactor} is NaN where it does not apply. */
    public record Row(String structure, long entries, long totalBytes, long keyValueBytes,
                      double loadFactor, String note) {

        public long structureBytes() {
            return totalBytes - keyValueBytes;
        }

        public double bytesPerEntry() {
            return entries == 0 ? Double.NaN : (double) structureBytes() / entries;
        }
    }

    /** The sizes of the DashTable load-factor sweep (0.5M to 2M, every 0.1M; one table grown through them). */
    public static final long[] DEFAULT_SWEEP = {500_000, 600_000, 700_000, 800_000, 900_000, 1_000_000, 1_100_000,
            1_200_000, 1_300_000, 1_400_000, 1_500_000, 1_600_000, 1_700_000, 1_800_000, 1_900_000, 2_000_000};

    public static final String CHILD_PROPERTY = "dash4j.memory.child";

    private MemoryBench() {
    }

    /** Entry point of the child JVM (and of {@code --in-process} runs). */
    public static void main(String[] args) {
        Cli.exit(MemoryBench::run, args);
    }

    /** The {@code memory} subcommand; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Cli.Parsed<Options> parsed = Cli.parse(args, Options::parse, opts -> opts.help, MemoryBench::usage, out, err);
        if (parsed.options() == null) {
            return parsed.status();
        }
        Options o = parsed.options();
        if (!o.inProcess && System.getProperty(CHILD_PROPERTY) == null
                && System.getProperty("jol.magicFieldOffset") == null) {
            try {
                if (out == System.out) {
                    return ChildJvm.run(MemoryBench.class.getName(), o.heap, List.of(args), null);
                }
                List<String> lines = new ArrayList<>();
                int rc = ChildJvm.run(MemoryBench.class.getName(), o.heap, List.of(args), lines);
                lines.forEach(out::println);
                return rc;
            } catch (Exception e) {
                err.println("memory: could not start the child JVM: " + e);
                return 1;
            }
        }
        err.println("memory: " + describeVm());
        Result r = measure(o, err);
        if (o.csv) {
            printCsv(r, out);
        } else {
            printMarkdown(r, out);
        }
        return 0;
    }

    static void usage(PrintStream out) {
        out.println("usage: memory [--csv] [--n N] [--sweep N,N,...|none] [--only name,...] [--graph-layout] [--in-process] [--heap 4g]");
        out.println("  structure bytes per entry with JOL: n Long keys, value = the key itself;");
        out.println("  key/value objects are subtracted. Structures: " + String.join(", ", STRUCTURES));
    }

    public static String describeVm() {
        return "JDK " + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.name") + "), "
                + "max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB";
    }

    /** Everything one run measures. */
    public record Result(List<Row> structures, List<Row> sweep, String vmDetails) {
    }

    static final List<String> STRUCTURES = List.of(
            "DashTable", "DashCache", "LinkedLruCache", "ArenaLruCache", "SampledLruCache",
            "HashMap", "LinkedHashMap", "fastutil Object2ObjectOpenHashMap", "Caffeine");

    public static Result measure(Options o, PrintStream log) {
        String vmDetails = VM.current().details();
        long maxN = o.n;
        for (long s : o.sweep) {
            maxN = Math.max(maxN, s);
        }
        Long[] keys = keys((int) maxN, 0xDA5A4L);
        int n = (int) o.n;
        List<Row> rows = new ArrayList<>();
        for (String name : STRUCTURES) {
            if (!o.only.isEmpty() && o.only.stream().noneMatch(x -> name.toLowerCase(Locale.ROOT).contains(x))) {
                continue;
            }
            long t0 = System.nanoTime();
            Row row = measureOne(name, keys, n);
            rows.add(row);
            log.printf(Locale.ROOT, "memory: %-34s %,d entries  %.2f B/entry  (%.1f s)%n", name, row.entries(),
                    row.bytesPerEntry(), (System.nanoTime() - t0) / 1e9);
        }
        List<Row> sweep = new ArrayList<>();
        if (o.sweep.length > 0) {
            // one table grown through the sorted sizes, measured at each
            long[] sizes = o.sweep.clone();
            java.util.Arrays.sort(sizes);
            DashTable<Long, Long> t = new DashTable<>();
            int filled = 0;
            for (long s : sizes) {
                long t0 = System.nanoTime();
                for (; filled < s; filled++) {
                    t.put(keys[filled], keys[filled]);
                }
                Row row = dashTableRow(t, keys, filled);
                sweep.add(row);
                log.printf(Locale.ROOT, "memory: DashTable sweep %,d entries  %.2f B/entry  load %.3f  (%.1f s)%n",
                        row.entries(), row.bytesPerEntry(), row.loadFactor(), (System.nanoTime() - t0) / 1e9);
            }
        }
        return new Result(rows, sweep, vmDetails);
    }

    /** Distinct random Long keys (never small enough to be Long.valueOf-cached instances). */
    static Long[] keys(int n, long seed) {
        return io.dash4j.bench.BoxedKeys.distinct(n, new SplittableRandom(seed),
                new it.unimi.dsi.fastutil.longs.LongOpenHashSet(n));
    }

    static Row measureOne(String name, Long[] keys, int n) {
        switch (name) {
            case "DashTable":
                return measureDashTable(keys, n);
            case "DashCache": {
                DashCache<Long, Long> c = DashCache.<Long, Long>builder().maximumSize(n).buildSingleOwner();
                for (int i = 0; i < n; i++) {
                    c.put(keys[i], keys[i]);
                }
                return row(name, c, c.size(), keys, n, k -> c.getIfPresent(k) != null,
                        c.table().loadFactor(), "maximumSize " + n + ", " + c.table().segmentCount() + " segments of "
                                + c.table().layout().capacity() + " slots");
            }
            case "LinkedLruCache": {
                LinkedLruCache<Long, Long> c = new LinkedLruCache<>(n);
                fill(c, keys, n);
                return row(name, c, c.size(), keys, n, k -> c.getIfPresent(k) != null, Double.NaN, "maximumSize " + n);
            }
            case "ArenaLruCache": {
                ArenaLruCache<Long, Long> c = new ArenaLruCache<>(n);
                fill(c, keys, n);
                return row(name, c, c.size(), keys, n, k -> c.getIfPresent(k) != null, Double.NaN, "maximumSize " + n);
            }
            case "SampledLruCache": {
                SampledLruCache<Long, Long> c = new SampledLruCache<>(n);
                fill(c, keys, n);
                return row(name, c, c.size(), keys, n, k -> c.getIfPresent(k) != null, Double.NaN, "maximumSize " + n);
            }
            case "HashMap": {
                HashMap<Long, Long> m = new HashMap<>();
                fillMap(m, keys, n);
                return row(name, m, m.size(), keys, n, m::containsKey, Double.NaN, "default capacity, load 0.75");
            }
            case "LinkedHashMap": {
                LinkedHashMap<Long, Long> m = new LinkedHashMap<>(16, 0.75f, true);
                fillMap(m, keys, n);
                return row(name, m, m.size(), keys, n, m::containsKey, Double.NaN, "access order, default capacity");
            }
            case "fastutil Object2ObjectOpenHashMap": {
                Object2ObjectOpenHashMap<Long, Long> m = new Object2ObjectOpenHashMap<>();
                fillMap(m, keys, n);
                return row(name, m, m.size(), keys, n, m::containsKey, Double.NaN, "default capacity, load 0.75");
            }
            case "Caffeine": {
                com.github.benmanes.caffeine.cache.Cache<Long, Long> c = Caffeine.newBuilder()
                        .maximumSize(n).executor(Runnable::run).build();
                for (int i = 0; i < n; i++) {
                    c.put(keys[i], keys[i]);
                }
                c.cleanUp();
                return row(name, c, c.estimatedSize(), keys, n, k -> c.getIfPresent(k) != null, Double.NaN,
                        "maximumSize " + n + ", executor(Runnable::run), after cleanUp()");
            }
            default:
                throw new IllegalArgumentException(name);
        }
    }

    static Row measureDashTable(Long[] keys, int n) {
        DashTable<Long, Long> t = new DashTable<>();
        for (int i = 0; i < n; i++) {
            t.put(keys[i], keys[i]);
        }
        return dashTableRow(t, keys, n);
    }

    private static Row dashTableRow(DashTable<Long, Long> t, Long[] keys, int n) {
        return row("DashTable", t, t.size(), keys, n, k -> t.get(k) != null, t.loadFactor(),
                t.segmentCount() + " segments, global depth " + t.globalDepth());
    }

    private static void fill(io.dash4j.eviction.Cache<Long, Long> c, Long[] keys, int n) {
        for (int i = 0; i < n; i++) {
            c.put(keys[i], keys[i]);
        }
    }

    private static void fillMap(java.util.Map<Long, Long> m, Long[] keys, int n) {
        for (int i = 0; i < n; i++) {
            m.put(keys[i], keys[i]);
        }
    }

    /**
     * Measures {@code structure}: its whole graph, minus the key objects of {@code keys[0..n)} it
     * still holds (found with {@code present}, asked after the graph was measured).
     */
    private static Row row(String name, Object structure, long entries, Long[] keys, int n,
                           Predicate<Long> present, double loadFactor, String note) {
        System.gc();
        long total = footprint(structure);
        List<Long> held = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (present.test(keys[i])) {
                held.add(keys[i]);
            }
        }
        if (held.size() != entries) {
            note = note + "; " + held.size() + " of the keys found, size() says " + entries;
        }
        long keyBytes = held.isEmpty() ? 0 : footprint(held.toArray());
        return new Row(name, entries, total, keyBytes, loadFactor, note);
    }

    /**
     * Total bytes of every object reachable from {@code roots}. By default JOL's {@link GraphStats}
     * walker (the same walk and sizes as {@link GraphLayout}, without keeping a record per object,
     * which makes it many times faster on the node-per-entry maps); {@code -Ddash4j.memory.graphLayout=true}
     * (or {@code --graph-layout}) uses {@code GraphLayout.parseInstance(roots).totalSize()}.
     */
    static long footprint(Object... roots) {
        if (Boolean.getBoolean("dash4j.memory.graphLayout")) {
            return GraphLayout.parseInstance(roots).totalSize();
        }
        return GraphStats.parseInstance(roots).totalSize();
    }

    // ------------------------------------------------------------------ output

    public static void printMarkdown(Result r, PrintStream out) {
        out.println("| structure | entries | graph bytes | key+value bytes | structure bytes | B/entry | load factor | notes |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        for (Row row : r.structures()) {
            out.println(markdownRow(row));
        }
        if (!r.sweep().isEmpty()) {
            out.println();
            out.println("DashTable across sizes (extendible hashing: the load factor saws with size)");
            out.println();
            out.println("| structure | entries | graph bytes | key+value bytes | structure bytes | B/entry | load factor | notes |");
            out.println("|---|---:|---:|---:|---:|---:|---:|---|");
            for (Row row : r.sweep()) {
                out.println(markdownRow(row));
            }
        }
    }

    static String markdownRow(Row row) {
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %.2f | %s | %s |", row.structure(),
                row.entries(), row.totalBytes(), row.keyValueBytes(), row.structureBytes(), row.bytesPerEntry(),
                Double.isNaN(row.loadFactor()) ? "" : String.format(Locale.ROOT, "%.3f", row.loadFactor()), row.note());
    }

    public static final String CSV_HEADER = "kind,structure,entries,graph_bytes,key_value_bytes,structure_bytes,bytes_per_entry,load_factor,note";

    public static void printCsv(Result r, PrintStream out) {
        out.println(CSV_HEADER);
        for (Row row : r.structures()) {
            out.println(csvRow("structure", row));
        }
        for (Row row : r.sweep()) {
            out.println(csvRow("sweep", row));
        }
    }

    static String csvRow(String kind, Row row) {
        return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%.4f,%s,\"%s\"", kind, row.structure(), row.entries(),
                row.totalBytes(), row.keyValueBytes(), row.structureBytes(), row.bytesPerEntry(),
                Double.isNaN(row.loadFactor()) ? "" : String.format(Locale.ROOT, "%.4f", row.loadFactor()),
                row.note().replace('"', '\''));
    }

    /** Parses the CSV that {@link #printCsv} writes (the report reads the child JVM's output). */
    public static Result parseCsv(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        List<Row> sweep = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("kind,")) {
                continue;
            }
            int q = line.indexOf(",\"");
            String note = q < 0 ? "" : line.substring(q + 2, line.length() - 1);
            String[] f = (q < 0 ? line : line.substring(0, q)).split(",", -1);
            if (f.length < 8) {
                continue;
            }
            Row row = new Row(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    f[7].isEmpty() ? Double.NaN : Double.parseDouble(f[7]), note);
            (f[0].equals("sweep") ? sweep : rows).add(row);
        }
        return new Result(rows, sweep, "");
    }

    // ------------------------------------------------------------------ options

    public static final class Options {
        long n = 1_000_000;
        long[] sweep = DEFAULT_SWEEP;
        List<String> only = new ArrayList<>();
        boolean csv;
        boolean inProcess;
        boolean help;
        String heap = "4g";

        public static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--csv" -> o.csv = true;
                    case "--in-process" -> o.inProcess = true;
                    case "--graph-layout" -> System.setProperty("dash4j.memory.graphLayout", "true");
                    case "-h", "--help" -> o.help = true;
                    case "--n" -> o.n = parseCount(args[++i]);
                    case "--heap" -> o.heap = args[++i];
                    case "--sweep" -> {
                        String v = args[++i];
                        if (v.equals("none")) {
                            o.sweep = new long[0];
                        } else {
                            String[] parts = v.split(",");
                            o.sweep = new long[parts.length];
                            for (int j = 0; j < parts.length; j++) {
                                o.sweep[j] = parseCount(parts[j]);
                            }
                        }
                    }
                    case "--only" -> {
                        for (String s : args[++i].split(",")) {
                            o.only.add(s.toLowerCase(Locale.ROOT));
                        }
                    }
                    default -> throw new IllegalArgumentException("memory: unknown option " + a);
                }
            }
            return o;
        }

        static long parseCount(String s) {
            s = s.trim().toLowerCase(Locale.ROOT).replace("_", "");
            double mult = 1;
            if (s.endsWith("m")) {
                mult = 1e6;
                s = s.substring(0, s.length() - 1);
            } else if (s.endsWith("k")) {
                mult = 1e3;
                s = s.substring(0, s.length() - 1);
            }
            return Math.round(Double.parseDouble(s) * mult);
        }
    }
}
