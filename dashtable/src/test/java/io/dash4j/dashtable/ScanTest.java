package io.dash4j.dashtable;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dash_test.cc {@code Traverse}: cursor scans, dense, sparse and while the table grows. */
class ScanTest {

    private static Map<Long, Integer> scanAll(DashTable<Long, Long> table, int count) {
        Map<Long, Integer> seen = new HashMap<>();
        long cursor = 0;
        int calls = 0;
        do {
            int before = seen.values().stream().mapToInt(Integer::intValue).sum();
            cursor = count == 0
                    ? table.scan(cursor, (k, v) -> seen.merge(k, 1, Integer::sum))
                    : table.scan(cursor, count, (k, v) -> seen.merge(k, 1, Integer::sum));
            int visited = seen.values().stream().mapToInt(Integer::intValue).sum() - before;
            if (cursor != 0) {
                assertTrue(visited >= Math.max(1, count), "a call that does not end visits at least " + count);
            }
            assertTrue(++calls <= table.size() + 1, "more calls than entries");
        } while (cursor != 0);
        return seen;
    }

    private static void assertEachOnce(Set<Long> expected, Map<Long, Integer> seen) {
        assertEquals(expected, seen.keySet());
        seen.forEach((k, n) -> assertEquals(1, n, "visited " + n + " times: " + k));
    }

    @Test
    void emptyTableScanEndsAtOnce() {
        DashTable<Long, Long> table = new DashTable<>();
        assertEquals(0, table.scan(0, (k, v) -> {
            throw new AssertionError("nothing to visit");
        }));
        assertEquals(0, table.scan(0, 10, (k, v) -> {
            throw new AssertionError("nothing to visit");
        }));
    }

    @Test
    void traverseDenseAndSparse() {
        for (SegmentLayout layout : List.of(SegmentLayout.DRAGONFLY, new SegmentLayout(8, 2, 6))) {
            DashTable<Long, Long> table = DashTable.<Long, Long>builder().layout(layout).build();
            Set<Long> keys = new HashSet<>();
            for (long i = 0; i < 10_000; i++) {
                table.insert(i, i);
                keys.add(i);
            }
            for (int count : new int[] {0, 1, 10, 100, 5000}) {
                assertEachOnce(keys, scanAll(table, count));
            }
            // sparse: remove 97%
            Random random = new Random(3);
            for (long i = 0; i < 10_000; i++) {
                if (random.nextInt(100) < 97) {
                    table.remove(i);
                    keys.remove(i);
                }
            }
            assertTrue(keys.size() < 500);
            for (int count : new int[] {0, 1, 7}) {
                assertEachOnce(keys, scanAll(table, count));
            }
            // visited values are the stored ones
            table.scan(0, Integer.MAX_VALUE, (k, v) -> assertEquals(k, v));
        }
    }

    @Test
    void scanReturnsValues() {
        DashTable<String, Integer> table = new DashTable<>();
        for (int i = 0; i < 100; i++) {
            table.put("k" + i, i);
        }
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        do {
            cursor = table.scan(cursor, (k, v) -> assertNull(seen.put(k, v)));
        } while (cursor != 0);
        assertEquals(100, seen.size());
        seen.forEach((k, v) -> assertEquals("k" + v, k));
    }

    @Provide
    Arbitrary<SegmentLayout> layouts() {
        return Arbitraries.of(List.of(SegmentLayout.DRAGONFLY, SegmentLayout.DRAGONFLY_TEST,
                new SegmentLayout(8, 2, 6), new SegmentLayout(4, 1, 4)));
    }

    /**
     * Scan under growth: between scan calls many new keys arrive (forcing splits, directory
     * doubling, displacements) and some old keys are removed. Every key present for the whole
     * scan is returned exactly once, and no key is returned twice.
     */
    @Property(tries = 80)
    void scanUnderGrowthReturnsEveryKeyPresentThroughout(
            @ForAll("layouts") SegmentLayout layout,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3000) int initial,
            @ForAll @IntRange(min = 1, max = 300) int batch,
            @ForAll @IntRange(min = 0, max = 20) int removePercent,
            @ForAll @IntRange(min = 0, max = 40) int count) {
        Random random = new Random(seed);
        DashTable<Long, Long> table = DashTable.<Long, Long>builder().layout(layout).seed(seed).build();
        Set<Long> initialKeys = new HashSet<>();
        while (initialKeys.size() < initial) {
            long k = random.nextLong();
            table.insert(k, k);
            initialKeys.add(k);
        }
        List<Long> removable = new java.util.ArrayList<>(initialKeys);
        Set<Long> removed = new HashSet<>();
        long splitsBefore = table.splitCount();
        int cap = 40_000;
        Map<Long, Integer> seen = new HashMap<>();
        long cursor = 0;
        do {
            cursor = count == 0
                    ? table.scan(cursor, (k, v) -> seen.merge(k, 1, Integer::sum))
                    : table.scan(cursor, count, (k, v) -> seen.merge(k, 1, Integer::sum));
            if (table.size() < cap) {
                for (int i = 0; i < batch; i++) {
                    long k = random.nextLong();
                    table.insert(k, k);
                }
            }
            if (!removable.isEmpty() && random.nextInt(100) < removePercent) {
                Long k = removable.remove(random.nextInt(removable.size()));
                table.remove(k);
                removed.add(k);
            }
        } while (cursor != 0);
        for (long k : initialKeys) {
            if (!removed.contains(k)) {
                assertEquals(1, seen.getOrDefault(k, 0), "key present throughout visited " + seen.get(k) + " times");
            }
        }
        seen.forEach((k, n) -> assertEquals(1, n, "visited twice: " + k));
        Statistics.label("splits during scan").collect(table.splitCount() > splitsBefore);
    }
}
