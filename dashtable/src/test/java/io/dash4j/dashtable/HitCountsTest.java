package io.dash4j.dashtable;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-slot 2-bit hit counters ({@link Segment#countHit}): each travels with its entry
 * through rotations, swaps and FIFO shifts, saturates at 3, restarts at 0 for a new occupant,
 * and {@link Segment#hitMarks} is exactly the set of slots counted above 0. Model: per bucket, a
 * list of (key, count) that the same operations rearrange.
 */
class HitCountsTest {

    record Slot(Long key, int count) {
    }

    private static List<Slot> bucket(Segment<Long, Long> seg, int b) {
        List<Slot> slots = new ArrayList<>();
        for (int s = 0; s < seg.slotsPerBucket(); s++) {
            slots.add(new Slot(seg.keyAt(b, s), seg.hitCount(b, s)));
        }
        return slots;
    }

    private static int marks(List<Slot> model) {
        int m = 0;
        for (int s = 0; s < model.size(); s++) {
            m |= model.get(s).count() > 0 ? 1 << s : 0;
        }
        return m;
    }

    @Property(tries = 200)
    void countersTravelWithTheirEntries(@ForAll long seed, @ForAll @IntRange(min = 10, max = 16) int slots) {
        SegmentLayout layout = new SegmentLayout(8, 2, slots);
        DashTable<Long, Long> table = DashTable.<Long, Long>builder().layout(layout).seed(seed)
                .policy(TestSupport.noGrowth()).build();
        Random random = new Random(seed);
        try {
            while (true) {
                long k = random.nextLong();
                table.insert(k, ~k);
            }
        } catch (TableFullException full) {
            // every slot busy
        }
        Segment<Long, Long> seg = table.segment(0);
        int buckets = seg.regularBuckets() + seg.stashBuckets();
        for (int step = 0; step < 400; step++) {
            int b = random.nextInt(buckets);
            List<Slot> model = bucket(seg, b);
            int a = random.nextInt(slots);
            int c = random.nextInt(slots);
            switch (random.nextInt(4)) {
                case 0 -> {
                    seg.countHit(b, a);
                    Slot s = model.get(a);
                    model.set(a, new Slot(s.key(), Math.min(3, s.count() + 1)));
                }
                case 1 -> {
                    int from = Math.max(a, c);
                    int to = Math.min(a, c);
                    seg.rotateUp(b, from, to);
                    model.add(to, model.remove(from));
                }
                case 2 -> {
                    seg.swap(b, a, c);
                    Slot x = model.get(a);
                    model.set(a, model.get(c));
                    model.set(c, x);
                }
                default -> {
                    if (b < seg.regularBuckets()) {
                        seg.setHitCount(b, a, c & 3);
                        model.set(a, new Slot(model.get(a).key(), c & 3));
                    } else {
                        // a stash FIFO shifts: the tail leaves, slot 0 is free (no key, no count)
                        seg.shiftRight(b);
                        model.remove(slots - 1);
                        model.add(0, new Slot(null, 0));
                        long k = random.nextLong() | 1;
                        int pos = seg.insertIntoStash(k, k, table.hash(k), b);
                        if (pos >= 0 && Segment.bucketOf(pos) == b) {
                            model.set(Segment.slotOf(pos), new Slot(k, 0));
                        }
                    }
                }
            }
            assertEquals(model, bucket(seg, b), "step " + step + " on bucket " + b);
            assertEquals(marks(model), seg.hitMarks(b));
        }
        TestSupport.checkInvariants(table);
    }
}
