package io.dash4j.bench.jmh;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.dash4j.bench.sim.slots.SlotPolicySpec;
import io.dash4j.eviction.ConcurrentDashCache;
import io.dash4j.eviction.DashCache;
import io.dash4j.eviction.SlotPolicy;
import io.dash4j.eviction.baseline.ArenaLruCache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two operations the benchmarks drive, over each contender. One contender per JMH fork, so
 * the call sites stay monomorphic.
 */
public interface BenchCache {

    Long get(Long key);

    void put(Long key, Long value);

    /** The contenders of the suite, in report order ({@link CacheBench1T} and {@link CacheBench2T} run a subset each). */
    String[] NAMES = {"dash", "cdash", "caffeine", "caffeine-sync", "lhm"};

    /**
     * Builds contender {@code name} bounded to {@code capacity} entries, configured as its users
     * run it with {@code threads} threads:
     * <ul>
     *   <li>{@code dash}: {@link DashCache}, single owner (one thread only);</li>
     *   <li>{@code cdash}: {@link ConcurrentDashCache} with its default partitions;</li>
     *   <li>{@code caffeine}: Caffeine {@code maximumSize(capacity)} with its defaults (maintenance on
     *       the common pool);</li>
     *   <li>{@code caffeine-sync}: the same with {@code executor(Runnable::run)} (maintenance on the
     *       caller's thread);</li>
     *   <li>{@code lhm}: an access-ordered {@link LinkedHashMap} with {@code removeEldestEntry}, plain
     *       (one thread only);</li>
     *   <li>not in the suite, for ad-hoc runs: {@code arena} ({@link ArenaLruCache}, synchronized
     *       for more than one thread), {@code chm} (an unbounded {@link ConcurrentHashMap}: a ceiling,
     *       not a cache) and {@code dash-<policy>} (DashCache with a {@link SlotPolicy} preset or spec).</li>
     * </ul>
     */
    static BenchCache create(String name, int capacity, int threads) {
        switch (name) {
            case "dash":
                singleThreaded(name, threads);
                return new OfCache(DashCache.<Long, Long>builder().maximumSize(capacity).buildSingleOwner());
            case "cdash":
                return new OfCache(DashCache.<Long, Long>builder().maximumSize(capacity).build());
            case "caffeine":
                return new OfMap(Caffeine.newBuilder().maximumSize(capacity).<Long, Long>build().asMap());
            case "caffeine-sync":
                return new OfMap(Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).<Long, Long>build().asMap());
            case "lhm":
                singleThreaded(name, threads);
                return new OfMap(linkedLru(capacity));
            case "arena":
                return threads <= 1 ? new OfCache(new ArenaLruCache<>(capacity))
                        : new Synchronized(new OfCache(new ArenaLruCache<>(capacity)));
            case "chm":
                return new OfMap(new ConcurrentHashMap<>(capacity * 2));
            default:
                if (name.startsWith("dash-")) {
                    // a slot-policy preset or spec (SlotPolicySpec.policy), e.g. dash-dragonfly
                    SlotPolicy policy = SlotPolicySpec.policy(name.substring("dash-".length()));
                    DashCache.Builder<Long, Long> b = DashCache.<Long, Long>builder().maximumSize(capacity).slotPolicy(policy);
                    return new OfCache(threads <= 1 ? b.buildSingleOwner() : b.build());
                }
                throw new IllegalArgumentException("unknown cache " + name);
        }
    }

    private static void singleThreaded(String name, int threads) {
        if (threads > 1) {
            throw new IllegalArgumentException(name + " is not thread-safe: run it with one thread");
        }
    }

    /** A one-line description of contender {@code name}. */
    static String describe(String name) {
        return switch (name) {
            case "dash" -> "DashCache (single owner)";
            case "cdash" -> "ConcurrentDashCache";
            case "caffeine" -> "Caffeine (default executor)";
            case "caffeine-sync" -> "Caffeine, executor(Runnable::run)";
            case "lhm" -> "LinkedHashMap LRU (unsynchronized)";
            case "arena" -> "ArenaLruCache";
            case "chm" -> "ConcurrentHashMap (unbounded)";
            default -> name;
        };
    }

    /**
     * Any dash4j {@link io.dash4j.eviction.Cache}: DashCache, ConcurrentDashCache, ArenaLruCache.
     * A JMH fork runs one contender, so the interface call stays monomorphic within a fork.
     */
    final class OfCache implements BenchCache {
        private final io.dash4j.eviction.Cache<Long, Long> c;

        OfCache(io.dash4j.eviction.Cache<Long, Long> c) {
            this.c = c;
        }

        @Override
        public Long get(Long key) {
            return c.getIfPresent(key);
        }

        @Override
        public void put(Long key, Long value) {
            c.put(key, value);
        }
    }

    /**
     * Any {@link Map}: Caffeine through {@code asMap()} (the same bounded path as {@code getIfPresent}
     * / {@code put}; stats are off), the access-ordered {@link LinkedHashMap}, a {@link ConcurrentHashMap}.
     */
    final class OfMap implements BenchCache {
        private final Map<Long, Long> m;

        OfMap(Map<Long, Long> m) {
            this.m = m;
        }

        @Override
        public Long get(Long key) {
            return m.get(key);
        }

        @Override
        public void put(Long key, Long value) {
            m.put(key, value);
        }
    }

    /** Another contender behind one lock, for the caches that are not thread-safe. */
    final class Synchronized implements BenchCache {
        private final BenchCache c;

        Synchronized(BenchCache c) {
            this.c = c;
        }

        @Override
        public synchronized Long get(Long key) {
            return c.get(key);
        }

        @Override
        public synchronized void put(Long key, Long value) {
            c.put(key, value);
        }
    }

    /** An LRU of at most {@code capacity} entries: access order, the eldest removed past the bound. */
    private static Map<Long, Long> linkedLru(int capacity) {
        return new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > capacity;
            }
        };
    }
}
