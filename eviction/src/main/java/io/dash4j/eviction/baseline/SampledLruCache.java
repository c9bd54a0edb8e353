package io.dash4j.eviction.baseline;

import io.dash4j.eviction.RemovalCause;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Redis-style approximated LRU ({@code maxmemory-policy allkeys-lru}): no recency list at all.
 * Each entry records the logical clock of its last access (hit or write); to make room the cache
 * samples {@link Builder#samples(int) samples} random entries (5 by default, as Redis's
 * {@code maxmemory-samples 5}) and evicts the one with the oldest access.
 *
 * <h2>The eviction pool</h2>
 * Like Redis ({@code evict.c}, {@code evictionPoolPopulate}) the cache keeps an <em>eviction
 * pool</em> of the {@link Builder#poolSize(int) best candidates} seen across samplings (16 by
 * default): each eviction first merges a fresh sample into the pool — sorted from most to least
 * recently accessed, dropping the most recent candidate when full and ignoring a sample more
 * recent than every candidate of a full pool — then evicts the pool's oldest candidate. So
 * good candidates found by earlier samplings are not forgotten, which brings the choice much
 * closer to true LRU than picking the best of each sample alone.
 *
 * <p>A pool entry remembers the candidate's slot and its access stamp. Stamps are unique (the
 * clock ticks on every access), so a candidate accessed, removed or replaced since it was pooled
 * no longer matches its stamp and is discarded when met: unlike Redis, which re-checks only that
 * the key still exists, a candidate touched after pooling is never evicted on stale information.
 * A {@code poolSize} of 0 disables the pool: each eviction takes the oldest of its own sample
 * (Redis before 3.0).
 *
 * <h2>Layout</h2>
 * Entries are dense in parallel arrays, slots {@code [0, size)}, so a uniform random sample is a
 * random index (O(1)); removal moves the last entry into the hole. A fastutil
 * {@link Object2IntOpenHashMap} maps keys to slots. Differences from Redis worth knowing: the
 * clock is a per-access counter rather than a 24-bit seconds clock, so ties never happen; samples
 * are drawn uniformly with replacement rather than from contiguous hash buckets; with at most
 * {@code samples} entries every entry is considered, making the choice exact.
 *
 * <p><b>Not thread-safe</b>: single-threaded by design. See {@link AbstractBaselineCache} for the
 * semantics shared by the baselines; the arrays and the logic over them are
 * {@link ArrayBaselineCache}'s, shared with {@link ArenaLruCache}. A bump is counted for every
 * hit (it refreshes the clock).
 */
public final class SampledLruCache<K, V> extends ArrayBaselineCache<K, V> {

    /** Redis's {@code maxmemory-samples} default. */
    public static final int DEFAULT_SAMPLES = 5;
    /** Redis's {@code EVPOOL_SIZE}. */
    public static final int DEFAULT_POOL_SIZE = 16;
    /** The default random seed, fixed so runs are reproducible. */
    public static final long DEFAULT_SEED = 0x5A3B1EDL;

    private final int samples;
    private final SplittableRandom random;

    /** Logical time of each entry's last access. */
    private long[] stamps;
    /** Entries occupy slots {@code [0, size)}. */
    private int size;
    /** Ticks on every access; stamps are unique. */
    private long clock;

    /** Pool slots, ordered from most recently accessed (index 0) to the best victim (last). */
    private final int[] poolSlots;
    private final long[] poolStamps;
    private int poolCount;

    /** A slot that must not be chosen as victim (an entry being replaced), or NIL. */
    private int protectedSlot = NIL;

    /** A cache of at most {@code maximumSize} entries, no expiry, no listener, Redis defaults. */
    public SampledLruCache(long maximumSize) {
        this(SampledLruCache.<K, V>builder().maximumSize(maximumSize));
    }

    private SampledLruCache(Builder<K, V> builder) {
        this(builder, builder.config());
    }

    private SampledLruCache(Builder<K, V> builder, Config<K, V> config) {
        super(config);
        this.samples = builder.samples;
        this.random = new SplittableRandom(builder.seed);
        this.poolSlots = new int[builder.poolSize];
        this.poolStamps = new long[builder.poolSize];
        this.stamps = new long[keys.length];
    }

    public static <K, V> Builder<K, V> builder() {
        return new Builder<>();
    }

    /** Builds a {@link SampledLruCache}; see {@link AbstractBaselineCache.Builder}. */
    public static final class Builder<K, V>
            extends AbstractBaselineCache.Builder<K, V, SampledLruCache<K, V>, Builder<K, V>> {
        private int samples = DEFAULT_SAMPLES;
        private int poolSize = DEFAULT_POOL_SIZE;
        private long seed = DEFAULT_SEED;

        Builder() {
        }

        /** Entries sampled per eviction (Redis {@code maxmemory-samples}); at least 1. */
        public Builder<K, V> samples(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("samples < 1: " + samples);
            }
            this.samples = samples;
            return this;
        }

        /** Candidates kept across evictions; 0 disables the pool. */
        public Builder<K, V> poolSize(int poolSize) {
            if (poolSize < 0) {
                throw new IllegalArgumentException("poolSize < 0: " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /** Seed of the sampling random generator. */
        public Builder<K, V> randomSeed(long seed) {
            this.seed = seed;
            return this;
        }

        @Override
        public SampledLruCache<K, V> build() {
            return new SampledLruCache<>(this);
        }
    }

    /** Entries sampled per eviction. */
    public int samples() {
        return samples;
    }

    /** Capacity of the eviction pool (0 when disabled). */
    public int poolSize() {
        return poolSlots.length;
    }

    // ------------------------------------------------------------------ primitives

    @Override
    V lookup(K key) {
        int slot = liveSlot(key);
        if (slot == NIL) {
            return null;
        }
        stamps[slot] = ++clock;
        bumpCount++;
        return valueAt(slot);
    }

    @Override
    void inserted(int slot) {
        stamps[slot] = ++clock;
    }

    @Override
    void replaced(int slot, long now) {
        stamps[slot] = ++clock;
        protectedSlot = slot;
        try {
            evictWhileOver(0, now);
        } finally {
            protectedSlot = NIL;
        }
    }

    @Override
    void clear() {
        int n = size;
        index.clear();
        size = 0;
        weight = 0;
        poolCount = 0;
        // The listener must not call back, so the arrays stay intact while we walk them.
        for (int slot = 0; slot < n; slot++) {
            K k = keyAt(slot);
            V v = valueAt(slot);
            keys[slot] = null;
            values[slot] = null;
            notify(k, v, RemovalCause.EXPLICIT);
        }
    }

    // ------------------------------------------------------------------ eviction

    @Override
    void evictWhileOver(int incoming, long now) {
        int floor = protectedSlot == NIL ? 0 : 1;
        while (size > floor && weight + incoming > maximumWeight) {
            evictSlot(selectVictim(), now);
        }
    }

    /** Requires at least one entry other than the protected one. */
    private int selectVictim() {
        if (poolSlots.length == 0) {
            return oldestOfSample();
        }
        while (true) {
            populatePool();
            while (poolCount > 0) {
                int i = --poolCount;
                int slot = poolSlots[i];
                if (slot < size && stamps[slot] == poolStamps[i] && slot != protectedSlot) {
                    return slot;
                }
                // stale: accessed, replaced or removed since it was pooled
            }
        }
    }

    /** Without a pool: the least recently accessed entry of one sample. */
    private int oldestOfSample() {
        while (true) {
            int best = NIL;
            if (size <= samples) {
                for (int slot = 0; slot < size; slot++) {
                    if (slot != protectedSlot && (best == NIL || stamps[slot] < stamps[best])) {
                        best = slot;
                    }
                }
            } else {
                for (int i = 0; i < samples; i++) {
                    int slot = random.nextInt(size);
                    if (slot != protectedSlot && (best == NIL || stamps[slot] < stamps[best])) {
                        best = slot;
                    }
                }
            }
            if (best != NIL) {
                return best;
            }
        }
    }

    /** Merges one sample into the pool (Redis's evictionPoolPopulate). */
    private void populatePool() {
        if (size <= samples) {
            for (int slot = 0; slot < size; slot++) {
                offer(slot);
            }
        } else {
            for (int i = 0; i < samples; i++) {
                offer(random.nextInt(size));
            }
        }
    }

    private void offer(int slot) {
        if (slot == protectedSlot) {
            return;
        }
        long stamp = stamps[slot];
        int capacity = poolSlots.length;
        // k: the first candidate at least as old as this one (the pool runs newest → oldest).
        int k = 0;
        while (k < poolCount && poolStamps[k] > stamp) {
            k++;
        }
        if (k < poolCount && poolStamps[k] == stamp) {
            return; // already pooled (stamps are unique)
        }
        if (k == 0 && poolCount == capacity) {
            return; // more recent than every candidate of a full pool
        }
        if (poolCount < capacity) {
            System.arraycopy(poolSlots, k, poolSlots, k + 1, poolCount - k);
            System.arraycopy(poolStamps, k, poolStamps, k + 1, poolCount - k);
            poolCount++;
        } else {
            // Full: drop the most recent candidate (index 0) and insert just before position k.
            k--;
            System.arraycopy(poolSlots, 1, poolSlots, 0, k);
            System.arraycopy(poolStamps, 1, poolStamps, 0, k);
        }
        poolSlots[k] = slot;
        poolStamps[k] = stamp;
    }

    // ------------------------------------------------------------------ slots

    @Override
    int allocate() {
        if (size == keys.length) {
            grow();
        }
        return size++;
    }

    /** Unindexes {@code slot} and moves the last entry into it, keeping slots dense. */
    @Override
    void free(int slot) {
        unindex(slot);
        int last = --size;
        if (slot != last) {
            keys[slot] = keys[last];
            values[slot] = values[last];
            stamps[slot] = stamps[last];
            if (weights != null) {
                weights[slot] = weights[last];
            }
            if (writeTimes != null) {
                writeTimes[slot] = writeTimes[last];
            }
            index.put(keyAt(slot), slot);
            for (int i = 0; i < poolCount; i++) {
                if (poolSlots[i] == last) {
                    poolSlots[i] = slot;
                }
            }
            if (protectedSlot == last) {
                protectedSlot = slot;
            }
        }
        keys[last] = null;
        values[last] = null;
    }

    @Override
    void grown(int newCapacity) {
        stamps = Arrays.copyOf(stamps, newCapacity);
    }
}
