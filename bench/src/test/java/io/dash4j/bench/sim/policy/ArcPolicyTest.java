package io.dash4j.bench.sim.policy;

import org.junit.jupiter.api.Test;

import static io.dash4j.bench.sim.policy.ArcPolicy.B1;
import static io.dash4j.bench.sim.policy.ArcPolicy.B2;
import static io.dash4j.bench.sim.policy.ArcPolicy.T1;
import static io.dash4j.bench.sim.policy.ArcPolicy.T2;
import static io.dash4j.bench.sim.policy.PolicyTestSupport.pattern;
import static io.dash4j.bench.sim.policy.PolicyTestSupport.randomTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArcPolicyTest {

    /**
     * c = 2, worked by hand through the paper's cases:
     * <pre>
     * 1  IV-B          T1=[1]
     * 2  IV-B          T1=[2,1]
     * 1  I   hit       T1=[2]      T2=[1]
     * 3  IV-B, REPLACE (|T1|=1 > p=0): 2 -> B1          T1=[3] T2=[1] B1=[2]
     * 2  II  p=1, REPLACE (|T1|=1 not > 1): 1 -> B2     T1=[3] T2=[2] B2=[1]
     * 1  III p=0, REPLACE (|T1|=1 > 0): 3 -> B1         T2=[1,2] B1=[3]
     * 4  IV-B, REPLACE (|T1|=0): 2 -> B2                T1=[4] T2=[1] B1=[3] B2=[2]
     * 2  III p=0, REPLACE (|T1|=1 > 0): 4 -> B1         T2=[2,1] B1=[4,3]
     * 1  I   hit                                         T2=[1,2] B1=[4,3]
     * </pre>
     */
    @Test
    void followsThePapersCasesByHand() {
        ArcPolicy arc = new ArcPolicy(2);
        assertEquals("..H.....H", pattern(arc, 1, 2, 1, 3, 2, 1, 4, 2, 1));
        assertEquals(0, arc.size(T1));
        assertEquals(2, arc.size(T2));
        assertEquals(2, arc.size(B1));
        assertEquals(0, arc.size(B2));
        assertEquals(0.0, arc.target());
        assertEquals(2, arc.occupancy());
    }

    @Test
    void aGhostHitInB1GrowsTheTargetByTheRealRatioOfTheGhostLists() {
        ArcPolicy arc = new ArcPolicy(8);
        // 1..8 twice: T2 = [8..1]
        for (int round = 0; round < 2; round++) {
            for (long k = 1; k <= 8; k++) {
                arc.access(k);
            }
        }
        // a new key seen twice demotes T2's LRU to B2 each time: B2 = [3,2,1]
        for (long k = 9; k <= 11; k++) {
            arc.access(k);
            arc.access(k);
        }
        // 12 demotes 4 (T1 empty); 13, 14, 15 each push T1's previous key to B1
        for (long k = 12; k <= 15; k++) {
            arc.access(k);
        }
        assertEquals(3, arc.size(B1));
        assertEquals(4, arc.size(B2));
        assertEquals(0.0, arc.target());
        arc.access(12);                       // Case II: p += |B2| / |B1| = 4/3, not 1
        assertEquals(4.0 / 3.0, arc.target(), 1e-12);
        assertEquals(2, arc.size(B1));
        assertEquals(5, arc.size(B2));        // |T1| = 1 is not above p: T2's LRU went to B2
        assertEquals(8, arc.occupancy());
    }

    @Test
    void resistsAScan() {
        // a hot pair seen twice sits in T2; a long one-pass scan only churns T1/B1
        ArcPolicy arc = new ArcPolicy(4);
        LruPolicy lru = new LruPolicy(4);
        long[] warm = {1, 2, 1, 2};
        for (long k : warm) {
            arc.access(k);
            lru.access(k);
        }
        for (long k = 100; k < 200; k++) {
            arc.access(k);
            lru.access(k);
        }
        assertTrue(arc.access(1));
        assertTrue(arc.access(2));
        assertEquals(false, lru.access(1));
    }

    @Test
    void keepsItsInvariantsOnRandomTraces() {
        for (int c : new int[] {1, 2, 3, 10, 100}) {
            ArcPolicy arc = new ArcPolicy(c);
            long seen = 0;
            for (long k : randomTrace(c * 31L, 30_000, 5 * c + 7)) {
                arc.access(k);
                seen++;
                int t1 = arc.size(T1);
                int t2 = arc.size(T2);
                int b1 = arc.size(B1);
                int b2 = arc.size(B2);
                assertTrue(t1 + t2 <= c, "cache within c");
                assertTrue(t1 + b1 <= c, "L1 within c");
                assertTrue(t1 + t2 + b1 + b2 <= 2 * c, "directory within 2c");
                assertTrue(b1 + b2 == 0 || t1 + t2 == c, "ghosts only once the cache is full");
                assertTrue(arc.target() >= 0 && arc.target() <= c, "0 <= p <= c");
            }
            assertTrue(seen > 0);
        }
    }
}
