package io.dash4j.eviction;

/** The shared Cache contract against the single-owner DashCache (SlotPolicy.DRAGONFLY). */
class DashCacheDragonflyContractTest extends CacheContractTest {
    @Override
    protected <K, V> Cache<K, V> newCache(CacheSpec<K, V> spec) {
        return DashCaches.builder(spec, SlotPolicy.DRAGONFLY).buildSingleOwner();
    }
}
