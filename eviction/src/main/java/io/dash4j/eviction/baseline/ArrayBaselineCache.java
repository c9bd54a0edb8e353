package io.dash4j.eviction.baseline;

import io.dash4j.eviction.RemovalCause;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.Arrays;

/**
 * What the two array baselines share: entries in parallel arrays indexed by an int slot (keys,
 * values, weights, write times) and a fastutil {@link Object2IntOpenHashMap} from key to slot,
 * with the lookup, replace, insert, remove and expiry logic written once. A subclass says how a
 * slot is handed out and freed, what a hit, an insert and a replacement do to its order, and
 * which entry is the victim: {@link ArenaLruCache} threads a recency list through the slots,
 * {@link SampledLruCache} keeps them dense and stamps each access.
 */
abstract sealed class ArrayBaselineCache<K, V> extends AbstractBaselineCache<K, V>
        permits ArenaLruCache, SampledLruCache {

    static final int NIL = -1;
    /** Largest arrays this class will allocate. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;

    final Object2IntOpenHashMap<K> index;
    Object[] keys;
    Object[] values;
    /** Null for an entry-count bound (every entry weighs one). */
    int[] weights;
    /** Null when nothing expires. */
    long[] writeTimes;
    long weight;

    ArrayBaselineCache(Config<K, V> config) {
        super(config);
        int capacity = Math.max(1, config.initialCapacity);
        this.index = new Object2IntOpenHashMap<>(capacity);
        this.index.defaultReturnValue(NIL);
        this.keys = new Object[capacity];
        this.values = new Object[capacity];
        this.weights = config.weigher == null ? null : new int[capacity];
        this.writeTimes = config.ttlNanos == NO_EXPIRY ? null : new long[capacity];
    }

    // ------------------------------------------------------------------ what a subclass decides

    /** A free slot for a new entry (growing the arrays with {@link #grow} when needed). */
    abstract int allocate();

    /** Unindexes {@code slot}, takes its weight off and frees it ({@link #unindex} does the first two). */
    abstract void free(int slot);

    /** A new entry was written into {@code slot}. */
    abstract void inserted(int slot);

    /**
     * The entry at {@code slot} got a new value (weights and time already updated): record the
     * write as an access and evict down to the bound without evicting this entry.
     */
    abstract void replaced(int slot, long now);

    /** Evicts until {@code incoming} more weight fits. */
    abstract void evictWhileOver(int incoming, long now);

    /** The arrays were reallocated at {@code newCapacity}: reallocate the subclass's own. */
    abstract void grown(int newCapacity);

    // ------------------------------------------------------------------ the shared logic

    /** The key's slot, or NIL when absent or expired (an expired entry is removed and reported). */
    final int liveSlot(K key) {
        int slot = index.getInt(key);
        if (slot != NIL && writeTimes != null && isExpired(writeTimes[slot], now())) {
            expireSlot(slot);
            return NIL;
        }
        return slot;
    }

    @Override
    final V peek(K key) {
        int slot = liveSlot(key);
        return slot == NIL ? null : valueAt(slot);
    }

    @Override
    final void store(K key, V value, int newWeight) {
        long now = now();
        int slot = index.getInt(key);
        if (slot != NIL) {
            if (writeTimes != null && isExpired(writeTimes[slot], now)) {
                expireSlot(slot);
                // fall through to a fresh insert
            } else if (oversized(newWeight)) {
                V old = valueAt(slot);
                K oldKey = keyAt(slot);
                free(slot);
                notify(oldKey, old, RemovalCause.REPLACED);
                rejectOversized(key, value);
                return;
            } else {
                V old = valueAt(slot);
                weight += newWeight - weightAt(slot);
                values[slot] = value;
                written(slot, newWeight, now);
                replaced(slot, now);
                notify(key, old, RemovalCause.REPLACED);
                return;
            }
        }
        if (oversized(newWeight)) {
            rejectOversized(key, value);
            return;
        }
        evictWhileOver(newWeight, now);
        int fresh = allocate();
        keys[fresh] = key;
        values[fresh] = value;
        written(fresh, newWeight, now);
        inserted(fresh);
        index.put(key, fresh);
        weight += newWeight;
    }

    private void written(int slot, int newWeight, long now) {
        if (weights != null) {
            weights[slot] = newWeight;
        }
        if (writeTimes != null) {
            writeTimes[slot] = now;
        }
    }

    @Override
    final V removeEntry(K key) {
        int slot = liveSlot(key);
        if (slot == NIL) {
            return null;
        }
        V old = valueAt(slot);
        K oldKey = keyAt(slot);
        free(slot);
        notify(oldKey, old, RemovalCause.EXPLICIT);
        return old;
    }

    @Override
    public final long size() {
        return index.size();
    }

    @Override
    public final long weightedSize() {
        return weight;
    }

    /** Evicts the entry at {@code victim}, reporting it EVICTED (or EXPIRED when it was). */
    final void evictSlot(int victim, long now) {
        K k = keyAt(victim);
        V v = valueAt(victim);
        long written = writeTimes == null ? 0L : writeTimes[victim];
        free(victim);
        notifyVictim(k, v, written, now);
    }

    final void expireSlot(int slot) {
        K k = keyAt(slot);
        V v = valueAt(slot);
        free(slot);
        notifyExpired(k, v);
    }

    /** The first half of {@link #free}: out of the index and the weight. */
    final void unindex(int slot) {
        index.removeInt(keys[slot]);
        weight -= weightAt(slot);
    }

    @SuppressWarnings("unchecked")
    final K keyAt(int slot) {
        return (K) keys[slot];
    }

    @SuppressWarnings("unchecked")
    final V valueAt(int slot) {
        return (V) values[slot];
    }

    final int weightAt(int slot) {
        return weights == null ? 1 : weights[slot];
    }

    /** Doubles the arrays (an entry-count bound never needs more slots than the bound). */
    final void grow() {
        int capacity = keys.length;
        if (capacity >= MAX_CAPACITY) {
            throw new IllegalStateException("cache full: " + capacity + " entries");
        }
        long wanted = Math.max(capacity + 1L, capacity * 2L);
        if (weights == null) {
            wanted = Math.min(wanted, Math.max(capacity + 1L, maximumWeight));
        }
        int newCapacity = (int) Math.min(wanted, MAX_CAPACITY);
        keys = Arrays.copyOf(keys, newCapacity);
        values = Arrays.copyOf(values, newCapacity);
        if (weights != null) {
            weights = Arrays.copyOf(weights, newCapacity);
        }
        if (writeTimes != null) {
            writeTimes = Arrays.copyOf(writeTimes, newCapacity);
        }
        grown(newCapacity);
    }
}
