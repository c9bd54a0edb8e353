package io.dash4j.bench.sim.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The real Caffeine cache (W-TinyLFU with its adaptive window), bounded by {@code maximumSize}.
 * Maintenance runs on the calling thread ({@code executor(Runnable::run)}), so eviction is
 * synchronous with each write, as in Caffeine's own simulator.
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
