package io.dash4j.eviction;

import io.dash4j.eviction.baseline.AbstractBaselineCache;
import io.dash4j.eviction.baseline.ArenaLruCache;
import io.dash4j.eviction.baseline.LinkedLruCache;
import io.dash4j.eviction.baseline.SampledLruCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static io.dash4j.eviction.CacheContractTest.WEIGHT_OF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builder validation and edge cases the contract leaves to each implementation, for the three baselines. */
class BaselineEdgeCasesTest {

    enum Kind {
        LINKED(LinkedLruCache::builder),
        ARENA(ArenaLruCache::builder),
        SAMPLED(SampledLruCache::builder);

        private final Supplier<AbstractBaselineCache.Builder<Integer, String, ?, ?>> builder;

        Kind(Supplier<AbstractBaselineCache.Builder<Integer, String, ?, ?>> builder) {
            this.builder = builder;
        }

        AbstractBaselineCache.Builder<Integer, String, ?, ?> builder() {
            return builder.get();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theBuilderRejectsBadConfigurations(Kind kind) {
        assertThrows(IllegalStateException.class, () -> kind.builder().build(), "no bound");
        assertThrows(IllegalStateException.class, () -> kind.builder().maximumSize(1).maximumWeight(1, WEIGHT_OF));
        assertThrows(IllegalStateException.class, () -> kind.builder().maximumWeight(1, WEIGHT_OF).maximumSize(1));
        assertThrows(IllegalArgumentException.class, () -> kind.builder().maximumSize(-1));
        assertThrows(IllegalArgumentException.class, () -> kind.builder().maximumWeight(-1, WEIGHT_OF));
        assertThrows(NullPointerException.class, () -> kind.builder().maximumWeight(1, null));
        assertThrows(IllegalArgumentException.class, () -> kind.builder().expireAfterWrite(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> kind.builder().expireAfterWrite(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> kind.builder().ticker(null));
        assertThrows(NullPointerException.class, () -> kind.builder().removalListener(null));
        assertThrows(IllegalArgumentException.class, () -> kind.builder().initialCapacity(-1));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aZeroEntryBoundAdmitsNothing(Kind kind) {
        RecordingListener<Integer, String> listener = new RecordingListener<>();
        Cache<Integer, String> cache = kind.builder().maximumSize(0).removalListener(listener).build();
        cache.put(1, "a:1");
        assertNull(cache.putIfAbsent(2, "b:1"));
        assertEquals("c:1", cache.get(3, k -> "c:1"));
        assertEquals(0, cache.size());
        assertNull(cache.getIfPresent(1));
        assertEquals(List.of(1, 2, 3), listener.keys(RemovalCause.EVICTED));
        assertEquals(3, cache.stats().evictionCount());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void zeroWeightEntriesFitAZeroWeightBudget(Kind kind) {
        Cache<Integer, String> cache = kind.builder().maximumWeight(0, WEIGHT_OF).build();
        for (int k = 0; k < 100; k++) {
            cache.put(k, "z" + k + ":0");
        }
        cache.put(100, "heavy:1");
        assertEquals(100, cache.size());
        assertEquals(0, cache.weightedSize());
        assertNull(cache.getIfPresent(100));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aNegativeWeightIsRejectedBeforeAnythingChanges(Kind kind) {
        Cache<Integer, String> cache = kind.builder().maximumWeight(10, WEIGHT_OF).build();
        cache.put(1, "a:3");
        assertThrows(IllegalArgumentException.class, () -> cache.put(1, "b:-1"));
        assertThrows(IllegalArgumentException.class, () -> cache.put(2, "c:-1"));
        assertEquals("a:3", cache.getIfPresent(1));
        assertEquals(1, cache.size());
        assertEquals(3, cache.weightedSize());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void expiryIsRightAcrossATickerWrapAround(Kind kind) {
        ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - Duration.ofSeconds(3).toNanos());
        Cache<Integer, String> cache = kind.builder().maximumSize(10)
                .expireAfterWrite(Duration.ofSeconds(10)).ticker(ticker).build();
        cache.put(1, "a:1");
        ticker.advance(Duration.ofSeconds(6)); // the reading overflows to negative
        assertTrue(ticker.getAsLong() < 0);
        assertEquals("a:1", cache.getIfPresent(1));
        ticker.advance(Duration.ofSeconds(5));
        assertNull(cache.getIfPresent(1));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anEnormousTimeToLiveNeverExpires(Kind kind) {
        ManualTicker ticker = new ManualTicker();
        AbstractBaselineCache<Integer, String> cache = (AbstractBaselineCache<Integer, String>) kind.builder()
                .maximumSize(10).expireAfterWrite(Duration.ofDays(365L * 10_000)).ticker(ticker).build();
        cache.put(1, "a:1");
        ticker.advance(Duration.ofDays(365L * 200));
        assertEquals("a:1", cache.getIfPresent(1));
        assertEquals(Long.MAX_VALUE, cache.expireAfterWrite().toNanos(), "saturated");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void policyInformationIsReported(Kind kind) {
        AbstractBaselineCache<Integer, String> counted =
                (AbstractBaselineCache<Integer, String>) kind.builder().maximumSize(7).build();
        assertEquals(7, counted.maximumWeight());
        assertFalse(counted.isWeighted());
        assertNull(counted.expireAfterWrite());
        AbstractBaselineCache<Integer, String> weighed = (AbstractBaselineCache<Integer, String>) kind.builder()
                .maximumWeight(70, WEIGHT_OF).expireAfterWrite(Duration.ofSeconds(3)).build();
        assertTrue(weighed.isWeighted());
        assertEquals(Duration.ofSeconds(3), weighed.expireAfterWrite());
        assertTrue(weighed.toString().contains("maximumWeight=70"), weighed.toString());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aThrowingListenerCannotBreakTheBound(Kind kind) {
        int[] calls = {0};
        Cache<Integer, String> cache = kind.builder().maximumWeight(20, WEIGHT_OF)
                .removalListener((k, v, cause) -> {
                    calls[0]++;
                    throw new IllegalStateException("listener bug");
                }).build();
        for (int k = 0; k < 12; k++) { // each throw logs a warning: keep the run short
            cache.put(k % 5, "v" + k + ":" + (3 + k % 7));
            assertTrue(cache.weightedSize() <= 20);
        }
        cache.put(3, "huge:21");
        cache.remove(4);
        cache.invalidateAll();
        assertEquals(0, cache.size());
        assertTrue(calls[0] > 0);
    }

    @Test
    void convenienceConstructorsBoundByEntries() {
        List<Cache<Integer, String>> caches = List.of(
                new LinkedLruCache<>(2), new ArenaLruCache<>(2), new SampledLruCache<>(2));
        for (Cache<Integer, String> cache : caches) {
            cache.put(1, "a");
            cache.put(2, "b");
            cache.put(3, "c");
            assertEquals(2, cache.size(), cache.getClass().getSimpleName());
            assertEquals(1, cache.stats().evictionCount());
        }
    }

    @Test
    void theSampledBuilderValidatesItsOwnOptions() {
        assertThrows(IllegalArgumentException.class, () -> SampledLruCache.builder().samples(0));
        assertThrows(IllegalArgumentException.class, () -> SampledLruCache.builder().poolSize(-1));
        SampledLruCache<Integer, String> cache = SampledLruCache.<Integer, String>builder()
                .samples(10).poolSize(0).maximumSize(5).build();
        assertEquals(10, cache.samples());
        assertEquals(0, cache.poolSize());
        assertEquals(SampledLruCache.DEFAULT_SAMPLES, new SampledLruCache<>(1).samples());
        assertEquals(SampledLruCache.DEFAULT_POOL_SIZE, new SampledLruCache<>(1).poolSize());
    }
}
