package io.dash4j.bench.sim.policy;

import org.junit.jupiter.api.Test;

import static io.dash4j.bench.sim.policy.PolicyTestSupport.pattern;
import static io.dash4j.bench.sim.policy.PolicyTestSupport.randomTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LirsPolicyTest {

    /**
     * Capacity 4: 3 LIR, 1 resident HIR, at most 4 non-resident (NR). Worked by hand (S top first,
     * L = LIR, H = resident HIR, N = non-resident):
     * <pre>
     * 1 2 3       warm-up, all LIR                      S [3L 2L 1L]
     * 4           HIR                                   S [4H 3L 2L 1L]  Q [4]
     * 5           Q's 4 leaves, stays in S as N          S [5H 4N 3L 2L 1L]  Q [5]
     * 4           N in S: a miss, 5 leaves (N); 4 becomes LIR, bottom 1L becomes H
     *                                                   S [4L 5N 3L 2L]  Q [1]
     * 1           hit on H not in S: stays H            S [1H 4L 5N 3L 2L]  Q [1]
     * 2           hit on the bottom LIR: prune (3L is bottom already)   S [2L 1H 4L 5N 3L]
     * 1           hit on H in S: LIR; bottom 3L -> H; pruning drops 5N (forgotten)
     *                                                   S [1L 2L 4L]  Q [3]
     * 5           forgotten: a plain miss, 3 leaves (not in S: forgotten)   S [5H 1L 2L 4L]  Q [5]
     * 3           plain miss, 5 leaves (N)              S [3H 5N 1L 2L 4L]  Q [3]
     * 5           N in S: 3 leaves (N), 5 becomes LIR, 4L -> H   S [5L 3N 1L 2L]  Q [4]
     * </pre>
     */
    @Test
    void followsThePaperByHand() {
        LirsPolicy p = new LirsPolicy(4, 0.25, 1.0);
        assertEquals("......HHH...", pattern(p, 1, 2, 3, 4, 5, 4, 1, 2, 1, 5, 3, 5));
        assertEquals(3, p.lirCount());
        assertEquals(1, p.hirResidentCount());
        assertEquals(1, p.nonResidentCount());
        assertTrue(p.access(4), "4 is the resident HIR");
        assertFalse(p.access(3), "3 is only remembered");
    }

    @Test
    void aLoopOneLongerThanTheCacheKeepsTheLirSet() {
        // LRU never hits here; LIRS holds its LIR set (99 % of the entries) and cycles the rest
        // through the 1 % HIR queue: exactly maxLir hits a round after the first
        for (int n : new int[] {100, 1000}) {
            LirsPolicy p = new LirsPolicy(n);
            int lir = (int) (n * 0.99);
            for (int round = 0; round < 30; round++) {
                long hits = 0;
                for (long k = 0; k <= n; k++) {
                    if (p.access(k)) {
                        hits++;
                    }
                }
                assertEquals(round == 0 ? 0 : lir, hits, "n " + n + ", round " + round);
            }
        }
    }

    @Test
    void keepsItsBounds() {
        for (int c : new int[] {2, 3, 10, 100, 1000}) {
            LirsPolicy p = new LirsPolicy(c);
            for (long k : randomTrace(c, 30_000, 6 * c + 5)) {
                p.access(k);
                assertTrue(p.occupancy() <= c);
                assertTrue(p.lirCount() <= Math.max(1, (int) (c * 0.99)));
                assertTrue(p.nonResidentCount() <= 2 * c);
                assertEquals(p.occupancy(), p.lirCount() + p.hirResidentCount());
            }
            assertEquals(c, p.occupancy());
        }
    }
}
