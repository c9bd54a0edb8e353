package io.dash4j.bench.sim.slots;

import io.dash4j.eviction.SlotOrder;
import io.dash4j.eviction.SlotPolicy;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The design space of slot orders the simulator explores: every variant measured on the way to
 * {@link SlotPolicy#DEFAULT}, rejected ones included, as one record of parameters that
 * {@link ExperimentalOrder} interprets with an {@code if} per parameter. The production cache
 * carries none of this: it has two lean orders, and {@link #policy} hands those out for the two
 * presets equal to them ({@code dragonfly}, {@code mark-lazy-fpghost-s8-w16} = the default), so
 * the simulator measures the production code wherever it can. A test checks that this
 * interpreter and the production orders agree hit for hit.
 *
 * @param name              the name the simulator and the docs use
 * @param bump              what a hit does to a regular-bucket entry
 * @param promoteFromStash  a hit in the stash promotes the entry into its home bucket (Dragonfly);
 *                          false keeps it in the probationary FIFO (full 2Q: only a key that
 *                          returns after eviction, a ghost hit, is promoted; with
 *                          {@link Bump#MARK}, S3-FIFO: the hit is counted and the stash tail
 *                          promotes, when it must leave, if it was hit {@code promoteHits} times)
 * @param demoteToStashHead a stash hit that promotes by swapping sends the demoted entry to the
 *                          head (slot 0) of the stash bucket, a fresh probation, instead of
 *                          Dragonfly's "same slot the promoted entry left" (with {@link Bump#MARK}
 *                          and no stash-hit promotion: the entry a self-promoting tail demotes,
 *                          which otherwise leaves at once)
 * @param stashPer60        stash buckets per 60 buckets of a segment (Dragonfly: 4, i.e. 6.7 %)
 * @param ghostBitsPerEntry bits per cached entry of the filter remembering keys evicted from the
 *                          stash (0 = no filter); a returning key goes straight to its home bucket
 * @param ghostGeneration   keys a filter generation holds, as a fraction of the cache's entries;
 *                          two generations age it (the older one is dropped when the newer fills)
 * @param ghostEvictsProtected a returning ghost takes the place of its home bucket's last (LRU)
 *                          entry, which is evicted (2Q: the protected queue's victim leaves);
 *                          false demotes that entry into the stash instead (Dragonfly's swap)
 * @param promoteToSlot     with {@link Bump#FRONT}: the slot an entry promoted out of the stash by
 *                          a second hit enters its bucket at (capped to the last slot); 0 = the
 *                          front. A later slot makes a newly promoted entry prove itself once
 *                          more before it outranks the bucket's established entries.
 * @param ghostToSlot       the same for a returning ghost; -1 = {@code promoteToSlot}
 * @param ghostKind         how the ghost filter remembers evicted keys
 * @param bucketSlots       for an entry-bounded cache, the bucket width (10..16) preferred among
 *                          segment grids that fill the bound to within 1 % (Dragonfly: 14)
 * @param lazyPromotion     with {@link Bump#FRONT}: a hit in a regular bucket only marks its entry
 *                          (a reference bit, kept here per key); the bucket is reordered — marked
 *                          entries first, in slot order — only when a promotion is about to
 *                          demote its last slot (CLOCK / S3-FIFO style: the order is fixed when
 *                          something must leave, not on every hit)
 * @param bucketAging       a second chance per bucket, not per entry: a stash tail about to be
 *                          evicted instead replaces the last (LRU) entry of its home bucket when
 *                          no hit has landed in that bucket since the policy last looked there;
 *                          otherwise the bucket's "referenced" bit is cleared and the tail leaves.
 *                          Protected entries of buckets nobody promotes into then age out, as
 *                          they would at the end of a global LRU list (Dragonfly issue #256).
 * @param adaptiveStep      0 = off. Else ARC-style adaptation: a full segment evicts either the
 *                          stash tail (probation's oldest) or, to keep that entry, the last entry
 *                          of its home bucket (protected's LRU end) which the tail then replaces;
 *                          the choice is random with a probability that ghost hits move by this
 *                          step — up when a key evicted from probation returns (probation too
 *                          short), down when one evicted from protected returns. The ghost bits
 *                          are then split between the two ghost filters.
 * @param promoteHits       with {@link Bump#MARK}: hits in probation that promote an entry (S3-FIFO
 *                          moves its small queue's tail to the main queue after 2); counted per key
 * @param countCap          with {@link Bump#MARK}: the highest hit count an entry keeps (1..3; 3 = the
 *                          2-bit counter's full range, S3-FIFO's; 1 = CLOCK's single reference bit):
 *                          an entry counted {@code c} survives {@code c} reinsertion passes
 * @param ghostGate         with {@link Bump#MARK}: a returning ghost skips probation only when its
 *                          promotion would demote an entry with no hit counted (home or neighbour
 *                          has a free slot or an uncounted entry); when every entry there was hit
 *                          since its last pass, the ghost starts in probation like a new key, so
 *                          a working set that is all in use (a loop that barely fits) is not
 *                          flushed by keys that come back after it
 * @param carryCount        with {@link Bump#MARK}: a stash tail promoted because it was hit enters
 *                          its bucket with its probation count minus one (0 = S3-FIFO's reset)
 * @param ghostCount        with {@link Bump#MARK}: the count a returning ghost enters its bucket with
 *                          (0..3; 0 = none, so it is the first to go round)
 */
public record SlotPolicySpec(String name, Bump bump, boolean promoteFromStash, boolean demoteToStashHead,
                         int stashPer60, int ghostBitsPerEntry, double ghostGeneration,
                         boolean ghostEvictsProtected, double adaptiveStep, int promoteToSlot,
                         int ghostToSlot, GhostKind ghostKind, boolean bucketAging, int bucketSlots,
                             boolean lazyPromotion, int promoteHits, int countCap, boolean ghostGate,
                             boolean carryCount, int ghostCount) {

    /** What a hit does to an entry in a regular bucket. */
    public enum Bump {
        /** Dragonfly: swap with slot-1 (13 hits to climb a 14-slot bucket). */
        SWAP,
        /** Move to slot 0, the others shift down: each bucket is a small LRU list. */
        FRONT,
        /**
         * S3-FIFO's main queue per bucket: a hit moves nothing, it only counts (2 bits, 0..3); a
         * promotion into a full bucket first sends the bucket's counted last entries round to
         * slot 0 (CLOCK reinsertion), one count less each, and demotes the first uncounted one.
         */
        MARK
    }

    /** How the ghost filter remembers evicted keys. */
    public enum GhostKind {
        /** Two generations of a Bloom filter (k = 3), the older dropped when the newer fills. */
        BLOOM,
        /** 10-bit fingerprints, six to a 64-bit word, each word a small FIFO ({@code io.dash4j.eviction.FingerprintGhostFilter}). */
        FINGERPRINTS
    }

    /**
     * Dragonfly's cache as its code implements it (brief §6): new entries take the lowest free
     * slot; a full segment that may not grow evicts the last slot of stash bucket {@code hash % T}
     * and shifts that bucket right (the stash buckets are probationary FIFOs); a hit swaps a
     * regular-bucket entry with slot-1, and promotes a stash entry to a free home/neighbour slot or
     * else swaps it with the last slot of its pointer's bucket. No memory of evicted keys.
     */
    public static final SlotPolicySpec DRAGONFLY = new SlotPolicySpec("dragonfly", Bump.SWAP, true, false, 4, 0, 0,
            false, 0, 0, -1, GhostKind.BLOOM, false, 14, false, 1, 3, false, false, 0);

    /** Dragonfly's order with move-to-front bumps (stale protected entries now age out). */
    public static final SlotPolicySpec FRONT = DRAGONFLY.with(p -> p.bump = Bump.FRONT).withName("front");

    /** Move-to-front plus a Bloom filter of evicted stash keys (2Q's A1out rule). */
    public static final SlotPolicySpec FRONT_GHOST = FRONT.with(p -> {
        p.ghostBitsPerEntry = 12;
        p.ghostGeneration = 0.5;
    }).withName("front-ghost");

    /** {@link #FRONT_GHOST} with twice Dragonfly's probationary share (8 of 60 buckets, 13 %). */
    public static final SlotPolicySpec FRONT_GHOST_S8 = FRONT_GHOST.with(p -> p.stashPer60 = 8).withName("front-ghost-s8");

    /**
     * Full 2Q on slots: a 20 % stash FIFO whose hits do not promote; only keys returning after
     * eviction (ghost hits) enter the protected buckets.
     */
    public static final SlotPolicySpec TWO_Q = FRONT_GHOST.with(p -> {
        p.stashPer60 = 12;
        p.promoteFromStash = false;
    }).withName("2q-slots");

    /**
     * {@link #FRONT_GHOST_S8} whose promotions out of the stash enter their bucket at slot 6 of 14
     * rather than the front; hits in the protected region still move to the front. (The default
     * until the tail entry and fingerprint ghosts below.)
     */
    public static final SlotPolicySpec FRONT_GHOST_S8_MID = FRONT_GHOST_S8.with(p -> p.promoteToSlot = 6)
            .withName("front-ghost-s8-mid");

    /**
     * {@link #FRONT_GHOST_S8_MID} where a second hit in probation enters the home bucket at its
     * last slot while a returning ghost still enters at slot 6: a key seen twice in a short while
     * may be a burst, a key that came back after being evicted has proven a longer reuse. (Also
     * cheaper: the promoted entry moves no one, and it is the one the next promotion into that
     * bucket demotes unless it is hit again.)
     */
    public static final SlotPolicySpec FRONT_GHOST_S8_TAIL = FRONT_GHOST_S8_MID.with(p -> {
        p.promoteToSlot = 15; // capped to the bucket's last slot
        p.ghostToSlot = 6;
    }).withName("front-ghost-s8-tail");

    /**
     * {@link #FRONT_GHOST_S8_TAIL} with the ghosts kept as fingerprints in FIFO words instead of a
     * Bloom filter (same 12 bits per entry: fewer false ghosts, more true ones remembered).
     */
    public static final SlotPolicySpec FRONT_FPGHOST_S8_TAIL = FRONT_GHOST_S8_TAIL.with(p -> p.ghostKind = GhostKind.FINGERPRINTS)
            .withName("front-fpghost-s8-tail");

    /**
     * {@link #FRONT_FPGHOST_S8_TAIL} with 16-slot buckets wherever a 16-slot grid fills the bound
     * as well (to within 1 %) as the 14-slot one: a wider bucket is a longer LRU list, so its last
     * slot is a better victim; and for power-of-two bounds 16-slot grids fill them exactly.
     */
    public static final SlotPolicySpec FRONT_FPGHOST_S8_TAIL_W16 = FRONT_FPGHOST_S8_TAIL.with(p -> p.bucketSlots = 16)
            .withName("front-fpghost-s8-tail-w16");

    /**
     * The (eager) default with S3-FIFO's lazy main queue in every protected bucket ({@link Bump#MARK}):
     * hits only count, a returning ghost enters at the front, and a full bucket's victim is found
     * by reinsertion. Counted in the segment's 2-bit per-slot hit counters.
     */
    public static final SlotPolicySpec MARK_S3 = FRONT_FPGHOST_S8_TAIL_W16.with(p -> {
        p.bump = Bump.MARK;
        p.promoteToSlot = 0;
        p.ghostToSlot = 0;
    }).withName("mark-fpghost-s8-w16");

    /**
     * The best of the {@link Bump#MARK} orders measured: {@link #MARK_S3} where a second hit in
     * probation enters its bucket last (as the default's does) and a returning ghost at the front.
     * Mean over the 9 ARC points 46.76 (eager default 46.62, lazy default 46.64, S3-FIFO 46.81);
     * with 14 ghost bits 46.80.
     */
    public static final SlotPolicySpec MARK_TAIL = MARK_S3.with(p -> p.promoteToSlot = 15)
            .withName("mark-fpghost-s8-tail-w16");

    /**
     * {@link #MARK_TAIL} whose probation is S3-FIFO's small queue too: a hit in a stash bucket only
     * counts as well, and the stash tail, when it must leave, moves to its home bucket instead if
     * it was hit there ({@code promote=false} with {@link Bump#MARK}). No hit moves anything.
     * The default since issue 16 ({@code DefaultOrder}); numbers in docs/eviction.md.
     */
    public static final SlotPolicySpec MARK_LAZY = MARK_TAIL.with(p -> p.promoteFromStash = false)
            .withName("mark-lazy-fpghost-s8-w16");

    /** Tried and rejected: a returning ghost evicts its home bucket's LRU entry (2Q's Am victim). */
    public static final SlotPolicySpec GHOST_EVICTS_PROTECTED = FRONT_GHOST_S8.with(p -> p.ghostEvictsProtected = true)
            .withName("front-ghost-s8-evict-protected");

    /** Tried and rejected: ARC-style adaptation between probation and protected victims. */
    public static final SlotPolicySpec ADAPTIVE = FRONT_GHOST_S8.with(p -> p.adaptiveStep = 0.01)
            .withName("front-ghost-s8-adaptive");

    /**
     * {@link #FRONT_FPGHOST_S8_TAIL_W16} with lazy promotion: a hit in a regular bucket moves
     * nothing, it marks its slot; marked entries move to the front of their bucket only before
     * it demotes one. Same hit ratio (46.64 against 46.62), a cheaper hit: the default from
     * 2026-11-29 until {@link #MARK_LAZY} (issue 16).
     */
    public static final SlotPolicySpec FRONT_FPGHOST_S8_TAIL_W16_LAZY = FRONT_FPGHOST_S8_TAIL_W16
            .with(p -> p.lazyPromotion = true).withName("front-fpghost-s8-tail-w16-lazy");

    /** The parameters of {@link SlotPolicy#DEFAULT}, the best of the variants (docs/eviction.md). */
    public static final SlotPolicySpec DEFAULT = MARK_LAZY;

    /** Tried and rejected: the (eager) default plus a per-bucket second chance ({@code bucketAging}). */
    public static final SlotPolicySpec AGING = FRONT_FPGHOST_S8_TAIL_W16.with(p -> p.bucketAging = true)
            .withName("default-aging");

    public SlotPolicySpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(bump);
        Objects.requireNonNull(ghostKind);
        if (stashPer60 < 1 || stashPer60 > 16) {
            throw new IllegalArgumentException("stash buckets per 60 must be in [1, 16]: " + stashPer60);
        }
        if (ghostBitsPerEntry < 0 || ghostBitsPerEntry > 64) {
            throw new IllegalArgumentException("ghost bits per entry must be in [0, 64]: " + ghostBitsPerEntry);
        }
        if (promoteToSlot < 0 || promoteToSlot > 15) {
            throw new IllegalArgumentException("promote-to slot must be in [0, 15]: " + promoteToSlot);
        }
        if (ghostToSlot < -1 || ghostToSlot > 15) {
            throw new IllegalArgumentException("ghost-to slot must be in [-1, 15]: " + ghostToSlot);
        }
        if (promoteHits < 1 || promoteHits > 3) {
            throw new IllegalArgumentException("promoting hits must be in [1, 3]: " + promoteHits);
        }
        if (ghostCount < 0 || ghostCount > 3) {
            throw new IllegalArgumentException("ghost count must be in [0, 3]: " + ghostCount);
        }
        if (countCap < 1 || countCap > 3) {
            throw new IllegalArgumentException("count cap must be in [1, 3]: " + countCap);
        }
        if (bucketSlots < 10 || bucketSlots > 16) {
            throw new IllegalArgumentException("bucket slots must be in [10, 16]: " + bucketSlots);
        }
        if (adaptiveStep < 0 || adaptiveStep > 1 || (adaptiveStep > 0 && ghostBitsPerEntry == 0)) {
            throw new IllegalArgumentException("adaptive step must be in [0, 1] and needs ghosts: " + adaptiveStep);
        }
        if (ghostBitsPerEntry > 0 && ghostKind == GhostKind.BLOOM && !(ghostGeneration > 0)) {
            throw new IllegalArgumentException("a Bloom ghost filter needs a positive generation size");
        }
    }

    public boolean hasGhosts() {
        return ghostBitsPerEntry > 0;
    }

    /** The slot a returning ghost enters its bucket at. */
    public int ghostEntrySlot() {
        return ghostToSlot < 0 ? promoteToSlot : ghostToSlot;
    }

    /** The named presets, for the simulator's policy names ("dash-" + name). */
    public static List<SlotPolicySpec> presets() {
        return List.of(DRAGONFLY, FRONT, FRONT_GHOST, FRONT_GHOST_S8, FRONT_GHOST_S8_MID, FRONT_GHOST_S8_TAIL,
                FRONT_FPGHOST_S8_TAIL, FRONT_FPGHOST_S8_TAIL_W16, FRONT_FPGHOST_S8_TAIL_W16_LAZY, TWO_Q, GHOST_EVICTS_PROTECTED, ADAPTIVE, AGING,
                MARK_S3, MARK_TAIL, MARK_LAZY);
    }

    /** A preset by name (case-insensitive), e.g. "dragonfly", "front-ghost", or "default". */
    public static SlotPolicySpec named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("default")) {
            return DEFAULT;
        }
        for (SlotPolicySpec p : presets()) {
            if (p.name.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown slot policy " + name + "; known: default, "
                + presets().stream().map(SlotPolicySpec::name).toList());
    }

    /**
     * A preset with some parameters changed, e.g. {@code "default:stash=10:ghost=16"}: the preset's
     * name (or "default"), then {@code :key=value} pairs. Keys: {@code bump} (swap|front|mark),
     * {@code promote} (true|false: stash hits promote), {@code head} (true|false: demoted entries
     * restart probation), {@code stash} (buckets per 60), {@code ghost} (bits per entry),
     * {@code gen} (Bloom generation as a fraction of the entries), {@code ghostkind}
     * (bloom|fingerprints), {@code evictprot} (true|false), {@code adapt} (step), {@code mid}
     * (promote-to slot), {@code ghostmid} (ghost-to slot), {@code aging} (true|false), {@code lazy} (true|false),
     * {@code width} (preferred bucket slots), {@code hits} (probation hits that promote, with
     * {@code bump=mark}), {@code cap} (highest hit count kept, with {@code bump=mark}), {@code gate} (true|false:
     * a returning ghost skips probation only if its promotion would demote an uncounted entry),
     * {@code carry} (true|false: a promoted tail keeps its count minus one), {@code ghostcount}
     * (0..3: the count a returning ghost enters with). The result is named after the spec, so the
     * simulator can run any point of the design space side by side with the presets.
     */
    public static SlotPolicySpec parse(String spec) {
        String[] parts = spec.split(":");
        SlotPolicySpec p = named(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value in slot policy spec: " + parts[i]);
            }
            String k = parts[i].substring(0, eq).toLowerCase(Locale.ROOT);
            String v = parts[i].substring(eq + 1);
            p = p.with(b -> {
                switch (k) {
                    case "bump" -> b.bump = Bump.valueOf(v.toUpperCase(Locale.ROOT));
                    case "promote" -> b.promoteFromStash = Boolean.parseBoolean(v);
                    case "head" -> b.demoteToStashHead = Boolean.parseBoolean(v);
                    case "stash" -> b.stashPer60 = Integer.parseInt(v);
                    case "ghost" -> {
                        b.ghostBitsPerEntry = Integer.parseInt(v);
                        b.ghostGeneration = b.ghostGeneration > 0 ? b.ghostGeneration : 0.5;
                    }
                    case "gen" -> b.ghostGeneration = Double.parseDouble(v);
                    case "ghostkind" -> b.ghostKind = GhostKind.valueOf(v.toUpperCase(Locale.ROOT));
                    case "evictprot" -> b.ghostEvictsProtected = Boolean.parseBoolean(v);
                    case "adapt" -> b.adaptiveStep = Double.parseDouble(v);
                    case "mid" -> b.promoteToSlot = Integer.parseInt(v);
                    case "ghostmid" -> b.ghostToSlot = Integer.parseInt(v);
                    case "aging" -> b.bucketAging = Boolean.parseBoolean(v);
                    case "lazy" -> b.lazyPromotion = Boolean.parseBoolean(v);
                    case "width" -> b.bucketSlots = Integer.parseInt(v);
                    case "hits" -> b.promoteHits = Integer.parseInt(v);
                    case "cap" -> b.countCap = Integer.parseInt(v);
                    case "gate" -> b.ghostGate = Boolean.parseBoolean(v);
                    case "carry" -> b.carryCount = Boolean.parseBoolean(v);
                    case "ghostcount" -> b.ghostCount = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown slot policy parameter " + k + " in " + spec);
                }
            });
        }
        return parts.length == 1 ? p : p.withName(spec.toLowerCase(Locale.ROOT));
    }

    /**
     * The policy a simulator name {@code dash-<spec>} runs: the production policy when the spec is
     * one ("default", "dragonfly", or the default's preset name), else this interpreter.
     */
    public static SlotPolicy policy(String spec) {
        String n = spec.toLowerCase(Locale.ROOT);
        if (n.equals("default") || n.equals(DEFAULT.name)) {
            return SlotPolicy.DEFAULT;
        }
        if (n.equals(DRAGONFLY.name)) {
            return SlotPolicy.DRAGONFLY;
        }
        return parse(spec).interpreted();
    }

    /** This spec as a policy run by {@link ExperimentalOrder} (even when it equals a production one). */
    public SlotPolicy interpreted() {
        SlotPolicySpec spec = this;
        return new SlotPolicy(name, stashPer60, bucketSlots, ghostBitsPerEntry) {
            @Override
            public <K> SlotOrder<K> newOrder(SlotOrder.Host<K> cache, long expectedEntries) {
                return new ExperimentalOrder<>(cache, expectedEntries, spec);
            }
        };
    }

    public SlotPolicySpec withName(String newName) {
        return with(b -> b.name = newName);
    }

    /** A copy with the fields {@code change} sets on a mutable draft of this policy. */
    public SlotPolicySpec with(java.util.function.Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return d.build();
    }

    /** The mutable form {@link #with} hands out: one field per record component. */
    public static final class Draft {
        public String name;
        public Bump bump;
        public boolean promoteFromStash;
        public boolean demoteToStashHead;
        public int stashPer60;
        public int ghostBitsPerEntry;
        public double ghostGeneration;
        public boolean ghostEvictsProtected;
        public double adaptiveStep;
        public int promoteToSlot;
        public int ghostToSlot;
        public GhostKind ghostKind;
        public boolean bucketAging;
        public boolean lazyPromotion;
        public int bucketSlots;
        public int promoteHits;
        public int countCap;
        public boolean ghostGate;
        public boolean carryCount;
        public int ghostCount;

        private Draft(SlotPolicySpec p) {
            name = p.name;
            bump = p.bump;
            promoteFromStash = p.promoteFromStash;
            demoteToStashHead = p.demoteToStashHead;
            stashPer60 = p.stashPer60;
            ghostBitsPerEntry = p.ghostBitsPerEntry;
            ghostGeneration = p.ghostGeneration;
            ghostEvictsProtected = p.ghostEvictsProtected;
            adaptiveStep = p.adaptiveStep;
            promoteToSlot = p.promoteToSlot;
            ghostToSlot = p.ghostToSlot;
            ghostKind = p.ghostKind;
            bucketAging = p.bucketAging;
            lazyPromotion = p.lazyPromotion;
            bucketSlots = p.bucketSlots;
            promoteHits = p.promoteHits;
            countCap = p.countCap;
            ghostGate = p.ghostGate;
            carryCount = p.carryCount;
            ghostCount = p.ghostCount;
        }

        private SlotPolicySpec build() {
            return new SlotPolicySpec(name, bump, promoteFromStash, demoteToStashHead, stashPer60, ghostBitsPerEntry,
                    ghostGeneration, ghostEvictsProtected, adaptiveStep, promoteToSlot, ghostToSlot, ghostKind,
                    bucketAging, bucketSlots, lazyPromotion, promoteHits, countCap, ghostGate, carryCount, ghostCount);
        }
    }
}
