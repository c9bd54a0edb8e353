package io.dash4j.bench.sim.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The real Caffeine cache (W-TinyLFU with its adaptive window), bounded by {@code maximumSize}.
 * Maintenance runs on the calling thread ({@code executor(Runnable::run)}), so eviction is
 * synchronous with each write, as in Caffeine's own simulator.
 *
 * <p>Not quite deterministic: a candidate that is not more frequent than the victim but has a
 * frequency of at least 6 is admitted with probability 1/128 from an unseeded
 * {@code ThreadLocalRandom} (Caffeine's guard against hash flooding), so hit ratios vary by
 * about ±0.1 point between runs.
 */
public final class CaffeinePolicy implements Policy {

    private final Cache<Long, Long> cache;

    public CaffeinePolicy(int capacity) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(capacity)
                .initialCapacity(Math.min(capacity, 1 << 20))
                .executor(Runnable::run)
                .build();
    }

    @Override
    public boolean access(long key) {
        Long k = key;
        if (cache.getIfPresent(k) != null) {
            return true;
        }
        cache.put(k, k);
        return false;
    }

    @Override
    public long occupancy() {
        return cache.estimatedSize();
    }

    @Override
    public void finish() {
        cache.cleanUp();
    }
}
