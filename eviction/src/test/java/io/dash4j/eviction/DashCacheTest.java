package io.dash4j.eviction;

import io.dash4j.dashtable.DashTable;
import io.dash4j.dashtable.Segment;
import io.dash4j.dashtable.SegmentLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DashCache behaviour: Dragonfly's slot-order semantics, bounds, expiry, pins, causes. */
class DashCacheTest {

    private static final SegmentLayout SMALL = new SegmentLayout(8, 2, 6);

    private static DashCache<Long, Long> segmentBound(SegmentLayout layout, int segments) {
        return DashCache.<Long, Long>builder().layout(layout).maximumSegments(segments)
                .slotPolicy(SlotPolicy.DRAGONFLY).buildSingleOwner();
    }

    /** Fills a segment-bound cache until segments are full and the 2Q has engaged. */
    private static void churn(DashCache<Long, Long> cache, long from, long count) {
        for (long k = from; k < from + count; k++) {
            cache.put(k, k);
        }
    }

    // ------------------------------------------------------------------ Dragonfly semantics

    @Test
    void hitInRegularBucketSwapsWithSlotAbove() {
        DashCache<Long, Long> cache = segmentBound(SegmentLayout.DRAGONFLY, 1);
        DashTable<Long, Object> table = cache.table();
        for (long k = 0; k < 300; k++) {
            cache.put(k, k);
        }
        // find a regular item at slot > 0
        long key = -1;
        long pos = -1;
        for (long k = 0; k < 300 && key < 0; k++) {
            long p = table.locate(k, table.hash(k));
            if (DashTable.bucketAt(p) < 56 && DashTable.slotAt(p) > 0) {
                key = k;
                pos = p;
            }
        }
        assertTrue(key >= 0);
        int bucket = DashTable.bucketAt(pos);
        int slot = DashTable.slotAt(pos);
        Long above = table.segmentAt(pos).keyAt(bucket, slot - 1);
        assertEquals(key, cache.getIfPresent(key));
        long now = table.locate(key, table.hash(key));
        assertEquals(bucket, DashTable.bucketAt(now));
        assertEquals(slot - 1, DashTable.slotAt(now));
        if (above != null) {
            assertEquals(slot, DashTable.slotAt(table.locate(above, table.hash(above))));
        }
        assertEquals(1, cache.stats().bumpCount());
    }

    @Test
    void fullSegmentEvictsTheTailOfStashBucketHashModT() {
        DashCache<Long, Long> cache = segmentBound(SMALL, 1);
        List<Long> evicted = new ArrayList<>();
        DashCache<Long, Long> watched = DashCache.<Long, Long>builder().layout(SMALL).maximumSegments(1)
                .slotPolicy(SlotPolicy.DRAGONFLY)
                .removalListener((k, v, cause) -> {
                    assertEquals(RemovalCause.EVICTED, cause);
                    evicted.add(k);
                }).buildSingleOwner();
        churn(watched, 0, 2_000);
        assertEquals(1, watched.table().segmentCount(), "a segment-bound cache never grows");
        assertFalse(evicted.isEmpty());
        Segment<Long, Object> seg = watched.table().segment(0);
        // The next insert: predict the victim from the stash bucket the new key's hash selects.
        long next = 5_000;
        while (watched.table().segmentFor(watched.hash(next)) != seg) {
            next++;
        }
        // Only when the segment is full for this key is the stash tail the victim.
        int stashBucket = seg.stashBucketFor(watched.hash(next));
        Long tail = seg.keyAt(stashBucket, SMALL.slots() - 1);
        Long headBefore = seg.keyAt(stashBucket, 0);
        evicted.clear();
        long sizeBefore = watched.size();
        watched.put(next, next);
        if (evicted.size() == 1 && evicted.get(0).equals(tail)) {
            // the stash bucket shifted right and the newcomer took slot 0
            assertEquals(next, seg.keyAt(stashBucket, 0));
            assertEquals(headBefore, seg.keyAt(stashBucket, 1));
            assertEquals(sizeBefore, watched.size());
        } else {
            // the key found a free slot (segments are "full" per key): nothing was evicted
            assertTrue(evicted.isEmpty(), "evicted " + evicted + ", stash tail was " + tail);
        }
        assertEquals(next, watched.getIfPresent(next));
        assertNull(cache.getIfPresent(-1L));
    }

    @Test
    void stashHitIsPromotedIntoItsHomeOrNeighbour() {
        DashCache<Long, Long> cache = segmentBound(SMALL, 1);
        churn(cache, 0, 2_000);
        Segment<Long, Object> seg = cache.table().segment(0);
        int stashBucket = SMALL.regularBuckets();
        Long key = seg.keyAt(stashBucket, 3);
        assertTrue(key != null);
        int home = seg.homeBucket(cache.hash(key));
        assertEquals(key, cache.getIfPresent(key));
        long now = cache.table().locate(key, cache.hash(key));
        int bucket = DashTable.bucketAt(now);
        assertTrue(bucket == home || bucket == seg.nextBucket(home), "promoted to " + bucket + ", home " + home);
        // the segment was full: the promoted key took the last slot and someone was demoted into its stash slot
        assertEquals(SMALL.slots() - 1, DashTable.slotAt(now));
        assertTrue(seg.isBusy(stashBucket, 3));
        assertNotEquals(key, seg.keyAt(stashBucket, 3));
        Long demoted = seg.keyAt(stashBucket, 3);
        assertEquals(demoted, cache.getIfPresent(demoted), "the demoted key is still findable");
    }

    @Test
    void stickyKeysAreNeverEvictedAndNeverMove() {
        DashCache<Long, Long> cache = segmentBound(SMALL, 2);
        churn(cache, 0, 500);
        List<Long> pinned = new ArrayList<>();
        Map<Long, Long> positions = new HashMap<>();
        for (long k = 0; k < 500 && pinned.size() < 20; k++) {
            if (cache.stick(k)) {
                pinned.add(k);
                positions.put(k, cache.table().locate(k, cache.hash(k)));
            }
        }
        assertEquals(20, pinned.size());
        for (int round = 0; round < 5; round++) {
            for (Long k : pinned) {
                assertEquals(k, cache.getIfPresent(k));
            }
        }
        for (Long k : pinned) {
            assertEquals(positions.get(k), cache.table().locate(k, cache.hash(k)), "pinned key " + k + " moved");
        }
        churn(cache, 10_000, 20_000);
        for (Long k : pinned) {
            assertEquals(k, cache.getIfPresent(k), "pinned key " + k + " was evicted");
            assertTrue(cache.isSticky(k));
        }
    }

    @Test
    void allPinnedMeansFullNotLost() {
        DashCache<Long, Long> cache = DashCache.<Long, Long>builder().maximumSize(100).buildSingleOwner();
        for (long k = 0; k < 100; k++) {
            cache.put(k, k);
            assertTrue(cache.stick(k));
        }
        assertThrows(CacheFullException.class, () -> cache.put(1000L, 1000L));
        assertEquals(100, cache.size());
        for (long k = 0; k < 100; k++) {
            assertEquals(k, cache.getIfPresent(k));
        }
    }

    // ------------------------------------------------------------------ bounds

    @ParameterizedTest
    @ValueSource(longs = {100, 137, 500, 800, 1_000, 3_000, 10_000, 60_000})
    void entryBoundIsNeverExceededAndWarmCacheHoldsAtLeast90Percent(long bound) {
        DashCache<Long, Long> cache = DashCache.<Long, Long>builder().maximumSize(bound).buildSingleOwner();
        SplittableRandom random = new SplittableRandom(bound);
        long minWarm = Long.MAX_VALUE;
        for (long i = 0; i < 12 * bound; i++) {
            long k = random.nextLong(50 * bound);
            if (random.nextInt(4) == 0) {
                cache.getIfPresent(k);
            } else {
                cache.put(k, k);
            }
            assertTrue(cache.size() <= bound, "size " + cache.size() + " > bound " + bound);
            if (i > 4 * bound) {
                minWarm = Math.min(minWarm, cache.size());
            }
        }
        assertTrue(minWarm >= 0.9 * bound, "warm cache held only " + minWarm + " of " + bound);
    }

    @Test
    void anOverwriteKeepsTheNewestKeyObject() {
        // a key that lives inside its value (the server's entries) must not pin the old value
        DashCache<String, String> cache = DashCache.<String, String>builder().maximumSize(100).buildSingleOwner();
        String first = new String("k");
        String second = new String("k");
        cache.put(first, "v1");
        cache.put(second, "v2");
        List<String> keys = new ArrayList<>();
        cache.forEach((k, v) -> keys.add(k));
        assertEquals(1, keys.size());
        assertTrue(keys.get(0) == second, "the slot holds the latest key object");
        assertEquals("v2", cache.getIfPresent("k"));
    }

    @Test
    void aHeavierOverwriteThatCannotFitAmongPinsIsRefusedAndKeepsTheOldValue() {
        DashCache<Long, byte[]> cache = DashCache.<Long, byte[]>builder()
                .maximumWeight(1_000)
                .weigher((k, v) -> v.length)
                .buildSingleOwner();
        for (long k = 0; k < 9; k++) {
            cache.put(k, new byte[100]);
            assertTrue(cache.stick(k));
        }
        byte[] old = cache.getIfPresent(0L);
        assertThrows(CacheFullException.class, () -> cache.put(0L, new byte[300]));
        assertTrue(cache.getIfPresent(0L) == old, "the refused write left the old value");
        assertTrue(cache.weightedSize() <= 1_000, "weight " + cache.weightedSize());
        cache.put(0L, new byte[150]); // fits without evicting anything
        assertEquals(150, cache.getIfPresent(0L).length);
        assertEquals(950, cache.weightedSize());
    }

    @Test
    void weightBoundWithSkewedSizesIsNeverExceeded() {
        long budget = 200_000;
        DashCache<Long, byte[]> cache = DashCache.<Long, byte[]>builder()
                .maximumWeight(budget)
                .weigher((k, v) -> v.length + 16)
                .buildSingleOwner();
        SplittableRandom random = new SplittableRandom(3);
        long minWarm = Long.MAX_VALUE;
        for (int i = 0; i < 50_000; i++) {
            // mostly small values, a few huge ones (skew as in Dragonfly issue #1936)
            int size = random.nextInt(100) < 95 ? random.nextInt(10, 100) : random.nextInt(1_000, 8_000);
            cache.put(random.nextLong(20_000), new byte[size]);
            assertTrue(cache.weightedSize() <= budget, "weight " + cache.weightedSize() + " > " + budget);
            if (i > 10_000) {
                minWarm = Math.min(minWarm, cache.weightedSize());
            }
        }
        assertTrue(minWarm >= 0.9 * budget - 8_016, "warm weight only " + minWarm);
        long recount = 0;
        long[] sum = {0};
        cache.forEach((k, v) -> sum[0] += v.length + 16);
        recount = sum[0];
        assertEquals(recount, cache.weightedSize(), "weighted size must match the entries held");
    }

    @Test
    void entryHeavierThanTheBudgetIsNotAdmitted() {
        Map<RemovalCause, Integer> causes = new EnumMap<>(RemovalCause.class);
        DashCache<String, byte[]> cache = DashCache.<String, byte[]>builder()
                .maximumWeight(1_000).weigher((k, v) -> v.length)
                .removalListener((k, v, c) -> causes.merge(c, 1, Integer::sum))
                .buildSingleOwner();
        cache.put("small", new byte[10]);
        cache.put("huge", new byte[5_000]);
        assertNull(cache.getIfPresent("huge"));
        assertEquals(1, causes.get(RemovalCause.EVICTED));
        assertEquals(10, cache.weightedSize());
    }

    @Test
    void storeModeRefusesInsteadOfEvicting() {
        DashCache<Long, Long> store = DashCache.<Long, Long>builder().maximumSize(200).evicting(false).buildSingleOwner();
        for (long k = 0; k < 200; k++) {
            store.put(k, k);
        }
        assertThrows(CacheFullException.class, () -> store.put(999L, 1L));
        store.put(5L, 55L); // replacing is fine
        for (long k = 0; k < 200; k++) {
            assertEquals(k == 5 ? 55L : k, store.getIfPresent(k));
        }
        assertEquals(0, store.stats().evictionCount());
    }

    // ------------------------------------------------------------------ expiry

    @Test
    void expiredEntriesAreNeverReturned() {
        FakeTicker ticker = new FakeTicker();
        List<RemovalCause> causes = new ArrayList<>();
        DashCache<String, String> cache = DashCache.<String, String>builder()
                .maximumSize(1_000).ticker(ticker).expireAfterWrite(Duration.ofSeconds(10))
                .removalListener((k, v, c) -> causes.add(c)).buildSingleOwner();
        cache.put("a", "1");
        cache.put("b", "2", Duration.ofSeconds(1).toNanos());
        ticker.advanceMillis(1_500);
        assertNull(cache.getIfPresent("b"));
        assertEquals("1", cache.getIfPresent("a"));
        assertEquals(-2, cache.expiresInNanos("b"));
        assertTrue(cache.expiresInNanos("a") > 0);
        ticker.advanceMillis(9_000);
        assertNull(cache.getIfPresent("a"));
        assertEquals(List.of(RemovalCause.EXPIRED, RemovalCause.EXPIRED), causes);
        assertEquals(2, cache.stats().expirationCount());
    }

    @Test
    void entriesWithoutTtlPayNoHolder() {
        DashCache<String, String> cache = DashCache.<String, String>builder().maximumSize(100).buildSingleOwner();
        cache.put("plain", "v");
        long pos = cache.table().locate("plain", cache.hash("plain"));
        assertEquals("v", cache.table().valueAt(pos), "the value slot holds the value itself");
        cache.put("timed", "v", 1_000_000_000L);
        long tpos = cache.table().locate("timed", cache.hash("timed"));
        assertTrue(cache.table().valueAt(tpos) instanceof DashCache.Held);
    }

    @Test
    void sweepRemovesExpiredEntriesWithoutAccess() {
        FakeTicker ticker = new FakeTicker();
        DashCache<Long, Long> cache = DashCache.<Long, Long>builder().maximumSize(100_000).ticker(ticker)
                .buildSingleOwner();
        for (long k = 0; k < 5_000; k++) {
            cache.put(k, k, 1_000_000L);
        }
        ticker.advanceMillis(5);
        // writes of TTL'd entries drive the incremental sweep
        for (long k = 100_000; k < 120_000; k++) {
            cache.put(k, k, 60_000_000_000L);
        }
        long stillThere = 0;
        for (long k = 0; k < 5_000; k++) {
            if (cache.table().containsKey(k)) {
                stillThere++;
            }
        }
        assertTrue(stillThere < 5_000, "the sweep removed nothing");
        cache.cleanUp();
        for (long k = 0; k < 5_000; k++) {
            assertFalse(cache.table().containsKey(k), "expired key " + k + " survived cleanUp");
        }
        assertEquals(20_000, cache.size());
        assertEquals(5_000, cache.stats().expirationCount());
    }

    @Test
    void fullSegmentCollectsExpiredHotBucketsBeforeEvicting() {
        FakeTicker ticker = new FakeTicker();
        DashCache<Long, Long> cache = DashCache.<Long, Long>builder().layout(SMALL).maximumSegments(1)
                .ticker(ticker).buildSingleOwner();
        for (long k = 0; k < 2_000; k++) {
            cache.put(k, k, 1_000_000L);
        }
        ticker.advanceMillis(10);
        long evictionsBefore = cache.stats().evictionCount();
        cache.put(-1L, -1L);
        assertEquals(evictionsBefore, cache.stats().evictionCount(), "expired entries should have made room");
        assertTrue(cache.stats().expirationCount() > 0);
    }

    @Test
    void persistAndExpireNow() {
        FakeTicker ticker = new FakeTicker();
        DashCache<String, String> cache = DashCache.<String, String>builder().maximumSize(100).ticker(ticker)
                .buildSingleOwner();
        cache.put("k", "v", 1_000_000L);
        assertTrue(cache.setExpiry("k", -1));
        ticker.advanceMillis(100);
        assertEquals("v", cache.getIfPresent("k"));
        assertEquals(-1, cache.expiresInNanos("k"));
        assertTrue(cache.setExpiry("k", 0));
        assertNull(cache.getIfPresent("k"));
        assertFalse(cache.setExpiry("absent", 10));
    }

    // ------------------------------------------------------------------ causes and loads

    @Test
    void removalCausesAreReported() {
        Map<RemovalCause, Integer> causes = new EnumMap<>(RemovalCause.class);
        DashCache<Long, Long> cache = DashCache.<Long, Long>builder().maximumSize(100)
                .removalListener((k, v, c) -> causes.merge(c, 1, Integer::sum)).buildSingleOwner();
        cache.put(1L, 1L);
        cache.put(1L, 2L);
        assertEquals(2L, cache.remove(1L));
        for (long k = 0; k < 150; k++) {
            cache.put(k, k);
        }
        long held = cache.size();
        assertTrue(held >= 90 && held <= 100, "held " + held);
        cache.invalidateAll();
        assertEquals(1, causes.get(RemovalCause.REPLACED));
        assertEquals(150 - held, (long) causes.get(RemovalCause.EVICTED));
        assertEquals(1 + held, (long) causes.get(RemovalCause.EXPLICIT));
        assertEquals(0, cache.size());
    }

    @Test
    void loaderComputesOnMissOnly() {
        DashCache<Integer, String> cache = DashCache.<Integer, String>builder().maximumSize(100).buildSingleOwner();
        int[] calls = {0};
        assertEquals("v1", cache.get(1, k -> {
            calls[0]++;
            return "v" + k;
        }));
        assertEquals("v1", cache.computeIfAbsent(1, k -> {
            calls[0]++;
            return "other";
        }));
        assertEquals(1, calls[0]);
        assertNull(cache.get(2, k -> null));
        assertThrows(IllegalStateException.class, () -> cache.get(3, k -> {
            throw new IllegalStateException("boom");
        }));
        CacheStats s = cache.stats();
        assertEquals(1, s.loadSuccessCount());
        assertEquals(2, s.loadFailureCount());
        assertEquals(1, s.hitCount());
        assertEquals(3, s.missCount());
    }
}
