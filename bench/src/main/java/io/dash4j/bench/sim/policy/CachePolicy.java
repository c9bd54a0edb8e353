package io.dash4j.bench.sim.policy;

import io.dash4j.eviction.Cache;
import java.util.Objects;

/**
 * Drives any dash4j {@link Cache Cache&lt;Long, Long&gt;} as a simulator policy: each request is a
 * {@code getIfPresent}, and a miss is followed by a {@code put} of the key (as its own value).
 */
public final class CachePolicy implements Policy {

    private final Cache<Long, Long> cache;

    public CachePolicy(Cache<Long, Long> cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
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
        return cache.size();
    }

    /** The adapted cache. */
    public Cache<Long, Long> cache() {
        return cache;
    }
}
