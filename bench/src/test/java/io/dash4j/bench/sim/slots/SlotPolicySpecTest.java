package io.dash4j.bench.sim.slots;

import io.dash4j.eviction.DashCache;
import io.dash4j.eviction.GhostFilter;
import io.dash4j.eviction.SlotPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator's slot-policy design space: specs, the interpreter, and its agreement with production. */
class SlotPolicySpecTest {

    @Test
    void specsChangeParametersOfAPreset() {
        SlotPolicySpec p = SlotPolicySpec.parse("default:stash=10:ghostmid=4:ghostkind=bloom:gen=0.75");
        assertEquals(10, p.stashPer60());
        assertEquals(4, p.ghostEntrySlot());
        assertEquals(SlotPolicySpec.GhostKind.BLOOM, p.ghostKind());
        assertEquals(0.75, p.ghostGeneration());
        assertEquals(SlotPolicySpec.DEFAULT.promoteToSlot(), p.promoteToSlot());
        assertEquals("default:stash=10:ghostmid=4:ghostkind=bloom:gen=0.75", p.name());
        assertEquals(SlotPolicySpec.DRAGONFLY, SlotPolicySpec.parse("dragonfly"));
        assertThrows(IllegalArgumentException.class, () -> SlotPolicySpec.parse("default:colour=red"));
        assertThrows(IllegalArgumentException.class, () -> SlotPolicySpec.parse("default:stash"));
        assertThrows(IllegalArgumentException.class, () -> SlotPolicySpec.parse("default:width=20"));
        assertThrows(IllegalArgumentException.class, () -> SlotPolicySpec.parse("nonesuch"));
    }

    @Test
    void markSpecsCountHitsAndPromoteAfterSome() {
        SlotPolicySpec p = SlotPolicySpec.parse("default:bump=mark:hits=2");
        assertEquals(SlotPolicySpec.Bump.MARK, p.bump());
        assertEquals(2, p.promoteHits());
        assertEquals(1, SlotPolicySpec.DEFAULT.promoteHits());
        assertThrows(IllegalArgumentException.class, () -> SlotPolicySpec.parse("default:bump=mark:hits=4"));
        assertThrows(IllegalArgumentException.class, () -> SlotPolicySpec.parse("default:hits=0"));
    }

    /**
     * Bump MARK keeps hot keys by counting, not moving: on a loop over 1.5x the bound with a hot set
     * hit between every two loop keys, the hot set stays resident (every hot request a hit after
     * the first round), as it does under move-to-front; also when probation hits only count and
     * the stash tail promotes itself (S3-FIFO's small queue). Without the reinsertion of counted
     * entries, 34 hot requests miss.
     */
    @Test
    void markKeepsAHotSetAgainstAScan() {
        for (String name : new String[] {"mark-fpghost-s8-w16", "mark-lazy-fpghost-s8-w16", "default"}) {
            DashCache<Long, Long> cache = DashCache.<Long, Long>builder().maximumSize(1000)
                    .slotPolicy(SlotPolicySpec.policy(name)).buildSingleOwner();
            long hotMisses = 0;
            for (int round = 0; round < 6; round++) {
                for (long k = 0; k < 1500; k++) {
                    long loop = 1_000_000 + k;
                    if (cache.getIfPresent(loop) == null) {
                        cache.put(loop, loop);
                    }
                    long hot = k % 100;
                    if (cache.getIfPresent(hot) == null) {
                        cache.put(hot, hot);
                        if (round > 0) {
                            hotMisses++;
                        }
                    }
                }
            }
            assertEquals(0, hotMisses, name + " lost hot keys to the scan");
        }
    }

    @Test
    void productionPresetsRunTheProductionOrders() {
        assertSame(SlotPolicy.DEFAULT, SlotPolicySpec.policy("default"));
        assertSame(SlotPolicy.DEFAULT, SlotPolicySpec.policy("mark-lazy-fpghost-s8-w16"));
        assertEquals("front-fpghost-s8-tail-w16-lazy", SlotPolicySpec.policy("front-fpghost-s8-tail-w16-lazy").name(),
                "the lazy move-to-front order, default until issue 16, is a simulator preset");
        assertSame(SlotPolicy.DRAGONFLY, SlotPolicySpec.policy("dragonfly"));
        assertEquals("default:stash=10", SlotPolicySpec.policy("default:stash=10").name());
    }

    @Test
    void bloomGhostsCannotForget() {
        GhostFilter bloom = new BloomGhostFilter(1_000, 12, 0.5);
        bloom.add(42L);
        assertTrue(bloom.mightContain(42L));
        assertTrue(bloom.takeBack(42L));
        assertTrue(bloom.mightContain(42L), "a Bloom filter cannot forget: still remembered");
    }

    /**
     * The interpreter with the production presets' parameters and the production orders make the
     * same decisions: hit for hit, entry for entry, on a skewed trace with puts, removes and
     * evictions at three bounds. (This is what lets the rejected variants live in the simulator
     * and still be compared with the default.)
     */
    @ParameterizedTest
    @MethodSource("productionSpecs")
    void theInterpreterAgreesWithTheProductionOrder(String name) {
        SlotPolicySpec spec = SlotPolicySpec.named(name);
        for (int bound : new int[] {100, 777, 5_000, 65_536}) {
            DashCache<Long, Long> production = DashCache.<Long, Long>builder().maximumSize(bound)
                    .slotPolicy(SlotPolicySpec.policy(name)).buildSingleOwner();
            DashCache<Long, Long> interpreted = DashCache.<Long, Long>builder().maximumSize(bound)
                    .slotPolicy(spec.interpreted()).buildSingleOwner();
            SplittableRandom r = new SplittableRandom(bound);
            for (int i = 0; i < 200_000; i++) {
                long key = (long) Math.floor(Math.pow(r.nextDouble(), 3) * 4 * bound);
                if (r.nextInt(20) == 0) {
                    assertEquals(production.remove(key), interpreted.remove(key));
                } else if (production.getIfPresent(key) == null) {
                    assertNull(interpreted.getIfPresent(key), name + " at " + bound + ", request " + i);
                    production.put(key, key);
                    interpreted.put(key, key);
                } else {
                    assertEquals(key, interpreted.getIfPresent(key), name + " at " + bound + ", request " + i);
                }
            }
            assertEquals(production.stats(), interpreted.stats(), name + " at " + bound);
            assertEquals(production.ghostAdmissions(), interpreted.ghostAdmissions());
            assertEquals(production.ghostFilterBytes(), interpreted.ghostFilterBytes());
        }
    }

    static Stream<String> productionSpecs() {
        return Stream.of("dragonfly", "mark-lazy-fpghost-s8-w16");
    }

    /**
     * Every preset, rejected ones included, is a correct bounded cache: never over its bound, and a
     * key it returns carries the value last written (HashMap of last writes as the model).
     */
    @ParameterizedTest
    @MethodSource("presetNames")
    void everyPresetIsACorrectBoundedCache(String name) {
        SlotPolicy policy = SlotPolicySpec.named(name).interpreted();
        for (int bound : new int[] {100, 777, 5_000}) {
            DashCache<Long, Long> cache = DashCache.<Long, Long>builder().maximumSize(bound).slotPolicy(policy)
                    .buildSingleOwner();
            Map<Long, Long> written = new HashMap<>();
            SplittableRandom r = new SplittableRandom(bound);
            int hits = 0;
            for (int i = 0; i < 60_000; i++) {
                // a skewed key space four times the bound: hits, misses and evictions all happen
                long key = (long) Math.floor(Math.pow(r.nextDouble(), 3) * 4 * bound);
                int op = r.nextInt(10);
                if (op < 6) {
                    Long v = cache.getIfPresent(key);
                    if (v != null) {
                        hits++;
                        assertEquals(written.get(key), v, name + ": stale value for " + key);
                    }
                } else if (op < 9) {
                    long v = r.nextLong();
                    cache.put(key, v);
                    written.put(key, v);
                } else {
                    cache.remove(key);
                    written.remove(key);
                    assertNull(cache.getIfPresent(key));
                }
                assertTrue(cache.size() <= bound, name + ": " + cache.size() + " > " + bound);
            }
            assertTrue(hits > 10_000, name + " at " + bound + ": a skewed workload hits (" + hits + ")");
            assertTrue(cache.size() >= 0.9 * bound, name + " holds " + cache.size() + " of " + bound);
        }
    }

    static Stream<String> presetNames() {
        return SlotPolicySpec.presets().stream().map(SlotPolicySpec::name);
    }
}
