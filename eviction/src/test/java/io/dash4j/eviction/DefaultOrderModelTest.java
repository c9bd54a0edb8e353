package io.dash4j.eviction;

import io.dash4j.dashtable.DashTable;
import io.dash4j.dashtable.Segment;
import io.dash4j.dashtable.SegmentLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default order ({@link DefaultOrder}) against a model of its rules written per bucket, with
 * lists: on a full one-segment cache, random hits on resident keys and puts of never-seen keys,
 * and after every step the whole segment (key and hit counter of every slot) must be what the
 * model predicts from the segment as it was before the step.
 *
 * <pre>
 *  hit on (b, s)          counter(b, s) = min(3, counter + 1); nothing else changes
 *  put of a new key k     F = the stash FIFO of k; T = its tail
 *                         T counted?  then for H = home(T), N = H + 1, each a list:
 *                                       while last has a count: last goes to the front, count - 1
 *                                     T takes the last slot of H or N (the one its stash pointer
 *                                     names: the table's business, read from the result), count 0;
 *                                     that bucket's last entry D takes T's slot, count 0; D leaves
 *                         else        T leaves
 *                         F shifts one slot towards its tail; k enters at its head, count 0
 * </pre>
 */
class DefaultOrderModelTest {

    private record SlotState(Long key, int count) {
    }

    private static List<List<SlotState>> snapshot(Segment<Long, Object> seg) {
        List<List<SlotState>> buckets = new ArrayList<>();
        for (int b = 0; b < seg.regularBuckets() + seg.stashBuckets(); b++) {
            List<SlotState> slots = new ArrayList<>();
            for (int s = 0; s < seg.slotsPerBucket(); s++) {
                slots.add(new SlotState(seg.keyAt(b, s), seg.isBusy(b, s) ? seg.hitCount(b, s) : 0));
            }
            buckets.add(slots);
        }
        return buckets;
    }

    /** S3-FIFO's main-queue step on one bucket of the model: counted last entries go round. */
    private static void reinsert(List<SlotState> bucket) {
        for (int i = 0; i < bucket.size(); i++) {
            SlotState last = bucket.get(bucket.size() - 1);
            if (last.count() == 0) {
                return;
            }
            bucket.remove(bucket.size() - 1);
            bucket.add(0, new SlotState(last.key(), last.count() - 1));
        }
    }

    @Property(tries = 60)
    void everyStepIsWhatThePerBucketModelPredicts(@ForAll long seed,
                                                  @ForAll @IntRange(min = 10, max = 16) int slots,
                                                  @ForAll @IntRange(min = 1, max = 90) int hitPercent) {
        SegmentLayout layout = new SegmentLayout(8, 2, slots);
        RecordingListener<Long, Long> listener = new RecordingListener<>();
        DashCache<Long, Long> cache = DashCache.<Long, Long>builder().layout(layout).maximumSegments(1)
                .slotPolicy(SlotPolicy.DEFAULT).removalListener(listener).buildSingleOwner();
        Segment<Long, Object> seg = cache.table().segment(0);
        SplittableRandom r = new SplittableRandom(seed);
        long fresh = r.nextLong() >>> 2;
        while (seg.size() < seg.capacity()) {
            cache.put(fresh, fresh);
            fresh++;
        }
        int last = slots - 1;
        int checkedPromotions = 0;
        for (int step = 0; step < 1_500; step++) {
            List<List<SlotState>> model = snapshot(seg);
            if (r.nextInt(100) < hitPercent) {
                int b = r.nextInt(seg.regularBuckets() + seg.stashBuckets());
                int s = r.nextInt(slots);
                Long key = model.get(b).get(s).key();
                assertEquals(key, cache.getIfPresent(key));
                SlotState was = model.get(b).get(s);
                model.get(b).set(s, new SlotState(key, Math.min(3, was.count() + 1)));
                assertEquals(model, snapshot(seg), "hit at bucket " + b + " slot " + s);
                continue;
            }
            long hash = cache.hash(fresh);
            long admissions = cache.ghostAdmissions();
            int evictions = listener.removals().size();
            cache.put(fresh, fresh);
            if (cache.ghostAdmissions() != admissions) {
                fresh++;
                continue; // a never-seen key matched a ghost fingerprint (0.6 %): not this model's case
            }
            List<SlotState> fifo = model.get(seg.stashBucketFor(hash));
            SlotState tail = fifo.get(last);
            Long victim = tail.key();
            if (tail.count() > 0) {
                int home = seg.homeBucket(cache.hash(tail.key()));
                int next = seg.nextBucket(home);
                reinsert(model.get(home));
                reinsert(model.get(next));
                int entered = DashTable.bucketAt(cache.table().locate(tail.key(), cache.hash(tail.key())));
                assertTrue(entered == home || entered == next, "a counted tail enters its home or neighbour");
                List<SlotState> into = model.get(entered);
                victim = into.get(last).key();
                into.set(last, new SlotState(tail.key(), 0));
                checkedPromotions++;
            }
            fifo.remove(last);
            fifo.add(0, new SlotState(fresh, 0));
            assertEquals(evictions + 1, listener.removals().size(), "one entry leaves per put");
            assertEquals(victim, listener.removals().get(evictions).key(), "the victim");
            assertEquals(model, snapshot(seg), "put of " + fresh);
            fresh++;
        }
        assertTrue(hitPercent < 20 || checkedPromotions > 0, "the trace exercised promotions");
    }
}
