package io.dash4j.eviction;

import io.dash4j.dashtable.DashTable;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The thread-safe {@link DashCache}: keys are partitioned (by hash bits the tables do not use for
 * segment ids) over independent single-owner caches, each guarded by its own {@link SequenceLock}.
 *
 * <pre>
 *  get(k):  hash -> partition p
 *           optimistic read of p (version, locate, version again; no write)  --retry--+
 *           hit/miss counted in this thread's row of {@link StripedCounters}          |
 *           a hit that should bump: (stored key, position) -> p's {@link ReadBuffer}  |
 *                                     ring full? tryLock(p) and drain that ring       |
 *  put(k):  lock(p) -> drain p's buffer (apply the recorded bumps) -> put -> unlock   |
 *                      (eviction, size and weight stay inside partition p)  <---------+
 * </pre>
 *
 * <p><b>Reads write no shared cache line</b>: the lookup validates a version instead of locking,
 * the counters are per stripe, and the bump is recorded in the thread's stripe of the partition's
 * read buffer; the bumps reach the table in batches, under the lock, when a writer drains every
 * ring of its partition or a reader whose ring filled drains that ring. <b>What is lossy</b>: a record is dropped when its ring is
 * full and the lock busy, or when two threads sharing a stripe race for one slot
 * ({@link #droppedBumps()}); a bump applied late finds its entry where it moved, or not at all if
 * it left. This only slows an entry's climb, never correctness; in the simulator (one thread, so
 * nothing dropped, every bump up to 16 hits late) the hit ratio is within 0.03 of the single owner
 * on the ARC traces (docs/eviction.md).
 * Hits, misses and loads are counted exactly. Expired entries found by a read are reported absent
 * and removed under the lock.
 *
 * <p><b>Writes scale</b>: a write locks only its partition; eviction, size and weight are the
 * partition's own (a partition holds 1/n of the bound), so puts to different partitions share
 * nothing.
 *
 * <p>Loads are single-flight per key: concurrent {@code get(key, loader)} or {@link #getAsync}
 * calls for one key share one load. The removal listener runs under the partition's lock and
 * must not call back into the cache.
 */
public final class ConcurrentDashCache<K, V> implements Cache<K, V> {

    /** Optimistic read attempts before a lookup takes the partition's lock. */
    private static final int OPTIMISTIC_ATTEMPTS = 64;

    private final Partition<K, V>[] parts;
    private final StripedCounters counters;
    private final int mask;
    private final ConcurrentHashMap<KeyRef<K>, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();
    private final io.dash4j.dashtable.KeyStrategy<K> strategy;

    @SuppressWarnings("unchecked")
    ConcurrentDashCache(DashCache.Builder<K, V> b) {
        int n = b.partitions != 0 ? b.partitions : defaultPartitions(b);
        int stripes = Stripes.count();
        this.parts = new Partition[n];
        for (int i = 0; i < n; i++) {
            parts[i] = new Partition<>(b.copyForPartition(n).buildSingleOwner(), stripes);
        }
        this.counters = new StripedCounters(stripes);
        this.mask = n - 1;
        this.strategy = b.keyStrategy;
    }

    /**
     * Eight partitions per core, so that two writers rarely meet on one lock, but each keeps at
     * least ~1000 entries so that segment granularity does not bite a small bound.
     */
    private static int defaultPartitions(DashCache.Builder<?, ?> b) {
        int cores = Runtime.getRuntime().availableProcessors();
        int want = Integer.highestOneBit(Math.max(1, cores * 8));
        long bound = Math.min(b.maximumSize, b.maximumWeight);
        if (bound != Long.MAX_VALUE) {
            long byBound = Math.max(1, bound / 1000);
            want = (int) Math.min(want, Long.highestOneBit(byBound));
        }
        return Math.max(1, Math.min(want, 64));
    }

    /** Partition {@code i}, for tests that look at slot positions. */
    DashCache<K, V> partitionCache(int i) {
        return parts[i].cache;
    }

    private int partition(long hash) {
        // bits 24.. are used by neither fingerprint (0-7) nor segment ids (top bits) of a partition's table
        return (int) (hash >>> 24) & mask;
    }

    private Partition<K, V> partitionFor(K key) {
        return parts[partition(parts[0].cache.hash(key))];
    }

    @Override
    public V getIfPresent(K key) {
        Objects.requireNonNull(key, "key");
        long hash = parts[0].cache.hash(key);
        Partition<K, V> part = parts[partition(hash)];
        DashCache<K, V> cache = part.cache;
        SequenceLock lock = part.lock;
        long pos = -1;
        Object stored = null;
        K storedKey = null;
        boolean bump = false;
        // Optimistic attempts (each: version, lookup, version again) and, if writers keep
        // interfering, one under the lock. A torn optimistic read can only throw or return
        // garbage, and either is discarded when the version moved.
        for (int attempt = 0; ; attempt++) {
            boolean locked = attempt >= OPTIMISTIC_ATTEMPTS;
            long version = 0;
            if (locked) {
                lock.lock();
            } else {
                version = lock.startRead();
                if (SequenceLock.isWriting(version)) {
                    Thread.onSpinWait();
                    continue;
                }
            }
            try {
                pos = cache.locate(key, hash);
                stored = pos >= 0 ? cache.storedAt(pos) : null;
                storedKey = pos >= 0 ? cache.table().keyAt(pos) : null;
                bump = pos >= 0 && cache.wouldBump(pos); // nothing to record (DashCache.wouldBump)
            } catch (RuntimeException torn) {
                if (locked) {
                    throw torn;
                }
                continue;
            } finally {
                if (locked) {
                    lock.unlock();
                }
            }
            if (locked || lock.validate(version)) {
                break;
            }
        }
        V value = stored == null ? null : cache.liveValue(stored);
        if (value == null) {
            counters.increment(StripedCounters.MISSES);
            if (stored != null) {
                // present but expired: remove it now so the listener hears EXPIRED
                part.lockAndDrain();
                try {
                    cache.removeIfExpired(key, hash);
                } finally {
                    lock.unlock();
                }
            }
            return null;
        }
        counters.increment(StripedCounters.HITS);
        if (bump) {
            part.recordBump(storedKey, pos, counters);
        }
        return value;
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> loader) {
        Objects.requireNonNull(loader, "loader");
        V v = getIfPresent(key);
        if (v != null) {
            return v;
        }
        try {
            return load(key, k -> CompletableFuture.completedFuture(loader.apply(k))).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * The value for {@code key}, loading it asynchronously on a miss. One load per key at a time:
     * callers that arrive while a load is in flight get the same future. A load that completes
     * with null caches nothing; one that fails is counted and not cached. If a writer stored the
     * key meanwhile, the stored value wins and the callers get it.
     */
    public CompletableFuture<V> getAsync(K key, Function<? super K, ? extends CompletableFuture<? extends V>> loader) {
        V v = getIfPresent(key);
        if (v != null) {
            return CompletableFuture.completedFuture(v);
        }
        return load(key, loader);
    }

    /** The load after a counted miss: joins a load in flight for the key, or starts one. */
    private CompletableFuture<V> load(K key, Function<? super K, ? extends CompletableFuture<? extends V>> loader) {
        KeyRef<K> ref = new KeyRef<>(key, strategy);
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> existing = inFlight.putIfAbsent(ref, mine);
        if (existing != null) {
            return existing;
        }
        // re-check: a load may have finished between our miss and our registration
        V now = peekLocked(key);
        if (now != null) {
            inFlight.remove(ref, mine);
            mine.complete(now);
            return mine;
        }
        CompletableFuture<? extends V> load;
        try {
            load = Objects.requireNonNull(loader.apply(key), "loader returned a null future");
        } catch (RuntimeException | Error e) {
            recordLoad(key, false);
            inFlight.remove(ref, mine);
            mine.completeExceptionally(e);
            return mine;
        }
        load.whenComplete((value, error) -> {
            V result = value;
            try {
                if (error == null && value != null) {
                    // A writer may have stored the key while we loaded: then its value wins and is
                    // what the load's callers get, as if the load had come after it (Lincheck found
                    // that returning our value there was not linearizable).
                    V present = putIfAbsent(key, value);
                    if (present != null) {
                        result = present;
                    }
                    recordLoad(key, true);
                } else {
                    recordLoad(key, false);
                }
            } finally {
                inFlight.remove(ref, mine);
            }
            if (error != null) {
                mine.completeExceptionally(error instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : error);
            } else {
                mine.complete(result);
            }
        });
        return mine;
    }

    /** Like {@link #getAsync(Object, Function)} with a synchronous loader run on {@code executor}. */
    public CompletableFuture<V> getAsync(K key, Function<? super K, ? extends V> loader, Executor executor) {
        return getAsync(key, k -> CompletableFuture.supplyAsync(() -> loader.apply(k), executor));
    }

    private V peekLocked(K key) {
        long hash = parts[0].cache.hash(key);
        Partition<K, V> part = parts[partition(hash)];
        part.lockAndDrain();
        try {
            long pos = part.cache.locate(key, hash);
            return pos < 0 ? null : part.cache.liveValue(part.cache.storedAt(pos));
        } finally {
            part.lock.unlock();
        }
    }

    private void recordLoad(K key, boolean success) {
        Partition<K, V> part = partitionFor(key);
        part.lockAndDrain();
        try {
            part.cache.recordLoad(success);
        } finally {
            part.lock.unlock();
        }
    }

    // Writes lock their partition and first apply the bumps its readers recorded. They are
    // spelled out (no lambda per call) so a put allocates nothing of its own.

    @Override
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Partition<K, V> part = partitionFor(key);
        part.lockAndDrain();
        try {
            part.cache.put(key, value);
        } finally {
            part.lock.unlock();
        }
    }

    /** Stores with a per-entry time to live ({@link DashCache#put(Object, Object, long)}). */
    public void put(K key, V value, long ttlNanos) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Partition<K, V> part = partitionFor(key);
        part.lockAndDrain();
        try {
            part.cache.put(key, value, ttlNanos);
        } finally {
            part.lock.unlock();
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Partition<K, V> part = partitionFor(key);
        part.lockAndDrain();
        try {
            return part.cache.putIfAbsent(key, value);
        } finally {
            part.lock.unlock();
        }
    }

    @Override
    public V remove(K key) {
        Objects.requireNonNull(key, "key");
        Partition<K, V> part = partitionFor(key);
        part.lockAndDrain();
        try {
            return part.cache.remove(key);
        } finally {
            part.lock.unlock();
        }
    }

    /** Pins a key: never evicted, never moved. */
    public boolean stick(K key) {
        Objects.requireNonNull(key, "key");
        Partition<K, V> part = partitionFor(key);
        part.lockAndDrain();
        try {
            return part.cache.stick(key);
        } finally {
            part.lock.unlock();
        }
    }

    @Override
    public void invalidateAll() {
        for (Partition<K, V> part : parts) {
            part.lock.lock();
            try {
                part.buffer.clear();
                part.cache.invalidateAll();
            } finally {
                part.lock.unlock();
            }
        }
    }

    /** Removes every expired entry now (and applies every recorded bump). */
    public void cleanUp() {
        for (Partition<K, V> part : parts) {
            part.lockAndDrain();
            try {
                part.cache.cleanUp();
            } finally {
                part.lock.unlock();
            }
        }
    }

    @Override
    public long size() {
        long n = 0;
        for (Partition<K, V> part : parts) {
            n += part.readStable(DashCache::size);
        }
        return n;
    }

    @Override
    public long weightedSize() {
        long n = 0;
        for (Partition<K, V> part : parts) {
            n += part.readStable(DashCache::weightedSize);
        }
        return n;
    }

    /**
     * The partitions' counters (evictions, bumps, expirations, loads) plus the reads, which are
     * counted per stripe here because they never lock a partition. Bumps count those applied.
     */
    @Override
    public CacheStats stats() {
        CacheStats total = new CacheStats(counters.sum(StripedCounters.HITS), counters.sum(StripedCounters.MISSES), 0, 0, 0, 0, 0);
        for (Partition<K, V> part : parts) {
            CacheStats s;
            part.lock.lock();
            try {
                s = part.cache.stats();
            } finally {
                part.lock.unlock();
            }
            // the partition's own hit and miss counts stay 0: reads never go through its getIfPresent
            total = total.plus(s);
        }
        return total;
    }

    /** Recorded bumps dropped because a read buffer was full and its partition busy (the lossy part). */
    public long droppedBumps() {
        return counters.sum(StripedCounters.DROPPED_BUMPS);
    }

    public int partitionCount() {
        return parts.length;
    }

    /**
     * One partition: a single-owner cache, the lock that guards it, and the buffer of bumps its
     * readers recorded. Whoever holds the lock may drain the buffer; {@link #visit} applies one
     * recorded bump.
     */
    private static final class Partition<K, V> implements ReadBuffer.Visitor<K> {
        /** Attempts at an optimistic read of a field before {@link #readStable} locks. */
        private static final int STABLE_ATTEMPTS = 16;

        final DashCache<K, V> cache;
        final SequenceLock lock = new SequenceLock();
        final ReadBuffer<K> buffer;

        Partition(DashCache<K, V> cache, int stripes) {
            this.cache = cache;
            this.buffer = new ReadBuffer<>(stripes);
        }

        /** Takes the lock and applies the recorded bumps, oldest first (the caller unlocks). */
        void lockAndDrain() {
            lock.lock();
            if (buffer.mayHoldHits()) {
                buffer.drain(this);
            }
        }

        /** Records a reader's bump; when its ring filled, drains that ring if the lock is free right now. */
        void recordBump(K storedKey, long pos, StripedCounters counters) {
            int r = buffer.offer(storedKey, pos);
            if (r == ReadBuffer.DROPPED) {
                counters.increment(StripedCounters.DROPPED_BUMPS);
            }
            if (r != ReadBuffer.RECORDED && lock.tryLock()) {
                try {
                    buffer.drainOwn(this);
                } finally {
                    lock.unlock();
                }
            }
        }

        /**
         * Applies a recorded bump (lock held). The entry may have moved since the read (other
         * bumps, an insert's displacement, an eviction shifting its stash bucket): if the slot no
         * longer holds the same key instance, the key is looked up again; if it left, nothing.
         */
        @Override
        public void visit(K storedKey, long pos) {
            DashTable<K, Object> table = cache.table();
            long hash = cache.hash(storedKey);
            if ((int) (pos >>> 16) >= table.directorySize() || table.keyAt(pos) != storedKey) {
                pos = cache.locate(storedKey, hash);
                if (pos < 0) {
                    return;
                }
            }
            cache.bumpAt(pos, hash);
        }

        /** A counter of the partition read without locking unless writers keep interfering. */
        long readStable(java.util.function.ToLongFunction<DashCache<K, V>> field) {
            for (int attempt = 0; attempt < STABLE_ATTEMPTS; attempt++) {
                long version = lock.startRead();
                if (!SequenceLock.isWriting(version)) {
                    long value = field.applyAsLong(cache);
                    if (lock.validate(version)) {
                        return value;
                    }
                }
                Thread.onSpinWait();
            }
            lock.lock();
            try {
                return field.applyAsLong(cache);
            } finally {
                lock.unlock();
            }
        }
    }

    /** A key compared with the cache's key strategy (so byte[] keys work by content). */
    private static final class KeyRef<K> {
        final K key;
        final io.dash4j.dashtable.KeyStrategy<K> strategy;
        final int hash;

        KeyRef(K key, io.dash4j.dashtable.KeyStrategy<K> strategy) {
            this.key = key;
            this.strategy = strategy;
            this.hash = Long.hashCode(strategy.hash(key, 0));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyRef<?> r && strategy.equals(key, uncheckedKey(r));
        }

        @SuppressWarnings("unchecked")
        private K uncheckedKey(KeyRef<?> r) {
            return (K) r.key;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
