package io.dash4j.bench.sim.policy;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LongIntMapTest {

    @Test
    void behavesLikeAHashMapUnderChurn() {
        SplittableRandom r = new SplittableRandom(7);
        LongIntMap map = new LongIntMap(4);
        Map<Long, Integer> ref = new HashMap<>();
        long[] special = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE};
        for (int i = 0; i < 200_000; i++) {
            long k = r.nextInt(10) == 0 ? special[r.nextInt(special.length)] : r.nextInt(3_000) * 1_000_003L;
            switch (r.nextInt(3)) {
                case 0 -> {
                    int v = r.nextInt(1 << 30);
                    Integer old = ref.put(k, v);
                    assertEquals(old == null ? LongIntMap.ABSENT : old, map.put(k, v));
                }
                case 1 -> {
                    Integer old = ref.remove(k);
                    assertEquals(old == null ? LongIntMap.ABSENT : old, map.remove(k));
                }
                default -> {
                    Integer v = ref.get(k);
                    assertEquals(v == null ? LongIntMap.ABSENT : v, map.get(k));
                }
            }
            assertEquals(ref.size(), map.size());
        }
        for (Map.Entry<Long, Integer> e : ref.entrySet()) {
            assertEquals(e.getValue(), map.get(e.getKey()));
        }
    }

    @Test
    void nextUseIndex() {
        NextUse n = NextUse.of(new long[] {1, 2, 1, 3, 2, 1}, 6);
        assertEquals(2, n.next(0));
        assertEquals(4, n.next(1));
        assertEquals(5, n.next(2));
        assertEquals(NextUse.NEVER, n.next(3));
        assertEquals(NextUse.NEVER, n.next(4));
        assertEquals(NextUse.NEVER, n.next(5));
        assertEquals(3, n.distinctKeys());
    }
}
