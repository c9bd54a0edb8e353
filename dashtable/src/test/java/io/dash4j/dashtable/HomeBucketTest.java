package io.dash4j.dashtable;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The multiply-based home bucket equals the plain modulo it replaces, for every layout width. */
class HomeBucketTest {

    @Property(tries = 2_000)
    void fastModEqualsModulo(@ForAll long hash, @ForAll @IntRange(min = 3, max = 255) int regular) {
        DashTable<Long, Long> table = DashTable.<Long, Long>builder()
                .layout(new SegmentLayout(regular, 1, 4)).build();
        Segment<Long, Long> seg = table.segment(0);
        assertEquals(((hash >>> 8) & 0xFFFFFFFFL) % regular, seg.homeBucket(hash));
    }
}
