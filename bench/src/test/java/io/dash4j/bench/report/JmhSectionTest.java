package io.dash4j.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMH section of results.md: rendering from a JMH JSON file, and replacing only that section. */
class JmhSectionTest {

    /** One JMH result row as JMH writes it ({@code -rf json}), with per-fork raw data. */
    private static String row(String bench, String cache, double score, double error, String rawData, double bytesPerOp) {
        return """
                {"jmhVersion":"1.37","benchmark":"io.dash4j.bench.jmh.%s","mode":"thrpt","threads":%d,"forks":3,
                 "jvm":"java","jdkVersion":"17.0.15","vmName":"OpenJDK 64-Bit Server VM","warmupIterations":1,
                 "measurementIterations":2,"measurementTime":"500 ms","params":{"cache":"%s","capacity":"65536"},
                 "primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"ops/s","rawData":%s},
                 "secondaryMetrics":{"gc.alloc.rate.norm":{"score":%s,"scoreError":0,"scoreUnit":"B/op"}}}
                """.formatted(bench, bench.startsWith("CacheBench2T") ? 2 : 1, cache, score, error, rawData, bytesPerOp);
    }

    private static Path results(Path dir) throws Exception {
        Path json = dir.resolve("jmh.json");
        Files.writeString(json, "[" + String.join(",",
                row("CacheBench1T.getHit", "cdash", 10e6, 0.5e6, "[[10e6,10e6],[10.2e6,9.8e6],[9.9e6,10.1e6]]", 0.001),
                row("CacheBench2T.getHit", "cdash", 18e6, 1e6, "[[18e6,18e6],[18e6,18e6],[18e6,18e6]]", 0.002),
                row("CacheBench2T.getHit", "caffeine", 15e6, 3e6, "[[12e6,12e6],[15e6,15e6],[18e6,18e6]]", 0.0),
                row("CacheBench2T.putEvict", "cdash", 4e6, 0.1e6, "[[4e6,4e6],[4e6,4e6],[4e6,4e6]]", 24.0)) + "]");
        JmhSection.writeRunInfo(json, "full", Instant.now(), 0.25, List.of("-f", "3"));
        return json;
    }

    @Test
    void rendersTablesTargetsAndNoise(@TempDir Path dir) throws Exception {
        String md = JmhSection.render(results(dir), dir.resolve("img"));
        assertTrue(md.startsWith(JmhSection.HEADING + "\n"));
        assertTrue(md.contains("profile `full`"), md);
        assertTrue(md.contains("load average 0.25 before"), md);
        assertFalse(md.contains("Smoke-test numbers"), "three forks are not a smoke test");
        // 2T/1T = 1.8 ± 1.8 * hypot(0.05, 0.0556) = 0.13: the interval straddles 1.7
        assertTrue(md.contains("| cdash 2T / cdash 1T, getHit ≥ 1.7 | 1.80 ± 0.13"), md);
        assertTrue(md.contains("within the error of 1.7: undecided"), md);
        assertTrue(md.contains("| 2T: cdash / caffeine, getHit ≥ 1.0 | 1.20 ± 0.25"), md);
        // Caffeine's forks (12 / 15 / 18 M) disagree by 40 %: flagged and listed
        assertTrue(md.contains("15.00 M ± 3.00 M (0 B) †"), md);
        assertTrue(md.contains("forks 12.00 M / 15.00 M / 18.00 M (spread 40 %)"), md);
        assertFalse(md.contains("18.00 M ± 1.00 M (0 B) †"), "agreeing forks are not flagged");
        assertTrue(md.contains("| cdash 2T, putEvict: 0 B/op | 24.000 B/op | **missed** |"), md);
        assertTrue(Files.isRegularFile(dir.resolve("img").resolve("jmh-2t-65536.png")));
    }

    @Test
    void spliceReplacesOnlyTheJmhSection(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("results.md");
        Files.writeString(page, "# Results\n\n## Memory\n\nkeep me\n\n" + JmhSection.HEADING + "\n\nold numbers\n\n## Hit ratio\n\nkeep me too\n");
        Path json = results(dir);
        JmhSection.splice(page, json, dir.resolve("img"));
        String text = Files.readString(page);
        assertFalse(text.contains("old numbers"));
        assertTrue(text.startsWith("# Results\n\n## Memory\n\nkeep me\n\n" + JmhSection.HEADING + "\n"), text);
        assertTrue(text.endsWith("## Hit ratio\n\nkeep me too\n"), text);
        assertEquals(text.indexOf(JmhSection.HEADING), text.lastIndexOf(JmhSection.HEADING), "one JMH section");
        JmhSection.splice(page, json, dir.resolve("img"));
        assertEquals(text, Files.readString(page), "splicing again changes nothing");
    }
}
