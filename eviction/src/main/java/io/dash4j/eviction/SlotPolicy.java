package io.dash4j.eviction;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How {@link DashCache} orders entries inside buckets and whom it admits where. Slot order is the
 * only ordering the cache keeps, so every policy here costs no bytes per entry; the optional ghost
 * filter costs at most {@code ghostBitsPerEntry} bits per cached entry.
 *
 * @param name              the name the simulator and the docs use
 * @param bump              what a hit does to a regular-bucket entry
 * @param promoteFromStash  a hit in the stash promotes the entry into its home bucket (Dragonfly);
 *                          false keeps it in the probationary FIFO (full 2Q: only a key that
 *                          returns after eviction, a ghost hit, is promoted)
 * @param demoteToStashHead a stash hit that promotes by swapping sends the demoted entry to the
 *                          head (slot 0) of the stash bucket, a fresh probation, instead of
 *                          Dragonfly's "same slot the promoted entry left"
 * @param stashPer60        stash buckets per 60 buckets of a segment (Dragonfly: 4, i.e. 6.7 %)
 * @param ghostBitsPerEntry bits per cached entry of the filter remembering keys evicted from the
 *                          stash (0 = no filter); a returning key goes straight to its home bucket
 * @param ghostGeneration   keys a filter generation holds, as a fraction of the cache's entries;
 *                          two generations age it (the older one is dropped when the newer fills)
 * @param ghostEvictsProtected a returning ghost takes the place of its home bucket's last (LRU)
 *                          entry, which is evicted (2Q: the protected queue's victim leaves);
 *                          false demotes that entry into the stash instead (Dragonfly's swap)
 * @param promoteToSlot     with {@link Bump#FRONT}: the slot an entry promoted out of the stash
 *                          (a second hit, or a returning ghost) enters its bucket at; 0 = the
 *                          front. A middle slot makes a newly promoted entry prove itself once
 *                          more before it outranks the bucket's established entries.
 * @param adaptiveStep      0 = off. Else ARC-style adaptation: a full segment evicts either the
 *                          stash tail (probation's oldest) or, to keep that entry, the last entry
 *                          of its home bucket (protected's LRU end) which the tail then replaces;
 *                          the choice is random with a probability that ghost hits move by this
 *                          step — up when a key evicted from probation returns (probation too
 *                          short), down when one evicted from protected returns. The ghost bits
 *                          are then split between the two ghost filters.
 */
public record SlotPolicy(String name, Bump bump, boolean promoteFromStash, boolean demoteToStashHead,
                         int stashPer60, int ghostBitsPerEntry, double ghostGeneration,
                         boolean ghostEvictsProtected, double adaptiveStep, int promoteToSlot) {

    /** What a hit does to an entry in a regular bucket. */
    public enum Bump {
        /** Dragonfly: swap with slot-1 (13 hits to climb a 14-slot bucket). */
        SWAP,
        /** Move to slot 0, the others shift down: each bucket is a small LRU list. */
        FRONT
    }

    /**
     * Dragonfly's cache as its code implements it (brief §6): new entries take the lowest free
     * slot; a full segment that may not grow evicts the last slot of stash bucket {@code hash % T}
     * and shifts that bucket right (the stash buckets are probationary FIFOs); a hit swaps a
     * regular-bucket entry with slot-1, and promotes a stash entry to a free home/neighbour slot or
     * else swaps it with the last slot of its pointer's bucket. No memory of evicted keys.
     */
    public static final SlotPolicy DRAGONFLY = new SlotPolicy("dragonfly", Bump.SWAP, true, false, 4, 0, 0, false, 0, 0);

    /** Dragonfly's order with move-to-front bumps (stale protected entries now age out). */
    public static final SlotPolicy FRONT = new SlotPolicy("front", Bump.FRONT, true, false, 4, 0, 0, false, 0, 0);

    /** Move-to-front plus a ghost filter of evicted stash keys (2Q's A1out rule). */
    public static final SlotPolicy FRONT_GHOST = new SlotPolicy("front-ghost", Bump.FRONT, true, false, 4, 12, 0.5, false, 0, 0);

    /** {@link #FRONT_GHOST} with twice Dragonfly's probationary share (8 of 60 buckets, 13 %). */
    public static final SlotPolicy FRONT_GHOST_S8 = FRONT_GHOST.withStashPer60(8).withName("front-ghost-s8");

    /**
     * Full 2Q on slots: a 20 % stash FIFO whose hits do not promote; only keys returning after
     * eviction (ghost hits) enter the protected buckets.
     */
    public static final SlotPolicy TWO_Q = FRONT_GHOST.withStashPer60(12).withPromoteFromStash(false).withName("2q-slots");

    /**
     * {@link #FRONT_GHOST_S8} whose promotions out of the stash enter their bucket at slot 6 of 14
     * rather than the front; hits in the protected region still move to the front.
     */
    public static final SlotPolicy FRONT_GHOST_S8_MID = FRONT_GHOST_S8.withPromoteToSlot(6).withName("front-ghost-s8-mid");

    /** The default: the best of the variants on the simulator's traces (docs/eviction.md). */
    public static final SlotPolicy DEFAULT = FRONT_GHOST_S8_MID;

    /** Tried and rejected: a returning ghost evicts its home bucket's LRU entry (2Q's Am victim). */
    public static final SlotPolicy GHOST_EVICTS_PROTECTED = FRONT_GHOST_S8.withGhostEvictsProtected(true)
            .withName("front-ghost-s8-evict-protected");

    /** Tried and rejected: ARC-style adaptation between probation and protected victims. */
    public static final SlotPolicy ADAPTIVE = FRONT_GHOST_S8.withAdaptiveStep(0.01).withName("front-ghost-s8-adaptive");


    public SlotPolicy {
        Objects.requireNonNull(name);
        Objects.requireNonNull(bump);
        if (stashPer60 < 1 || stashPer60 > 16) {
            throw new IllegalArgumentException("stash buckets per 60 must be in [1, 16]: " + stashPer60);
        }
        if (ghostBitsPerEntry < 0 || ghostBitsPerEntry > 64) {
            throw new IllegalArgumentException("ghost bits per entry must be in [0, 64]: " + ghostBitsPerEntry);
        }
        if (promoteToSlot < 0 || promoteToSlot > 15) {
            throw new IllegalArgumentException("promote-to slot must be in [0, 15]: " + promoteToSlot);
        }
        if (adaptiveStep < 0 || adaptiveStep > 1 || (adaptiveStep > 0 && ghostBitsPerEntry == 0)) {
            throw new IllegalArgumentException("adaptive step must be in [0, 1] and needs ghosts: " + adaptiveStep);
        }
        if (ghostBitsPerEntry > 0 && !(ghostGeneration > 0)) {
            throw new IllegalArgumentException("a ghost filter needs a positive generation size");
        }
    }

    public boolean hasGhosts() {
        return ghostBitsPerEntry > 0;
    }

    /** The named presets, for the simulator's policy names ("dash-" + name). */
    public static List<SlotPolicy> presets() {
        return List.of(DRAGONFLY, FRONT, FRONT_GHOST, FRONT_GHOST_S8, FRONT_GHOST_S8_MID, TWO_Q,
                GHOST_EVICTS_PROTECTED, ADAPTIVE);
    }

    /** A preset by name (case-insensitive), e.g. "dragonfly", "front-ghost", or "default". */
    public static SlotPolicy named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("default")) {
            return DEFAULT;
        }
        for (SlotPolicy p : presets()) {
            if (p.name.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown slot policy " + name + "; known: default, "
                + presets().stream().map(SlotPolicy::name).toList());
    }

    public SlotPolicy withName(String newName) {
        return new SlotPolicy(newName, bump, promoteFromStash, demoteToStashHead, stashPer60, ghostBitsPerEntry,
                ghostGeneration, ghostEvictsProtected, adaptiveStep, promoteToSlot);
    }

    public SlotPolicy withBump(Bump b) {
        return new SlotPolicy(name, b, promoteFromStash, demoteToStashHead, stashPer60, ghostBitsPerEntry,
                ghostGeneration, ghostEvictsProtected, adaptiveStep, promoteToSlot);
    }

    public SlotPolicy withPromoteFromStash(boolean promote) {
        return new SlotPolicy(name, bump, promote, demoteToStashHead, stashPer60, ghostBitsPerEntry,
                ghostGeneration, ghostEvictsProtected, adaptiveStep, promoteToSlot);
    }

    public SlotPolicy withDemoteToStashHead(boolean head) {
        return new SlotPolicy(name, bump, promoteFromStash, head, stashPer60, ghostBitsPerEntry,
                ghostGeneration, ghostEvictsProtected, adaptiveStep, promoteToSlot);
    }

    public SlotPolicy withStashPer60(int stash) {
        return new SlotPolicy(name, bump, promoteFromStash, demoteToStashHead, stash, ghostBitsPerEntry,
                ghostGeneration, ghostEvictsProtected, adaptiveStep, promoteToSlot);
    }

    public SlotPolicy withGhosts(int bitsPerEntry, double generation) {
        return new SlotPolicy(name, bump, promoteFromStash, demoteToStashHead, stashPer60, bitsPerEntry,
                generation, ghostEvictsProtected, adaptiveStep, promoteToSlot);
    }

    public SlotPolicy withGhostEvictsProtected(boolean evicts) {
        return new SlotPolicy(name, bump, promoteFromStash, demoteToStashHead, stashPer60, ghostBitsPerEntry,
                ghostGeneration, evicts, adaptiveStep, promoteToSlot);
    }

    public SlotPolicy withPromoteToSlot(int slot) {
        return new SlotPolicy(name, bump, promoteFromStash, demoteToStashHead, stashPer60, ghostBitsPerEntry,
                ghostGeneration, ghostEvictsProtected, adaptiveStep, slot);
    }

    public SlotPolicy withAdaptiveStep(double step) {
        return new SlotPolicy(name, bump, promoteFromStash, demoteToStashHead, stashPer60, ghostBitsPerEntry,
                ghostGeneration, ghostEvictsProtected, step, promoteToSlot);
    }
}
