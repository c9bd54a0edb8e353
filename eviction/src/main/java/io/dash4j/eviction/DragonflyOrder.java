package io.dash4j.eviction;

import io.dash4j.dashtable.Segment;

/**
 * Dragonfly's cache order as its code implements it ({@code dash.h}, {@code BumpUp} and the
 * segment-full eviction of {@code dragonfly/src/server/db_slice.cc}):
 *
 * <pre>
 *  regular bucket   [0][1][2] ... [13]     a hit swaps the entry with slot-1 (slot 0 stays)
 *  stash bucket     [0][1] ... [13] -&gt; out  probation: a FIFO; a hit moves the entry to a free
 *                                            home/neighbour slot, else swaps it with the last slot
 *                                            of the bucket holding its stash pointer
 * </pre>
 *
 * New keys take the table's normal insert path (lowest free slot); when a segment is full, the
 * last slot of stash bucket {@code hash % T} leaves and that bucket shifts right. Protected
 * entries leave only by being demoted, and nothing remembers evicted keys.
 */
final class DragonflyOrder<K> extends SlotOrder<K> {

    DragonflyOrder(Host<K> cache) {
        super(cache);
    }

    /** Dragonfly's BumpUp, pins honoured by the table's policy ({@code canBump}). */
    @Override
    public long onHit(long pos, long hash) {
        return cache.table().bumpUp(pos, hash);
    }

    @Override
    public boolean retireTail(Segment<K, Object> segment, int stashBucket, K keep) {
        return evictStashTail(segment, stashBucket, keep, null);
    }
}
