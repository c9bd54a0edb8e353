package io.dash4j.bench;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;

import java.util.SplittableRandom;

/** Random {@code Long} keys for the benchmarks: distinct, and each a distinct object. */
public final class BoxedKeys {

    private BoxedKeys() {
    }

    /**
     * {@code n} random keys not in {@code seen} (which records them), none in -128..127 so that
     * {@code Long.valueOf} returns a fresh object rather than a shared cached one.
     */
    public static Long[] distinct(int n, SplittableRandom random, LongOpenHashSet seen) {
        Long[] keys = new Long[n];
        int i = 0;
        while (i < n) {
            long k = random.nextLong();
            if ((k >= -128 && k <= 127) || !seen.add(k)) {
                continue;
            }
            keys[i++] = Long.valueOf(k);
        }
        return keys;
    }
}
