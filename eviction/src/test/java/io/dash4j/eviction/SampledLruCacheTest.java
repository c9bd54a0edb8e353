package io.dash4j.eviction;

import io.dash4j.eviction.baseline.SampledLruCache;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract against {@link SampledLruCache} (Redis defaults), plus sampling-specific tests. */
class SampledLruCacheTest extends CacheContractTest {
    @Override
    protected <K, V> Cache<K, V> newCache(CacheSpec<K, V> spec) {
        return Baselines.sampled(spec);
    }

    private SampledLruCache<Integer, String> sampled(long maximumSize, int samples, int poolSize, long seed) {
        return SampledLruCache.<Integer, String>builder().maximumSize(maximumSize)
                .samples(samples).poolSize(poolSize).randomSeed(seed).removalListener(listener).build();
    }

    @Test
    void withNoMoreEntriesThanSamplesTheChoiceIsExactLru() {
        SampledLruCache<Integer, String> cache = sampled(5, 5, 16, 1);
        LruModel.runAgainstModel(cache, listener, false, 5, 21, 20_000);
    }

    @Test
    void withNoMoreEntriesThanSamplesAndNoPoolTheChoiceIsExactLru() {
        SampledLruCache<Integer, String> cache = sampled(5, 5, 0, 1);
        LruModel.runAgainstModel(cache, listener, false, 5, 22, 20_000);
    }

    @Test
    void aCandidateAccessedAfterPoolingIsNotEvicted() {
        SampledLruCache<Integer, String> cache = sampled(5, 5, 16, 1);
        for (int k = 1; k <= 5; k++) {
            cache.put(k, value("v" + k));
        }
        cache.put(6, value("v6")); // pools 1..5, evicts 1; 2..5 stay pooled with their old stamps
        cache.getIfPresent(2);      // 2's pooled stamp is now stale
        cache.put(7, value("v7"));  // Redis would evict the pooled 2 (its key exists); we skip it
        assertEquals(List.of(1, 3), listener.keys(RemovalCause.EVICTED));
    }

    @Test
    void everyHitRefreshesTheClockAndCountsABump() {
        SampledLruCache<Integer, String> cache = sampled(10, 5, 16, 1);
        cache.put(1, value("a"));
        cache.getIfPresent(1);
        cache.getIfPresent(1);
        cache.get(1, k -> value("never"));
        assertEquals(3, cache.stats().bumpCount());
        assertEquals(3, cache.stats().hitCount());
    }

    @Test
    void theSameSeedGivesTheSameEvictions() {
        List<Integer> first = evictionsOfAScan(sampled(200, 5, 16, 99));
        listener.clear();
        List<Integer> second = evictionsOfAScan(sampled(200, 5, 16, 99));
        assertEquals(first, second);
    }

    private List<Integer> evictionsOfAScan(SampledLruCache<Integer, String> cache) {
        for (int k = 0; k < 1_000; k++) {
            cache.put(k, value("v" + k));
            cache.getIfPresent(k / 2);
        }
        return List.copyOf(listener.keys(RemovalCause.EVICTED));
    }

    /**
     * Fill 1,000 entries in key order (so key = age rank), then insert 500 new keys: exact LRU
     * would evict keys 0..499. Returns how many victims were among the oldest half of the originals.
     */
    private int victimsFromTheOldestHalf(int samples, int poolSize) {
        listener.clear();
        SampledLruCache<Integer, String> cache = sampled(1_000, samples, poolSize, 7);
        for (int k = 0; k < 1_000; k++) {
            cache.put(k, value("v" + k));
        }
        for (int k = 1_000; k < 1_500; k++) {
            cache.put(k, value("v" + k));
        }
        List<Integer> victims = listener.keys(RemovalCause.EVICTED);
        assertEquals(500, victims.size());
        return (int) victims.stream().filter(k -> k < 500).count();
    }

    @Test
    void sampledChoiceApproximatesLruAndThePoolImprovesIt() {
        int random = victimsFromTheOldestHalf(1, 0);      // one sample, no pool: random eviction
        int plain = victimsFromTheOldestHalf(5, 0);       // Redis 2.x: best of 5
        int pooled = victimsFromTheOldestHalf(5, 16);     // Redis 3.0+: best of 5 with a pool of 16
        int wide = victimsFromTheOldestHalf(10, 16);      // maxmemory-samples 10
        System.out.printf("victims from the oldest half (of 500): random=%d plain5=%d pool5=%d pool10=%d%n",
                random, plain, pooled, wide);
        assertTrue(plain > random, "sampling beats random eviction");
        assertTrue(pooled > plain, "the pool beats plain sampling");
        assertTrue(wide >= pooled, "more samples get closer to LRU");
        assertTrue(pooled >= 400, "with the pool, at least 80% of victims come from the oldest half");
    }
}
