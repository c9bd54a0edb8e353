package io.dash4j.eviction;

import io.dash4j.eviction.baseline.AbstractBaselineCache;
import io.dash4j.eviction.baseline.ArenaLruCache;
import io.dash4j.eviction.baseline.LinkedLruCache;
import io.dash4j.eviction.baseline.SampledLruCache;

/** Maps a {@link CacheSpec} onto the baselines' builders, for the baseline test classes. */
public final class Baselines {
    private Baselines() {
    }

    /** Applies {@code spec} to any baseline builder. */
    public static <K, V, C extends Cache<K, V>, B extends AbstractBaselineCache.Builder<K, V, C, B>>
    B configure(B builder, CacheSpec<K, V> spec) {
        if (spec.isWeighted()) {
            builder.maximumWeight(spec.maximumWeight(), spec.weigher());
        } else {
            builder.maximumSize(spec.maximumSize());
        }
        if (spec.expires()) {
            builder.expireAfterWrite(spec.expireAfterWrite());
        }
        builder.ticker(spec.ticker());
        if (spec.removalListener() != null) {
            builder.removalListener(spec.removalListener());
        }
        return builder;
    }

    public static <K, V> LinkedLruCache<K, V> linked(CacheSpec<K, V> spec) {
        return configure(LinkedLruCache.<K, V>builder(), spec).build();
    }

    public static <K, V> ArenaLruCache<K, V> arena(CacheSpec<K, V> spec) {
        return configure(ArenaLruCache.<K, V>builder(), spec).build();
    }

    /** Redis defaults: 5 samples, a pool of 16, the default seed. */
    public static <K, V> SampledLruCache<K, V> sampled(CacheSpec<K, V> spec) {
        return configure(SampledLruCache.<K, V>builder(), spec).build();
    }
}
