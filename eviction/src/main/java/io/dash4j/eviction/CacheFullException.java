package io.dash4j.eviction;

/**
 * A put could not be stored: the cache is at its bound and may not evict (store mode), or every
 * entry it could evict is pinned. Nothing already stored was lost.
 */
public class CacheFullException extends IllegalStateException {
    public CacheFullException(String message) {
        super(message);
    }
}
