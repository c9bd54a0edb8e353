package io.dash4j.eviction;

import io.dash4j.dashtable.DashTable;
import io.dash4j.dashtable.Segment;
import io.dash4j.dashtable.SegmentLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default slot policy's own rules (docs/eviction.md): where a second hit and a returning ghost
 * enter, the fingerprint ghost filter, the bucket width, and the policy spec syntax.
 */
class DefaultSlotPolicyTest {

    /** One segment of 8 + 2 buckets of 16 slots: wide enough to see slot 13 and slot 6. */
    private static final SegmentLayout WIDE = new SegmentLayout(8, 2, 16);

    private static DashCache<Long, Long> oneSegment(RecordingListener<Long, Long> listener) {
        return DashCache.<Long, Long>builder().layout(WIDE).maximumSegments(1)
                .slotPolicy(SlotPolicy.DEFAULT).removalListener(listener).buildSingleOwner();
    }

    @Test
    void secondHitInProbationEntersNearTheTailOfItsBucket() {
        DashCache<Long, Long> cache = oneSegment(new RecordingListener<>());
        for (long k = 0; k < 2_000; k++) {
            cache.put(k, k);
        }
        Segment<Long, Object> seg = cache.table().segment(0);
        int stashBucket = WIDE.regularBuckets();
        Long key = seg.keyAt(stashBucket, 4);
        assertNotNull(key);
        assertEquals(key, cache.getIfPresent(key));
        long now = cache.table().locate(key, cache.hash(key));
        int bucket = DashTable.bucketAt(now);
        assertFalse(seg.isStash(bucket), "a second hit leaves probation");
        assertEquals(WIDE.slots() - 1, DashTable.slotAt(now),
                "it enters at the last slot, behind the bucket's established entries");
        // a further hit in the protected region marks it where it is (lazy move-to-front) ...
        assertEquals(key, cache.getIfPresent(key));
        long marked = cache.table().locate(key, cache.hash(key));
        assertEquals(now, marked, "a protected hit moves nothing");
        assertTrue((seg.hitMarks(bucket) & 1 << DashTable.slotAt(marked)) != 0, "it sets the slot's mark");
        // ... and the bucket's next demotion first moves marked entries to the front: the key
        // is not demoted although it sat in the last slot
        seg.promoteMarked(bucket);
        long front = cache.table().locate(key, cache.hash(key));
        assertEquals(bucket, DashTable.bucketAt(front));
        assertTrue(DashTable.slotAt(front) < WIDE.slots() - 1, "marked entries move ahead of unmarked ones");
        assertEquals(0, seg.hitMarks(bucket), "marks are cleared");
    }

    @Test
    void keyReturningAfterEvictionSkipsProbationAndEntersMidBucket() {
        RecordingListener<Long, Long> evicted = new RecordingListener<>();
        DashCache<Long, Long> cache = oneSegment(evicted);
        long k = 0;
        while (evicted.count(RemovalCause.EVICTED) == 0) {
            cache.put(k, k);
            k++;
        }
        Long ghost = evicted.removals(RemovalCause.EVICTED).get(0).key();
        long admissions = cache.ghostAdmissions();
        cache.put(ghost, ghost);
        assertEquals(admissions + 1, cache.ghostAdmissions());
        long pos = cache.table().locate(ghost, cache.hash(ghost));
        Segment<Long, Object> seg = cache.table().segment(0);
        assertFalse(seg.isStash(DashTable.bucketAt(pos)), "a returning key goes straight to its home bucket");
        assertEquals(DefaultOrder.GHOST_ENTRY_SLOT, DashTable.slotAt(pos));
        // a key never seen before still starts in probation
        long fresh = 1_000_000L;
        cache.put(fresh, fresh);
        assertTrue(seg.isStash(DashTable.bucketAt(cache.table().locate(fresh, cache.hash(fresh)))));
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
