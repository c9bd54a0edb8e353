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
 * The two operations the benchmarks drive, over each contender. One implementation per JMH fork,
 * so the call sites stay monomorphic.
 */
public interface BenchCache {

    Long get(Long key);

    void put(Long key, Long value);

    /** Names accepted by {@link #create}, in report order. */
    String[] NAMES = {"dash", "lhm", "arena", "caffeine", "chm"};

    /**
     * Builds contender {@code name} bounded to {@code capacity} entries, for {@code threads} threads:
     * <ul>
     *   <li>{@code dash}: single-owner {@link DashCache} for one thread, {@link ConcurrentDashCache} for more;</li>
     *   <li>{@code lhm}: an access-ordered {@link LinkedHashMap} with {@code removeEldestEntry}, every call synchronized;</li>
     *   <li>{@code arena}: {@link ArenaLruCache}, plain for one thread, behind a synchronized wrapper for more;</li>
     *   <li>{@code caffeine}: Caffeine {@code maximumSize(capacity)}, default executor (maintenance may run on the common pool);</li>
     *   <li>{@code chm}: {@link ConcurrentHashMap}, <b>unbounded</b> — no eviction at all, a ceiling, not a cache.</li>
     * </ul>
     */
    static BenchCache create(String name, int capacity, int threads) {
        switch (name) {
            case "dash":
                if (threads <= 1) {
                    DashCache<Long, Long> c = DashCache.<Long, Long>builder().maximumSize(capacity).buildSingleOwner();
                    return new OfCache(c);
                } else {
                    ConcurrentDashCache<Long, Long> c = DashCache.<Long, Long>builder().maximumSize(capacity).build();
                    return new OfCache(c);
                }
            case "lhm":
                return new SyncLinkedLru(capacity);
            case "arena":
                return threads <= 1 ? new OfCache(new ArenaLruCache<>(capacity))
                        : new SyncArena(new ArenaLruCache<>(capacity));
            case "caffeine":
                return new CaffeineCache(Caffeine.newBuilder().maximumSize(capacity).build());
            case "chm":
                return new Chm(new ConcurrentHashMap<>(capacity * 2));
            default:
                if (name.startsWith("dash-")) {
                    // a slot-policy preset or spec (SlotPolicySpec.policy), e.g. dash-dragonfly, the
                    // "before" for the default policy's cost (not in NAMES)
                    SlotPolicy policy = SlotPolicySpec.policy(name.substring("dash-".length()));
                    DashCache.Builder<Long, Long> b = DashCache.<Long, Long>builder().maximumSize(capacity).slotPolicy(policy);
                    return new OfCache(threads <= 1 ? b.buildSingleOwner() : b.build());
                }
                throw new IllegalArgumentException("unknown cache " + name);
        }
    }

    /** A one-line description of what {@code name} runs as with {@code threads} threads. */
    static String describe(String name, int threads) {
        return switch (name) {
            case "dash" -> threads <= 1 ? "DashCache (single owner)" : "ConcurrentDashCache";
            case "dash-dragonfly" -> (threads <= 1 ? "DashCache" : "ConcurrentDashCache") + ", SlotPolicy.DRAGONFLY";
            case "lhm" -> "synchronized LinkedHashMap LRU";
            case "arena" -> threads <= 1 ? "ArenaLruCache" : "synchronized ArenaLruCache";
            case "caffeine" -> "Caffeine";
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

    final class SyncLinkedLru implements BenchCache {
        private final Map<Long, Long> map;

        SyncLinkedLru(int capacity) {
            this.map = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                    return size() > capacity;
                }
            };
        }

        @Override
        public synchronized Long get(Long key) {
            return map.get(key);
        }

        @Override
        public synchronized void put(Long key, Long value) {
            map.put(key, value);
        }
    }

    final class SyncArena implements BenchCache {
        private final ArenaLruCache<Long, Long> c;

        SyncArena(ArenaLruCache<Long, Long> c) {
            this.c = c;
        }

        @Override
        public synchronized Long get(Long key) {
            return c.getIfPresent(key);
        }

        @Override
        public synchronized void put(Long key, Long value) {
            c.put(key, value);
        }
    }

    final class CaffeineCache implements BenchCache {
        private final com.github.benmanes.caffeine.cache.Cache<Long, Long> c;

        CaffeineCache(com.github.benmanes.caffeine.cache.Cache<Long, Long> c) {
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

    final class Chm implements BenchCache {
        private final ConcurrentHashMap<Long, Long> m;

        Chm(ConcurrentHashMap<Long, Long> m) {
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
}
