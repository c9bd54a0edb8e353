package io.dash4j.dashtable;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Segment#rotateUp}: the item at {@code from} moves to {@code to}, the ones in between
 * shift one slot right, with their busy and probe bits and fingerprints; compared with a list
 * rotation of the bucket's slot records, then every key must still be found.
 */
class RotateUpTest {

    record SlotState(boolean busy, boolean probe, int fp, Long key, Long value) {
    }

    private static List<SlotState> bucketState(Segment<Long, Long> seg, int bucket) {
        List<SlotState> state = new ArrayList<>();
        for (int s = 0; s < seg.slotsPerBucket(); s++) {
            boolean busy = seg.isBusy(bucket, s);
            state.add(new SlotState(busy, seg.isProbe(bucket, s), busy ? seg.fingerprintAt(bucket, s) : -1,
                    seg.keyAt(bucket, s), seg.valueAt(bucket, s)));
        }
        return state;
    }

    @Property(tries = 300)
    void rotateUpIsAListRotation(@ForAll long seed, @ForAll @IntRange(min = 0, max = 100) int removePercent,
                                 @ForAll @IntRange(min = 0, max = 15) int to, @ForAll @IntRange(min = 0, max = 15) int from,
                                 @ForAll @IntRange(min = 0, max = 59) int bucket, @ForAll boolean wide) {
        // 14-slot buckets (Dragonfly's) and 16-slot ones, whose fingerprints fill the 16-byte window
        SegmentLayout layout = wide ? new SegmentLayout(56, 4, 16) : SegmentLayout.DRAGONFLY;
        to = Math.min(to, layout.slots() - 1);
        from = Math.min(from, layout.slots() - 1);
        DashTable<Long, Long> table = DashTable.<Long, Long>builder().layout(layout).seed(seed)
                .policy(TestSupport.noGrowth()).build();
        Random random = new Random(seed);
        List<Long> keys = new ArrayList<>();
        try {
            while (true) {
                long k = random.nextLong();
                table.insert(k, ~k);
                keys.add(k);
            }
        } catch (TableFullException full) {
            // segment full: every bucket has items, with probe bits in many
        }
        keys.removeIf(k -> random.nextInt(100) < removePercent && table.remove(k) != null);
        Segment<Long, Long> seg = table.segment(0);
        List<SlotState> expected = bucketState(seg, bucket);
        if (to < from) {
            expected.add(to, expected.remove(from));
        }
        seg.rotateUp(bucket, from, to);
        assertEquals(expected, bucketState(seg, bucket));
        TestSupport.assertHoldsExactly(table, keys, k -> ~k);
    }
}
