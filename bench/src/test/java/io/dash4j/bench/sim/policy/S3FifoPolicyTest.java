package io.dash4j.bench.sim.policy;

import org.junit.jupiter.api.Test;

import static io.dash4j.bench.sim.policy.PolicyTestSupport.pattern;
import static io.dash4j.bench.sim.policy.PolicyTestSupport.randomTrace;
import static io.dash4j.bench.sim.policy.S3FifoPolicy.GHOST;
import static io.dash4j.bench.sim.policy.S3FifoPolicy.MAIN;
import static io.dash4j.bench.sim.policy.S3FifoPolicy.SMALL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3FifoPolicyTest {

    /**
     * Capacity 4 with S = 1, M = 3, G = 2, promotion after 2 hits; worked by hand (queues head
     * first, a key's hit count after it when non-zero):
     * <pre>
     * 1 2 3 4     S [4 3 2 1] (S may overfill while M is empty)
     * 5           M not over 3: evict from S; 1 (0 hits) -> G [1]            S [5 4 3 2]
     * 1           ghost: a miss into M; S's tail 2 -> G [2]                  M [1] S [5 4 3]
     * 3 3         hits: 3:2
     * 6           S's tail 3:2 moves to M (count 0), then 4 -> G [4 2]       M [3 1] S [6 5]
     * 1           hit, 1:1
     * 4           ghost: into M; S's tail 5 -> G [5 2]                       M [4 3 1:1] S [6]
     * 2           ghost: into M; 6 -> G [6 5]                                M [2 4 3 1:1] S []
     * 8           M over 3: 1:1 goes round as 1:0, 3 leaves (no ghost)       M [1 2 4] S [8]
     * 3           forgotten: into S; 8 -> G [8 6]                            S [3]
     * 1 4         hits
     * 6           ghost: into M; 3 -> G [3 8]                                M [6 1 2 4] S []
     * </pre>
     */
    @Test
    void followsThePaperByHand() {
        S3FifoPolicy p = new S3FifoPolicy(4, 0.25, 0.5, 2);
        assertEquals("......HH.H....HH.", pattern(p, 1, 2, 3, 4, 5, 1, 3, 3, 6, 1, 4, 2, 8, 3, 1, 4, 6));
        assertEquals(0, p.size(SMALL));
        assertEquals(4, p.size(MAIN));
        assertEquals(2, p.size(GHOST));
        assertFalse(p.access(8), "a ghost hit is still a miss");
        assertEquals(4, p.size(MAIN), "8 entered M (M over its share evicted one)");
        assertTrue(p.access(6));
    }

    @Test
    void oneHitInSmallIsNotEnoughToPromote() {
        S3FifoPolicy p = new S3FifoPolicy(4, 0.25, 0.5, 2);
        // 1 is hit once in S, then pushed out by four new keys: it leaves for the ghost queue
        assertEquals(".H....", pattern(p, 1, 1, 2, 3, 4, 5));
        assertEquals(0, p.size(MAIN));
        assertEquals(1, p.size(GHOST));
    }

    @Test
    void theGhostHoldsALoopOneLongerThanTheCache() {
        // LRU and FIFO never hit here; S3-FIFO's ghost sends the returning keys to M, which then
        // holds nearly all of them (the 10 % S keeps churning)
        int n = 1000;
        S3FifoPolicy p = new S3FifoPolicy(n);
        for (int round = 0; round < 40; round++) {
            long hits = 0;
            for (long k = 0; k <= n; k++) {
                if (p.access(k)) {
                    hits++;
                }
            }
            if (round == 0) {
                assertEquals(0, hits);
            } else if (round >= 2) {
                assertTrue(hits >= 0.89 * n, "round " + round + ": " + hits);
            }
        }
    }

    @Test
    void keepsItsBounds() {
        for (int c : new int[] {1, 2, 3, 10, 100}) {
            S3FifoPolicy p = new S3FifoPolicy(c);
            for (long k : randomTrace(c, 20_000, 6 * c + 5)) {
                p.access(k);
                assertTrue(p.occupancy() <= c);
                assertTrue(p.size(GHOST) <= (int) (c * 0.9));
            }
            assertEquals(c, p.occupancy());
        }
    }
}
