package io.dash4j.eviction;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A named eviction order for {@link DashCache}: the shape it wants (stash share, bucket width),
 * the memory it keeps (ghost bits per entry) and the {@link SlotOrder} it makes for each cache.
 * Slot order is the only ordering the cache keeps, so an order costs no bytes per entry beyond
 * its ghost filter.
 *
 * <p>Two are production policies ({@link #names()}):
 * <ul>
 *   <li>{@link #DRAGONFLY}: Dragonfly's cache as its code does it — a hit swaps an entry with the
 *       slot above; a stash hit promotes it into its home bucket; the stash buckets are the
 *       probationary FIFOs, 4 of 60 buckets; no memory of evicted keys.
 *   <li>{@link #DEFAULT}: the best order measured on the ARC traces (docs/eviction.md, issue 16) —
 *       S3-FIFO's queues inside the buckets: a hit only counts (2 bits a slot), probation of 8 of
 *       60 buckets whose tail enters its home bucket (last) if it was hit and else leaves, each
 *       regular bucket a CLOCK that sends counted entries round before it demotes one, a key
 *       returning after eviction (remembered by a {@link FingerprintGhostFilter} of 12 bits per
 *       entry) entering at slot 0; 16-slot buckets wherever they fill the bound.
 * </ul>
 * The variants measured and rejected on the way are simulator policies (module {@code bench},
 * {@code sim --policies dash-<name>}), written against the same {@link SlotOrder} contract.
 */
public abstract class SlotPolicy {

    private final String name;
    private final int stashPer60;
    private final int bucketSlots;
    private final int ghostBitsPerEntry;

    /**
     * @param name              the name the server, the simulator and the docs use
     * @param stashPer60        stash buckets (probation) per 60 buckets of a segment, in [1, 16]
     *                          (Dragonfly: 4, i.e. 6.7 %)
     * @param bucketSlots       for an entry-bounded cache, the bucket width (10..16) preferred among
     *                          segment grids that fill the bound to within 1 % (Dragonfly: 14)
     * @param ghostBitsPerEntry bits per cached entry of the filter of evicted keys (0 = none)
     */
    protected SlotPolicy(String name, int stashPer60, int bucketSlots, int ghostBitsPerEntry) {
        this.name = Objects.requireNonNull(name);
        if (stashPer60 < 1 || stashPer60 > 16) {
            throw new IllegalArgumentException("stash buckets per 60 must be in [1, 16]: " + stashPer60);
        }
        if (bucketSlots < 10 || bucketSlots > 16) {
            throw new IllegalArgumentException("bucket slots must be in [10, 16]: " + bucketSlots);
        }
        if (ghostBitsPerEntry < 0 || ghostBitsPerEntry > 64) {
            throw new IllegalArgumentException("ghost bits per entry must be in [0, 64]: " + ghostBitsPerEntry);
        }
        this.stashPer60 = stashPer60;
        this.bucketSlots = bucketSlots;
        this.ghostBitsPerEntry = ghostBitsPerEntry;
    }

    /**
     * The order of one cache. {@code expectedEntries} sizes what the order remembers (the entry
     * bound, or the first segment's capacity for a weight-bounded cache, followed by
     * {@link SlotOrder#onGrow}).
     */
    public abstract <K> SlotOrder<K> newOrder(SlotOrder.Host<K> cache, long expectedEntries);

    public final String name() {
        return name;
    }

    public final int stashPer60() {
        return stashPer60;
    }

    public final int bucketSlots() {
        return bucketSlots;
    }

    public final int ghostBitsPerEntry() {
        return ghostBitsPerEntry;
    }

    public final boolean hasGhosts() {
        return ghostBitsPerEntry > 0;
    }

    @Override
    public String toString() {
        return name + "(stash " + stashPer60 + "/60, " + bucketSlots + "-slot buckets, ghosts "
                + ghostBitsPerEntry + " bits/entry)";
    }

    /** Dragonfly's faithful order ({@link DragonflyOrder}). */
    public static final SlotPolicy DRAGONFLY = new SlotPolicy("dragonfly", 4, 14, 0) {
        @Override
        public <K> SlotOrder<K> newOrder(SlotOrder.Host<K> cache, long expectedEntries) {
            return new DragonflyOrder<>(cache);
        }
    };

    /** The default order ({@link DefaultOrder}); the simulator also calls it mark-lazy-fpghost-s8-w16. */
    public static final SlotPolicy DEFAULT = new SlotPolicy("default", DefaultOrder.STASH_PER_60, 16,
            DefaultOrder.GHOST_BITS) {
        @Override
        public <K> SlotOrder<K> newOrder(SlotOrder.Host<K> cache, long expectedEntries) {
            return new DefaultOrder<>(cache, expectedEntries);
        }
    };

    /** The production policy names, which {@link #named} accepts: "default" and "dragonfly". */
    public static List<String> names() {
        return List.of(DEFAULT.name, DRAGONFLY.name);
    }

    /** A production policy by name (case-insensitive): "default" or "dragonfly". */
    public static SlotPolicy named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals(DEFAULT.name)) {
            return DEFAULT;
        }
        if (n.equals(DRAGONFLY.name)) {
            return DRAGONFLY;
        }
        throw new IllegalArgumentException("unknown slot policy " + name + "; known: " + names()
                + " (the rejected variants are simulator policies: dash-bench sim --help)");
    }
}
