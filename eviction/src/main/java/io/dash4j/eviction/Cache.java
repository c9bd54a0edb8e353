package io.dash4j.eviction;

import java.util.function.Function;

/**
 * The contract every bounded cache in dash4j honours: the Dashtable 2Q cache and the LRU
 * baselines alike, so the same contract tests and the same simulator drive all of them.
 *
 * <p>Null keys and null values are rejected with {@link NullPointerException}. A cache never
 * holds more than its bound (entries and/or weight); an entry that alone outweighs the whole
 * weight budget is not admitted (its removal listener sees {@link RemovalCause#EVICTED}).
 */
public interface Cache<K, V> {

    /** The value for {@code key}, or null when absent (or expired). A hit may reorder the cache. */
    V getIfPresent(K key);

    /**
     * The value for {@code key}, computing it with {@code loader} on a miss and caching the result.
     * A loader returning null caches nothing and returns null; a loader throwing propagates, and
     * the failure is counted in {@link CacheStats#loadFailureCount()}. A null result counts as a
     * load failure too (as in Caffeine), so loads = loadSuccessCount + loadFailureCount.
     */
    V get(K key, Function<? super K, ? extends V> loader);

    /** Same as {@link #get(Object, Function)}: the {@code java.util.Map}-style name. */
    default V computeIfAbsent(K key, Function<? super K, ? extends V> loader) {
        return get(key, loader);
    }

    /** Associates {@code value} with {@code key}, replacing (cause REPLACED) any previous value. */
    void put(K key, V value);

    /** Stores {@code value} only when {@code key} is absent; returns the present value, or null if stored. */
    V putIfAbsent(K key, V value);

    /** Removes {@code key} (cause EXPLICIT); returns the removed value or null. */
    V remove(K key);

    /** Removes every entry (cause EXPLICIT for each). */
    void invalidateAll();

    /** Number of entries held now (expired entries not yet collected may be included). */
    long size();

    /** Total weight held now; equals {@link #size()} when no weigher is configured. */
    long weightedSize();

    /** A snapshot of the counters. */
    CacheStats stats();
}
