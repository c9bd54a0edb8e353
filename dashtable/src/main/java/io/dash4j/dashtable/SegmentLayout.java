package io.dash4j.dashtable;

/**
 * The shape of every segment of a table: regular buckets, stash buckets and slots per bucket.
 *
 * <p>{@link #DRAGONFLY} is Dragonfly's production layout (56 + 4 buckets × 14 slots = 840 slots).
 * Smaller layouts serve small caches and tests; the algorithms do not change with the shape.
 * Limits come from the packed metadata: slots ≤ 16 (16-bit busy/probe masks), stash buckets ≤ 16
 * (4-bit stash positions), regular buckets ≤ 255 (8-bit bucket id in a position and a cursor).
 */
public record SegmentLayout(int regularBuckets, int stashBuckets, int slots) {

    /** Dragonfly's {@code PrimeTable} segment: 56 regular + 4 stash buckets of 14 slots. */
    public static final SegmentLayout DRAGONFLY = new SegmentLayout(56, 4, 14);

    /** Dragonfly's generic test layout ({@code DefaultSegmentPolicy}): 64 + 4 buckets of 12 slots. */
    public static final SegmentLayout DRAGONFLY_TEST = new SegmentLayout(64, 4, 12);

    public SegmentLayout {
        if (slots < 2 || slots > 16) {
            throw new IllegalArgumentException("slots per bucket must be in [2, 16]: " + slots);
        }
        if (stashBuckets < 1 || stashBuckets > 16) {
            throw new IllegalArgumentException("stash buckets must be in [1, 16]: " + stashBuckets);
        }
        if (regularBuckets < 3 || regularBuckets > 255) {
            throw new IllegalArgumentException("regular buckets must be in [3, 255]: " + regularBuckets);
        }
    }

    public int totalBuckets() {
        return regularBuckets + stashBuckets;
    }

    /** Slots in one segment: its hard capacity. */
    public int capacity() {
        return totalBuckets() * slots;
    }

    /** Share of slots that are stash (the probationary region when the table is a cache). */
    public double stashShare() {
        return (double) stashBuckets / totalBuckets();
    }
}
