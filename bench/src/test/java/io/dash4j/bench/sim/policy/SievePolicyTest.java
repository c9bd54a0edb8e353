package io.dash4j.bench.sim.policy;

import org.junit.jupiter.api.Test;

import static io.dash4j.bench.sim.policy.PolicyTestSupport.pattern;
import static io.dash4j.bench.sim.policy.PolicyTestSupport.randomTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIEVE and CLOCK side by side: the same trace, where only the survivor's move differs. */
class SievePolicyTest {

    /**
     * Capacity 3, worked by hand (queue head first; * = visited / referenced; h = SIEVE's hand):
     * <pre>
     * 1 2 3       [3 2 1]
     * 1           hit, 1*
     * 4           SIEVE: hand at tail 1*, clears it, 2 leaves, h=3      [4 3 1]
     *             CLOCK: 1* goes to the head unmarked, 2 leaves          [4 1 3]
     * 1           hit, 1*
     * 5           SIEVE: 3 leaves, h=4   [5 4 1*]     CLOCK: 3 leaves    [5 4 1*]
     * 3           SIEVE: 4 leaves, h=5   [3 5 1*]     CLOCK: 1* to head, 4 leaves [3 1 5]
     * 1           hit
     * 6           SIEVE: 5 leaves, h=3   [6 3 1*]     CLOCK: 5 leaves    [6 3 1*]
     * 1 3         hits: 1*, 3*
     * 7           SIEVE: h=3* cleared, 6 leaves, h past the head  [7 3 1*]
     *             CLOCK: 1* and 3* go round unmarked, 6 leaves    [7 3 1]
     * 8           SIEVE: h wraps to the tail 1*, clears it, 3 leaves       [8 7 1]
     *             CLOCK: 1 (unmarked since it went round) leaves           [8 7 3]
     * </pre>
     */
    private static final long[] TRACE = {1, 2, 3, 1, 4, 1, 5, 3, 1, 6, 1, 3, 7, 8};

    @Test
    void sieveByHand() {
        SievePolicy s = new SievePolicy(3);
        assertEquals("...H.H..H.HH..", pattern(s, TRACE));
        assertTrue(s.access(1), "SIEVE kept 1 in place, its bit cleared");
        assertTrue(s.access(7));
        assertFalse(s.access(3));
    }

    @Test
    void clockByHand() {
        ClockPolicy c = new ClockPolicy(3);
        assertEquals("...H.H..H.HH..", pattern(c, TRACE));
        assertTrue(c.access(3));
        assertTrue(c.access(7));
        assertFalse(c.access(1), "CLOCK moved 1 to the head unmarked, then evicted it");
    }

    @Test
    void aLoopOneLongerThanTheCacheNeverHits() {
        for (int n : new int[] {1, 10, 1000}) {
            Policy[] both = {new SievePolicy(n), new ClockPolicy(n)};
            for (Policy p : both) {
                for (int round = 0; round < 20; round++) {
                    for (long k = 0; k <= n; k++) {
                        assertFalse(p.access(k), p.getClass().getSimpleName() + " at " + n);
                    }
                }
            }
        }
    }

    @Test
    void keepItsBounds() {
        for (int c : new int[] {1, 2, 3, 10, 100}) {
            Policy[] both = {new SievePolicy(c), new ClockPolicy(c)};
            for (Policy p : both) {
                for (long k : randomTrace(c, 20_000, 6 * c + 5)) {
                    p.access(k);
                    assertTrue(p.occupancy() <= c);
                }
                assertEquals(c, p.occupancy());
            }
        }
    }
}
