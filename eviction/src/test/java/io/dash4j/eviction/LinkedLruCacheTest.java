package io.dash4j.eviction;

import io.dash4j.eviction.baseline.LinkedLruCache;

/** The contract and exact-LRU order tests against {@link LinkedLruCache}. */
class LinkedLruCacheTest extends ExactLruContractTest {
    @Override
    protected <K, V> Cache<K, V> newCache(CacheSpec<K, V> spec) {
        return Baselines.linked(spec);
    }
}
