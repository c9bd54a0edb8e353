package io.dash4j.eviction;

import io.dash4j.dashtable.DashTable;
import io.dash4j.dashtable.Segment;

/**
 * One cache's eviction order: the three decisions a {@link DashCache} delegates, and nothing else.
 *
 * <pre>
 *   hit          onHit(pos)            what a hit does: move the entry up its bucket, promote it
 *                                      out of probation (a stash bucket), or only mark it
 *   admission    admitting(hash)       before a new key is stored: has it been here before?
 *                admitted(pos, ...)    after: where it lands (probation, or a returning key's
 *                                      slot in its home bucket)
 *   eviction     retireTail(stash)     what leaves probation: frees the last slot of a stash FIFO
 *                evictFromFullSegment  what leaves when the table's insert loop finds the key's
 *                                      segment full (default: the FIFO tails, then by rank)
 * </pre>
 *
 * Everything else — bounds, expiry, pins, weights, the listener and statistics — stays in the
 * cache, which hands the order a {@link Host}: the table and the few accounted primitives an
 * order needs (an eviction that notifies the listener, pin checks). The order owns whatever
 * memory it keeps besides slot order, such as a ghost filter of evicted keys ({@link #bytes}).
 *
 * <p>A {@link SlotPolicy} is the named, shareable preset; it makes one order per cache
 * ({@link SlotPolicy#newOrder}). The production orders are Dragonfly's faithful one and our
 * default; the rejected variants are orders of the simulator (module {@code bench}), so that
 * {@code sim --policies dash-<name>} still reproduces them. An order that keeps per-slot state
 * (reference or frequency bits, S3-FIFO style) marks it in {@link #onHit} and consults it in
 * {@link #retireTail}, where it may move an entry instead of letting it leave.
 *
 * <p>Positions are {@link DashTable} positions; one stays valid until the next insert, removal
 * or move. Orders are single-owner, like the cache.
 */
public abstract class SlotOrder<K> {

    /** What a cache lends its order. */
    public interface Host<K> {
        /** The cache's table (values may be holders of a TTL or a pin: test them with {@link #isPinned}). */
        DashTable<K, Object> table();

        /** Whether any entry is pinned: only then must a move look for pins to go around. */
        boolean hasPins();

        /** Whether a stored slot value is pinned (never moves, never leaves). */
        boolean isPinned(Object stored);

        /**
         * Removes the entry at ({@code bucket}, {@code slot}) of {@code segment}, whose table hash
         * is {@code hash}, reporting it EVICTED (EXPIRED if it had expired) with its weight.
         */
        void evict(Segment<K, Object> segment, int bucket, int slot, long hash);

        /**
         * The size-aware step: evicts the lowest-ranked unpinned entry of {@code segment} (stash
         * buckets before regular ones), never {@code keep}; false when all are pinned.
         */
        boolean evictLowestRank(Segment<K, Object> segment, K keep);
    }

    protected final Host<K> cache;

    protected SlotOrder(Host<K> cache) {
        this.cache = cache;
    }

    /** What a hit at {@code pos} does; returns the entry's position afterwards (== pos: not moved). */
    public abstract long onHit(long pos, long hash);

    /**
     * Whether {@link #onHit} at {@code pos} would change anything (a reader that must lock to
     * call it can skip the lock otherwise). By default: unless the entry is first in a regular
     * bucket.
     */
    public boolean wouldChange(long pos) {
        return DashTable.slotAt(pos) != 0 || cache.table().segmentAt(pos).isStash(DashTable.bucketAt(pos));
    }

    /**
     * Called before a new key of {@code hash} is stored: true when it returns from a recent
     * eviction (a ghost), which {@link #admitted} then receives.
     */
    public boolean admitting(long hash) {
        return false;
    }

    /**
     * Called after a new key was stored at {@code pos}; {@code returning} is what
     * {@link #admitting} said. Returns true when the key skipped probation.
     */
    public boolean admitted(long pos, long hash, boolean returning) {
        return false;
    }

    /**
     * What leaves probation: frees the last slot of stash bucket {@code stashBucket} (and shifts
     * the FIFO so its head is free), never evicting {@code keep}. False when it cannot (the
     * slot is empty, pinned or {@code keep}).
     */
    public abstract boolean retireTail(Segment<K, Object> segment, int stashBucket, K keep);

    /**
     * The table's insert loop found the segment of an incoming {@code hash} full: free one slot.
     * Dragonfly's rule: the tail of stash bucket {@code hash % T}; if that one is pinned, the
     * other FIFO tails, then the lowest-ranked unpinned entry, rather than fail.
     */
    public boolean evictFromFullSegment(Segment<K, Object> segment, long hash) {
        int regular = segment.regularBuckets();
        int stash = segment.stashBuckets();
        int first = segment.stashBucketFor(hash) - regular;
        for (int i = 0; i < stash; i++) {
            if (retireTail(segment, regular + (first + i) % stash, null)) {
                return true;
            }
        }
        return cache.evictLowestRank(segment, null);
    }

    /** The cache grew to {@code capacity} slots (weight-bounded caches): resize what follows it. */
    public void onGrow(long capacity) {
    }

    /** The cache was emptied. */
    public void clear() {
    }

    /** Bytes this order keeps besides slot order (its ghost filter), 0 when none. */
    public long bytes() {
        return 0;
    }

    // ------------------------------------------------------------------ shared moves

    /**
     * Dragonfly's FIFO eviction: the last slot of {@code stashBucket} leaves and the bucket shifts
     * one slot right (its head becomes free), remembered by {@code ghosts} when there is one.
     * False when the tail slot is empty, pinned or {@code keep}.
     */
    protected final boolean evictStashTail(Segment<K, Object> seg, int stashBucket, K keep, GhostFilter ghosts) {
        int last = seg.slotsPerBucket() - 1;
        if (!seg.isBusy(stashBucket, last)) {
            return false;
        }
        K k = seg.keyAt(stashBucket, last);
        if (k == keep || cache.isPinned(seg.valueAt(stashBucket, last))) {
            return false;
        }
        // invariant: one hash of the victim serves both the ghost filter and its stash pointer
        long hash = cache.table().hash(k);
        if (ghosts != null) {
            ghosts.add(hash);
        }
        cache.evict(seg, stashBucket, last, hash);
        seg.shiftRight(stashBucket);
        return true;
    }

    /**
     * Moves the entry at {@code pos} (bucket, slot) up to slot {@code target} of its bucket, the
     * entries in between one slot down (move-to-front when {@code target} is 0), but never past
     * a pinned entry. Returns its new position.
     */
    protected final long moveUp(Segment<K, Object> seg, long pos, int bucket, int slot, int target) {
        int to = target;
        if (cache.hasPins()) {
            to = slot;
            while (to > target && !cache.isPinned(seg.valueAt(bucket, to - 1))) {
                to--;
            }
        }
        seg.rotateUp(bucket, slot, to);
        return (pos & ~0xFFFFL) | (long) Segment.position(bucket, to);
    }
}
