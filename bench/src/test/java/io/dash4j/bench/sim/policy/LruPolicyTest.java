package io.dash4j.bench.sim.policy;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.dash4j.bench.sim.policy.PolicyTestSupport.pattern;
import static io.dash4j.bench.sim.policy.PolicyTestSupport.randomTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LruPolicyTest {

    @Test
    void evictsTheLeastRecentlyUsed() {
        // 1 2 | 1 hit, order 1 2 | 3 evicts 2 | 2 evicts 1 | 1 evicts 3
        assertEquals("..H...", pattern(new LruPolicy(2), 1, 2, 1, 3, 2, 1));
        // 1 2 3 | 1 hit (1 3 2) | 4 evicts 2 | 2 evicts 3 | 5 evicts 1 | 1 misses
        assertEquals("...H....", pattern(new LruPolicy(3), 1, 2, 3, 1, 4, 2, 5, 1));
    }

    @Test
    void textbookBeladyString() {
        long[] t = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
        // Silberschatz: LRU with 3 frames has 12 faults on this string
        assertEquals(8, PolicyTestSupport.hits(new LruPolicy(3), t));
    }

    @Test
    void matchesAnAccessOrderedLinkedHashMap() {
        for (int capacity : new int[] {1, 2, 7, 64, 300}) {
            long[] trace = randomTrace(capacity, 20_000, 1_000);
            LruPolicy lru = new LruPolicy(capacity);
            Map<Long, Boolean> reference = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                    return size() > capacity;
                }
            };
            for (long k : trace) {
                boolean expected = reference.get(k) != null;
                if (!expected) {
                    reference.put(k, Boolean.TRUE);
                }
                assertEquals(expected, lru.access(k));
                assertEquals(reference.size(), lru.occupancy());
            }
        }
    }

    @Test
    void rejectsAnEmptyCache() {
        assertThrows(IllegalArgumentException.class, () -> new LruPolicy(0));
    }
}
