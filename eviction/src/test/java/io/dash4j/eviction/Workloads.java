package io.dash4j.eviction;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Key streams and a reference LRU for the hit-rate tests. */
final class Workloads {
    private Workloads() {
    }

    /** Zipf(alpha) over keys 0..n-1 by inverse CDF (key 0 is the most popular). */
    static final class Zipf {
        private final double[] cdf;
        private final SplittableRandom random;

        Zipf(int n, double alpha, long seed) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1.0 / Math.pow(i + 1, alpha);
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
            random = new SplittableRandom(seed);
        }

        long next() {
            int i = Arrays.binarySearch(cdf, random.nextDouble());
            return i >= 0 ? i : Math.min(-i - 1, cdf.length - 1);
        }
    }

    /** Exact LRU of a fixed capacity (access-ordered LinkedHashMap). */
    static final class ReferenceLru {
        private final LinkedHashMap<Long, Boolean> map;

        ReferenceLru(int capacity) {
            map = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                    return size() > capacity;
                }
            };
        }

        /** Returns true on a hit; inserts on a miss. */
        boolean access(long key) {
            if (map.get(key) != null) {
                return true;
            }
            map.put(key, Boolean.TRUE);
            return false;
        }
    }

    /** Request on a cache the way a look-aside client does: get, and put on a miss. */
    static boolean access(Cache<Long, Long> cache, long key) {
        if (cache.getIfPresent(key) != null) {
            return true;
        }
        cache.put(key, key);
        return false;
    }
}
