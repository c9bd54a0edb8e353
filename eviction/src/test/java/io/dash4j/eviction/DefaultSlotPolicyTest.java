package io.dash4j.eviction;

import io.dash4j.dashtable.DashTable;
import io.dash4j.dashtable.Segment;
import io.dash4j.dashtable.SegmentLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default slot policy's own rules (docs/eviction.md), hand-worked: a hit only counts, a stash
 * tail that was hit is promoted when it must leave, a counted last entry goes round instead of
 * being demoted, a returning ghost enters at the front; the fingerprint ghost filter, the bucket
 * width and the policy names. {@code DefaultOrderModelTest} checks the same rules against a model.
 */
class DefaultSlotPolicyTest {

    /** One segment of 8 + 2 buckets of 16 slots: wide enough to see slot 13 and slot 6. */
    private static final SegmentLayout WIDE = new SegmentLayout(8, 2, 16);

    private static DashCache<Long, Long> oneSegment(RecordingListener<Long, Long> listener) {
        return DashCache.<Long, Long>builder().layout(WIDE).maximumSegments(1)
                .slotPolicy(SlotPolicy.DEFAULT).removalListener(listener).buildSingleOwner();
    }

    /** Fills the one-segment cache until it has evicted once: every slot busy, every counter 0. */
    private static void fillUntilFirstEviction(DashCache<Long, Long> cache, RecordingListener<Long, Long> evicted) {
        for (long k = 0; evicted.count(RemovalCause.EVICTED) == 0; k++) {
            cache.put(k, k);
        }
    }

    private static long positionOf(DashCache<Long, Long> cache, Long key) {
        return cache.table().locate(key, cache.hash(key));
    }

    /** Puts fresh keys (never seen: no ghost) until {@code key} has left stash bucket {@code stash}. */
    private static long fillUntilItLeaves(DashCache<Long, Long> cache, Long key, int stash, long fresh) {
        for (int i = 0; i < 100_000 && DashTable.bucketAt(positionOf(cache, key)) == stash; i++) {
            cache.put(fresh, fresh);
            fresh++;
        }
        return fresh;
    }

    /**
     * Hand-worked: a key hit once in probation does not move; when the FIFO pushes it to the tail
     * and a newcomer needs its slot, it enters its home bucket (or neighbour) at the last slot
     * with its counter reset, the entry that bucket demoted taking its stash slot and leaving at
     * once; an unhit key of the same FIFO leaves and becomes a ghost.
     */
    @Test
    void aProbationHitOnlyCountsAndTheTailThatWasHitIsPromotedWhenItMustLeave() {
        RecordingListener<Long, Long> evicted = new RecordingListener<>();
        DashCache<Long, Long> cache = oneSegment(evicted);
        fillUntilFirstEviction(cache, evicted);
        Segment<Long, Object> seg = cache.table().segment(0);
        int stash = WIDE.regularBuckets();
        Long hit = seg.keyAt(stash, 4);
        Long unhit = seg.keyAt(stash, 5);
        long before = positionOf(cache, hit);
        assertEquals(hit, cache.getIfPresent(hit));
        assertEquals(before, positionOf(cache, hit), "a hit in probation moves nothing");
        assertEquals(1, seg.hitCount(stash, 4), "it counts");
        assertEquals(hit, cache.getIfPresent(hit));
        assertEquals(2, seg.hitCount(stash, 4));

        long fresh = fillUntilItLeaves(cache, unhit, stash, 1_000_000L);
        assertEquals(-1, positionOf(cache, unhit), "the unhit entry left");
        assertTrue(evicted.keys(RemovalCause.EVICTED).contains(unhit));
        assertEquals(stash, DashTable.bucketAt(positionOf(cache, hit)), "the hit one is still in probation");
        assertEquals(WIDE.slots() - 1, DashTable.slotAt(positionOf(cache, hit)), "at its tail");

        int home = seg.homeBucket(cache.hash(hit));
        int next = seg.nextBucket(home);
        Long lastOfHome = null;
        Long lastOfNext = null;
        while (DashTable.bucketAt(positionOf(cache, hit)) == stash) {
            lastOfHome = seg.keyAt(home, WIDE.slots() - 1);
            lastOfNext = seg.keyAt(next, WIDE.slots() - 1);
            cache.put(fresh, fresh);
            fresh++;
        }
        long now = positionOf(cache, hit);
        assertTrue(now >= 0, "a tail that was hit is not evicted");
        assertTrue(DashTable.bucketAt(now) == home || DashTable.bucketAt(now) == next,
                "it left probation for its home bucket (or the neighbour)");
        assertEquals(WIDE.slots() - 1, DashTable.slotAt(now), "it enters last: it must be hit there to stay");
        assertEquals(0, seg.hitCount(DashTable.bucketAt(now), DashTable.slotAt(now)), "with no hits counted");
        List<Long> gone = evicted.keys(RemovalCause.EVICTED);
        Long demoted = gone.get(gone.size() - 1);
        assertEquals(DashTable.bucketAt(now) == home ? lastOfHome : lastOfNext, demoted,
                "the entry it displaced took its stash slot and left for the newcomer");
    }

    /**
     * Hand-worked: a protected hit only counts; when a promotion makes its full bucket demote,
     * a counted last entry goes round to slot 0 with one count less instead of being demoted.
     */
    @Test
    void aCountedLastEntryGoesRoundInsteadOfBeingDemoted() {
        RecordingListener<Long, Long> evicted = new RecordingListener<>();
        DashCache<Long, Long> cache = oneSegment(evicted);
        fillUntilFirstEviction(cache, evicted);
        Segment<Long, Object> seg = cache.table().segment(0);
        int stash = WIDE.regularBuckets();
        int last = WIDE.slots() - 1;
        // the stash tail, hit: its promotion will demote the last entry of its home or neighbour
        Long tail = seg.keyAt(stash, last);
        int home = seg.homeBucket(cache.hash(tail));
        int next = seg.nextBucket(home);
        Long lastOfHome = seg.keyAt(home, last);
        Long lastOfNext = seg.keyAt(next, last);
        assertEquals(tail, cache.getIfPresent(tail));
        assertEquals(lastOfHome, cache.getIfPresent(lastOfHome));
        assertEquals(lastOfNext, cache.getIfPresent(lastOfNext));
        assertEquals(lastOfNext, cache.getIfPresent(lastOfNext));
        assertEquals(last, DashTable.slotAt(positionOf(cache, lastOfHome)), "protected hits move nothing");
        assertEquals(1, seg.hitCount(home, last));
        assertEquals(2, seg.hitCount(next, last));
        // a newcomer for this stash bucket: the tail is judged
        long fresh = 1_000_000L;
        while (DashTable.bucketAt(positionOf(cache, tail)) == stash) {
            cache.put(fresh, fresh);
            fresh++;
        }
        assertFalse(seg.isStash(DashTable.bucketAt(positionOf(cache, tail))));
        assertEquals(0, DashTable.slotAt(positionOf(cache, lastOfHome)), "went round to slot 0");
        assertEquals(0, seg.hitCount(home, 0), "with one count less");
        assertEquals(0, DashTable.slotAt(positionOf(cache, lastOfNext)));
        assertEquals(1, seg.hitCount(next, 0));
        assertFalse(evicted.keys(RemovalCause.EVICTED).contains(lastOfHome));
        assertFalse(evicted.keys(RemovalCause.EVICTED).contains(lastOfNext));
    }

    @Test
    void keyReturningAfterEvictionSkipsProbationAndEntersAtTheFront() {
        RecordingListener<Long, Long> evicted = new RecordingListener<>();
        DashCache<Long, Long> cache = oneSegment(evicted);
        fillUntilFirstEviction(cache, evicted);
        Long ghost = evicted.removals(RemovalCause.EVICTED).get(0).key();
        long admissions = cache.ghostAdmissions();
        cache.put(ghost, ghost);
        assertEquals(admissions + 1, cache.ghostAdmissions());
        long pos = positionOf(cache, ghost);
        Segment<Long, Object> seg = cache.table().segment(0);
        assertFalse(seg.isStash(DashTable.bucketAt(pos)), "a returning key goes straight to its home bucket");
        assertEquals(0, DashTable.slotAt(pos), "at the front");
        // a key never seen before still starts in probation
        long fresh = 1_000_000L;
        cache.put(fresh, fresh);
        assertTrue(seg.isStash(DashTable.bucketAt(positionOf(cache, fresh))));
    }

    @Test
    void fingerprintGhostsRememberRecentKeysForgetOldOnesAndRarelyErr() {
        int entries = 100_000;
        GhostFilter ghosts = new FingerprintGhostFilter(entries, 12);
        assertEquals(entries * 12L / 64 * 8, ghosts.bytes(), "12 bits per cached entry");
        SplittableRandom r = new SplittableRandom(7);
        long[] first = new long[entries];
        for (int i = 0; i < entries; i++) {
            first[i] = r.nextLong();
            ghosts.add(first[i]);
        }
        // 100K ghosts in 18,750 words of six: most of the most recent are still there
        int recent = 0;
        for (int i = entries - 10_000; i < entries; i++) {
            recent += ghosts.mightContain(first[i]) ? 1 : 0;
        }
        assertTrue(recent > 9_900, "recent ghosts remembered: " + recent);
        int falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            falsePositives += ghosts.mightContain(r.nextLong()) ? 1 : 0;
        }
        assertTrue(falsePositives < 600, "at most 6 / 1024 of never-seen keys: " + falsePositives);
        // a returning key is forgotten: it cannot come back as a ghost twice
        long back = first[entries - 1];
        assertTrue(ghosts.takeBack(back));
        assertFalse(ghosts.mightContain(back));
        assertFalse(ghosts.takeBack(back));
        // 400K newer ghosts age the first ones out (each word keeps its six newest)
        for (int i = 0; i < 4 * entries; i++) {
            ghosts.add(r.nextLong());
        }
        int old = 0;
        for (long key : first) {
            old += ghosts.mightContain(key) ? 1 : 0;
        }
        assertTrue(old < 1_000, "old ghosts forgotten: " + old + " of " + entries + " still match");
    }

    @ParameterizedTest
    @ValueSource(longs = {8_192, 32_768, 131_072, 524_288, 1 << 20})
    void powerOfTwoBoundsGetSixteenSlotBucketsThatFillThemExactly(long bound) {
        int segments = 1 << DashCache.depthFor(bound);
        SegmentLayout wide = DashCache.layoutFor(bound, segments, 8, SlotPolicy.DEFAULT.bucketSlots());
        assertEquals(16, wide.slots());
        assertEquals(bound, (long) wide.capacity() * segments);
        SegmentLayout dragonfly = DashCache.layoutFor(bound, segments, 4, SlotPolicy.DRAGONFLY.bucketSlots());
        // the Dragonfly preset keeps (near) Dragonfly's 14-slot buckets and fills to within 1 %
        assertTrue(Math.abs(dragonfly.slots() - 14) <= 1, "width " + dragonfly.slots());
        assertTrue((long) dragonfly.capacity() * segments >= 0.99 * bound);
        assertTrue((long) dragonfly.capacity() * segments < bound, "which a 16-slot grid beats here");
    }

    @Test
    void productionPoliciesAreNamedAndOthersRejectedClearly() {
        assertEquals(java.util.List.of("default", "dragonfly"), SlotPolicy.names());
        assertEquals(SlotPolicy.DEFAULT, SlotPolicy.named("DEFAULT"));
        assertEquals(SlotPolicy.DRAGONFLY, SlotPolicy.named("dragonfly"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SlotPolicy.named("front-ghost"));
        assertTrue(e.getMessage().contains("[default, dragonfly]"), e.getMessage());
    }

    /**
     * Both production policies are correct bounded caches: never over the bound, and a key
     * returned carries the value last written (HashMap of last writes as the model).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("presetNames")
    void everyPresetIsACorrectBoundedCache(String name) {
        SlotPolicy policy = SlotPolicy.named(name);
        for (int bound : new int[] {100, 777, 5_000}) {
            DashCache<Long, Long> cache = DashCache.<Long, Long>builder().maximumSize(bound).slotPolicy(policy)
                    .buildSingleOwner();
            java.util.Map<Long, Long> written = new java.util.HashMap<>();
            SplittableRandom r = new SplittableRandom(bound);
            int hits = 0;
            for (int i = 0; i < 60_000; i++) {
                // a skewed key space four times the bound: hits, misses and evictions all happen
                long key = (long) Math.floor(Math.pow(r.nextDouble(), 3) * 4 * bound);
                int op = r.nextInt(10);
                if (op < 6) {
                    Long v = cache.getIfPresent(key);
                    if (v != null) {
                        hits++;
                        assertEquals(written.get(key), v, name + ": stale value for " + key);
                    }
                } else if (op < 9) {
                    long v = r.nextLong();
                    cache.put(key, v);
                    written.put(key, v);
                } else {
                    cache.remove(key);
                    written.remove(key);
                    assertEquals(null, cache.getIfPresent(key));
                }
                assertTrue(cache.size() <= bound, name + ": " + cache.size() + " > " + bound);
            }
            assertTrue(hits > 10_000, name + " at " + bound + ": a skewed workload hits (" + hits + ")");
            assertTrue(cache.size() >= 0.9 * bound, name + " holds " + cache.size() + " of " + bound);
        }
    }

    static java.util.stream.Stream<String> presetNames() {
        return SlotPolicy.names().stream();
    }
}
