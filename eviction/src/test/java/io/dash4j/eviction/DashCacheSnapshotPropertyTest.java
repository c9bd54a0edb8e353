package io.dash4j.eviction;

import io.dash4j.dashtable.TableSnapshot;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A bounded {@link DashCache} under both production slot orders: hits that bump (rotate, swap,
 * leave the stash), inserts that evict and split, TTL writes and removals, interleaved with
 * snapshot slices. The image is exactly the cache's content (values and deadlines) when the
 * snapshot started.
 */
class DashCacheSnapshotPropertyTest {

    @Provide
    Arbitrary<SlotPolicy> policies() {
        return Arbitraries.of(SlotPolicy.DEFAULT, SlotPolicy.DRAGONFLY);
    }

    @Property(tries = 150)
    void imageIsTheCacheAtTheStart(@ForAll("policies") SlotPolicy policy,
                                   @ForAll @IntRange(min = 50, max = 3000) int maximumSize,
                                   @ForAll("ops") List<Integer> ops, @ForAll long seed) {
        ManualTicker ticker = new ManualTicker();
        DashCache<Long, Long> cache = DashCache.<Long, Long>builder().maximumSize(maximumSize)
                .slotPolicy(policy).ticker(ticker).buildSingleOwner();
        Map<Long, Long> deadlines = new HashMap<>();
        Random rnd = new Random(seed);
        int keySpace = maximumSize * 2;
        for (int i = 0; i < maximumSize * 3 / 2; i++) {
            write(cache, deadlines, rnd.nextInt(keySpace), rnd, ticker);
        }
        Map<Long, Long> expected = new HashMap<>();
        cache.forEach(expected::put);
        Map<Long, Long> expectedDeadlines = new HashMap<>();
        for (Long k : expected.keySet()) {
            expectedDeadlines.put(k, deadlines.getOrDefault(k, Long.MAX_VALUE));
        }
        Map<Long, Long> image = new HashMap<>();
        Map<Long, Long> imageDeadlines = new HashMap<>();
        TableSnapshot<Long, Object> snap = cache.startSnapshot((k, v, at) -> {
            assertNull(image.put(k, v), "emitted twice: " + k);
            imageDeadlines.put(k, at);
        });
        for (int op : ops) {
            long k = rnd.nextInt(keySpace);
            switch (op % 8) {
                case 0, 1 -> write(cache, deadlines, k, rnd, ticker);
                case 2, 3 -> cache.getIfPresent(k);
                case 4 -> cache.remove(k);
                case 5 -> cache.getIfPresent((long) rnd.nextInt(Math.max(1, keySpace / 8)));
                default -> snap.step(1 + op % 50);
            }
        }
        snap.finish();
        assertEquals(expected, image);
        assertEquals(expectedDeadlines, imageDeadlines);
    }

    private static void write(DashCache<Long, Long> cache, Map<Long, Long> deadlines, long k, Random rnd,
                              ManualTicker ticker) {
        long v = rnd.nextLong();
        if (rnd.nextInt(4) == 0) {
            long ttl = 1_000_000_000L * (1 + rnd.nextInt(1000));
            cache.put(k, v, ttl);
            deadlines.put(k, ticker.getAsLong() + ttl);
        } else {
            cache.put(k, v);
            deadlines.remove(k);
        }
    }

    @Provide
    Arbitrary<List<Integer>> ops() {
        return Arbitraries.integers().between(0, 1 << 20).list().ofMaxSize(2000);
    }
}
