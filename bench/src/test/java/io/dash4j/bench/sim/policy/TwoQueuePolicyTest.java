package io.dash4j.bench.sim.policy;

import org.junit.jupiter.api.Test;

import static io.dash4j.bench.sim.policy.PolicyTestSupport.pattern;
import static io.dash4j.bench.sim.policy.PolicyTestSupport.randomTrace;
import static io.dash4j.bench.sim.policy.TwoQueuePolicy.A1IN;
import static io.dash4j.bench.sim.policy.TwoQueuePolicy.A1OUT;
import static io.dash4j.bench.sim.policy.TwoQueuePolicy.AM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoQueuePolicyTest {

    /**
     * Capacity 4, so Kin = 1 and Kout = 2, worked by hand:
     * <pre>
     * 1 2 3 4   misses, A1in=[4,3,2,1]
     * 5         A1in over Kin: 1 -> A1out          A1in=[5,4,3,2] A1out=[1]
     * 1         ghost: miss; 2 -> A1out; 1 -> Am    A1in=[5,4,3] Am=[1] A1out=[2]
     * 6         3 -> A1out                         A1in=[6,5,4] A1out=[3,2]
     * 1 1       hits in Am
     * 2         ghost: miss; 4 -> A1out            A1in=[6,5] Am=[2,1] A1out=[4,3]
     * 5         hit in A1in (not reordered)
     * 7 8 9     each pushes A1in's tail to A1out (5, 6, 7), A1out keeps 2: A1in=[9,8] A1out=[7,6]
     * 6         ghost: miss; 8 -> A1out            A1in=[9] Am=[6,2,1] A1out=[8,7]
     * 10        |A1in| = Kin: Am's tail 1 goes, no ghost   A1in=[10,9] Am=[6,2]
     * 1         a plain miss; 9 -> A1out           A1in=[1,10] Am=[6,2] A1out=[9,8]
     * </pre>
     */
    @Test
    void followsThePaperByHand() {
        TwoQueuePolicy q = new TwoQueuePolicy(4);
        assertEquals(".......HH.H......", pattern(q, 1, 2, 3, 4, 5, 1, 6, 1, 1, 2, 5, 7, 8, 9, 6, 10, 1));
        assertEquals(2, q.size(A1IN));
        assertEquals(2, q.size(AM));
        assertEquals(2, q.size(A1OUT));
        assertEquals(4, q.occupancy());
        // A1out holds 9 and 8: 9 comes back into Am (10 -> A1out), A1in=[1] Am=[9,6,2]
        assertFalse(q.access(9));
        assertEquals(1, q.size(A1IN));
        assertEquals(3, q.size(AM));
        // 7 was forgotten: a plain miss into A1in; |A1in| = Kin, so Am's tail (2) makes room
        assertFalse(q.access(7));
        assertEquals(2, q.size(A1IN));
        assertEquals(2, q.size(AM));
        assertFalse(q.access(2), "2 left without a ghost");
        assertTrue(q.access(9));
    }

    @Test
    void aCorrelatedReferenceDoesNotPromote() {
        TwoQueuePolicy q = new TwoQueuePolicy(8);
        assertEquals(".HH", pattern(q, 1, 1, 1));
        assertEquals(1, q.size(A1IN));
        assertEquals(0, q.size(AM));
    }

    @Test
    void keepsItsBounds() {
        for (int c : new int[] {1, 2, 3, 4, 10, 100}) {
            TwoQueuePolicy q = new TwoQueuePolicy(c);
            for (long k : randomTrace(c, 30_000, 6 * c + 5)) {
                q.access(k);
                assertTrue(q.occupancy() <= c);
                assertTrue(q.size(A1OUT) <= c / 2);
            }
            assertEquals(c, q.occupancy());
        }
    }
}
