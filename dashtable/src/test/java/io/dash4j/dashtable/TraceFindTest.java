package io.dash4j.dashtable;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Segment#traceFind}, the replay behind the bench's work counts, must do what
 * {@link Segment#find} does: the same answer and exactly the key comparisons the real lookup makes
 * (counted by the key strategy), on tables crowded enough that stash pointers spill and overflow.
 */
class TraceFindTest {

    /** Hashes with two homes and four fingerprints, so stashes, spilled pointers and overflow are common. */
    static final class Crowded implements KeyStrategy<Long> {
        long compares;

        @Override
        public long hash(Long key, long seed) {
            long h = Hashing.mix(key ^ seed);
            // segment bits stay mixed; two home values, four fingerprints
            return (h & ~0xFF_FFFF_FFFFL) | ((h >>> 20) & 0x1) << 8 | (h & 0x3);
        }

        @Override
        public boolean equals(Long a, Long b) {
            compares++;
            return a.longValue() == b.longValue();
        }
    }

    @Property(tries = 60)
    void traceFindAnswersAndComparesAsFindDoes(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int shape) {
        SegmentLayout layout = switch (shape) {
            case 0 -> new SegmentLayout(6, 2, 8);
            case 1 -> new SegmentLayout(12, 4, 14);
            default -> SegmentLayout.DRAGONFLY;
        };
        Crowded keys = new Crowded();
        // the small layout may not grow: its one segment crowds until stash pointers overflow
        DashTable<Long, Long> table = DashTable.<Long, Long>builder().layout(layout).keyStrategy(keys)
                .policy(shape == 0 ? TestSupport.noGrowth() : TablePolicy.alwaysGrow()).build();
        SplittableRandom r = new SplittableRandom(seed);
        List<Long> present = new ArrayList<>();
        for (int i = 0; i < 3 * layout.capacity(); i++) {
            long k = r.nextLong();
            try {
                table.put(k, k);
                present.add(k);
            } catch (TableFullException full) {
                continue; // the crowded segment is full for this key
            }
            if (r.nextInt(4) == 0) {
                table.remove(present.remove(r.nextInt(present.size())));
            }
        }
        TestSupport.checkInvariants(table);
        ProbeWork work = new ProbeWork();
        int overflowed = 0;
        for (int i = 0; i < 2_000; i++) {
            long k = i % 2 == 0 ? present.get(r.nextInt(present.size())) : r.nextLong();
            long hash = table.hash(k);
            Segment<Long, Long> seg = table.segmentFor(hash);
            keys.compares = 0;
            int found = seg.find(k, hash);
            long realCompares = keys.compares;
            keys.compares = 0;
            long before = work.keyCompares;
            assertEquals(found, seg.traceFind(k, hash, work), "key " + k);
            assertEquals(realCompares, keys.compares, "traceFind compares as find does");
            assertEquals(realCompares, work.keyCompares - before, "and counts every compare");
            overflowed += seg.stashOverflow(seg.homeBucket(hash)) > 0 ? 1 : 0;
        }
        assertEquals(2_000, work.lookups);
        assertTrue(work.cacheLines >= work.lookups, "every lookup touches at least one line");
        if (shape == 0) {
            assertTrue(overflowed > 0, "the small crowded layout exercises overflow scans");
        }
    }
}
