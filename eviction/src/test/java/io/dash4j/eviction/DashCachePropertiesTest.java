package io.dash4j.eviction;

import io.dash4j.dashtable.SegmentLayout;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jqwik properties of DashCache against a HashMap model of "what was last written". */
class DashCachePropertiesTest {

    /** op: 0 get, 1 put, 2 putIfAbsent, 3 remove; key in a small universe; value size. */
    record Op(int kind, int key, int size) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 2_000),
                Arbitraries.integers().between(0, 400)).as(Op::new);
        return op.list().ofMinSize(200).ofMaxSize(3_000);
    }

    @Property(tries = 40)
    void entryBoundNeverExceededAndValuesAreNeverInvented(
            @ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 100, max = 700) int bound) {
        Map<Integer, Integer> lastWritten = new HashMap<>();
        Set<Integer> removedByCache = new HashSet<>();
        DashCache<Integer, Integer> cache = DashCache.<Integer, Integer>builder().maximumSize(bound)
                .removalListener((k, v, cause) -> {
                    if (cause.wasEvicted()) {
                        removedByCache.add(k);
                    }
                })
                .buildSingleOwner();
        int stamp = 0;
        for (Op op : ops) {
            stamp++;
            switch (op.kind()) {
                case 0 -> {
                    Integer v = cache.getIfPresent(op.key());
                    if (v != null) {
                        assertEquals(lastWritten.get(op.key()), v, "value for " + op.key());
                    } else if (lastWritten.containsKey(op.key())) {
                        assertTrue(removedByCache.contains(op.key()), "key " + op.key() + " lost without an eviction");
                    }
                }
                case 1 -> {
                    cache.put(op.key(), stamp);
                    lastWritten.put(op.key(), stamp);
                    removedByCache.remove(op.key());
                }
                case 2 -> {
                    Integer present = cache.putIfAbsent(op.key(), stamp);
                    if (present == null) {
                        lastWritten.put(op.key(), stamp);
                        removedByCache.remove(op.key());
                    } else {
                        assertEquals(lastWritten.get(op.key()), present);
                    }
                }
                default -> {
                    cache.remove(op.key());
                    lastWritten.remove(op.key());
                }
            }
            assertTrue(cache.size() <= bound, "size " + cache.size() + " > " + bound);
        }
    }

    @Property(tries = 40)
    void weightBoundNeverExceeded(@ForAll("ops") List<Op> ops,
                                  @ForAll @IntRange(min = 1_000, max = 50_000) int budget) {
        DashCache<Integer, byte[]> cache = DashCache.<Integer, byte[]>builder()
                .maximumWeight(budget).weigher((k, v) -> v.length + 8).buildSingleOwner();
        for (Op op : ops) {
            if (op.kind() == 0) {
                cache.getIfPresent(op.key());
            } else if (op.kind() == 3) {
                cache.remove(op.key());
            } else {
                // skewed sizes: every 16th value is large
                int size = op.key() % 16 == 0 ? op.size() * 20 : op.size();
                cache.put(op.key(), new byte[size]);
            }
            assertTrue(cache.weightedSize() <= budget, "weight " + cache.weightedSize() + " > " + budget);
        }
        long[] sum = {0};
        cache.forEach((k, v) -> sum[0] += v.length + 8);
        assertEquals(sum[0], cache.weightedSize());
    }

    @Property(tries = 30)
    void segmentBoundCacheStaysConsistentUnderChurn(@ForAll @Size(min = 500, max = 4_000) List<@IntRange(min = 0, max = 5_000) Integer> keys) {
        SegmentLayout layout = new SegmentLayout(6, 2, 5);
        DashCache<Integer, Integer> cache = DashCache.<Integer, Integer>builder().layout(layout).maximumSegments(2)
                .buildSingleOwner();
        for (Integer k : keys) {
            if (cache.getIfPresent(k) == null) {
                cache.put(k, -k);
            }
            assertTrue(cache.size() <= 2L * layout.capacity());
            assertEquals(-k, cache.getIfPresent(k), "a key just written must be readable");
        }
        long[] count = {0};
        cache.forEach((k, v) -> {
            assertEquals(-k, v);
            count[0]++;
        });
        assertEquals(cache.size(), count[0]);
    }
}
