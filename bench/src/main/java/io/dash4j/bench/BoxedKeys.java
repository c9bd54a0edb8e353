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

    /**
     * The key of rank {@code rank}: a bijective scramble of the rank (splitmix64's finalizer with
     * {@code seed} added), so distinct ranks give distinct keys with no set to check, and
     * consecutive ranks look random. Throws for the 256 values {@code Long.valueOf} caches (a
     * 2^-56 chance per rank, checked so that "a fresh object per call" stays true).
     */
    public static long ofRank(long rank, long seed) {
        long z = rank + seed;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        if (z >= -128 && z <= 127) {
            throw new IllegalStateException("rank " + rank + " maps into Long's boxing cache; pick another seed");
        }
        return z;
    }

    /** Fresh objects for the keys of ranks {@code from .. from + n - 1} ({@link #ofRank}). */
    public static Long[] ofRanks(long from, int n, long seed) {
        Long[] keys = new Long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = Long.valueOf(ofRank(from + i, seed));
        }
        return keys;
    }

    /** An equal but distinct object for each key: what a caller holding its own copy looks up with. */
    public static Long[] copies(Long[] keys) {
        Long[] c = new Long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            c[i] = Long.valueOf(keys[i].longValue()); // outside the boxing cache: a new object
        }
        return c;
    }
}
