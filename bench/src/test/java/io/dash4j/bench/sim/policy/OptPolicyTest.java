package io.dash4j.bench.sim.policy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.dash4j.bench.sim.policy.PolicyTestSupport.hits;
import static io.dash4j.bench.sim.policy.PolicyTestSupport.pattern;
import static io.dash4j.bench.sim.policy.PolicyTestSupport.randomTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptPolicyTest {

    @Test
    void evictsTheKeyNeededFurthestAhead() {
        // 3 evicts 2 (needed at t4, after 1 at t3); 2 then evicts 1 (never needed again)
        assertEquals("...H.H", pattern(new OptPolicy(2), 1, 2, 3, 1, 2, 3));
    }

    @Test
    void textbookBeladyString() {
        long[] t = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
        // Silberschatz: the optimal algorithm with 3 frames has 9 faults on this string
        assertEquals(11, hits(new OptPolicy(3), t));
    }

    @Test
    void matchesANaiveBeladyAndBeatsTheOnlinePolicies() {
        for (int c : new int[] {1, 2, 3, 8, 50}) {
            for (long seed = 1; seed <= 3; seed++) {
                long[] trace = randomTrace(seed * 1000 + c, 4_000, 4 * c + 9);
                long opt = hits(new OptPolicy(c), trace);
                assertEquals(naiveBelady(trace, c), opt, "c=" + c + " seed=" + seed);
                assertTrue(opt >= hits(new LruPolicy(c), trace));
                assertTrue(opt >= hits(new ArcPolicy(c), trace));
                assertTrue(opt >= hits(new TwoQueuePolicy(c), trace));
            }
        }
    }

    @Test
    void occupancyCountsKeysWithAndWithoutAFuture() {
        OptPolicy opt = new OptPolicy(3);
        pattern(opt, 1, 2, 3, 4, 1);
        assertEquals(3, opt.occupancy());
    }

    @Test
    void needsTheTraceFirst() {
        assertThrows(IllegalStateException.class, () -> new OptPolicy(2).access(1));
        OptPolicy opt = new OptPolicy(2);
        opt.prepare(NextUse.of(new long[] {5}, 1));
        opt.access(5);
        assertThrows(IllegalStateException.class, () -> opt.access(5));
    }

    /** Belady by brute force: scan forward for each resident key's next use. */
    private static long naiveBelady(long[] trace, int c) {
        List<Long> cache = new ArrayList<>();
        long h = 0;
        for (int t = 0; t < trace.length; t++) {
            long k = trace[t];
            if (cache.contains(k)) {
                h++;
                continue;
            }
            if (cache.size() == c) {
                int victim = 0;
                int furthest = -1;
                for (int i = 0; i < cache.size(); i++) {
                    int next = Integer.MAX_VALUE;
                    for (int u = t + 1; u < trace.length; u++) {
                        if (trace[u] == cache.get(i)) {
                            next = u;
                            break;
                        }
                    }
                    if (next > furthest) {
                        furthest = next;
                        victim = i;
                    }
                }
                cache.remove(victim);
            }
            cache.add(k);
        }
        return h;
    }
}
