package io.dash4j.eviction;

import io.dash4j.dashtable.Segment;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

/**
 * Linearizability of {@link ConcurrentDashCache} against a sequential map (Lincheck): every
 * concurrent history of get / put / putIfAbsent / remove / compute (get with a loader) must be
 * explainable by some order of the same calls on {@link Model}. The bound (4,096 entries over 4
 * partitions) is far above the 5 keys a scenario uses, so nothing is evicted and a map is the
 * exact model; eviction under concurrency is checked by the stress tests in
 * {@link ConcurrentDashCacheTest}. Keys of 1..5 hash into several partitions, so the partitions'
 * independent locks, the optimistic reads and the read buffers' drains are all exercised. Stress
 * mode runs the real code on real threads; model checking explores thread switches at every shared
 * access of the cache's own code (segments count as single steps, see {@link #modelChecking}).
 */
@Param(name = "key", gen = IntGen.class, conf = "1:5")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class ConcurrentDashCacheLincheckTest {

    private final ConcurrentDashCache<Integer, Integer> cache =
            DashCache.<Integer, Integer>builder().maximumSize(4096).partitions(4).build();

    @Operation
    public Integer get(@Param(name = "key") int key) {
        return cache.getIfPresent(key);
    }

    @Operation
    public void put(@Param(name = "key") int key, @Param(name = "value") int value) {
        cache.put(key, value);
    }

    @Operation
    public Integer putIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
        return cache.putIfAbsent(key, value);
    }

    @Operation
    public Integer remove(@Param(name = "key") int key) {
        return cache.remove(key);
    }

    /** Get, or load {@code key * 10} on a miss (single-flight, then stored). */
    @Operation
    public Integer compute(@Param(name = "key") int key) {
        return cache.get(key, k -> k * 10);
    }

    /** The sequential specification: a plain map with the cache's answers. */
    public static class Model {
        private final Map<Integer, Integer> map = new HashMap<>();

        public Integer get(int key) {
            return map.get(key);
        }

        public void put(int key, int value) {
            map.put(key, value);
        }

        public Integer putIfAbsent(int key, int value) {
            return map.putIfAbsent(key, value);
        }

        public Integer remove(int key) {
            return map.remove(key);
        }

        public Integer compute(int key) {
            return map.computeIfAbsent(key, k -> k * 10);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void stress() {
        new StressOptions()
                .sequentialSpecification(Model.class)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .iterations(20)
                .invocationsPerIteration(1_000)
                .check(getClass());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void modelChecking() {
        new ModelCheckingOptions()
                .sequentialSpecification(Model.class)
                // A segment's methods are single steps here: Lincheck cannot follow the SWAR
                // VarHandle reads inside them. Threads still switch between the table calls of a
                // writer (and inside the lock, the buffers, the counters), so an optimistic read
                // can see a half-done write and must be thrown away by its validation.
                .addGuarantee(forClasses(Segment.class.getName()).allMethods().treatAsAtomic())
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .iterations(10)
                .invocationsPerIteration(100)
                .check(getClass());
    }
}
