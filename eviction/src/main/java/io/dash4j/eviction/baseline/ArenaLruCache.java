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
 * semantics shared by the baselines; the arrays and the logic over them are
 * {@link ArrayBaselineCache}'s, shared with {@link SampledLruCache}.
 */
public final class ArenaLruCache<K, V> extends ArrayBaselineCache<K, V> {

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

    /** A cache of at most {@code maximumSize} entries, no expiry, no listener. */
    public ArenaLruCache(long maximumSize) {
        this(ArenaLruCache.<K, V>builder().maximumSize(maximumSize).config());
    }

    private ArenaLruCache(Config<K, V> config) {
        super(config);
        this.prev = new int[keys.length];
        this.next = new int[keys.length];
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

    // ------------------------------------------------------------------ the recency list

    @Override
    V lookup(K key) {
        int slot = liveSlot(key);
        if (slot == NIL) {
            return null;
        }
        if (slot != head) {
            moveToHead(slot);
            bumpCount++;
        }
        return valueAt(slot);
    }

    @Override
    void inserted(int slot) {
        linkAtHead(slot);
    }

    @Override
    void replaced(int slot, long now) {
        if (slot != head) {
            moveToHead(slot);
        }
        // At the head, so evicting from the tail reaches it only if it is alone, and alone it fits.
        evictWhileOver(0, now);
    }

    @Override
    void evictWhileOver(int incoming, long now) {
        while (tail != NIL && weight + incoming > maximumWeight) {
            evictSlot(tail, now);
        }
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

    // ------------------------------------------------------------------ slots

    /** Unlinks, unindexes and frees {@code slot} onto the free list. */
    @Override
    void free(int slot) {
        unindex(slot);
        unlink(slot);
        keys[slot] = null;
        values[slot] = null;
        next[slot] = freeHead;
        freeHead = slot;
    }

    @Override
    int allocate() {
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

    @Override
    void grown(int newCapacity) {
        prev = Arrays.copyOf(prev, newCapacity);
        next = Arrays.copyOf(next, newCapacity);
    }

    private void moveToHead(int slot) {
        unlink(slot);
        linkAtHead(slot);
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
