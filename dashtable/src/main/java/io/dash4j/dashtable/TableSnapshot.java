package io.dash4j.dashtable;

import java.util.function.BiConsumer;

/**
 * A point-in-time image of a {@link DashTable} taken without a copy and without stopping writers
 * (Dragonfly's forkless snapshot, {@code src/server/snapshot.cc}).
 *
 * <p>The idea: every bucket carries a version. Starting a snapshot fixes a new epoch {@code E},
 * larger than every bucket's version, and remembers the segments that exist. The snapshot then
 * walks those segments bucket by bucket, in slices ({@link #step}); each bucket whose version is
 * below {@code E} is serialized into the sink and its version set to {@code E}. Meanwhile every
 * mutator of a segment calls a pre-write hook on each bucket it is about to change — the buckets
 * an insert may displace into, the source and target of a stash move or a bump, the whole segment
 * before a split or a stash unload — and a bucket still below {@code E} is serialized right then,
 * before the change. Hence the invariant: <em>a bucket below {@code E} is exactly as it was when
 * the snapshot started</em>, and every entry that existed then is emitted once, from the bucket it
 * lived in, whichever way it later moves. Entries written later land in buckets already at
 * {@code E} (segments born in a split start at {@code E}) and are never emitted.
 *
 * <pre>
 *   start: E = 7          walk -->                       writer: put(k) into bucket 5
 *   bucket   0   1   2   3   4   5   6   7 ...           hook: version(5) = 6 &lt; 7
 *   version  7   7   7   6   6   6   6   6                 -> serialize bucket 5 now, version 7
 *                        ^ cursor                          -> then insert k (not in the image)
 * </pre>
 *
 * <p>Extra memory is one int per bucket (kept between snapshots) and whatever the sink buffers;
 * the sink is called on the table owner's thread, from {@link #step} or from inside a write, and
 * must not modify the table. Aborting leaves the table as it is (versions only ever grow).
 */
public final class TableSnapshot<K, V> {

    private final DashTable<K, V> table;
    private final Segment<K, V>[] segments;
    private final int epoch;
    private final BiConsumer<? super K, ? super V> sink;
    private int segmentCursor;
    private int bucketCursor;
    private long emitted;
    private long preservedByWriters;
    private boolean ended;

    TableSnapshot(DashTable<K, V> table, Segment<K, V>[] segments, int epoch, BiConsumer<? super K, ? super V> sink) {
        this.table = table;
        this.segments = segments;
        this.epoch = epoch;
        this.sink = sink;
    }

    /**
     * Advances the walk over at most {@code buckets} buckets; returns true when the snapshot is
     * complete (every entry of the starting moment has been emitted).
     */
    public boolean step(int buckets) {
        int budget = Math.max(1, buckets);
        while (!ended && budget > 0) {
            if (segmentCursor == segments.length) {
                end();
                break;
            }
            Segment<K, V> seg = segments[segmentCursor];
            int total = seg.regularBuckets() + seg.stashBuckets();
            emitted += seg.preserveBucket(bucketCursor, epoch, sink);
            budget--;
            if (++bucketCursor == total) {
                bucketCursor = 0;
                segmentCursor++;
            }
        }
        return ended;
    }

    /** Completes the walk at once. */
    public void finish() {
        while (!step(Integer.MAX_VALUE)) {
            // step ends the snapshot when the last segment is done
        }
    }

    /** Stops without completing; the sink is not called again. */
    public void abort() {
        end();
    }

    private void end() {
        if (!ended) {
            ended = true;
            table.snapshotEnded(this);
        }
    }

    /** The pre-write hook's slow path (from {@link Segment}): serialize before the change. */
    void preserve(Segment<K, V> segment, int bucket) {
        int n = segment.preserveBucket(bucket, epoch, sink);
        emitted += n;
        preservedByWriters += n;
    }

    public boolean isDone() {
        return ended;
    }

    /** Entries emitted so far. */
    public long emitted() {
        return emitted;
    }

    /** Entries emitted by writers' pre-write hooks rather than by the walk. */
    public long preservedByWriters() {
        return preservedByWriters;
    }

    /** The share of the starting segments the walk has passed, 0..1. */
    public double progress() {
        return segments.length == 0 ? 1 : (double) segmentCursor / segments.length;
    }

    public int epoch() {
        return epoch;
    }
}
