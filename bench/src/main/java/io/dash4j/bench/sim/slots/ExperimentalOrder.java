package io.dash4j.bench.sim.slots;

import io.dash4j.dashtable.DashTable;
import io.dash4j.dashtable.Segment;
import io.dash4j.eviction.FingerprintGhostFilter;
import io.dash4j.eviction.GhostFilter;
import io.dash4j.eviction.SlotOrder;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The simulator's interpreter of a {@link SlotPolicySpec}: one {@link SlotOrder} whose every
 * decision is an {@code if} on a parameter, so any point of the design space runs without code.
 * This is where the variants measured and rejected on the way to the default live (they were
 * DashCache's branches until the production orders were split out):
 *
 * <ul>
 *   <li>{@code bump}: a regular hit swaps with slot-1 (Dragonfly) or moves to the front;
 *   <li>{@code promoteFromStash=false}: full 2Q — a hit in probation does not promote;
 *   <li>{@code demoteToStashHead}: the entry a promotion demotes restarts probation at slot 0;
 *   <li>{@code promoteToSlot}, {@code ghostToSlot}: where a promotion and a returning ghost enter;
 *   <li>ghosts as a Bloom filter in two generations ({@link BloomGhostFilter}) or fingerprints;
 *   <li>{@code ghostEvictsProtected}: a returning ghost evicts its home bucket's last entry;
 *   <li>{@code adaptiveStep}: ARC-style, a full segment sometimes keeps its probation tail and
 *       evicts a protected entry instead, steered by a second ghost filter;
 *   <li>{@code bucketAging}: a "referenced" bit per bucket (kept here, beside the table), a
 *       second chance for the stash tail against a home bucket nobody hit;
 *   <li>{@code lazyPromotion} (the default before issue 16): a hit in a regular bucket only marks its slot
 *       ({@code Segment.countHit}: a counter above 0 is the mark); a bucket is reordered, marked entries first
 *       ({@code Segment.promoteMarked}), only when a promotion is about to demote its last slot;
 *   <li>{@code bump=MARK}: S3-FIFO's main queue per bucket — a protected hit only counts (0..3,
 *       in the segment's 2-bit per-slot counters, {@code Segment.countHit}), and a bucket about to demote first sends its
 *       counted last entries round to slot 0, one count less each; {@code promoteHits} probation
 *       hits promote (S3-FIFO: 2); with {@code promoteFromStash=false} a probation hit only
 *       counts too, and the stash tail promotes itself when it must leave (S3-FIFO's small queue).
 * </ul>
 */
final class ExperimentalOrder<K> extends SlotOrder<K> {

    private final SlotPolicySpec spec;
    /** Keys recently evicted from the stash (null when the spec keeps none). */
    private final GhostFilter ghosts;
    /** Adaptive specs only: keys evicted from the protected region (ARC's B2). */
    private final GhostFilter protectedGhosts;
    /** Adaptive specs only: probability that a full segment keeps its probationary tail. */
    private double keepTail;
    /** Bucket aging only: per segment, one "a hit landed here since the last look" bit per bucket. */
    private final Map<Segment<K, Object>, long[]> referenced = new IdentityHashMap<>();

    ExperimentalOrder(Host<K> cache, long expectedEntries, SlotPolicySpec spec) {
        super(cache);
        this.spec = spec;
        boolean adaptive = spec.adaptiveStep() > 0;
        int bits = adaptive ? spec.ghostBitsPerEntry() / 2 : spec.ghostBitsPerEntry();
        this.ghosts = spec.hasGhosts() ? filter(expectedEntries, bits) : null;
        this.protectedGhosts = adaptive ? filter(expectedEntries, bits) : null;
    }

    private GhostFilter filter(long entries, int bits) {
        return switch (spec.ghostKind()) {
            case BLOOM -> new BloomGhostFilter(entries, bits, spec.ghostGeneration());
            case FINGERPRINTS -> new FingerprintGhostFilter(entries, bits);
        };
    }

    // ------------------------------------------------------------------ hits

    @Override
    public long onHit(long pos, long hash) {
        if (spec.bump() == SlotPolicySpec.Bump.MARK) {
            Segment<K, Object> seg = cache.table().segmentAt(pos);
            int bucket = DashTable.bucketAt(pos);
            int slot = DashTable.slotAt(pos);
            seg.countHit(bucket, slot);
            int c = seg.hitCount(bucket, slot);
            if (c > spec.countCap()) {
                c = spec.countCap();
                seg.setHitCount(bucket, slot, c);
            }
            if (!seg.isStash(bucket) || !spec.promoteFromStash()) {
                return pos; // moves nothing (promote=false: the stash tail promotes, retireTail)
            }
            if (c < spec.promoteHits()) {
                return pos; // not yet: S3-FIFO promotes out of probation after promoteHits hits
            }
            // the promotion below lands it in its bucket with no hits counted
        } else if (!spec.promoteFromStash() && cache.table().segmentAt(pos).isStash(DashTable.bucketAt(pos))) {
            return pos; // full 2Q: a probationary hit does not promote; only a returning ghost does
        } else if (spec.lazyPromotion()) {
            Segment<K, Object> seg = cache.table().segmentAt(pos);
            int bucket = DashTable.bucketAt(pos);
            if (!seg.isStash(bucket)) {
                seg.countHit(bucket, DashTable.slotAt(pos)); // a counter above 0 is the mark
                return pos; // the order is fixed later, when this bucket must demote someone
            }
        }
        long moved = promote(pos, hash, spec.promoteToSlot());
        if (spec.bucketAging()) {
            Segment<K, Object> seg = cache.table().segmentAt(moved);
            int bucket = DashTable.bucketAt(moved);
            if (!seg.isStash(bucket)) {
                referencedBits(seg)[bucket >>> 6] |= 1L << bucket;
            }
        }
        return moved;
    }

    /** One promotion under the spec; returns the entry's new position. */
    private long promote(long pos, long hash, int entrySlot) {
        DashTable<K, Object> table = cache.table();
        if (spec.bump() == SlotPolicySpec.Bump.SWAP && !spec.demoteToStashHead()) {
            return table.bumpUp(pos, hash); // Dragonfly's BumpUp, exactly
        }
        Segment<K, Object> seg = table.segmentAt(pos);
        int bucket = DashTable.bucketAt(pos);
        int slot = DashTable.slotAt(pos);
        if (cache.isPinned(seg.valueAt(bucket, slot))) {
            return pos;
        }
        if (seg.isStash(bucket)) {
            if (spec.bump() == SlotPolicySpec.Bump.MARK) {
                reinsertBeforeDemotion(seg, hash);
            } else if (spec.lazyPromotion()) {
                reorderBeforeDemotion(seg, hash);
            }
            long moved = table.bumpUp(pos, hash);
            if (moved == pos) {
                return pos;
            }
            if (spec.demoteToStashHead() && seg.isBusy(bucket, slot)) {
                seg.rotateUp(bucket, slot, 0); // the demoted entry starts a fresh probation
            }
            if (spec.bump() == SlotPolicySpec.Bump.SWAP) {
                return moved;
            }
            pos = moved;
            bucket = DashTable.bucketAt(pos);
            slot = DashTable.slotAt(pos);
            int entry = Math.min(entrySlot, seg.slotsPerBucket() - 1);
            if (entry > 0) {
                // a fresh promotion enters mid-bucket (the spec's entry slot), not at the front
                return slot > entry ? moveUp(seg, pos, bucket, slot, entry) : pos;
            }
        } else if (spec.bump() == SlotPolicySpec.Bump.SWAP) {
            return table.bumpUp(pos, hash);
        }
        return moveUp(seg, pos, bucket, slot, 0);
    }

    /** Reinsertion in the home and neighbour of {@code hash} when both are full (a promotion will demote). */
    private void reinsertBeforeDemotion(Segment<K, Object> seg, long hash) {
        int home = demotingHome(seg, hash);
        if (home >= 0) {
            seg.reinsertCounted(home);
            seg.reinsertCounted(seg.nextBucket(home));
        }
    }

    /**
     * The home bucket of {@code hash} when promoting its stash entry will demote someone (home and
     * neighbour both full, no pins), else -1: a free slot takes the promotion and nobody is demoted.
     */
    private int demotingHome(Segment<K, Object> seg, long hash) {
        int home = seg.homeBucket(hash);
        int slots = seg.slotsPerBucket();
        if (cache.hasPins() || seg.bucketSize(home) < slots || seg.bucketSize(seg.nextBucket(home)) < slots) {
            return -1;
        }
        return home;
    }

    // ------------------------------------------------------------------ admission

    @Override
    public boolean admitting(long hash) {
        boolean returning = false;
        if (ghosts != null && ghosts.takeBack(hash)) {
            returning = true;
            keepTail = Math.min(1, keepTail + spec.adaptiveStep()); // probation was too short
        } else if (protectedGhosts != null && protectedGhosts.takeBack(hash)) {
            returning = true;
            keepTail = Math.max(0, keepTail - spec.adaptiveStep()); // protected was too small
        }
        if (returning && spec.ghostEvictsProtected()) {
            makeRoomInHome(hash);
        }
        return returning;
    }

    @Override
    public boolean admitted(long pos, long hash, boolean returning) {
        if (!returning || !cache.table().segmentAt(pos).isStash(DashTable.bucketAt(pos))) {
            return false;
        }
        if (spec.ghostGate() && spec.bump() == SlotPolicySpec.Bump.MARK && allCounted(cache.table().segmentAt(pos), hash)) {
            return false; // everyone it would displace is in use: it starts in probation instead
        }
        // a key evicted from probation not long ago is back: skip probation (2Q's A1out rule)
        long moved = promote(pos, hash, spec.ghostEntrySlot());
        if (spec.ghostCount() > 0 && moved != pos) {
            cache.table().segmentAt(moved).setHitCount(DashTable.bucketAt(moved), DashTable.slotAt(moved), spec.ghostCount());
        }
        return true;
    }

    /** Home and neighbour of {@code hash} are full and every entry in them has a hit counted. */
    private boolean allCounted(Segment<K, Object> seg, long hash) {
        int home = seg.homeBucket(hash);
        int next = seg.nextBucket(home);
        int all = (1 << seg.slotsPerBucket()) - 1;
        return seg.hitMarks(home) == all && seg.hitMarks(next) == all;
    }

    /**
     * For a returning ghost in a full segment: evict the last (least recently used) entry of its
     * home bucket, so the key enters the protected region without demoting anyone into probation.
     */
    private void makeRoomInHome(long hash) {
        Segment<K, Object> seg = cache.table().segmentFor(hash);
        int home = seg.homeBucket(hash);
        int last = seg.slotsPerBucket() - 1;
        if (seg.bucketSize(home) <= last || seg.bucketSize(seg.nextBucket(home)) <= last) {
            return; // home or neighbour has room: nothing to evict
        }
        if (seg.isBusy(home, last) && !cache.isPinned(seg.valueAt(home, last))) {
            evict(seg, home, last);
        }
    }

    // ------------------------------------------------------------------ eviction

    @Override
    public boolean retireTail(Segment<K, Object> seg, int stashBucket, K keep) {
        if (spec.bump() == SlotPolicySpec.Bump.MARK && !spec.promoteFromStash()
                && promoteCountedTails(seg, stashBucket, keep)) {
            return true;
        }
        return (spec.bucketAging() && ageHomeOfTail(seg, stashBucket, keep))
                || evictStashTail(seg, stashBucket, keep, ghosts);
    }

    /**
     * S3-FIFO's small queue on a stash FIFO ({@code bump=mark:promote=false}): while the tail was
     * hit {@code promoteHits} times in probation, it moves to its home bucket instead of leaving
     * (the bucket first reinserts its counted entries; the uncounted one it demotes takes the
     * tail's slot and is the next to look at). True when a promotion into a free slot emptied the
     * tail, which the FIFO then shifts away; false leaves the (uncounted) tail to the caller.
     */
    private boolean promoteCountedTails(Segment<K, Object> seg, int stashBucket, K keep) {
        int last = seg.slotsPerBucket() - 1;
        for (int i = 0; i <= last && seg.isBusy(stashBucket, last); i++) {
            K k = seg.keyAt(stashBucket, last);
            if (k == keep || seg.hitCount(stashBucket, last) < spec.promoteHits()
                    || cache.isPinned(seg.valueAt(stashBucket, last))) {
                return false;
            }
            long h = cache.table().hash(k);
            int counted = seg.hitCount(stashBucket, last);
            reinsertBeforeDemotion(seg, h);
            int moved = seg.bumpUp(stashBucket, last, h, cache.table().policy());
            if (moved == Segment.position(stashBucket, last)) {
                return false; // could not move (pinned demotion target): let it leave
            }
            int to = Math.min(spec.promoteToSlot(), last);
            int bucket = Segment.bucketOf(moved);
            int slot = Segment.slotOf(moved);
            if (slot > to && !cache.hasPins()) {
                seg.rotateUp(bucket, slot, to); // the spec's entry slot (15: stays last)
                slot = to;
            }
            if (spec.carryCount()) {
                seg.setHitCount(bucket, slot, counted - 1);
            }
            if (spec.demoteToStashHead() && seg.isBusy(stashBucket, last)) {
                seg.rotateUp(stashBucket, last, 0); // the demoted entry gets a whole probation
            }
        }
        if (!seg.isBusy(stashBucket, last)) {
            seg.shiftRight(stashBucket);
            return true;
        }
        return false;
    }

    @Override
    public boolean evictFromFullSegment(Segment<K, Object> seg, long hash) {
        int regular = seg.regularBuckets();
        int stash = seg.stashBuckets();
        int first = seg.stashBucketFor(hash) - regular;
        if (protectedGhosts != null && keepTail > 0
                && ((hash >>> 40) & 0xFFFF) < keepTail * 0x10000 && keepStashTail(seg, regular + first)) {
            return true;
        }
        if (retireTail(seg, regular + first, null)) {
            return true;
        }
        boolean judgeTails = spec.bump() == SlotPolicySpec.Bump.MARK && !spec.promoteFromStash();
        for (int i = 1; i < stash; i++) {
            int other = regular + (first + i) % stash;
            if (judgeTails ? retireTail(seg, other, null) : evictStashTail(seg, other, null, ghosts)) {
                return true;
            }
        }
        return cache.evictLowestRank(seg, null);
    }

    /**
     * The adaptive alternative to evicting a stash tail: evict the last (LRU) entry of the tail's
     * home bucket instead, move the tail into the freed slot, and shift the stash bucket so its
     * slot 0 is free for the newcomer. Probation effectively lasts longer.
     */
    private boolean keepStashTail(Segment<K, Object> seg, int stashBucket) {
        int last = seg.slotsPerBucket() - 1;
        if (!seg.isBusy(stashBucket, last) || cache.isPinned(seg.valueAt(stashBucket, last))) {
            return false;
        }
        long tailHash = cache.table().hash(seg.keyAt(stashBucket, last));
        int home = seg.homeBucket(tailHash);
        if (!seg.isBusy(home, last) || cache.isPinned(seg.valueAt(home, last))) {
            return false;
        }
        long victimHash = cache.table().hash(seg.keyAt(home, last));
        protectedGhosts.add(victimHash);
        cache.evict(seg, home, last, victimHash);
        if (seg.tryMoveFromStash(stashBucket, last, tailHash) < 0) {
            return true; // cannot happen (home has a free slot now); the eviction still made room
        }
        seg.shiftRight(stashBucket);
        return true;
    }

    /**
     * Bucket aging, a CLOCK over buckets: when no hit has landed in the stash tail's home bucket
     * since the last look, that bucket's last (least recently used) entry is the staler of the
     * two, so it leaves instead and the tail takes its slot, still last in line. A bucket that
     * was hit loses its mark and keeps its entries this time.
     */
    private boolean ageHomeOfTail(Segment<K, Object> seg, int stashBucket, K keep) {
        int last = seg.slotsPerBucket() - 1;
        if (!seg.isBusy(stashBucket, last) || cache.isPinned(seg.valueAt(stashBucket, last))) {
            return false;
        }
        long tailHash = cache.table().hash(seg.keyAt(stashBucket, last));
        int home = seg.homeBucket(tailHash);
        long[] bits = referencedBits(seg);
        long bit = 1L << home;
        boolean wasReferenced = (bits[home >>> 6] & bit) != 0;
        bits[home >>> 6] &= ~bit;
        if (wasReferenced || !seg.isBusy(home, last)) {
            return false;
        }
        K stale = seg.keyAt(home, last);
        if (stale == keep || cache.isPinned(seg.valueAt(home, last))) {
            return false;
        }
        long staleHash = cache.table().hash(stale);
        if (ghosts != null) {
            ghosts.add(staleHash);
        }
        cache.evict(seg, home, last, staleHash);
        if (seg.tryMoveFromStash(stashBucket, last, tailHash) >= 0) {
            seg.shiftRight(stashBucket);
        }
        return true;
    }

    /**
     * Lazy promotion: when the promotion of a stash entry of {@code hash} will demote the last
     * slot of its home or neighbour (both full), first move each of their marked entries to the
     * front (marked ones in slot order, then the others), clearing the marks: the last slot is
     * then an entry nobody hit since the last reorder, as move-to-front would have made it.
     */
    private void reorderBeforeDemotion(Segment<K, Object> seg, long hash) {
        int home = demotingHome(seg, hash);
        if (home >= 0) {
            seg.promoteMarked(home);
            seg.promoteMarked(seg.nextBucket(home));
        }
    }

    private void evict(Segment<K, Object> seg, int bucket, int slot) {
        cache.evict(seg, bucket, slot, cache.table().hash(seg.keyAt(bucket, slot)));
    }

    private long[] referencedBits(Segment<K, Object> seg) {
        return referenced.computeIfAbsent(seg,
                s -> new long[(s.regularBuckets() + s.stashBuckets() + 63) >>> 6]);
    }

    // ------------------------------------------------------------------ memory

    @Override
    public void onGrow(long capacity) {
        if (ghosts != null) {
            ghosts.ensureSizedFor(capacity);
        }
        if (protectedGhosts != null) {
            protectedGhosts.ensureSizedFor(capacity);
        }
    }

    @Override
    public void clear() {
        if (ghosts != null) {
            ghosts.clear();
        }
        if (protectedGhosts != null) {
            protectedGhosts.clear();
        }
        referenced.clear();
    }

    @Override
    public long bytes() {
        return (ghosts == null ? 0 : ghosts.bytes()) + (protectedGhosts == null ? 0 : protectedGhosts.bytes());
    }
}
