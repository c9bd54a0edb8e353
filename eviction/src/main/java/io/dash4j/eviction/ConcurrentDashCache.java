package io.dash4j.eviction;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Function;

/**
 * The thread-safe {@link DashCache}: keys are partitioned (by hash bits the tables do not use for
 * segment ids) over independent single-owner caches, each guarded by its own {@link StampedLock}.
 *
 * <p><b>Reads scale</b>: a lookup is an optimistic read, retried under the shared read lock only
 * when a writer intervened; it takes no exclusive lock. The hit's <b>bump</b> (the slot-order
 * promotion) needs the write lock: a probationary (stash) hit always tries it, a protected hit
 * one time in four; the try converts the read's stamp and fails if anyone wrote meanwhile, and
 * then the bump is <b>dropped</b>. This is the only lossy part, and it only weakens the eviction
 * order (a hot entry climbs a little slower), never correctness. Expired entries found by a read are reported
 * absent and removed by the next write that reaches them.
 *
 * <p>Loads are single-flight per key: concurrent {@code get(key, loader)} or {@link #getAsync}
 * calls for one key share one load.
 */
public final class ConcurrentDashCache<K, V> implements Cache<K, V> {

    /** Optimistic read attempts before a lookup takes the shared read lock. */
    private static final int OPTIMISTIC_ATTEMPTS = 64;
    /** A hit in the front half of a protected bucket bumps with probability 1 / BUMP_ONE_IN. */
    private static final int BUMP_ONE_IN = 4;

    private final DashCache<K, V>[] parts;
    private final StampedLock[] locks;
    private final LongAdder[] hits;
    private final LongAdder[] misses;
    private final LongAdder droppedBumps = new LongAdder();
    private final int mask;
    private final ConcurrentHashMap<KeyRef<K>, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();
    private final io.dash4j.dashtable.KeyStrategy<K> strategy;

    @SuppressWarnings("unchecked")
    ConcurrentDashCache(DashCache.Builder<K, V> b) {
        int n = b.partitions != 0 ? b.partitions : defaultPartitions(b);
        this.parts = new DashCache[n];
        this.locks = new StampedLock[n];
        this.hits = new LongAdder[n];
        this.misses = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            parts[i] = b.copyForPartition(n).buildSingleOwner();
            locks[i] = new StampedLock();
            hits[i] = new LongAdder();
            misses[i] = new LongAdder();
        }
        this.mask = n - 1;
        this.strategy = b.keyStrategy;
    }

    /**
     * Enough partitions for the cores, but each keeps at least ~1000 entries so that segment
     * granularity does not bite a small bound.
     */
    private static int defaultPartitions(DashCache.Builder<?, ?> b) {
        int cores = Runtime.getRuntime().availableProcessors();
        int want = Integer.highestOneBit(Math.max(1, cores * 4 - 1) * 2);
        long bound = Math.min(b.maximumSize, b.maximumWeight);
        if (bound != Long.MAX_VALUE) {
            long byBound = Math.max(1, bound / 1000);
            want = (int) Math.min(want, Long.highestOneBit(byBound));
        }
        return Math.max(1, Math.min(want, 64));
    }

    /** Partition {@code i}, for tests that look at slot positions. */
    DashCache<K, V> partitionCache(int i) {
        return parts[i];
    }

    private int partition(long hash) {
        // bits 24.. are used by neither fingerprint (0-7) nor segment ids (top bits) of a partition's table
        return (int) (hash >>> 24) & mask;
    }

    @Override
    public V getIfPresent(K key) {
        Objects.requireNonNull(key, "key");
        long hash = parts[0].hash(key);
        int p = partition(hash);
        DashCache<K, V> part = parts[p];
        StampedLock lock = locks[p];
        long pos = -1;
        Object stored = null;
        long stamp = 0;
        // Optimistic attempts, spinning while a writer (usually a short bump) holds the lock,
        // before the read lock: the read lock may queue (and allocate) behind the writer, while
        // a retried optimistic read costs nothing.
        for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS && stamp == 0; attempt++) {
            if (attempt > 0) {
                Thread.onSpinWait();
            }
            stamp = lock.tryOptimisticRead();
            if (stamp != 0) {
                try {
                    pos = part.locate(key, hash);
                    stored = pos >= 0 ? part.storedAt(pos) : null;
                } catch (RuntimeException torn) {
                    stamp = 0; // a concurrent writer moved things under us
                }
                if (stamp != 0 && !lock.validate(stamp)) {
                    stamp = 0;
                }
            }
        }
        if (stamp == 0) {
            stamp = 0;
            long rs = lock.readLock();
            try {
                pos = part.locate(key, hash);
                stored = pos >= 0 ? part.storedAt(pos) : null;
            } finally {
                lock.unlockRead(rs);
            }
        }
        V v = stored == null ? null : part.liveValue(stored);
        if (v == null) {
            misses[p].increment();
            if (stored != null) {
                // present but expired: remove it now so the listener hears EXPIRED
                long ws = lock.writeLock();
                try {
                    part.removeIfExpired(key, hash);
                } finally {
                    lock.unlockWrite(ws);
                }
            }
            return null;
        }
        hits[p].increment();
        if (part.wouldBump(pos) && (part.isProbation(pos) || part.isInBackHalf(pos) || ThreadLocalRandom.current().nextInt(BUMP_ONE_IN) == 0)) {
            // The bump needs the write lock. Converting the optimistic stamp succeeds only if no
            // writer came in since the read, so the position is still current; otherwise (or when
            // the lock is busy) the bump is dropped: the lossy part of this cache. Hits in the
            // front half of a protected bucket are also sampled (one in BUMP_ONE_IN takes the
            // lock), so that readers of hot entries mostly leave the lock alone; a hit in the back
            // half (next in line for demotion) or in probation (which decides promotion) always
            // tries. Sampling every protected hit instead cost 1.0 point of hit ratio on the ARC
            // traces (46.62 -> 45.60, sim policy dash2q-concurrent); this rule costs 0.08.
            long ws = stamp != 0 ? lock.tryConvertToWriteLock(stamp) : 0;
            if (ws != 0) {
                try {
                    part.bumpAt(pos, hash);
                } finally {
                    lock.unlockWrite(ws);
                }
            } else {
                droppedBumps.increment();
            }
        }
        return v;
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
     * with null caches nothing; one that fails is counted and not cached.
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
            try {
                if (error == null && value != null) {
                    putIfAbsent(key, value);
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
                mine.complete(value);
            }
        });
        return mine;
    }

    /** Like {@link #getAsync(Object, Function)} with a synchronous loader run on {@code executor}. */
    public CompletableFuture<V> getAsync(K key, Function<? super K, ? extends V> loader, Executor executor) {
        return getAsync(key, k -> CompletableFuture.supplyAsync(() -> loader.apply(k), executor));
    }

    private V peekLocked(K key) {
        long hash = parts[0].hash(key);
        int p = partition(hash);
        long stamp = locks[p].readLock();
        try {
            long pos = parts[p].locate(key, hash);
            return pos < 0 ? null : parts[p].liveValue(parts[p].storedAt(pos));
        } finally {
            locks[p].unlockRead(stamp);
        }
    }

    private void recordLoad(K key, boolean success) {
        int p = partition(parts[0].hash(key));
        long stamp = locks[p].writeLock();
        try {
            parts[p].recordLoad(success);
        } finally {
            locks[p].unlockWrite(stamp);
        }
    }

    // Writes take the partition's write lock. They are spelled out (no lambda per call) so a
    // put allocates nothing of its own.

    @Override
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        int p = partition(parts[0].hash(key));
        long stamp = locks[p].writeLock();
        try {
            parts[p].put(key, value);
        } finally {
            locks[p].unlockWrite(stamp);
        }
    }

    /** Stores with a per-entry time to live ({@link DashCache#put(Object, Object, long)}). */
    public void put(K key, V value, long ttlNanos) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        int p = partition(parts[0].hash(key));
        long stamp = locks[p].writeLock();
        try {
            parts[p].put(key, value, ttlNanos);
        } finally {
            locks[p].unlockWrite(stamp);
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        int p = partition(parts[0].hash(key));
        long stamp = locks[p].writeLock();
        try {
            return parts[p].putIfAbsent(key, value);
        } finally {
            locks[p].unlockWrite(stamp);
        }
    }

    @Override
    public V remove(K key) {
        Objects.requireNonNull(key, "key");
        int p = partition(parts[0].hash(key));
        long stamp = locks[p].writeLock();
        try {
            return parts[p].remove(key);
        } finally {
            locks[p].unlockWrite(stamp);
        }
    }

    /** Pins a key: never evicted, never moved. */
    public boolean stick(K key) {
        Objects.requireNonNull(key, "key");
        int p = partition(parts[0].hash(key));
        long stamp = locks[p].writeLock();
        try {
            return parts[p].stick(key);
        } finally {
            locks[p].unlockWrite(stamp);
        }
    }

    @Override
    public void invalidateAll() {
        for (int i = 0; i < parts.length; i++) {
            long stamp = locks[i].writeLock();
            try {
                parts[i].invalidateAll();
            } finally {
                locks[i].unlockWrite(stamp);
            }
        }
    }

    /** Removes every expired entry now. */
    public void cleanUp() {
        for (int i = 0; i < parts.length; i++) {
            long stamp = locks[i].writeLock();
            try {
                parts[i].cleanUp();
            } finally {
                locks[i].unlockWrite(stamp);
            }
        }
    }

    @Override
    public long size() {
        long n = 0;
        for (int i = 0; i < parts.length; i++) {
            long stamp = locks[i].readLock();
            try {
                n += parts[i].size();
            } finally {
                locks[i].unlockRead(stamp);
            }
        }
        return n;
    }

    @Override
    public long weightedSize() {
        long n = 0;
        for (int i = 0; i < parts.length; i++) {
            long stamp = locks[i].readLock();
            try {
                n += parts[i].weightedSize();
            } finally {
                locks[i].unlockRead(stamp);
            }
        }
        return n;
    }

    @Override
    public CacheStats stats() {
        CacheStats total = CacheStats.EMPTY;
        for (int i = 0; i < parts.length; i++) {
            CacheStats s;
            long stamp = locks[i].readLock();
            try {
                s = parts[i].stats();
            } finally {
                locks[i].unlockRead(stamp);
            }
            // reads are counted here, not in the partition (they never lock it exclusively)
            total = total.plus(new CacheStats(s.hitCount() + hits[i].sum(), s.missCount() + misses[i].sum(),
                    s.evictionCount(), s.bumpCount(), s.expirationCount(), s.loadSuccessCount(), s.loadFailureCount()));
        }
        return total;
    }

    /** Bumps skipped because the partition's write lock was busy (the lossy part). */
    public long droppedBumps() {
        return droppedBumps.sum();
    }

    public int partitionCount() {
        return parts.length;
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
