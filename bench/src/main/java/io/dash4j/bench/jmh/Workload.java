package io.dash4j.bench.jmh;

import io.dash4j.bench.BoxedKeys;
import io.dash4j.bench.sim.trace.ZipfSampler;

import java.util.SplittableRandom;

/**
 * The keys of the JMH workloads, all {@code Long} objects made before measuring, so no measured
 * loop boxes anything. Key of rank {@code r} is {@link BoxedKeys#ofRank}{@code (r, SEED)}:
 * <ul>
 *   <li>ranks {@code [0, capacity)} are loaded before measuring (the hottest Zipf ranks start resident);</li>
 *   <li>ranks {@code [capacity, 3 capacity)} are the fresh keys of put-with-eviction;</li>
 *   <li>ranks {@code [4 capacity, ...)} are never inserted: the misses;</li>
 *   <li>Zipf draws range over {@code [0, 4 capacity)} for the mix, over the resident keys for Zipf hits.</li>
 * </ul>
 * <b>Every lookup goes through an equal copy</b>, never the instance the cache stores, as a caller
 * that parsed or received its key would: an identity check cannot short-cut the comparison, and the
 * stored key is another object in memory. Each Zipf draw is its own object for the same reason.
 */
final class Workload {

    static final long SEED = 0xDA5A4L;
    static final double ZIPF_EXPONENT = 0.99;

    private Workload() {
    }

    /** Zipf draws per workload: {@code 4 * capacity} clamped to [2^18, 2^20] (a power of two). */
    static int zipfDraws(int capacity) {
        return Integer.highestOneBit(Math.max(1 << 18, Math.min(1 << 20, 4 * capacity)));
    }

    /** The most keys a lookup workload cycles through: 2^20, each in a random bucket anyway. */
    static final int MAX_KEYS = 1 << 20;

    /** Misses per workload. */
    static int missCount(int capacity) {
        return Math.min(capacity, MAX_KEYS);
    }

    /** The keys loaded before measuring: ranks {@code [0, capacity)}, the instances the cache stores. */
    static Long[] loaded(int capacity) {
        return BoxedKeys.ofRanks(0, capacity, SEED);
    }

    /** Keys never inserted. */
    static Long[] misses(int capacity) {
        return BoxedKeys.ofRanks(4L * capacity, missCount(capacity), SEED);
    }

    /** Absent keys for put-with-eviction: {@code 2 * capacity} of them, so a key comes back only long after it was evicted. */
    static Long[] fresh(int capacity) {
        return BoxedKeys.ofRanks(capacity, 2 * capacity, SEED);
    }

    /** {@code draws} Zipf(0.99) draws over ranks {@code [0, domain)}, each a fresh object. */
    static Long[] zipfOverRanks(long domain, int draws, long seed) {
        ZipfSampler zipf = new ZipfSampler(domain, ZIPF_EXPONENT);
        SplittableRandom random = new SplittableRandom(seed);
        Long[] keys = new Long[draws];
        for (int i = 0; i < draws; i++) {
            keys[i] = Long.valueOf(BoxedKeys.ofRank(zipf.sample(random) - 1, SEED));
        }
        return keys;
    }

    /** {@code draws} Zipf(0.99) draws over {@code keys} (rank 1 = {@code keys[0]}), each a fresh copy. */
    static Long[] zipfOver(Long[] keys, int draws, long seed) {
        ZipfSampler zipf = new ZipfSampler(keys.length, ZIPF_EXPONENT);
        SplittableRandom random = new SplittableRandom(seed);
        Long[] out = new Long[draws];
        for (int i = 0; i < draws; i++) {
            out[i] = Long.valueOf(keys[(int) zipf.sample(random) - 1].longValue());
        }
        return out;
    }

    /** For each draw, whether it is a put (one in ten) rather than a get. */
    static boolean[] writes(int draws, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] w = new boolean[draws];
        for (int i = 0; i < draws; i++) {
            w[i] = random.nextInt(10) == 0;
        }
        return w;
    }

    /** Shuffles {@code keys} in place with a fixed seed and returns it. */
    static Long[] shuffle(Long[] keys, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = keys.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Long t = keys[i];
            keys[i] = keys[j];
            keys[j] = t;
        }
        return keys;
    }
}
