package io.dash4j.eviction.baseline;

import io.dash4j.eviction.Cache;
import io.dash4j.eviction.CacheStats;
import io.dash4j.eviction.RemovalCause;
import io.dash4j.eviction.RemovalListener;
import io.dash4j.eviction.Weigher;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What the three LRU baselines share: configuration, the bound, expiry arithmetic, statistics,
 * removal notification and the loader/putIfAbsent logic. Each subclass supplies the storage and
 * the victim choice.
 *
 * <p><b>Not thread-safe.</b> The baselines are single-threaded, like one shard of an actor store
 * (seed 000): confine each instance to one thread, or guard it externally.
 *
 * <h2>Semantics common to the baselines</h2>
 * <ul>
 *   <li>The bound is either a maximum entry count or a maximum total weight. An entry count bound
 *       is a weight bound where every entry weighs one, so {@link #weightedSize()} equals
 *       {@link #size()} for it.</li>
 *   <li>Room is made <em>before</em> an entry is linked in, so the bound holds at every point a
 *       removal listener can observe. An entry whose weight alone exceeds the bound is never
 *       admitted: the listener sees it with {@link RemovalCause#EVICTED} and
 *       {@link CacheStats#evictionCount()} counts it. If it replaced a value, that old value is
 *       reported {@link RemovalCause#REPLACED} first.</li>
 *   <li>Expire-after-write is lazy: an entry older than the time to live is never returned and is
 *       removed with {@link RemovalCause#EXPIRED} when an operation touches its key, or when the
 *       policy picks it as a victim (it then counts as an expiration, not an eviction).
 *       {@link #size()} may include expired entries nobody has touched yet. {@code put} on an
 *       expired key reports the old value EXPIRED, not REPLACED.</li>
 *   <li>Statistics: each {@code getIfPresent}/{@code get} call is exactly one hit or one miss.
 *       A loader that returns null or throws counts as a load failure (as Caffeine counts it);
 *       {@code putIfAbsent}, {@code put} and {@code remove} record no hit or miss.
 *       A bump is a promotion on a hit (a list move, or a clock update for the sampled cache).</li>
 *   <li>{@code putIfAbsent} on a present key returns its value without touching its recency.</li>
 *   <li>The removal listener runs synchronously, after the change it reports; it must not call
 *       back into the cache. An exception it throws is logged and swallowed.</li>
 * </ul>
 *
 * <p>The hierarchy is sealed: the permitted subclasses are the baselines of this package.
 */
public abstract sealed class AbstractBaselineCache<K, V> implements Cache<K, V>
        permits LinkedLruCache, ArrayBaselineCache {

    private static final System.Logger LOGGER = System.getLogger(AbstractBaselineCache.class.getName());

    /** No time to live configured. */
    static final long NO_EXPIRY = -1L;

    /** Bound on total weight (for an entry bound, every entry weighs one). */
    final long maximumWeight;
    /** Null for an entry-count bound. */
    final Weigher<? super K, ? super V> weigher;
    /** Time to live after write in nanoseconds, or {@link #NO_EXPIRY}. */
    final long ttlNanos;
    final LongSupplier ticker;
    /** Null when nobody listens. */
    final RemovalListener<? super K, ? super V> listener;

    long hitCount;
    long missCount;
    long evictionCount;
    long bumpCount;
    long expirationCount;
    long loadSuccessCount;
    long loadFailureCount;

    AbstractBaselineCache(Config<K, V> config) {
        this.maximumWeight = config.maximumWeight;
        this.weigher = config.weigher;
        this.ttlNanos = config.ttlNanos;
        this.ticker = config.ticker;
        this.listener = config.listener;
    }

    // ------------------------------------------------------------------ what subclasses provide

    /**
     * The live value for {@code key} or null; on a hit promotes the entry (counting a bump when it
     * moved). An expired entry is removed (EXPIRED) and null returned. Records no hit or miss.
     */
    abstract V lookup(K key);

    /** The live value for {@code key} or null, without promoting it; expires lazily like {@link #lookup}. */
    abstract V peek(K key);

    /**
     * Stores {@code value} of {@code weight} (already validated, ≥ 0) under {@code key}, with the
     * replacement, expiry, admission and eviction rules described on this class.
     */
    abstract void store(K key, V value, int weight);

    /** Removes the live entry for {@code key}; returns its value, or null if absent or expired. */
    abstract V removeEntry(K key);

    /** Removes every entry, reporting each EXPLICIT. */
    abstract void clear();

    // ------------------------------------------------------------------ the Cache contract

    @Override
    public final V getIfPresent(K key) {
        Objects.requireNonNull(key, "key");
        V value = lookup(key);
        if (value == null) {
            missCount++;
        } else {
            hitCount++;
        }
        return value;
    }

    @Override
    public final V get(K key, Function<? super K, ? extends V> loader) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(loader, "loader");
        V value = lookup(key);
        if (value != null) {
            hitCount++;
            return value;
        }
        missCount++;
        V loaded;
        boolean returned = false;
        try {
            loaded = loader.apply(key);
            returned = true;
        } finally {
            if (!returned) {
                loadFailureCount++;
            }
        }
        if (loaded == null) {
            loadFailureCount++;
            return null;
        }
        loadSuccessCount++;
        // Re-resolve the key: the loader may (against advice) have touched the cache.
        store(key, loaded, weigh(key, loaded));
        return loaded;
    }

    @Override
    public final void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        store(key, value, weigh(key, value));
    }

    @Override
    public final V putIfAbsent(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        V present = peek(key);
        if (present != null) {
            return present;
        }
        store(key, value, weigh(key, value));
        return null;
    }

    @Override
    public final V remove(K key) {
        Objects.requireNonNull(key, "key");
        return removeEntry(key);
    }

    @Override
    public final void invalidateAll() {
        clear();
    }

    @Override
    public final CacheStats stats() {
        return new CacheStats(hitCount, missCount, evictionCount, bumpCount, expirationCount,
                loadSuccessCount, loadFailureCount);
    }

    // ------------------------------------------------------------------ policy information

    /** The bound on {@link #weightedSize()}; for an entry-count bound, the maximum entry count. */
    public final long maximumWeight() {
        return maximumWeight;
    }

    /** True when bounded by weight with a {@link Weigher}, false when bounded by entry count. */
    public final boolean isWeighted() {
        return weigher != null;
    }

    /** The time to live after write, or null when entries never expire. */
    public final Duration expireAfterWrite() {
        return ttlNanos == NO_EXPIRY ? null : Duration.ofNanos(ttlNanos);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[size=" + size() + ", weightedSize=" + weightedSize()
                + ", " + (isWeighted() ? "maximumWeight=" : "maximumSize=") + maximumWeight
                + ", " + stats() + "]";
    }

    // ------------------------------------------------------------------ helpers for subclasses

    final int weigh(K key, V value) {
        if (weigher == null) {
            return 1;
        }
        int weight = weigher.weigh(key, value);
        if (weight < 0) {
            throw new IllegalArgumentException("negative weight " + weight + " for key " + key);
        }
        return weight;
    }

    /** True when an entry of {@code weight} can never fit, so it is not admitted. */
    final boolean oversized(int weight) {
        return weight > maximumWeight;
    }

    final boolean expires() {
        return ttlNanos != NO_EXPIRY;
    }

    /** The ticker's reading when entries expire, else 0 (the ticker is not consulted). */
    final long now() {
        return ttlNanos == NO_EXPIRY ? 0L : ticker.getAsLong();
    }

    /** True when an entry written at {@code writeTime} has outlived its time to live at {@code now}. */
    final boolean isExpired(long writeTime, long now) {
        return ttlNanos != NO_EXPIRY && now - writeTime >= ttlNanos;
    }

    /** Reports a victim chosen by the policy: EXPIRED if it had expired anyway, else EVICTED. */
    final void notifyVictim(K key, V value, long writeTime, long now) {
        if (isExpired(writeTime, now)) {
            expirationCount++;
            notify(key, value, RemovalCause.EXPIRED);
        } else {
            evictionCount++;
            notify(key, value, RemovalCause.EVICTED);
        }
    }

    /** Reports an entry that was refused admission because it alone exceeds the bound. */
    final void rejectOversized(K key, V value) {
        evictionCount++;
        notify(key, value, RemovalCause.EVICTED);
    }

    final void notifyExpired(K key, V value) {
        expirationCount++;
        notify(key, value, RemovalCause.EXPIRED);
    }

    /**
     * Tells the listener. An exception it throws is logged and swallowed (as Caffeine does), so a
     * faulty listener can never leave the cache half-updated or over its bound.
     */
    final void notify(K key, V value, RemovalCause cause) {
        if (listener != null) {
            try {
                listener.onRemoval(key, value, cause);
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "removal listener threw for key " + key
                        + " (" + cause + ")", e);
            }
        }
    }

    // ------------------------------------------------------------------ configuration

    /** The validated configuration a {@link Builder} hands to a baseline's constructor. */
    static final class Config<K, V> {
        final long maximumWeight;
        final Weigher<? super K, ? super V> weigher;
        final long ttlNanos;
        final LongSupplier ticker;
        final RemovalListener<? super K, ? super V> listener;
        final int initialCapacity;

        Config(long maximumWeight, Weigher<? super K, ? super V> weigher, long ttlNanos,
               LongSupplier ticker, RemovalListener<? super K, ? super V> listener, int initialCapacity) {
            this.maximumWeight = maximumWeight;
            this.weigher = weigher;
            this.ttlNanos = ttlNanos;
            this.ticker = ticker;
            this.listener = listener;
            this.initialCapacity = initialCapacity;
        }
    }

    /**
     * A small builder shared by the baselines. Exactly one of {@link #maximumSize(long)} and
     * {@link #maximumWeight(long, Weigher)} must be called; everything else is optional.
     *
     * <pre>{@code
     * LinkedLruCache<String, byte[]> cache = LinkedLruCache.<String, byte[]>builder()
     *         .maximumWeight(64 << 20, (k, v) -> v.length)
     *         .expireAfterWrite(Duration.ofMinutes(5))
     *         .removalListener((k, v, cause) -> log(k, cause))
     *         .build();
     * }</pre>
     *
     * @param <C> the cache type built
     * @param <B> the concrete builder type, for chaining
     */
    public abstract static class Builder<K, V, C extends Cache<K, V>, B extends Builder<K, V, C, B>> {
        private static final long UNSET = -1L;

        private long maximumSize = UNSET;
        private long maximumWeight = UNSET;
        private Weigher<? super K, ? super V> weigher;
        private Duration expireAfterWrite;
        private LongSupplier ticker = System::nanoTime;
        private RemovalListener<? super K, ? super V> listener;
        private int initialCapacity = 16;

        Builder() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Bounds the cache to at most {@code maximumSize} entries (0 admits nothing). */
        public B maximumSize(long maximumSize) {
            if (maximumSize < 0) {
                throw new IllegalArgumentException("maximumSize < 0: " + maximumSize);
            }
            if (this.maximumWeight != UNSET) {
                throw new IllegalStateException("maximumWeight already set");
            }
            this.maximumSize = maximumSize;
            return self();
        }

        /** Bounds the total weight, as measured by {@code weigher}, to at most {@code maximumWeight}. */
        public B maximumWeight(long maximumWeight, Weigher<? super K, ? super V> weigher) {
            if (maximumWeight < 0) {
                throw new IllegalArgumentException("maximumWeight < 0: " + maximumWeight);
            }
            if (this.maximumSize != UNSET) {
                throw new IllegalStateException("maximumSize already set");
            }
            this.maximumWeight = maximumWeight;
            this.weigher = Objects.requireNonNull(weigher, "weigher");
            return self();
        }

        /** Entries expire this long after their last write (put or load). */
        public B expireAfterWrite(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive: " + ttl);
            }
            this.expireAfterWrite = ttl;
            return self();
        }

        /** The time source, in nanoseconds, for expiry; {@link System#nanoTime()} by default. */
        public B ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return self();
        }

        /** Told of every entry that leaves the cache, synchronously. */
        public B removalListener(RemovalListener<? super K, ? super V> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return self();
        }

        /** Presizes the storage for this many entries (it grows on demand regardless). */
        public B initialCapacity(int initialCapacity) {
            if (initialCapacity < 0) {
                throw new IllegalArgumentException("initialCapacity < 0: " + initialCapacity);
            }
            this.initialCapacity = initialCapacity;
            return self();
        }

        public abstract C build();

        final Config<K, V> config() {
            if (maximumSize == UNSET && maximumWeight == UNSET) {
                throw new IllegalStateException("set maximumSize or maximumWeight");
            }
            long ttl = NO_EXPIRY;
            if (expireAfterWrite != null) {
                ttl = saturatedNanos(expireAfterWrite);
            }
            boolean weighted = maximumWeight != UNSET;
            long bound = weighted ? maximumWeight : maximumSize;
            int capacity = weighted ? initialCapacity : (int) Math.min(initialCapacity, bound);
            return new Config<>(bound, weighted ? weigher : null, ttl, ticker, listener, capacity);
        }

        private static long saturatedNanos(Duration duration) {
            try {
                return duration.toNanos();
            } catch (ArithmeticException tooLong) {
                return Long.MAX_VALUE;
            }
        }
    }
}
