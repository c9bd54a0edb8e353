package io.dash4j.eviction;

/**
 * Told of every entry that leaves a cache, synchronously on the thread that caused it.
 * It must not call back into the cache that invokes it.
 */
@FunctionalInterface
public interface RemovalListener<K, V> {
    void onRemoval(K key, V value, RemovalCause cause);
}
