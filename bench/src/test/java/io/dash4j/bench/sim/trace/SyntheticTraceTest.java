package io.dash4j.bench.sim.trace;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticTraceTest {

    private static long[] keys(String spec, long seed) throws IOException {
        SyntheticTrace t = SyntheticTrace.parse(spec, seed);
        long[] k = TraceReadersTest.readAll(t.open(), 1000);
        assertEquals(t.knownLength(), k.length, spec + ": announced length");
        return k;
    }

    @Test
    void everyKindIsDeterministicAndHasItsCount() throws IOException {
        for (String spec : new String[] {"zipf:0.8:1000:20000", "uniform:500:12345", "scan:1.1:1000:30000:300:2000",
                "loop:7:100", "shift:1000:20000:50:4", "zipf", "scan"}) {
            long[] a = keys(spec, 1);
            long[] b = keys(spec, 1);
            assertArrayEquals(a, b, spec + ": same seed, same trace");
            // twice from the same TraceSource, too
            SyntheticTrace t = SyntheticTrace.parse(spec, 1);
            assertArrayEquals(TraceReadersTest.readAll(t.open(), 64), TraceReadersTest.readAll(t.open(), 999));
            if (!spec.startsWith("loop")) {
                assertFalse(java.util.Arrays.equals(a, keys(spec, 2)), spec + ": another seed, another trace");
            }
        }
        assertEquals(12345, keys("uniform:500:12345", 3).length);
        assertEquals(0, keys("zipf:1:10:0", 3).length);
    }

    @Test
    void defaultsFillMissingParameters() {
        assertEquals("scan:0.9:100000:1000000:20000:100000", SyntheticTrace.parse("scan", 0).canonical());
        assertEquals("scan:0.7:100000:1000000:20000:100000", SyntheticTrace.parse("scan:0.7", 0).canonical());
        assertEquals("scan:0.9:5000:1000000:20000:100000", SyntheticTrace.parse("scan::5000", 0).canonical());
        assertEquals("zipf:1:1000:2000000", SyntheticTrace.parse("zipf:1.0:1_000:2e6", 0).canonical());
        assertEquals("shift:100000:1000000:5000:10", SyntheticTrace.parse("shift", 0).canonical());
        assertEquals("loop:100000:1000000", SyntheticTrace.parse("loop", 0).canonical());
        assertEquals("uniform:100000:1000000", SyntheticTrace.parse("uniform", 0).canonical());
        assertEquals("zipf:0.8:10:20", SyntheticTrace.parse("zipf:0.8:10:20", 0).name());
    }

    @Test
    void badSpecsAreRejected() {
        for (String spec : new String[] {"zipf:-1", "zipf:x", "uniform:0", "loop:10:-5", "zipf:1:10:10:5",
                "shift:10:100:11:2", "scan:1:10:100:5:0", "zipfy"}) {
            assertThrows(IllegalArgumentException.class, () -> SyntheticTrace.parse(spec, 0), spec);
        }
        assertTrue(SyntheticTrace.isSpec("zipf"));
        assertTrue(SyntheticTrace.isSpec("shift:1:2:1:1"));
        assertFalse(SyntheticTrace.isSpec("zipfian.txt"));
        assertFalse(SyntheticTrace.isSpec("/tmp/scan"));
    }

    @Test
    void loopCycles() throws IOException {
        assertArrayEquals(new long[] {0, 1, 2, 0, 1, 2, 0}, keys("loop:3:7", 9));
    }

    @Test
    void uniformStaysInRange() throws IOException {
        Set<Long> seen = new HashSet<>();
        for (long k : keys("uniform:100:50000", 5)) {
            assertTrue(k >= 0 && k < 100);
            seen.add(k);
        }
        assertEquals(100, seen.size());
    }

    @Test
    void scanInsertsOnePassOverNewKeysEveryPeriod() throws IOException {
        long keys = 1000;
        long[] t = keys("scan:0.9:1000:10000:300:2000", 4);
        Set<Long> scanned = new HashSet<>();
        for (int i = 0; i < t.length; i++) {
            int r = i % 2300;
            if (r < 2000) {
                assertTrue(t[i] >= 0 && t[i] < keys, "zipf part at " + i);
            } else {
                assertTrue(t[i] >= keys, "scan part at " + i);
                assertTrue(scanned.add(t[i]), "a scanned key is never seen again");
                if (r > 2000) {
                    assertEquals(t[i - 1] + 1, t[i], "a scan is consecutive");
                }
            }
        }
        // 10000 = 4 full cycles of 2300, then 800 zipf requests
        assertEquals(4 * 300, scanned.size());
    }

    @Test
    void shiftMovesTheHotSet() throws IOException {
        long[] t = keys("shift:1000:40000:50:4", 8);
        for (int phase = 0; phase < 4; phase++) {
            long start = phase * 50L;
            int inHot = 0;
            for (int i = phase * 10_000; i < (phase + 1) * 10_000; i++) {
                assertTrue(t[i] >= 0 && t[i] < 1000);
                if (t[i] >= start && t[i] < start + 50) {
                    inHot++;
                }
            }
            // 90% aimed at the hot set, plus the 5% of the uniform rest that lands there
            double share = inHot / 10_000.0;
            assertTrue(share > 0.88 && share < 0.93, "phase " + phase + " hot share " + share);
        }
    }

    @Test
    void shiftWrapsAroundTheKeySpace() throws IOException {
        // 3 phases of hot 40 over 100 keys: the last hot set is 80..119 mod 100
        long[] t = keys("shift:100:30000:40:3", 2);
        int wrapped = 0;
        for (int i = 20_000; i < 30_000; i++) {
            if (t[i] < 20) {
                wrapped++;
            }
        }
        assertTrue(wrapped > 4_000, "keys 0..19 are hot in the last phase: " + wrapped);
    }

    @Test
    void zipfFollowsItsLaw() {
        for (double s : new double[] {0.0, 0.5, 0.99, 1.0, 1.01, 1.5, 3.0}) {
            int n = 20;
            ZipfSampler z = new ZipfSampler(n, s);
            SplittableRandom r = new SplittableRandom(11);
            int draws = 400_000;
            long[] counts = new long[n + 1];
            for (int i = 0; i < draws; i++) {
                long k = z.sample(r);
                assertTrue(k >= 1 && k <= n);
                counts[(int) k]++;
            }
            double norm = 0;
            for (int k = 1; k <= n; k++) {
                norm += Math.pow(k, -s);
            }
            double chi2 = 0;
            for (int k = 1; k <= n; k++) {
                double expected = draws * Math.pow(k, -s) / norm;
                chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
            }
            // 19 degrees of freedom: the 99.9th percentile is 43.8
            assertTrue(chi2 < 43.8, "s=" + s + " chi2=" + chi2);
        }
    }

    @Test
    void zipfHandlesHugeKeySpaces() {
        ZipfSampler z = new ZipfSampler(1L << 40, 0.9);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            long k = z.sample(r);
            assertTrue(k >= 1 && k <= 1L << 40);
        }
    }
}
