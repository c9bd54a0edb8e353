package io.dash4j.eviction;

import io.dash4j.dashtable.DashTable;
import io.dash4j.dashtable.Segment;

/**
 * The default order: S3-FIFO's queues (Yang et al., SOSP 2023) inside Dragonfly's buckets. The
 * slot order is the only order; a hit moves nothing, it only counts.
 *
 * <pre>
 *  regular bucket (main)      [0][1] ... [15]     hit: count (2 bits a slot, 0..3), no move
 *                              ^            |      before the bucket demotes its last entry: while
 *      returning ghost --------+            |      that entry has counts left, it goes round to
 *                              +-- count-1 -+      slot 0 with one count less (CLOCK reinsertion)
 *
 *  stash bucket (small)       [0][1] ... [15] -&gt;   new keys enter at the head; the tail, when it
 *                                                  must leave: hit while in probation? then it
 *                                                  enters its home bucket instead (last slot, or a
 *                                                  free one); else it leaves, remembered as a ghost
 * </pre>
 *
 * <ul>
 *   <li><b>Every hit</b>, in probation or not, adds one to its slot's 2-bit counter
 *       ({@link Segment#countHit}): one int written, no entry moves. So a hit's work does not
 *       depend on where the entry is, and a concurrent cache can record it lossily.
 *   <li><b>Probation is S3-FIFO's small queue, per stash bucket.</b> A stash bucket is a FIFO;
 *       its tail is judged when a new key needs the slot: if it was hit during its whole stay it
 *       moves to its home bucket (promoted), the entry that bucket demotes taking its stash slot
 *       and being judged next; if not, it leaves and the ghost filter remembers it.
 *   <li><b>A regular bucket is S3-FIFO's main queue, per bucket.</b> An entry enters it at a free
 *       slot or its last slot (it must be hit there to stay). A promotion into a full bucket
 *       demotes the bucket's last entry, but first, while that entry has hits counted, it goes
 *       round to slot 0 with one count less and the next one becomes last: the entry demoted is
 *       one nobody hit since its last pass. At most one pass over the bucket.
 *   <li><b>Ghosts:</b> a new key that the {@link FingerprintGhostFilter} remembers (evicted from a
 *       stash tail not long ago) skips probation and enters its home bucket at slot 0: its
 *       reuse distance is longer than probation, as S3-FIFO's ghost queue sends it to main.
 * </ul>
 * Measured against the rest on the ARC traces in docs/eviction.md (issue 16); the simulator
 * interprets the same rules as the preset {@code mark-lazy-fpghost-s8-w16}, and a test checks
 * that interpreter and this order agree hit for hit.
 */
final class DefaultOrder<K> extends SlotOrder<K> {

    /** Probation: stash buckets per 60 buckets (13 %). */
    static final int STASH_PER_60 = 8;
    /** Ghost filter bits per cached entry. */
    static final int GHOST_BITS = 12;
    /** A 2-bit counter saturates here. */
    static final int MAX_COUNT = 3;

    private final GhostFilter ghosts;

    DefaultOrder(Host<K> cache, long expectedEntries) {
        super(cache);
        this.ghosts = new FingerprintGhostFilter(expectedEntries, GHOST_BITS);
    }

    @Override
    public long onHit(long pos, long hash) {
        // the whole cost of a hit: one 2-bit counter, wherever the entry is; nothing moves
        cache.table().segmentAt(pos).countHit(DashTable.bucketAt(pos), DashTable.slotAt(pos));
        return pos;
    }

    /** A hit changes something unless its counter is saturated. */
    @Override
    public boolean wouldChange(long pos) {
        return cache.table().segmentAt(pos).hitCount(DashTable.bucketAt(pos), DashTable.slotAt(pos)) < MAX_COUNT;
    }

    @Override
    public boolean admitting(long hash) {
        return ghosts.takeBack(hash);
    }

    /** A returning key skips probation: promoted at once, to slot 0 of the bucket it lands in. */
    @Override
    public boolean admitted(long pos, long hash, boolean returning) {
        if (!returning) {
            return false;
        }
        Segment<K, Object> seg = cache.table().segmentAt(pos);
        int bucket = DashTable.bucketAt(pos);
        if (!seg.isStash(bucket)) {
            return false; // the table placed it in a regular bucket already
        }
        int moved = promote(seg, bucket, DashTable.slotAt(pos), hash);
        if (Segment.bucketOf(moved) != bucket) {
            moveUp(seg, (pos & ~0xFFFFL) | moved, Segment.bucketOf(moved), Segment.slotOf(moved), 0);
        }
        return true;
    }

    /**
     * S3-FIFO's small queue: while the stash tail was hit in probation it is promoted instead of
     * leaving (the entry its home demotes takes its slot and is judged next); the first tail
     * nobody hit leaves, remembered as a ghost. At most one pass over the stash bucket.
     */
    @Override
    public boolean retireTail(Segment<K, Object> seg, int stashBucket, K keep) {
        int last = seg.slotsPerBucket() - 1;
        for (int i = 0; i <= last && seg.isBusy(stashBucket, last) && seg.hitCount(stashBucket, last) > 0; i++) {
            K tail = seg.keyAt(stashBucket, last);
            if (tail == keep || cache.isPinned(seg.valueAt(stashBucket, last))) {
                return false;
            }
            int moved = promote(seg, stashBucket, last, cache.table().hash(tail));
            if (moved == Segment.position(stashBucket, last)) {
                break; // nowhere to go (a pinned entry would have been demoted): it leaves
            }
            if (!seg.isBusy(stashBucket, last)) {
                seg.shiftRight(stashBucket); // it took a free slot: the FIFO's tail is free
                return true;
            }
        }
        return evictStashTail(seg, stashBucket, keep, ghosts);
    }

    /**
     * Moves a stash entry into its home (or neighbour) bucket with Dragonfly's BumpUp: a free slot,
     * or else the last slot of a full one, whose entry is demoted into the stash slot it leaves.
     * Before that demotion, both candidate buckets send their counted last entries round
     * ({@link Segment#reinsertCounted}). Returns the entry's new segment position (unchanged: not moved).
     */
    private int promote(Segment<K, Object> seg, int bucket, int slot, long hash) {
        int home = seg.homeBucket(hash);
        int next = seg.nextBucket(home);
        int full = seg.slotsPerBucket();
        if (seg.bucketSize(home) == full && seg.bucketSize(next) == full && !cache.hasPins()) {
            seg.reinsertCounted(home);
            seg.reinsertCounted(next);
        }
        return seg.bumpUp(bucket, slot, hash, cache.table().policy());
    }

    @Override
    public void onGrow(long capacity) {
        ghosts.ensureSizedFor(capacity);
    }

    @Override
    public void clear() {
        ghosts.clear();
    }

    @Override
    public long bytes() {
        return ghosts.bytes();
    }
}
