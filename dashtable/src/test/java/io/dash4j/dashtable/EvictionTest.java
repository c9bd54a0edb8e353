package io.dash4j.dashtable;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.dash4j.dashtable.TestSupport.assertHoldsExactly;
import static io.dash4j.dashtable.TestSupport.checkInvariants;
import static io.dash4j.dashtable.TestSupport.hashFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dash_test.cc {@code Eviction}: ShiftRight and an evicting policy on a table that may not grow. */
class EvictionTest {

    /** Dragonfly's production Evict: drop the last slot of stash bucket {@code hash % T}, shift it right. */
    static final class ShiftRightPolicy extends TestSupport.GrowUpTo<Long, Long> {
        boolean evictEnabled;
        int evicted;
        final List<Long> evictedKeys = new ArrayList<>();

        ShiftRightPolicy(int maxSegments) {
            super(maxSegments);
        }

        @Override
        public int evict(DashTable<Long, Long> table, Segment<Long, Long> segment, long hash) {
            if (!evictEnabled) {
                return 0;
            }
            int bucket = segment.stashBucketFor(hash);
            int last = segment.slotsPerBucket() - 1;
            if (segment.isBusy(bucket, last)) {
                evictedKeys.add(segment.keyAt(bucket, last));
                table.removeAt(segment, bucket, last);
                evicted++;
            }
            segment.shiftRight(bucket);
            return 1;
        }
    }

    @Test
    void evictingPolicyLetsInsertsSucceedWithoutGrowing() {
        ShiftRightPolicy policy = new ShiftRightPolicy(2);
        DashTable<Long, Long> table = DashTable.<Long, Long>builder().policy(policy).build();
        Random random = new Random(1540);
        Map<Long, Long> model = new HashMap<>();
        long rejected;
        while (true) {
            long k = random.nextLong();
            try {
                table.insert(k, k);
                model.put(k, k);
            } catch (TableFullException e) {
                rejected = k;
                break;
            }
        }
        assertEquals(2, table.segmentCount(), "throws once the 2 allowed segments are full");
        assertTrue(table.size() < table.capacity());
        TestSupport.assertSameContents(model, table);

        policy.evictEnabled = true;
        long buckets = table.bucketCount();
        int segments = table.segmentCount();
        long hash = table.hash(rejected);
        Segment<Long, Long> seg = table.segmentFor(hash);
        int stash = seg.stashBucketFor(hash);
        int last = seg.slotsPerBucket() - 1;
        Long victim = seg.keyAt(stash, last);
        Long second = seg.keyAt(stash, 0);
        assertTrue(seg.isBusy(stash, last), "the segment was full, so was this stash bucket");

        assertTrue(table.insert(rejected, rejected));
        assertEquals(buckets, table.bucketCount());
        assertEquals(segments, table.segmentCount());
        assertEquals(1, policy.evicted);
        assertEquals(victim, policy.evictedKeys.get(0));
        assertNull(table.get(victim));
        long pos = table.locate(rejected, hash);
        assertEquals(stash, DashTable.bucketAt(pos), "the new key enters the probationary FIFO...");
        assertEquals(0, DashTable.slotAt(pos), "...at slot 0");
        assertEquals(second, seg.keyAt(stash, 1), "the others moved one slot right");
        model.remove(victim);
        model.put(rejected, rejected);
        TestSupport.assertSameContents(model, table);
        checkInvariants(table);

        // steady state: every insert evicts one, the size and shape stay
        long size = table.size();
        for (int i = 0; i < 5000; i++) {
            long k = random.nextLong();
            int before = policy.evicted;
            assertTrue(table.insert(k, k));
            model.put(k, k);
            assertTrue(policy.evicted - before <= 1, "one eviction makes room for one key");
            for (int j = before; j < policy.evicted; j++) {
                model.remove(policy.evictedKeys.get(j));
            }
        }
        assertTrue(policy.evicted > 1000, "a full table evicts on most inserts: " + policy.evicted);
        assertEquals(segments, table.segmentCount());
        assertEquals(model.size(), table.size());
        assertTrue(table.size() >= size && table.size() <= table.capacity());
        TestSupport.assertSameContents(model, table);
        checkInvariants(table);
    }

    /** ShiftRight on a bucket whose last slot is free keeps every key (regular and stash). */
    @Test
    void shiftRightOnANonFullBucketKeepsAllKeys() {
        SegmentLayout layout = SegmentLayout.DRAGONFLY;
        DashTable<Long, Long> table = TestSupport.identityTable(layout, TestSupport.noGrowth());
        Segment<Long, Long> seg = table.segment(0);
        List<Long> keys = new ArrayList<>();
        long serial = 0;
        // regular bucket 20 with a few owned and probing items
        for (int i = 0; i < 5; i++) {
            long k = hashFor(layout, 0, 20, i, serial++);
            table.insert(k, k);
            keys.add(k);
        }
        for (int i = 0; i < 3; i++) {
            long k = hashFor(layout, 0, 19, i, serial++);
            table.insert(k, k);
            keys.add(k);
        }
        int busy = seg.busyMask(20);
        int probe = seg.probeMask(20);
        assertFalse(seg.isBusy(20, layout.slots() - 1));
        assertFalse(seg.shiftRight(20));
        assertEquals((busy << 1) & 0x3FFF, seg.busyMask(20));
        assertEquals((probe << 1) & 0x3FFF, seg.probeMask(20), "probe bits move with their items");
        assertFalse(seg.isBusy(20, 0));
        assertHoldsExactly(table, keys, k -> k);

        // a stash bucket that is not full: fill home 40 until a few keys sit in the stash
        List<Long> stashed = new ArrayList<>();
        while (stashed.size() < 3) {
            long k = hashFor(layout, 0, 40, 7, serial++);
            long pos = table.insertNew(k, k, k);
            keys.add(k);
            if (seg.isStash(DashTable.bucketAt(pos))) {
                stashed.add(k);
            }
        }
        int stashBucket = DashTable.bucketAt(table.locate(stashed.get(0), stashed.get(0)));
        assertFalse(seg.shiftRight(stashBucket));
        assertHoldsExactly(table, keys, k -> k);
    }

    /** ShiftRight on a full bucket drops exactly the key in the last slot. */
    @Test
    void shiftRightOnAFullBucketDropsExactlyTheLastSlot() {
        SegmentLayout layout = SegmentLayout.DRAGONFLY;
        DashTable<Long, Long> table = TestSupport.identityTable(layout, TestSupport.noGrowth());
        Segment<Long, Long> seg = table.segment(0);
        List<Long> keys = TestSupport.fillSegment(table, 12, 0);
        int last = layout.slots() - 1;
        for (int bucket : new int[] {layout.regularBuckets() + 2, 12, 13}) {
            Long dropped = seg.keyAt(bucket, last);
            Long first = seg.keyAt(bucket, 0);
            long size = table.size();
            assertTrue(seg.shiftRight(bucket));
            assertNull(table.get(dropped));
            assertEquals(first, seg.keyAt(bucket, 1));
            assertFalse(seg.isBusy(bucket, 0));
            assertEquals(size - 1, table.size());
            keys.remove(dropped);
            assertHoldsExactly(table, keys, k -> ~k);
        }
        // the three freed slots take three new keys of the same home, and no more
        for (int i = 0; i < 3; i++) {
            long k = hashFor(layout, 0, 12, 1, 99_990 + i);
            assertTrue(table.insert(k, ~k));
            keys.add(k);
        }
        for (long key : keys) {
            assertEquals(~key, table.get(key));
        }
        assertThrows(TableFullException.class, () -> table.insert(hashFor(layout, 0, 12, 2, 100_000), 0L));
        assertEquals(keys.size(), table.size());
    }
}
