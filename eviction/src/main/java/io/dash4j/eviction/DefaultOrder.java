package io.dash4j.eviction;

import io.dash4j.dashtable.DashTable;
import io.dash4j.dashtable.Segment;

/**
 * The default order: Dragonfly's 2Q on slots, with every bucket a small LRU list and a memory of
 * evicted keys.
 *
 * <pre>
 *  regular bucket (protected)  [0][1] ... [6] ... [15]    hit: move to slot 0 (the rest shift down)
 *                                           ^        ^
 *                        returning ghost ---+        +--- second hit in probation enters here
 *  stash bucket (probation)    [0][1] ... [15] -&gt; out     new keys enter at the head; the tail
 *                                                          leaves and is remembered as a ghost
 * </pre>
 *
 * <ul>
 *   <li><b>Hit in a regular bucket:</b> move-to-front, so stale entries drift to the last slot,
 *       which the next promotion into that bucket demotes into probation.
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
        if (seg.isStash(bucket)) {
            // promotion: the table's BumpUp lands it on a free home slot or the home's last slot
            return cache.table().bumpUp(pos, hash);
        }
        int slot = DashTable.slotAt(pos);
        if (slot == 0 || cache.isPinned(seg.valueAt(bucket, slot))) {
            return pos;
        }
        return moveUp(seg, pos, bucket, slot, 0);
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
        long moved = cache.table().bumpUp(pos, hash);
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
