package io.dash4j.eviction.baseline;

import io.dash4j.eviction.RemovalCause;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.Arrays;

/**
 * An exact LRU without node objects (seed 001's design): entries live in parallel arrays indexed
 * by an int slot — keys, values, weights, write times — and the recency list is threaded through
 * two int arrays, {@code prev} and {@code next}. Freed slots go on a free list (chained through
 * {@code next}) and are reused before the arrays grow. A fastutil {@link Object2IntOpenHashMap}
 * maps each key to its slot. Every operation is O(1).
 *
 * <p>Compared with {@link LinkedLruCache} this removes the per-entry node object and the
 * per-entry {@code HashMap.Node}: an entry costs one open-addressing index slot (key reference
 * plus int) and one slot in each array. The weight array is omitted for an entry-count bound and
 * the write-time array when nothing expires.
 *
 * <p><b>Not thread-safe</b>: single-threaded by design. See {@link AbstractBaselineCache} for the
 * semantics shared by the baselines.
 */
public final class ArenaLruCache<K, V> extends AbstractBaselineCache<K, V> {

    private static final int NIL = -1;
    /** Largest arena this class will allocate. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;

    private final Object2IntOpenHashMap<K> index;
    private Object[] keys;
    private Object[] values;
    /** Null for an entry-count bound (every entry weighs one). */
    private int[] weights;
    /** Null when nothing expires. */
    private long[] writeTimes;
    /** Towards the head (more recently used). */
    private int[] prev;
    /** Towards the tail (less recently used); chains the free list for free slots. */
    private int[] next;

    /** Most recently used slot, or NIL. */
    private int head = NIL;
    /** Least recently used slot, or NIL. */
    private int tail = NIL;
    /** First free slot below {@link #used}, or NIL. */
    private int freeHead = NIL;
    /** Slots ever handed out: slots at or above it were never used. */
    private int used;
    private long weight;

    /** A cache of at most {@code maximumSize} entries, no expiry, no listener. */
    public ArenaLruCache(long maximumSize) {
        this(ArenaLruCache.<K, V>builder().maximumSize(maximumSize).config());
    }

    private ArenaLruCache(Config<K, V> config) {
        super(config);
        int capacity = Math.max(1, config.initialCapacity);
        this.index = new Object2IntOpenHashMap<>(capacity);
        this.index.defaultReturnValue(NIL);
        this.keys = new Object[capacity];
        this.values = new Object[capacity];
        this.weights = config.weigher == null ? null : new int[capacity];
        this.writeTimes = config.ttlNanos == NO_EXPIRY ? null : new long[capacity];
        this.prev = new int[capacity];
        this.next = new int[capacity];
    }

    public static <K, V> Builder<K, V> builder() {
        return new Builder<>();
    }

    /** Builds an {@link ArenaLruCache}; see {@link AbstractBaselineCache.Builder}. */
    public static final class Builder<K, V>
            extends AbstractBaselineCache.Builder<K, V, ArenaLruCache<K, V>, Builder<K, V>> {
        Builder() {
        }

        @Override
        public ArenaLruCache<K, V> build() {
            return new ArenaLruCache<>(config());
        }
    }

    // ------------------------------------------------------------------ primitives

    @Override
    V lookup(K key) {
        int slot = liveSlot(key);
        if (slot == NIL) {
            return null;
        }
        if (slot != head) {
            unlink(slot);
            linkAtHead(slot);
            bumpCount++;
        }
        return valueAt(slot);
    }

    /** The key's slot, or NIL when absent or expired (an expired entry is removed and reported). */
    private int liveSlot(K key) {
        int slot = index.getInt(key);
        if (slot != NIL && writeTimes != null && isExpired(writeTimes[slot], now())) {
            expireSlot(slot);
            return NIL;
        }
        return slot;
    }

    @Override
    V peek(K key) {
        int slot = liveSlot(key);
        if (slot == NIL) {
            return null;
        }
        return valueAt(slot);
    }

    @Override
    void store(K key, V value, int newWeight) {
        long now = now();
        int slot = index.getInt(key);
        if (slot != NIL) {
            if (writeTimes != null && isExpired(writeTimes[slot], now)) {
                expireSlot(slot);
                // fall through to a fresh insert
            } else if (oversized(newWeight)) {
                V old = valueAt(slot);
                K oldKey = keyAt(slot);
                release(slot);
                notify(oldKey, old, RemovalCause.REPLACED);
                rejectOversized(key, value);
                return;
            } else {
                V old = valueAt(slot);
                weight += newWeight - weightAt(slot);
                values[slot] = value;
                if (weights != null) {
                    weights[slot] = newWeight;
                }
                if (writeTimes != null) {
                    writeTimes[slot] = now;
                }
                if (slot != head) {
                    unlink(slot);
                    linkAtHead(slot);
                }
                // At the head, so evicting from the tail reaches it only if it is alone, and
                // alone it fits.
                evictWhileOver(0, now);
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
        if (weights != null) {
            weights[fresh] = newWeight;
        }
        if (writeTimes != null) {
            writeTimes[fresh] = now;
        }
        linkAtHead(fresh);
        index.put(key, fresh);
        weight += newWeight;
    }

    @Override
    V removeEntry(K key) {
        int slot = liveSlot(key);
        if (slot == NIL) {
            return null;
        }
        V old = valueAt(slot);
        K oldKey = keyAt(slot);
        release(slot);
        notify(oldKey, old, RemovalCause.EXPLICIT);
        return old;
    }

    @Override
    void clear() {
        int slot = head;
        index.clear();
        head = NIL;
        tail = NIL;
        freeHead = NIL;
        used = 0;
        weight = 0;
        // The listener must not call back, so next[] stays intact while we walk the old list.
        while (slot != NIL) {
            K k = keyAt(slot);
            V v = valueAt(slot);
            keys[slot] = null;
            values[slot] = null;
            int following = next[slot];
            notify(k, v, RemovalCause.EXPLICIT);
            slot = following;
        }
    }

    @Override
    public long size() {
        return index.size();
    }

    @Override
    public long weightedSize() {
        return weight;
    }

    // ------------------------------------------------------------------ arena and list

    @SuppressWarnings("unchecked")
    private K keyAt(int slot) {
        return (K) keys[slot];
    }

    @SuppressWarnings("unchecked")
    private V valueAt(int slot) {
        return (V) values[slot];
    }

    private int weightAt(int slot) {
        return weights == null ? 1 : weights[slot];
    }

    private void evictWhileOver(int incoming, long now) {
        while (tail != NIL && weight + incoming > maximumWeight) {
            int victim = tail;
            K k = keyAt(victim);
            V v = valueAt(victim);
            long written = writeTimes == null ? 0L : writeTimes[victim];
            release(victim);
            notifyVictim(k, v, written, now);
        }
    }

    private void expireSlot(int slot) {
        K k = keyAt(slot);
        V v = valueAt(slot);
        release(slot);
        notifyExpired(k, v);
    }

    /** Unlinks, unindexes and frees {@code slot}. */
    private void release(int slot) {
        index.removeInt(keys[slot]);
        unlink(slot);
        weight -= weightAt(slot);
        keys[slot] = null;
        values[slot] = null;
        next[slot] = freeHead;
        freeHead = slot;
    }

    private int allocate() {
        if (freeHead != NIL) {
            int slot = freeHead;
            freeHead = next[slot];
            return slot;
        }
        if (used == keys.length) {
            grow();
        }
        return used++;
    }

    private void grow() {
        int capacity = keys.length;
        if (capacity >= MAX_CAPACITY) {
            throw new IllegalStateException("arena full: " + capacity + " entries");
        }
        long wanted = Math.max(capacity + 1L, capacity * 2L);
        if (weights == null) {
            // An entry-count bound never needs more slots than the bound.
            wanted = Math.min(wanted, Math.max(capacity + 1L, maximumWeight));
        }
        int newCapacity = (int) Math.min(wanted, MAX_CAPACITY);
        keys = Arrays.copyOf(keys, newCapacity);
        values = Arrays.copyOf(values, newCapacity);
        prev = Arrays.copyOf(prev, newCapacity);
        next = Arrays.copyOf(next, newCapacity);
        if (weights != null) {
            weights = Arrays.copyOf(weights, newCapacity);
        }
        if (writeTimes != null) {
            writeTimes = Arrays.copyOf(writeTimes, newCapacity);
        }
    }

    private void unlink(int slot) {
        int p = prev[slot];
        int n = next[slot];
        if (p == NIL) {
            head = n;
        } else {
            next[p] = n;
        }
        if (n == NIL) {
            tail = p;
        } else {
            prev[n] = p;
        }
    }

    private void linkAtHead(int slot) {
        prev[slot] = NIL;
        next[slot] = head;
        if (head == NIL) {
            tail = slot;
        } else {
            prev[head] = slot;
        }
        head = slot;
    }
}
