package io.dash4j.bench.sim;

import io.dash4j.bench.BenchMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimCommandTest {

    private static final Pattern ROW =
            Pattern.compile("[^,]+,[a-z0-9-]+,[0-9]+,[0-9]+,[0-9]+,[0-9]+\\.[0-9]{2}");

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = BenchMain.run(args, o, e);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsTheHeaderAndOneRowPerTracePolicyAndSize() {
        Result r = run("sim", "--trace", "zipf:0.9:2000:20000", "--trace", "loop:300:5000",
                "--policies", "lru,arc,2q,caffeine,opt", "--sizes", "100,250,1000");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.lines();
        assertEquals(SimCommand.HEADER, lines.get(0));
        assertEquals("trace,policy,size,requests,hits,hit_ratio", lines.get(0));
        assertEquals(1 + 2 * 5 * 3, lines.size(), r.out());
        assertTrue(r.out().endsWith("\n"));
        String[] policies = {"lru", "arc", "2q", "caffeine", "opt"};
        String[] sizes = {"100", "250", "1000"};
        int i = 1;
        for (String trace : new String[] {"zipf:0.9:2000:20000", "loop:300:5000"}) {
            for (String policy : policies) {
                for (String size : sizes) {
                    String line = lines.get(i++);
                    assertTrue(ROW.matcher(line).matches(), line);
                    String[] f = line.split(",");
                    assertEquals(trace, f[0]);
                    assertEquals(policy, f[1]);
                    assertEquals(size, f[2]);
                    long requests = Long.parseLong(f[3]);
                    long hits = Long.parseLong(f[4]);
                    assertEquals(trace.startsWith("zipf") ? 20_000 : 5_000, requests);
                    assertTrue(hits >= 0 && hits <= requests);
                    assertEquals(String.format(java.util.Locale.ROOT, "%.2f", 100.0 * hits / requests), f[5]);
                }
            }
        }
        // a loop over 300 keys: LRU below 300 never hits, at 1000 everything after the first pass hits
        assertTrue(r.out().contains("loop:300:5000,lru,250,5000,0,0.00\n"), r.out());
        assertTrue(r.out().contains("loop:300:5000,lru,1000,5000,4700,94.00\n"), r.out());
        assertTrue(r.out().contains("loop:300:5000,opt,1000,5000,4700,94.00\n"), r.out());
        assertTrue(r.err().contains("zipf:0.9:2000:20000"), "diagnostics go to stderr");
    }

    @Test
    void readsAFileAndNamesItByItsBaseName() throws Exception {
        Path trace = dir.resolve("tiny.lis");
        Files.writeString(trace, "1 3 0 0\n1 3 0 1\n");
        Result r = run("sim", "--trace", trace.toString(), "--format", "arc", "--policies", "lru", "--sizes", "2,3");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(SimCommand.HEADER, "tiny.lis,lru,2,6,0,0.00", "tiny.lis,lru,3,6,3,50.00"), r.lines());

        Path plain = dir.resolve("keys.txt");
        Files.writeString(plain, "a\nb\na\nc\na\n");
        r = run("sim", "--trace=" + plain, "--policies=lru", "--sizes=1,2");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(SimCommand.HEADER, "keys.txt,lru,1,5,0,0.00", "keys.txt,lru,2,5,2,40.00"), r.lines());
    }

    @Test
    void usageErrorsPrintNothingOnStdout() {
        String[][] bad = {
                {"sim", "--trace", "zipf", "--sizes", "10", "--policies", "nope"},
                {"sim", "--trace", "zipf", "--sizes", "10", "--policies", "dash-default:colour=red"},
                {"sim", "--trace", "zipf", "--sizes", "10", "--policies", "dash-nonesuch:stash=4"},
                {"sim", "--trace", "zipf", "--sizes", "0"},
                {"sim", "--trace", "zipf"},
                {"sim", "--sizes", "10"},
                {"sim", "--trace", dir.resolve("missing.lis").toString(), "--sizes", "10"},
                {"sim", "--trace", "zipf:-2", "--sizes", "10"},
                {"sim", "--trace", "zipf", "--sizes", "10", "--bogus"},
                {"frobnicate"},
                {},
        };
        for (String[] args : bad) {
            Result r = run(args);
            assertEquals(2, r.status(), String.join(" ", args));
            assertEquals("", r.out(), String.join(" ", args));
            assertTrue(!r.err().isEmpty());
        }
        Result r = run("sim", "--trace", "zipf", "--sizes", "10", "--policies", "nope");
        assertTrue(r.err().contains("unknown policy 'nope'") && r.err().contains("caffeine"), r.err());
    }

    @Test
    void aSlotPolicySpecRunsBesideItsPreset() {
        Result r = run("sim", "--trace", "zipf:0.9:2000:20000", "--policies",
                "dash-front-ghost-s8-mid,dash-front-ghost-s8-mid:mid=13:ghostmid=6", "--sizes", "200");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.lines();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(1).startsWith("zipf:0.9:2000:20000,dash-front-ghost-s8-mid,200,20000,"), r.out());
        assertTrue(lines.get(2).startsWith("zipf:0.9:2000:20000,dash-front-ghost-s8-mid:mid=13:ghostmid=6,200,20000,"), r.out());
        assertTrue(!lines.get(1).split(",")[4].equals(lines.get(2).split(",")[4]), "a different policy: " + r.out());
    }

    @Test
    void helpListsThePolicies() {
        Result r = run("sim", "--help");
        assertEquals(0, r.status());
        for (String p : new String[] {"lru", "arc", "2q", "caffeine", "opt", "arena-lru", "sampled-lru", "linked-lru"}) {
            assertTrue(r.out().contains("    " + p + " "), p);
        }
    }

    @Test
    void commaSeparatedTracesAndDefaults() {
        Result r = run("sim", "--trace", "loop:10:100,uniform:10:100", "--sizes", "5");
        assertEquals(0, r.status(), r.err());
        // default policies lru,arc,2q,caffeine,opt
        assertEquals(1 + 2 * 5, r.lines().size(), r.out());
    }

    @Test
    void theSeedChangesSyntheticTracesOnly() {
        String a = run("sim", "--trace", "zipf:0.8:5000:20000", "--policies", "lru", "--sizes", "500").out();
        String b = run("sim", "--trace", "zipf:0.8:5000:20000", "--policies", "lru", "--sizes", "500", "--seed", "42").out();
        String c = run("sim", "--trace", "zipf:0.8:5000:20000", "--policies", "lru", "--sizes", "500", "--seed", "7").out();
        assertEquals(a, b, "the default seed is 42");
        assertTrue(!a.equals(c));
    }

    @Test
    void writesTheOccupancyCsv() throws Exception {
        Path occ = dir.resolve("occ.csv");
        Result r = run("sim", "--trace", "zipf:0.9:3000:20000", "--policies", "lru,opt", "--sizes", "100,5000",
                "--occupancy-csv", occ.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(occ);
        assertEquals(SimCommand.OCCUPANCY_HEADER, lines.get(0));
        assertEquals(5, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals(9, f.length, line);
            assertEquals(f[5], f[6], "exact policies hold min(size, misses): " + line);
            assertEquals("false", f[8], line);
        }
        assertTrue(lines.get(1).startsWith("zipf:0.9:3000:20000,lru,100,20000,"));
        assertTrue(!r.err().contains("note:"), r.err());
    }
}
