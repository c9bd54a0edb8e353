package io.dash4j.eviction;

import io.dash4j.eviction.baseline.ArenaLruCache;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The contract and exact-LRU order tests against {@link ArenaLruCache}, plus slot reuse. */
class ArenaLruCacheTest extends ExactLruContractTest {
    @Override
    protected <K, V> Cache<K, V> newCache(CacheSpec<K, V> spec) {
        return Baselines.arena(spec);
    }

    @Test
    void freedSlotsAreReusedAndTheArenaGrowsFromATinyStart() {
        ArenaLruCache<Integer, String> cache = ArenaLruCache.<Integer, String>builder()
                .maximumWeight(10_000, WEIGHT_OF).initialCapacity(1).removalListener(listener).build();
        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < 1_000; k++) {
                cache.put(k, value("r" + round + "k" + k, 3));
            }
            for (int k = 0; k < 1_000; k += 2) {
                assertEquals(value("r" + round + "k" + k, 3), cache.remove(k));
            }
            assertEquals(500, cache.size());
            assertEquals(1_500, cache.weightedSize());
            for (int k = 1; k < 1_000; k += 2) {
                assertEquals(value("r" + round + "k" + k, 3), cache.getIfPresent(k));
                assertNull(cache.getIfPresent(k - 1));
            }
        }
        cache.invalidateAll();
        assertEquals(0, cache.size());
        cache.put(1, value("after", 1));
        assertEquals(value("after", 1), cache.getIfPresent(1));
    }
}
