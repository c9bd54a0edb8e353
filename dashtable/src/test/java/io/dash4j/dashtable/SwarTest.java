package io.dash4j.dashtable;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The SWAR fingerprint compare ({@link Segment#zeroBytes}, {@link Segment#matchFingerprint}) against naive loops. */
class SwarTest {

    private static int naiveZeroBytes(long x) {
        int mask = 0;
        for (int i = 0; i < 8; i++) {
            if (((x >>> (8 * i)) & 0xFF) == 0) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    @Property(tries = 3000)
    void zeroBytesOfRandomLongs(@ForAll long x) {
        assertEquals(naiveZeroBytes(x), Segment.zeroBytes(x));
    }

    /**
     * Random longs rarely have zero bytes; here chosen bytes are forced to 0 and others to the
     * values that trip borrow-based tricks (0x01, 0x80, 0xFF, 0x7F).
     */
    @Property(tries = 3000)
    void zeroBytesWithPlantedBytes(@ForAll long bits, @ForAll byte zeros, @ForAll byte tricky,
                                   @ForAll @IntRange(min = 0, max = 3) int trickyKind) {
        int[] trickyValues = {0x01, 0x80, 0xFF, 0x7F};
        long x = bits;
        for (int i = 0; i < 8; i++) {
            long clear = ~(0xFFL << (8 * i));
            if ((zeros & (1 << i)) != 0) {
                x &= clear;
            } else if ((tricky & (1 << i)) != 0) {
                x = (x & clear) | ((long) trickyValues[trickyKind] << (8 * i));
            }
        }
        assertEquals(naiveZeroBytes(x), Segment.zeroBytes(x));
    }

    @Example
    void zeroBytesEdgeValues() {
        for (long x : new long[] {0L, -1L, 0x0100000000000000L, 0x0000000000000080L, 0x8080808080808080L,
                0x0101010101010101L, 0x00FF00FF00FF00FFL, 0xFF00000000000000L, 0x00000000000000FFL}) {
            assertEquals(naiveZeroBytes(x), Segment.zeroBytes(x), Long.toHexString(x));
        }
    }

    @Provide
    Arbitrary<SegmentLayout> layouts() {
        return Arbitraries.of(List.of(SegmentLayout.DRAGONFLY, SegmentLayout.DRAGONFLY_TEST,
                new SegmentLayout(5, 2, 16), new SegmentLayout(3, 1, 2), new SegmentLayout(7, 3, 8),
                new SegmentLayout(9, 1, 9)));
    }

    /**
     * matchFingerprint over every bucket (the last one reads into the padding) and every
     * fingerprint equals a naive compare of fingerprintAt, after inserts and removals (free slots
     * keep stale fingerprints; both sides see the same bytes).
     */
    @Property(tries = 60)
    void matchFingerprintEqualsNaiveCompare(@ForAll("layouts") SegmentLayout layout, @ForAll long seed,
                                            @ForAll @IntRange(min = 0, max = 100) int removePercent) {
        DashTable<Long, Long> table = DashTable.<Long, Long>builder()
                .layout(layout).seed(seed).policy(TestSupport.noGrowth()).build();
        Random random = new Random(seed);
        List<Long> inserted = new java.util.ArrayList<>();
        try {
            while (true) {
                long k = random.nextLong();
                table.insert(k, k);
                inserted.add(k);
            }
        } catch (TableFullException full) {
            // the segment is full
        }
        for (long k : inserted) {
            if (random.nextInt(100) < removePercent) {
                table.remove(k);
            }
        }
        Segment<Long, Long> seg = table.segment(0);
        for (int b = 0; b < layout.totalBuckets(); b++) {
            for (int fp = 0; fp < 256; fp++) {
                int naive = 0;
                for (int s = 0; s < layout.slots(); s++) {
                    if (seg.fingerprintAt(b, s) == fp) {
                        naive |= 1 << s;
                    }
                }
                assertEquals(naive, seg.matchFingerprint(b, fp), "bucket " + b + " fp " + fp);
            }
        }
        TestSupport.checkInvariants(table);
    }
}
