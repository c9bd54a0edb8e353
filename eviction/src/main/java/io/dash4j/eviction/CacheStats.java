package io.dash4j.eviction;

/**
 * An immutable snapshot of a cache's counters. {@code bumpCount} counts promotions on hit
 * (slot-order moves for the Dashtable cache, list moves for the LRU baselines).
 */
public record CacheStats(
        long hitCount,
        long missCount,
        long evictionCount,
        long bumpCount,
        long expirationCount,
        long loadSuccessCount,
        long loadFailureCount) {

    public static final CacheStats EMPTY = new CacheStats(0, 0, 0, 0, 0, 0, 0);

    public long requestCount() {
        return hitCount + missCount;
    }

    /** Hits over requests, 1.0 when there were no requests (as Caffeine does). */
    public double hitRate() {
        long requests = requestCount();
        return requests == 0 ? 1.0 : (double) hitCount / requests;
    }

    public double missRate() {
        long requests = requestCount();
        return requests == 0 ? 0.0 : (double) missCount / requests;
    }

    public CacheStats plus(CacheStats o) {
        return new CacheStats(hitCount + o.hitCount, missCount + o.missCount,
                evictionCount + o.evictionCount, bumpCount + o.bumpCount,
                expirationCount + o.expirationCount, loadSuccessCount + o.loadSuccessCount,
                loadFailureCount + o.loadFailureCount);
    }
}
