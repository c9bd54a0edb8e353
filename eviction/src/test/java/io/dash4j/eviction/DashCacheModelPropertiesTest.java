package io.dash4j.eviction;

/** The jqwik model properties against the single-owner DashCache (SlotPolicy.DEFAULT). */
class DashCacheModelPropertiesTest extends CacheModelProperties {
    @Override
    protected <K, V> Cache<K, V> newCache(CacheSpec<K, V> spec) {
        return DashCaches.builder(spec, SlotPolicy.DEFAULT).buildSingleOwner();
    }

    @Override
    protected int minimumBound() {
        return 1;
    }
}
