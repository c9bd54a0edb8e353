package io.dash4j.bench.jmh;

import io.dash4j.bench.BoxedKeys;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;

import java.util.SplittableRandom;

/**
 * Pre-generated keys, all distinct {@link Long} objects outside the boxing cache, so no measured
 * loop boxes anything. For a cache of {@code capacity} entries:
 * <ul>
 *   <li>{@link #universe}: {@code 4 * capacity} keys; the first {@code capacity} are loaded before
 *       measuring, and Zipf rank {@code r} is {@code universe[r]} (the hottest keys start resident);</li>
 *   <li>{@link #misses}: {@code capacity} keys that are never inserted;</li>
 *   <li>{@link #zipf}: {@link #zipfDraws} Zipf(s) draws over the universe, and {@link #zipfWrite}:
 *       whether each draw is a put (10 %) or a get (90 %).</li>
 * </ul>
 */
final class Workload {

    /** Zipf draws per workload: {@code 4 * capacity} clamped to [2^18, 2^20] (a power of two). */
    static int zipfDraws(int capacity) {
        return Integer.highestOneBit(Math.max(1 << 18, Math.min(1 << 20, 4 * capacity)));
    }
    static final double ZIPF_EXPONENT = 0.99;

    final int capacity;
    final Long[] universe;
    final Long[] misses;
    final Long[] zipf;
    final boolean[] zipfWrite;

    Workload(int capacity, long seed) {
        this.capacity = capacity;
        SplittableRandom random = new SplittableRandom(seed);
        LongOpenHashSet seen = new LongOpenHashSet(capacity * 5);
        this.universe = BoxedKeys.distinct(4 * capacity, random, seen);
        this.misses = BoxedKeys.distinct(capacity, random, seen);
        int draws = zipfDraws(capacity);
        this.zipf = new Long[draws];
        this.zipfWrite = new boolean[draws];
        double[] cdf = zipfCdf(universe.length, ZIPF_EXPONENT);
        for (int i = 0; i < draws; i++) {
            zipf[i] = universe[search(cdf, random.nextDouble())];
            zipfWrite[i] = random.nextInt(10) == 0;
        }
    }


    /** Cumulative probabilities of ranks {@code 0..n-1} under Zipf with exponent {@code s}. */
    static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += 1.0 / Math.pow(r + 1, s);
            cdf[r] = sum;
        }
        for (int r = 0; r < n; r++) {
            cdf[r] /= sum;
        }
        return cdf;
    }

    /** The first rank whose cumulative probability reaches {@code u}. */
    static int search(double[] cdf, double u) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Shuffles a copy of {@code keys} with a fixed seed. */
    static Long[] shuffled(Long[] keys, long seed) {
        Long[] a = keys.clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
