package io.dash4j.eviction;

import io.dash4j.eviction.baseline.SampledLruCache;

/** The contract against {@link SampledLruCache} with the eviction pool disabled (Redis 2.x sampling). */
class SampledLruCacheNoPoolTest extends CacheContractTest {
    @Override
    protected <K, V> Cache<K, V> newCache(CacheSpec<K, V> spec) {
        return Baselines.configure(SampledLruCache.<K, V>builder().poolSize(0), spec).build();
    }
}
