package io.dash4j.dashtable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key strategies with hashes the test chooses, policies, and a structural invariant checker. */
final class TestSupport {

    private TestSupport() {
    }

    /** Long keys, equal by value, with the hash the test chooses (the seed is ignored). */
    private record LongKeys(LongUnaryOperator hash) implements KeyStrategy<Long> {
        @Override
        public long hash(Long key, long seed) {
            return hash.applyAsLong(key);
        }

        @Override
        public boolean equals(Long a, Long b) {
            return a.longValue() == b.longValue();
        }
    }

    /** Long keys whose hash is the key itself: the test picks fingerprint, bucket and segment bits. */
    static final KeyStrategy<Long> IDENTITY = new LongKeys(key -> key);

    /** Every key hashes to {@code hash}: one home bucket, one fingerprint, one segment. */
    static KeyStrategy<Long> constantHash(long hash) {
        return new LongKeys(key -> hash);
    }

    /**
     * A hash with the given top 16 bits (segment id), home bucket {@code ((h >>> 8) & 0xFFFFFFFF) % R} equal to
     * {@code bucket}, fingerprint {@code fp}, made unique by {@code serial}.
     */
    static long hashFor(SegmentLayout layout, int top16, int bucket, int fp, long serial) {
        int r = layout.regularBuckets();
        long top = (long) (top16 & 0xFFFF) << 40;
        long mid = serial * r + bucket; // the home bucket reads only the 32 bits above the fingerprint
        if (mid >>> 32 != 0) {
            throw new IllegalArgumentException("serial too large: " + serial);
        }
        long h = (top | mid) << 8 | (fp & 0xFF);
        if (((h >>> 8) & 0xFFFFFFFFL) % r != bucket || (h & 0xFF) != (fp & 0xFF)) {
            throw new AssertionError("hashFor is broken");
        }
        return h;
    }

    /** A policy that refuses growth and never evicts: a full segment makes insert throw. */
    static <K, V> TablePolicy<K, V> noGrowth() {
        return (table, full) -> false;
    }

    /**
     * A policy that grows the table up to {@code maxSegments} segments; what it evicts once there is
     * the subclass's.
     */
    abstract static class GrowUpTo<K, V> implements TablePolicy<K, V> {
        final int maxSegments;

        GrowUpTo(int maxSegments) {
            this.maxSegments = maxSegments;
        }

        @Override
        public boolean canGrow(DashTable<K, V> table, Segment<K, V> full) {
            return table.segmentCount() < maxSegments;
        }
    }

    /** A policy whose growth the test switches on and off. */
    static final class Switch<K, V> implements TablePolicy<K, V> {
        boolean grow;

        Switch(boolean grow) {
            this.grow = grow;
        }

        @Override
        public boolean canGrow(DashTable<K, V> table, Segment<K, V> full) {
            return grow;
        }
    }

    static DashTable<Long, Long> identityTable(SegmentLayout layout, TablePolicy<Long, Long> policy) {
        return DashTable.<Long, Long>builder().layout(layout).keyStrategy(IDENTITY).policy(policy).build();
    }

    /**
     * Dragonfly's {@code FillSegment(bid)}: inserts keys whose home is {@code bid} and whose
     * fingerprint is at most 2 until the first failure. The table must refuse to grow.
     * Checks that every inserted key stays findable after every insert.
     */
    static List<Long> fillSegment(DashTable<Long, Long> table, int bid, int top16) {
        List<Long> keys = new ArrayList<>();
        SegmentLayout layout = table.layout();
        for (long serial = 0; ; serial++) {
            long key = hashFor(layout, top16, bid, (int) (serial % 3), serial);
            try {
                assertTrue(table.insert(key, ~key));
            } catch (TableFullException e) {
                assertNull(table.get(key), "a failed insert must leave no trace");
                break;
            }
            keys.add(key);
            if (keys.size() % 8 == 0) {
                for (long k : keys) {
                    assertEquals(~k, table.get(k), "lost key " + k);
                }
            }
            if (keys.size() > layout.capacity()) {
                throw new AssertionError("more keys of one home than a segment has slots");
            }
        }
        return keys;
    }

    /** All keys of a segment, bucket by bucket. */
    static <K, V> List<K> keysOf(Segment<K, V> seg) {
        List<K> keys = new ArrayList<>();
        seg.forEach((k, v) -> keys.add(k));
        return keys;
    }

    /** Distinct segments of a table in directory order. */
    static <K, V> List<Segment<K, V>> segments(DashTable<K, V> table) {
        List<Segment<K, V>> segs = new ArrayList<>();
        table.forEachSegment((i, s) -> segs.add(s));
        return segs;
    }

    /** Runs a full cursor scan and returns how often each key was visited. */
    static <K, V> Map<K, Integer> fullScan(DashTable<K, V> table) {
        Map<K, Integer> seen = new HashMap<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = table.scan(cursor, (k, v) -> seen.merge(k, 1, Integer::sum));
            if (++calls > table.capacity() + table.layout().regularBuckets() * (long) table.directorySize() + 2) {
                throw new AssertionError("scan does not terminate");
            }
        } while (cursor != 0);
        return seen;
    }

    /**
     * Checks every structural invariant the lookup relies on:
     * <ul>
     *   <li>directory: a segment of local depth d fills an aligned run of 2^(G-d) entries;</li>
     *   <li>each item sits in a segment the directory maps its hash to;</li>
     *   <li>each regular item is in its home (probe 0) or the bucket after it (probe 1);
     *       stash items carry no probe bit; fingerprints are the low hash byte; free slots hold no key;</li>
     *   <li>stash accounting: for each home, own pointers + pointers spilled to the neighbour +
     *       overflow = its stash items; the pointers name (fingerprint, stash bucket) pairs of real
     *       stash items of that home; the "has stash" bit is set exactly when there are some;</li>
     *   <li>segment sizes add up to the table size; every item is findable.</li>
     * </ul>
     */
    static <K, V> void checkInvariants(DashTable<K, V> table) {
        int g = table.globalDepth();
        assertEquals(1 << g, table.directorySize());
        Set<Segment<K, V>> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < table.directorySize(); i++) {
            Segment<K, V> seg = table.segment(i);
            distinct.add(seg);
            int d = seg.localDepth();
            assertTrue(d <= g, "local depth above global depth");
            int chunk = 1 << (g - d);
            int start = i & ~(chunk - 1);
            for (int j = start; j < start + chunk; j++) {
                assertSame(seg, table.segment(j), "directory range of a segment is not contiguous");
            }
        }
        assertEquals(table.segmentCount(), distinct.size());

        long total = 0;
        for (Segment<K, V> seg : distinct) {
            total += checkSegment(table, seg);
        }
        assertEquals(table.size(), total, "table size differs from the sum of segment sizes");
    }

    private static <K, V> int checkSegment(DashTable<K, V> table, Segment<K, V> seg) {
        int r = seg.regularBuckets();
        int t = seg.stashBuckets();
        int s = seg.slotsPerBucket();
        int count = 0;
        int[] stashItems = new int[r];
        for (int b = 0; b < r; b++) {
            assertEquals(seg.stashOverflow(b) > 0, seg.overflowFlag(b), "OVERFLOW bit of bucket " + b);
        }
        // per home with stash items: multiset of (stash index << 8 | fp) of its stash items
        Map<Integer, Map<Integer, Integer>> stashKeys = new HashMap<>();
        for (int b = 0; b < r + t; b++) {
            assertEquals(0, seg.busyMask(b) & ~((1 << s) - 1));
            assertEquals(0, seg.probeMask(b) & ~seg.busyMask(b), "probe bit on a free slot");
            for (int slot = 0; slot < s; slot++) {
                if (!seg.isBusy(b, slot)) {
                    assertNull(seg.keyAt(b, slot), "free slot still references a key");
                    assertNull(seg.valueAt(b, slot), "free slot still references a value");
                    continue;
                }
                count++;
                K key = seg.keyAt(b, slot);
                long h = table.hash(key);
                assertSame(seg, table.segmentFor(h), "item in a segment its hash does not map to");
                assertEquals(Segment.fingerprint(h), seg.fingerprintAt(b, slot), "stale fingerprint");
                int home = seg.homeBucket(h);
                if (b < r) {
                    assertEquals(seg.isProbe(b, slot) ? seg.prevBucket(b) : b, home,
                            "regular item neither at home nor probing from home");
                } else {
                    assertFalse(seg.isProbe(b, slot), "probe bit in a stash bucket");
                    stashItems[home]++;
                    stashKeys.computeIfAbsent(home, x -> new HashMap<>())
                            .merge((b - r) << 8 | Segment.fingerprint(h), 1, Integer::sum);
                }
                long pos = table.locate(key, h);
                assertTrue(pos >= 0, "item not findable: " + key);
                assertEquals(b, DashTable.bucketAt(pos));
                assertEquals(slot, DashTable.slotAt(pos));
            }
        }
        assertEquals(count, seg.size(), "segment size differs from its busy slots");
        for (int h = 0; h < r; h++) {
            int next = seg.nextBucket(h);
            int own = seg.ownStashPointerCount(h);
            int spilled = seg.spilledStashPointerCount(next);
            assertEquals(stashItems[h], own + spilled + seg.stashOverflow(h),
                    "stash accounting of bucket " + h);
            assertEquals(stashItems[h] > 0, seg.hasStashedItems(h), "has-stash bit of bucket " + h);
            assertEquals(own + seg.spilledStashPointerCount(h), seg.stashPointerCount(h));
            Map<Integer, Integer> remaining = new HashMap<>(stashKeys.getOrDefault(h, Map.of()));
            for (int i = 0; i < Segment.STASH_POINTERS; i++) {
                consumePointer(seg.stashPointer(h, i), 0, remaining, h);
                consumePointer(seg.stashPointer(next, i), 1, remaining, h);
            }
        }
        return count;
    }

    private static void consumePointer(int ptr, int wantProbe, Map<Integer, Integer> remaining, int home) {
        if (ptr < 0 || (ptr >>> 12) != wantProbe) {
            return;
        }
        int id = ptr & 0xFFF;
        Integer n = remaining.get(id);
        assertTrue(n != null && n > 0, "stash pointer of bucket " + home + " names no stash item: " + Integer.toHexString(ptr));
        remaining.put(id, n - 1);
    }

    /** Asserts that {@code table} holds exactly {@code model}. */
    static <K, V> void assertSameContents(Map<K, V> model, DashTable<K, V> table) {
        assertEquals(model.size(), table.size());
        for (Map.Entry<K, V> e : model.entrySet()) {
            assertEquals(e.getValue(), table.get(e.getKey()), "value of " + e.getKey());
        }
        Map<K, V> all = new HashMap<>();
        table.forEach((k, v) -> assertNull(all.put(k, v), "forEach visits a key twice: " + k));
        assertEquals(model, all);
    }

    /**
     * Asserts that {@code table} holds exactly {@code keys}, each mapped to {@code value(key)}, and
     * keeps every structural invariant.
     */
    static void assertHoldsExactly(DashTable<Long, Long> table, Collection<Long> keys, LongUnaryOperator value) {
        Map<Long, Long> model = new HashMap<>();
        for (long k : keys) {
            model.put(k, value.applyAsLong(k));
        }
        assertSameContents(model, table);
        checkInvariants(table);
    }

    static void assertFull(Runnable insert) {
        assertThrows(TableFullException.class, insert::run);
    }

    static Set<Long> setOf(List<Long> keys) {
        return new HashSet<>(keys);
    }
}
