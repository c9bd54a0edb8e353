package io.dash4j.eviction;

/** Maps a contract {@link CacheSpec} onto the DashCache builder. */
final class DashCaches {
    private DashCaches() {
    }

    static <K, V> DashCache.Builder<K, V> builder(CacheSpec<K, V> spec, SlotPolicy policy) {
        DashCache.Builder<K, V> b = DashCache.<K, V>builder().slotPolicy(policy).ticker(spec.ticker());
        if (spec.isWeighted()) {
            b.maximumWeight(spec.maximumWeight()).weigher(spec.weigher());
        } else {
            b.maximumSize(spec.maximumSize());
        }
        if (spec.expires()) {
            b.expireAfterWrite(spec.expireAfterWrite());
        }
        if (spec.removalListener() != null) {
            b.removalListener(spec.removalListener());
        }
        return b;
    }
}
