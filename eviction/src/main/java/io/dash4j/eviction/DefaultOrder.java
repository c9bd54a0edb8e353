package io.dash4j.eviction;

import io.dash4j.dashtable.DashTable;
import io.dash4j.dashtable.Segment;

/**
 * The default order: Dragonfly's 2Q on slots, with every bucket a small LRU list and a memory of
 * evicted keys.
 *
 * <pre>
 *  regular bucket (protected)  [0][1] ... [6] ... [15]    hit: mark; marked entries move to the
 *                                                          front when the bucket must demote one
 *                                           ^        ^
 *                        returning ghost ---+        +--- second hit in probation enters here
 *  stash bucket (probation)    [0][1] ... [15] -&gt; out     new keys enter at the head; the tail
 *                                                          leaves and is remembered as a ghost
 * </pre>
 *
 * <ul>
 *   <li><b>Hit in a regular bucket:</b> lazy move-to-front. The hit only sets its slot's mark
 *       ({@link Segment#markHit}: one bit, no entry moves). When a promotion is about to demote
 *       the last slot of a full home or neighbour, {@link Segment#promoteMarked} first moves
 *       that bucket's marked entries to the front, so stale entries have drifted to the last
 *       slot, which is demoted into probation. Same hit ratio as moving on every hit (46.64 vs
 *       46.62 on the ARC traces, docs/eviction.md), and a hit writes one bit instead of
 *       shifting the slots above it (CLOCK's and S3-FIFO's idea: order is fixed when something
 *       must leave).
 *   <li><b>Hit in probation</b> (a second use within it): the entry enters its home bucket at a
 *       free slot or, the bucket being full, at its last slot, swapping with the entry there
 *       (demoted into the stash slot it leaves: Dragonfly's {@code BumpUp}). A key seen twice
 *       in a short while may be a burst: it must be hit once more to outrank the bucket.
 *   <li><b>Ghosts:</b> the key evicted from a stash tail is remembered in a
 *       {@link FingerprintGhostFilter} (12 bits per cached entry). A new key it remembers has a
 *       reuse distance longer than probation: it is promoted out of probation at once and enters
 *       at slot {@value #GHOST_ENTRY_SLOT}.
 * </ul>
 * Each rule was one measured step on the ARC traces (docs/eviction.md); the simulator keeps every
 * step as a policy of its own.
 */
final class DefaultOrder<K> extends SlotOrder<K> {

    /** Probation: stash buckets per 60 buckets (13 %). */
    static final int STASH_PER_60 = 8;
    /** Ghost filter bits per cached entry. */
    static final int GHOST_BITS = 12;
    /** Where a returning ghost enters its home bucket. */
    static final int GHOST_ENTRY_SLOT = 6;

    private final GhostFilter ghosts;

    DefaultOrder(Host<K> cache, long expectedEntries) {
        super(cache);
        this.ghosts = new FingerprintGhostFilter(expectedEntries, GHOST_BITS);
    }

    @Override
    public long onHit(long pos, long hash) {
        Segment<K, Object> seg = cache.table().segmentAt(pos);
        int bucket = DashTable.bucketAt(pos);
        if (!seg.isStash(bucket)) {
            seg.markHit(bucket, DashTable.slotAt(pos)); // the whole cost of a protected hit
            return pos;
        }
        return promote(seg, pos, hash);
    }

    /** A protected hit changes something unless its mark is already set. */
    @Override
    public boolean wouldChange(long pos) {
        Segment<K, Object> seg = cache.table().segmentAt(pos);
        int bucket = DashTable.bucketAt(pos);
        return seg.isStash(bucket) || (seg.hitMarks(bucket) & 1 << DashTable.slotAt(pos)) == 0;
    }

    /**
     * A stash entry enters its home: the table's BumpUp lands it on a free home/neighbour slot or
     * swaps it with the last slot of a full one, after that bucket's marked entries have moved
     * to the front (so the entry demoted is one nobody hit since the last demotion there).
     */
    private long promote(Segment<K, Object> seg, long pos, long hash) {
        int home = seg.homeBucket(hash);
        int next = seg.nextBucket(home);
        int full = seg.slotsPerBucket();
        if (seg.bucketSize(home) == full && seg.bucketSize(next) == full && !cache.hasPins()) {
            seg.promoteMarked(home);
            seg.promoteMarked(next);
        }
        return cache.table().bumpUp(pos, hash);
    }

    @Override
    public boolean admitting(long hash) {
        return ghosts.takeBack(hash);
    }

    /** A returning key skips probation: promoted at once, then moved up to the ghost entry slot. */
    @Override
    public boolean admitted(long pos, long hash, boolean returning) {
        if (!returning) {
            return false;
        }
        Segment<K, Object> seg = cache.table().segmentAt(pos);
        if (!seg.isStash(DashTable.bucketAt(pos))) {
            return false; // the table placed it in a regular bucket already
        }
        long moved = promote(seg, pos, hash);
        if (moved != pos) {
            int slot = DashTable.slotAt(moved);
            if (slot > GHOST_ENTRY_SLOT) {
                moveUp(seg, moved, DashTable.bucketAt(moved), slot, GHOST_ENTRY_SLOT);
            }
        }
        return true;
    }

    @Override
    public boolean retireTail(Segment<K, Object> segment, int stashBucket, K keep) {
        return evictStashTail(segment, stashBucket, keep, ghosts);
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
