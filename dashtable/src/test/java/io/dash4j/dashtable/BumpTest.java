package io.dash4j.dashtable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dash4j.dashtable.TestSupport.assertHoldsExactly;
import static io.dash4j.dashtable.TestSupport.checkInvariants;
import static io.dash4j.dashtable.TestSupport.fillSegment;
import static io.dash4j.dashtable.TestSupport.hashFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dash_test.cc {@code BumpUp} and {@code BumpPolicy}: promotion on a hit. */
class BumpTest {

    static final List<SegmentLayout> LAYOUTS = List.of(SegmentLayout.DRAGONFLY_TEST, SegmentLayout.DRAGONFLY);

    /** Position (bucket << 4 | slot) of every key of the segment. */
    private static Map<Long, Integer> positions(Segment<Long, Long> seg) {
        Map<Long, Integer> map = new HashMap<>();
        for (int b = 0; b < seg.regularBuckets() + seg.stashBuckets(); b++) {
            for (int s = 0; s < seg.slotsPerBucket(); s++) {
                if (seg.isBusy(b, s)) {
                    map.put(seg.keyAt(b, s), Segment.position(b, s));
                }
            }
        }
        return map;
    }

    private static long bump(DashTable<Long, Long> table, long key) {
        long pos = table.locate(key, key);
        assertTrue(pos >= 0);
        return table.bumpUp(pos, key);
    }

    /**
     * {@code BumpUp}: after FillSegment(0) and deleting (1,2), bumping stash item (stash0, 5)
     * moves it into the free slot (1,2). Bumping (stash1, 9) with no free slot swaps it with
     * the last slot of bucket 0 or 1: the demoted item takes its stash slot, the stash stays full.
     */
    @ParameterizedTest
    @FieldSource("LAYOUTS")
    void bumpUpFromStash(SegmentLayout layout) {
        DashTable<Long, Long> table = TestSupport.identityTable(layout, TestSupport.noGrowth());
        Segment<Long, Long> seg = table.segment(0);
        List<Long> keys = fillSegment(table, 0, 0);
        int stash0 = layout.regularBuckets();
        int stash1 = stash0 + 1;
        int slots = layout.slots();
        int last = slots - 1;
        for (int b : new int[] {0, 1, stash0, stash1}) {
            assertEquals(slots, seg.bucketSize(b));
        }
        Long deleted = seg.keyAt(1, 2);
        table.removeAt(seg, 1, 2);
        assertFalse(seg.bucketSize(1) == slots);
        keys.remove(deleted);

        long key = seg.keyAt(stash0, 5);
        long pos = table.locate(key, key);
        assertEquals(stash0, DashTable.bucketAt(pos));
        assertEquals(5, DashTable.slotAt(pos));
        long moved = table.bumpUp(pos, key);
        assertEquals(1, DashTable.bucketAt(moved));
        assertEquals(2, DashTable.slotAt(moved));
        assertEquals(key, seg.keyAt(1, 2));
        assertTrue(seg.isProbe(1, 2), "in the neighbour the item probes");
        assertEquals(slots, seg.bucketSize(1));
        assertFalse(seg.isBusy(stash0, 5));
        assertEquals(moved, table.locate(key, key));
        assertHoldsExactly(table, keys, k -> ~k);

        long key2 = seg.keyAt(stash1, 9);
        Long last0 = seg.keyAt(0, last);
        Long last1 = seg.keyAt(1, last);
        long moved2 = bump(table, key2);
        int b = DashTable.bucketAt(moved2);
        assertTrue(b == 0 || b == 1, "bucket " + b);
        assertEquals(last, DashTable.slotAt(moved2));
        assertEquals(key2, seg.keyAt(b, last));
        assertEquals(b == 1, seg.isProbe(b, last));
        assertEquals(slots, seg.bucketSize(stash1), "the stash stays full");
        assertEquals(b == 0 ? last0 : last1, seg.keyAt(stash1, 9), "the demoted item takes the promoted item's stash slot");
        assertEquals(b == 0 ? last1 : last0, seg.keyAt(1 - b, last), "the other bucket is untouched");
        assertHoldsExactly(table, keys, k -> ~k);
    }

    /** Regular bump: swap with slot-1 (even when it is free); slot 0 stays; probe bits travel. */
    @Test
    void bumpUpInARegularBucket() {
        SegmentLayout layout = SegmentLayout.DRAGONFLY;
        DashTable<Long, Long> table = TestSupport.identityTable(layout, TestSupport.noGrowth());
        Segment<Long, Long> seg = table.segment(0);
        long serial = 0;
        for (int i = 0; i < 2 * layout.slots(); i++) {     // buckets 4, 5 full: home 3 stays home
            long k = hashFor(layout, 0, 4, 4, serial++);
            table.insert(k, k);
        }
        long a = hashFor(layout, 0, 3, 1, serial++);
        table.insert(a, a);                                 // (3,0)
        for (int i = 0; i < 2; i++) {
            long k = hashFor(layout, 0, 2, 1, serial++);
            table.insert(k, k);                             // (2,0), (2,1)
        }
        long probing = hashFor(layout, 0, 2, 9, serial++);
        table.insert(probing, probing);                     // (3,1) probing
        long c = hashFor(layout, 0, 3, 3, serial++);
        table.insert(c, c);                                 // (3,2)
        long d = hashFor(layout, 0, 3, 3, serial++);
        table.insert(d, d);                                 // (3,3)
        assertEquals(3, DashTable.bucketAt(table.locate(d, d)));
        assertEquals(3, DashTable.slotAt(table.locate(d, d)));
        assertEquals(0b0010, seg.probeMask(3));
        table.remove(c);                                    // (3,2) free

        long p = bump(table, d);                            // swap with the free slot 2
        assertEquals(2, DashTable.slotAt(p));
        assertFalse(seg.isBusy(3, 3));
        p = bump(table, d);                                 // swap with the probing item
        assertEquals(1, DashTable.slotAt(p));
        assertEquals(probing, seg.keyAt(3, 2));
        assertTrue(seg.isProbe(3, 2), "the probing item keeps its probe bit");
        assertFalse(seg.isProbe(3, 1));
        assertEquals(0b0100, seg.probeMask(3));
        p = bump(table, d);
        assertEquals(0, DashTable.slotAt(p));
        assertEquals(a, seg.keyAt(3, 1));
        p = bump(table, d);                                 // slot 0 stays
        assertEquals(0, DashTable.slotAt(p));
        assertEquals(3, DashTable.bucketAt(p));
        assertEquals(d, seg.keyAt(3, 0));
        for (long k : new long[] {a, probing, d}) {
            assertEquals(k, table.get(k));
        }
        checkInvariants(table);
    }

    private static TablePolicy<Long, Long> pinning(Set<Long> pinned) {
        return new TablePolicy<>() {
            @Override
            public boolean canGrow(DashTable<Long, Long> table, Segment<Long, Long> full) {
                return false;
            }

            @Override
            public boolean canBump(Long key) {
                return !pinned.contains(key);
            }
        };
    }

    /** {@code BumpPolicy}: with canBump false neither a regular nor a stash item moves. */
    @ParameterizedTest
    @FieldSource("LAYOUTS")
    void bumpPolicyPinsItems(SegmentLayout layout) {
        Set<Long> pinned = new HashSet<>();
        DashTable<Long, Long> table = TestSupport.identityTable(layout, pinning(pinned));
        Segment<Long, Long> seg = table.segment(0);
        List<Long> keys = fillSegment(table, 0, 0);
        pinned.addAll(keys);                                 // nothing may move
        Map<Long, Integer> before = positions(seg);
        int stash1 = layout.regularBuckets() + 1;
        for (long key : new long[] {seg.keyAt(0, 3), seg.keyAt(1, 5), seg.keyAt(stash1, 4)}) {
            long pos = table.locate(key, key);
            assertEquals(pos, table.bumpUp(pos, key));
        }
        assertEquals(before, positions(seg));

        // Only the possible demotion victims are pinned: a stash item cannot swap with them and
        // stays where it is, still findable (its stash pointer is restored).
        pinned.clear();
        int last = layout.slots() - 1;
        pinned.add(seg.keyAt(0, last));
        pinned.add(seg.keyAt(1, last));
        long stashKey = seg.keyAt(stash1, 4);
        long pos = table.locate(stashKey, stashKey);
        assertEquals(pos, table.bumpUp(pos, stashKey));
        assertEquals(before, positions(seg));
        checkInvariants(table);

        // A regular item below a pinned one does not swap with it.
        pinned.add(seg.keyAt(0, 2));
        long below = seg.keyAt(0, 3);
        pos = table.locate(below, below);
        assertEquals(pos, table.bumpUp(pos, below));
        assertEquals(before, positions(seg));
        // ...while an unpinned pair swaps.
        long free = seg.keyAt(0, 6);
        pos = table.locate(free, free);
        assertEquals(5, DashTable.slotAt(table.bumpUp(pos, free)));
        assertHoldsExactly(table, keys, k -> ~k);
    }

    /** A policy may decide from the value as well ({@link TablePolicy#canBump(Object, Object)}). */
    @Test
    void bumpPolicyByValue() {
        SegmentLayout layout = SegmentLayout.DRAGONFLY;
        TablePolicy<Long, Long> byValue = new TablePolicy<>() {
            @Override
            public boolean canGrow(DashTable<Long, Long> table, Segment<Long, Long> full) {
                return false;
            }

            @Override
            public boolean canBump(Long key, Long value) {
                return value >= 0;
            }
        };
        DashTable<Long, Long> table = TestSupport.identityTable(layout, byValue);
        Segment<Long, Long> seg = table.segment(0);
        fillSegment(table, 0, 0);                            // values are ~key
        long key = seg.keyAt(0, 4);
        long pos = table.locate(key, key);
        table.setValueAt(pos, -1L);
        assertEquals(pos, table.bumpUp(pos, key), "a negative value pins");
        table.setValueAt(pos, 1L);
        Long above = seg.keyAt(0, 3);
        table.setValueAt(table.locate(above, above), 5L);
        assertEquals(3, DashTable.slotAt(table.bumpUp(pos, key)));
        assertEquals(above, seg.keyAt(0, 4));
        checkInvariants(table);
    }
}
