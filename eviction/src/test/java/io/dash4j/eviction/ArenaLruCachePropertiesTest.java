package io.dash4j.eviction;

/** The model properties against {@link io.dash4j.eviction.baseline.ArenaLruCache}. */
class ArenaLruCachePropertiesTest extends CacheModelProperties {
    @Override
    protected <K, V> Cache<K, V> newCache(CacheSpec<K, V> spec) {
        return Baselines.arena(spec);
    }
}
