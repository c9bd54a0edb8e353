package io.dash4j.dashtable;

import it.unimi.dsi.fastutil.bytes.ByteArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.dash4j.dashtable.TestSupport.IDENTITY;
import static io.dash4j.dashtable.TestSupport.checkInvariants;
import static io.dash4j.dashtable.TestSupport.constantHash;
import static io.dash4j.dashtable.TestSupport.hashFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ports of dash_test.cc {@code SlotBitmap}, {@code Basic}, {@code Insert}, {@code Reserve}, plus failure modes. */
class DashTableBasicTest {

    /** {@code SlotBitmap}: slot 1 probing and slot 5 owned give busy mask 34 and probe mask 2. */
    @Test
    void slotBitmapProbeAndBusyMasks() {
        SegmentLayout layout = SegmentLayout.DRAGONFLY;
        DashTable<Long, Long> table = TestSupport.identityTable(layout, TestSupport.noGrowth());
        Segment<Long, Long> seg = table.segment(0);
        long serial = 0;
        // Balanced insert: a key goes to its neighbour (as probe) when the neighbour holds fewer.
        // Fill buckets 4 and 5 first so keys of home 3 stay home.
        for (int i = 0; i < 2 * layout.slots(); i++) {
            long k = hashFor(layout, 0, 4, 4, serial++);
            table.insert(k, k);
        }
        assertEquals(layout.slots(), seg.bucketSize(4));
        long a = hashFor(layout, 0, 3, 1, serial++);
        table.insert(a, a);                        // bucket 3 slot 0, owned
        long b = hashFor(layout, 0, 2, 1, serial++);
        table.insert(b, b);                        // bucket 2 slot 0 (3 is not emptier)
        long c = hashFor(layout, 0, 2, 1, serial++);
        table.insert(c, c);                        // bucket 2 slot 1
        long probing = hashFor(layout, 0, 2, 9, serial++);
        table.insert(probing, probing);            // bucket 2 holds 2 > 1: bucket 3 slot 1, probing
        assertTrue(seg.isBusy(3, 1) && seg.isProbe(3, 1), "a key of home 2 should probe in bucket 3 slot 1");
        List<Long> own = new ArrayList<>();
        for (int slot = 2; slot <= 5; slot++) {
            long k = hashFor(layout, 0, 3, 5, serial++);
            table.insert(k, k);
            assertTrue(seg.isBusy(3, slot) && !seg.isProbe(3, slot), "owned key should take the lowest free slot");
            own.add(k);
        }
        table.remove(a);                           // frees slot 0
        for (long k : own.subList(0, 3)) {
            table.remove(k);                       // frees slots 2, 3, 4
        }
        assertEquals(34, seg.busyMask(3));
        assertEquals(2, seg.probeMask(3));
        assertEquals(2, seg.bucketSize(3));
        assertEquals(probing, table.get(probing));
        assertEquals(own.get(3), table.get(own.get(3)));
        checkInvariants(table);
    }

    /** {@code Basic}: insert, duplicate insert, find, size 1, a scan visits it. */
    @Test
    void basic() {
        DashTable<Long, String> table = new DashTable<>();
        assertTrue(table.isEmpty());
        assertTrue(table.insert(0L, "zero"));
        assertFalse(table.insert(0L, "other"), "duplicate insert must report the key as present");
        assertEquals("zero", table.putIfAbsent(0L, "other"), "putIfAbsent returns the existing value");
        assertEquals("zero", table.get(0L), "duplicate inserts must not overwrite");
        assertNull(table.get(1L));
        assertFalse(table.containsKey(1L));
        assertTrue(table.containsKey(0L));
        assertEquals(1, table.size());
        assertEquals("zero", table.put(0L, "replaced"));
        assertEquals("replaced", table.get(0L));
        assertEquals(1, table.size());

        long hash = table.hash(0L);
        long pos = table.locate(0L, hash);
        assertTrue(pos >= 0);
        assertEquals(0L, table.keyAt(pos));
        assertEquals("replaced", table.valueAt(pos));
        assertEquals(-1, table.locate(1L, table.hash(1L)));

        // TraverseLogicalBucket: the home bucket of the key visits it, once.
        Segment<Long, String> seg = table.segmentFor(hash);
        List<Long> visited = new ArrayList<>();
        assertEquals(1, seg.forEachInLogicalBucket(seg.homeBucket(hash), (k, v) -> visited.add(k)));
        assertEquals(List.of(0L), visited);
        assertEquals(0, seg.forEachInLogicalBucket(seg.nextBucket(seg.homeBucket(hash)), (k, v) -> visited.add(k)));
        assertEquals(Map.of(0L, 1), TestSupport.fullScan(table));

        assertEquals("replaced", table.remove(0L));
        assertNull(table.remove(0L));
        assertTrue(table.isEmpty());
        assertEquals(Map.of(), TestSupport.fullScan(table));
    }

    @Test
    void nullKeysAndValuesAreRejected() {
        DashTable<String, String> table = new DashTable<>();
        assertThrows(NullPointerException.class, () -> table.put(null, "v"));
        assertThrows(NullPointerException.class, () -> table.put("k", null));
        assertThrows(NullPointerException.class, () -> table.putIfAbsent("k", null));
        assertThrows(NullPointerException.class, () -> table.get(null));
        assertTrue(table.isEmpty());
    }

    /** {@code Insert}: 10K keys, load factor never above 1, find and erase work. */
    @Test
    void insert10k() {
        DashTable<Long, Long> table = DashTable.<Long, Long>builder().layout(SegmentLayout.DRAGONFLY_TEST).build();
        int n = 10_000;
        double sum = 0;
        for (long i = 0; i < n; i++) {
            assertTrue(table.insert(i, i));
            double lf = table.loadFactor();
            assertTrue(lf <= 1.0, "load factor " + lf);
            assertEquals(lf, (double) table.size() / (table.segmentCount() * (double) table.layout().capacity()), 1e-12);
            sum += lf;
        }
        double average = sum / n;
        System.out.printf("Insert10K: average load factor %.3f, final %.3f over %d segments%n",
                average, table.loadFactor(), table.segmentCount());
        assertTrue(average > 0.5, "average load factor " + average);
        assertEquals(n, table.size());
        for (long i = 0; i < n; i++) {
            assertEquals(i, table.get(i));
        }
        for (long i = n; i < 10L * n; i++) {
            assertNull(table.get(i));
        }
        assertEquals(0L, table.remove(0L));
        assertNull(table.remove(0L));
        assertEquals(n - 1, table.size());
        // erase "the first" entry found by iteration
        long[] first = {-1};
        table.forEach((k, v) -> {
            if (first[0] < 0) {
                first[0] = k;
            }
        });
        assertEquals(first[0], table.remove(first[0]));
        assertNull(table.get(first[0]));
        assertEquals(n - 2, table.size());
        checkInvariants(table);
    }

    /** {@code Reserve}: capacity and directory bounds, and no split while inserting that many keys. */
    @ParameterizedTest
    @ValueSource(strings = {"DRAGONFLY", "DRAGONFLY_TEST"})
    void reserveAvoidsSplits(String layoutName) throws Exception {
        SegmentLayout layout = (SegmentLayout) SegmentLayout.class.getField(layoutName).get(null);
        Random random = new Random(4242);
        int cap = layout.capacity();
        for (int n : new int[] {0, 1, cap / 2, cap - 1, cap, cap + 1, 2 * cap, 3 * cap, 5 * cap + 7, 20_000, 60_000}) {
            DashTable<Long, Long> table = DashTable.<Long, Long>builder().layout(layout).seed(random.nextLong()).build();
            table.reserve(n);
            assertTrue((long) table.segmentCount() * cap >= n, "segments " + table.segmentCount() + " for " + n);
            assertTrue((1L << table.globalDepth()) * cap >= n);
            int segments = table.segmentCount();
            long splits = table.splitCount();
            for (int i = 0; i < n; i++) {
                table.insert(random.nextLong(), 0L);
            }
            assertEquals(n, table.size());
            assertEquals(segments, table.segmentCount(), "reserve(" + n + ") then " + n + " inserts split");
            assertEquals(splits, table.splitCount());
        }
        // Dragonfly's loop: one table, reserve(i) for growing i.
        DashTable<Long, Long> table = DashTable.<Long, Long>builder().layout(layout).build();
        for (int i = 0; i <= 2 * table.layout().totalBuckets() * 2; i++) {
            table.reserve(i);
            assertTrue((1L << table.globalDepth()) * cap >= i);
        }
        checkInvariants(table);
    }

    @Test
    void reserveOnAPopulatedTableKeepsEverything() {
        DashTable<Long, Long> table = new DashTable<>();
        Random random = new Random(99);
        Map<Long, Long> model = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            long k = random.nextLong();
            table.put(k, (long) i);
            model.put(k, (long) i);
        }
        table.reserve(40_000);
        TestSupport.assertSameContents(model, table);
        checkInvariants(table);
        int segments = table.segmentCount();
        while (model.size() < 40_000) {
            long k = random.nextLong();
            table.put(k, 1L);
            model.put(k, 1L);
        }
        assertEquals(segments, table.segmentCount());
        TestSupport.assertSameContents(model, table);
        assertThrows(IllegalArgumentException.class, () -> table.reserve(Long.MAX_VALUE));
    }

    /** A policy that refuses to grow and evicts nothing makes insert fail clearly, losing nothing. */
    @Test
    void refusalToGrowIsAClearErrorAndLosesNothing() {
        TablePolicy<Long, Long> refuse = new TablePolicy<>() {
            @Override
            public boolean canGrow(DashTable<Long, Long> t, Segment<Long, Long> full) {
                return false;
            }

            @Override
            public int evict(DashTable<Long, Long> t, Segment<Long, Long> segment, long hash) {
                return 0;
            }
        };
        DashTable<Long, Long> table = DashTable.<Long, Long>builder().policy(refuse).initialDepth(1).build();
        Random random = new Random(7);
        Map<Long, Long> model = new HashMap<>();
        TableFullException failure = null;
        long failedKey = 0;
        while (failure == null) {
            long k = random.nextLong();
            try {
                table.put(k, k * 3);
                model.put(k, k * 3);
            } catch (TableFullException e) {
                failure = e;
                failedKey = k;
            }
        }
        assertTrue(failure.getMessage().contains("neither growth nor eviction"), failure.getMessage());
        assertTrue(failure.getMessage().contains(model.size() + " entries"), failure.getMessage());
        assertEquals(2, table.segmentCount());
        assertEquals(model.size(), table.size());
        assertNull(table.get(failedKey));
        TestSupport.assertSameContents(model, table);
        checkInvariants(table);
        System.out.printf("Refusal: first failure at load factor %.3f%n", table.loadFactor());
        // Updating existing keys still works on a full table; the same insert fails again.
        long existing = model.keySet().iterator().next();
        assertEquals(existing * 3, table.put(existing, 5L));
        assertEquals(5L, table.putIfAbsent(existing, 6L));
        assertEquals(5L, table.get(existing));
        long again = failedKey;
        assertThrows(TableFullException.class, () -> table.insert(again, 1L));
        assertEquals(model.size(), table.size());
        // Removing a key of the full segment makes room for the failed one.
        long failedHash = table.hash(failedKey);
        Segment<Long, Long> seg = table.segmentFor(failedHash);
        int home = seg.homeBucket(failedHash);
        assertEquals(layout().slots(), seg.bucketSize(home), "the failed key's home is full");
        table.removeAt(seg, home, 0);
        assertTrue(table.insert(failedKey, 1L));
        assertEquals(model.size(), table.size());
        checkInvariants(table);
    }

    private static SegmentLayout layout() {
        return SegmentLayout.DRAGONFLY;
    }

    /**
     * Every key with one hash: one home bucket and one fingerprint. The table holds 6 buckets'
     * worth (home, neighbour, 4 stashes) and then fails clearly, even with growth allowed.
     */
    @Test
    void degenerateHashHoldsSixBucketsThenFailsClearly() {
        SegmentLayout layout = SegmentLayout.DRAGONFLY;
        long hash = hashFor(layout, 0xBEEF, 17, 0x5A, 3);
        DashTable<Long, Long> table = DashTable.<Long, Long>builder()
                .keyStrategy(constantHash(hash)).build(); // always-grow policy
        int limit = (2 + layout.stashBuckets()) * layout.slots();
        for (long k = 0; k < limit; k++) {
            assertTrue(table.insert(k, k + 100));
            assertEquals(k + 1, table.size());
        }
        for (long k = 0; k < limit; k++) {
            assertEquals(k + 100, table.get(k));
        }
        TableFullException e = assertThrows(TableFullException.class, () -> table.insert((long) limit, 0L));
        assertTrue(e.getMessage().contains("share the hash"), e.getMessage());
        assertEquals(limit, table.size());
        assertEquals(1, table.segmentCount(), "a split cannot separate one hash, so none happens");
        assertNull(table.get((long) limit));
        for (long k = 0; k < limit; k++) {
            assertEquals(k + 100, table.get(k), "key lost after the failure: " + k);
        }
        checkInvariants(table);
        // remove works, and frees room for new keys of the same hash
        for (long k = 0; k < limit; k += 7) {
            assertEquals(k + 100, table.remove(k));
        }
        int removed = (limit + 6) / 7;
        assertEquals(limit - removed, table.size());
        for (long k = limit; k < limit + removed; k++) {
            assertTrue(table.insert(k, k + 100));
        }
        assertThrows(TableFullException.class, () -> table.insert(10_000L, 0L));
        assertEquals(limit, table.size());
        for (long k = 0; k < limit + removed; k++) {
            assertEquals(k % 7 == 0 && k < limit ? null : k + 100, table.get(k));
        }
        assertEquals(limit, TestSupport.fullScan(table).size());
        checkInvariants(table);
    }

    /** {@code byte[]} keys by content: distinct arrays with equal content are one key. */
    @Test
    void byteArrayKeysByContent() {
        DashTable<byte[], String> table = DashTable.<byte[], String>builder().keyStrategy(KeyStrategy.bytes()).build();
        byte[] a = {1, 2, 3};
        byte[] sameAsA = {1, 2, 3};
        assertTrue(table.insert(a, "a"));
        assertFalse(table.insert(sameAsA, "b"));
        assertEquals("a", table.get(sameAsA.clone()));
        assertEquals(table.hash(a), table.hash(sameAsA));
        assertNull(table.get(new byte[] {1, 2}));
        assertNull(table.get(new byte[] {1, 2, 3, 0}));
        assertEquals("a", table.put(new byte[] {1, 2, 3}, "c"));
        assertEquals(1, table.size());
        for (int i = 0; i < 5000; i++) {
            table.put(("key-" + i).getBytes(), "v" + i);
        }
        for (int i = 0; i < 5000; i++) {
            assertEquals("v" + i, table.get(("key-" + i).getBytes()));
        }
        assertEquals("c", table.remove(new byte[] {1, 2, 3}));
        assertEquals(5000, table.size());
        checkInvariants(table);
        // the seed changes the hash; the default is Dragonfly's
        DashTable<byte[], String> seeded = DashTable.<byte[], String>builder().keyStrategy(KeyStrategy.bytes()).seed(1).build();
        assertNotEquals(table.hash(a), seeded.hash(a));
        assertEquals(Hashing.DEFAULT_SEED, table.seed());
        assertEquals(table.hash(a), table.hash(sameAsA));
        // a fastutil strategy works the same way
        DashTable<byte[], String> viaFastutil = DashTable.<byte[], String>builder()
                .keyStrategy(KeyStrategy.of(ByteArrays.HASH_STRATEGY)).build();
        viaFastutil.put(a, "x");
        assertEquals("x", viaFastutil.get(sameAsA));
        assertArrayEquals(a, viaFastutil.keyAt(viaFastutil.locate(sameAsA, viaFastutil.hash(sameAsA))));
    }

    /** Segment-level mutators keep the table's size in step (a policy may call them directly). */
    @Test
    void segmentMutatorsKeepTheTableSize() {
        SegmentLayout layout = new SegmentLayout(8, 2, 6);
        DashTable<Long, Long> table = TestSupport.identityTable(layout, TestSupport.noGrowth());
        Segment<Long, Long> seg = table.segment(0);
        long k = hashFor(layout, 0, 3, 1, 1);
        assertTrue(seg.insert(k, 1L, k, true) >= 0);
        assertEquals(1, table.size());
        int p = seg.find(k, k);
        seg.removeAt(Segment.bucketOf(p), Segment.slotOf(p));
        assertEquals(0, table.size());
        List<Long> keys = TestSupport.fillSegment(table, 2, 0);
        assertEquals(keys.size(), table.size());
        int stash = layout.regularBuckets();
        assertTrue(seg.shiftRight(stash), "a full stash bucket drops its last slot");
        assertEquals(keys.size() - 1, table.size());
        assertEquals(keys.size() - 1, seg.size());
        checkInvariants(table);
        seg.clear();
        assertEquals(0, table.size());
        checkInvariants(table);
    }

    @Test
    void identityStrategyPlacesKeysWhereTheTestSays() {
        SegmentLayout layout = SegmentLayout.DRAGONFLY;
        DashTable<Long, Long> table = TestSupport.identityTable(layout, TablePolicy.alwaysGrow());
        long k = hashFor(layout, 0x8001, 41, 0xAB, 12345);
        assertEquals(k, IDENTITY.hash(k, 0));
        table.insert(k, 1L);
        Segment<Long, Long> seg = table.segmentFor(k);
        assertEquals(41, seg.homeBucket(k));
        assertEquals(0xAB, Segment.fingerprint(k));
        long pos = table.locate(k, k);
        assertEquals(41, DashTable.bucketAt(pos));
        assertEquals(0xAB, seg.fingerprintAt(41, DashTable.slotAt(pos)));
    }
}
