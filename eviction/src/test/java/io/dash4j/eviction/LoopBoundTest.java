package io.dash4j.eviction;

import io.dash4j.dashtable.Segment;
import org.junit.jupiter.api.Test;

import java.util.IdentityHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why no slot order reaches LRU on a loop that exactly fits the bound (docs/eviction.md, issue
 * 16): each segment is a cache of its own slots, the loop's keys hash unevenly over the segments,
 * and a loop over {@code k > c} keys in {@code c} slots gives at most {@code c - 1} hits a round,
 * even to Belady's MIN. This computes that ceiling for {@code loop:20000} at a bound of 20,000.
 */
class LoopBoundTest {

    @Test
    void aLoopThatFitsTheBoundOverfillsSomeSegments() {
        int bound = 20_000;
        DashCache<Long, Long> cache = DashCache.<Long, Long>builder().maximumSize(bound).buildSingleOwner();
        for (long k = 0; k < 3L * bound; k++) {
            cache.put(k, k); // grows the table to its final shape
        }
        Map<Segment<Long, Object>, Integer> keysPerSegment = new IdentityHashMap<>();
        for (long k = 0; k < bound; k++) {
            keysPerSegment.merge(cache.table().segmentFor(cache.hash(k)), 1, Integer::sum);
        }
        assertEquals(32, keysPerSegment.size());
        long hitsPerRound = 0;
        long over = 0;
        for (Map.Entry<Segment<Long, Object>, Integer> e : keysPerSegment.entrySet()) {
            int slots = e.getKey().capacity();
            int keys = e.getValue();
            hitsPerRound += keys <= slots ? keys : slots - 1;
            over += Math.max(0, keys - slots);
        }
        assertEquals(305, over, "loop keys beyond their segment's slots");
        // 50 rounds of 20,000 requests, the first all misses
        double ceiling = 100.0 * hitsPerRound * 49 / 50 / bound;
        assertEquals(96.42, ceiling, 0.005);
        assertTrue(ceiling < 98.00 - 0.5, "below LRU - 0.5 whatever the order does");
    }
}
