package io.dash4j.eviction;

/** The shared Cache contract against the thread-safe ConcurrentDashCache. */
class ConcurrentDashCacheContractTest extends CacheContractTest {
    @Override
    protected <K, V> Cache<K, V> newCache(CacheSpec<K, V> spec) {
        return DashCaches.builder(spec, SlotPolicy.DEFAULT).build();
    }
}
