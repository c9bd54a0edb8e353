package io.dash4j.dashtable;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Point-in-time property of {@link TableSnapshot}: random writes (puts, overwrites, removals,
 * bumps, clears) interleaved with snapshot slices of random length, on small layouts so splits,
 * displacements, stash moves and evictions happen while the walk is half done. The image must be
 * exactly the model's state when the snapshot started: every entry once, with its value then.
 */
class TableSnapshotPropertyTest {

    /** Grows up to {@code maxSegments}, then evicts the home bucket's last slot (shiftRight). */
    static final class GrowThenEvict extends TestSupport.GrowUpTo<Long, Long> {
        final Map<Long, Long> model;
        int evictions;

        GrowThenEvict(int maxSegments, Map<Long, Long> model) {
            super(maxSegments);
            this.model = model;
        }

        @Override
        public int evict(DashTable<Long, Long> table, Segment<Long, Long> seg, long hash) {
            int home = seg.homeBucket(hash);
            int last = seg.slotsPerBucket() - 1;
            if (seg.isBusy(home, last)) {
                model.remove(seg.keyAt(home, last));
            }
            seg.shiftRight(home);
            evictions++;
            return 1;
        }
    }

    @Provide
    Arbitrary<SegmentLayout> layouts() {
        return Arbitraries.of(new SegmentLayout(4, 1, 4), new SegmentLayout(8, 2, 6), SegmentLayout.DRAGONFLY_TEST);
    }

    @Property(tries = 300)
    void imageIsTheTableAtTheStart(@ForAll("layouts") SegmentLayout layout,
                                   @ForAll @IntRange(min = 1, max = 40) int maxSegments,
                                   @ForAll("ops") List<Integer> ops,
                                   @ForAll @IntRange(min = 0, max = 400) int preload,
                                   @ForAll long seed) {
        Map<Long, Long> model = new HashMap<>();
        GrowThenEvict policy = new GrowThenEvict(maxSegments, model);
        DashTable<Long, Long> table = DashTable.<Long, Long>builder().layout(layout).policy(policy).seed(seed).build();
        java.util.Random rnd = new java.util.Random(seed);
        int keySpace = 50 + preload * 2;
        for (int i = 0; i < preload; i++) {
            long k = rnd.nextInt(keySpace);
            put(table, model, k, rnd.nextLong());
        }
        Map<Long, Long> expected = new HashMap<>(model);
        List<long[]> image = new ArrayList<>();
        TableSnapshot<Long, Long> snap = table.startSnapshot((k, v) -> image.add(new long[] {k, v}));
        int splitsBefore = (int) table.splitCount();
        int evictionsBefore = policy.evictions;
        for (int op : ops) {
            long k = rnd.nextInt(keySpace);
            switch (Math.floorMod(op, 10)) {
                case 0, 1, 2, 3 -> put(table, model, k, rnd.nextLong());
                case 4 -> {
                    table.remove(k);
                    model.remove(k);
                }
                case 5 -> {
                    long pos = table.locate(k, table.hash(k));
                    if (pos >= 0) {
                        table.bumpUp(pos, table.hash(k));
                    }
                }
                case 6, 7 -> snap.step(1 + Math.floorMod(op, 37));
                case 8 -> {
                    for (int i = 0; i < 30; i++) {
                        put(table, model, keySpace + rnd.nextInt(1000), rnd.nextLong());
                    }
                }
                default -> {
                    if (Math.floorMod(op, 97) == 9) {
                        table.clear();
                        model.clear();
                    }
                }
            }
        }
        snap.finish();
        assertTrue(snap.isDone());
        assertNull(table.runningSnapshot());
        Map<Long, Long> got = new HashMap<>();
        for (long[] e : image) {
            assertNull(got.put(e[0], e[1]), "key " + e[0] + " emitted twice");
        }
        assertEquals(expected, got);
        assertEquals(expected.size(), snap.emitted());
        Statistics.label("splits during snapshot").collect(table.splitCount() > splitsBefore);
        Statistics.label("evictions during snapshot").collect(policy.evictions > evictionsBefore);
        // the table itself is still exactly the model
        Map<Long, Long> now = new HashMap<>();
        table.forEach(now::put);
        assertEquals(model, now);
    }

    private static void put(DashTable<Long, Long> table, Map<Long, Long> model, long k, long v) {
        table.put(k, v);
        model.put(k, v); // evictions remove from the model as they happen
    }

    @Provide
    Arbitrary<List<Integer>> ops() {
        return Arbitraries.integers().between(0, 1 << 20).list().ofMaxSize(600);
    }

    @Test
    void secondSnapshotAfterTheFirstSeesLaterWrites() {
        DashTable<Long, Long> table = DashTable.<Long, Long>builder().layout(new SegmentLayout(4, 1, 4)).build();
        for (long i = 0; i < 500; i++) {
            table.put(i, i);
        }
        Map<Long, Long> first = new HashMap<>();
        TableSnapshot<Long, Long> s = table.startSnapshot(first::put);
        assertThrows(IllegalStateException.class, () -> table.startSnapshot((k, v) -> { }));
        for (long i = 500; i < 1000; i++) {
            table.put(i, i);
            s.step(3);
        }
        s.finish();
        assertEquals(500, first.size());
        assertTrue(s.preservedByWriters() > 0, "writers preserved buckets ahead of the walk");
        Map<Long, Long> second = new HashMap<>();
        assertEquals(1000, table.snapshot(second::put));
        assertEquals(1000, second.size());
    }

    @Test
    void abortedSnapshotStopsEmittingAndAllowsAnother() {
        DashTable<Long, Long> table = new DashTable<>();
        for (long i = 0; i < 2000; i++) {
            table.put(i, i);
        }
        List<Long> seen = new ArrayList<>();
        TableSnapshot<Long, Long> s = table.startSnapshot((k, v) -> seen.add(k));
        s.step(5);
        s.abort();
        int before = seen.size();
        for (long i = 0; i < 2000; i++) {
            table.put(i, -i);
        }
        assertEquals(before, seen.size());
        Map<Long, Long> image = new HashMap<>();
        table.snapshot(image::put);
        assertEquals(2000, image.size());
        assertEquals(-7L, image.get(7L));
    }
}
