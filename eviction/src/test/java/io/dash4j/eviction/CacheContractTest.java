package io.dash4j.eviction;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link Cache} in dash4j must show, whatever its eviction policy.
 *
 * <p>To run it against an implementation, extend this class and implement
 * {@link #newCache(CacheSpec)}, mapping the spec (bound, weigher, expire-after-write, ticker,
 * listener) onto the implementation's builder:
 *
 * <pre>{@code
 * class MyCacheTest extends CacheContractTest {
 *     @Override
 *     protected <K, V> Cache<K, V> newCache(CacheSpec<K, V> spec) { ... }
 * }
 * }</pre>
 *
 * Override {@link #supportsExpiry()} or {@link #supportsWeights()} to skip those groups for a cache
 * without the feature. The suite assumes nothing about which entry a policy evicts — only that the
 * bound holds and that every departure is reported; policy-specific order tests live elsewhere
 * (e.g. {@link ExactLruContractTest}). It is packaged in the eviction test-jar for other modules.
 *
 * <p>Conventions: keys are {@code Integer}; values are {@code String}s of the form
 * {@code "<name>:<weight>"} and the weigher {@link #WEIGHT_OF} reads the weight after the colon.
 * Expiry tests use a {@link ManualTicker} and a 10 s time to live, and never probe the exact
 * boundary, so implementations may round time. Tests that expect entries to stay keep the cache
 * well below its bound (at most about half full); at or over the bound they only require that
 * whatever is missing was reported.
 */
public abstract class CacheContractTest {

    /** Reads the weight a value carries after its colon: {@code "a:7"} weighs 7. */
    public static final Weigher<Object, String> WEIGHT_OF =
            (k, v) -> Integer.parseInt(v.substring(v.lastIndexOf(':') + 1));

    protected static final Duration TTL = Duration.ofSeconds(10);

    protected final RecordingListener<Integer, String> listener = new RecordingListener<>();
    protected final ManualTicker ticker = new ManualTicker();

    /** Builds the cache under test for {@code spec}. Called once or more per test. */
    protected abstract <K, V> Cache<K, V> newCache(CacheSpec<K, V> spec);

    /** False skips the expiry tests. */
    protected boolean supportsExpiry() {
        return true;
    }

    /** False skips the weight-bound tests. */
    protected boolean supportsWeights() {
        return true;
    }

    // ------------------------------------------------------------------ factories and helpers

    /** A listened, ticked cache of at most {@code maximumSize} entries. */
    protected Cache<Integer, String> sized(long maximumSize) {
        return newCache(CacheSpec.<Integer, String>ofMaximumSize(maximumSize)
                .withTicker(ticker).withRemovalListener(listener));
    }

    /** A listened, ticked cache of at most {@code maximumWeight}, weighed by {@link #WEIGHT_OF}. */
    protected Cache<Integer, String> weighted(long maximumWeight) {
        Assumptions.assumeTrue(supportsWeights(), "weights not supported");
        return newCache(CacheSpec.<Integer, String>ofMaximumWeight(maximumWeight, WEIGHT_OF)
                .withTicker(ticker).withRemovalListener(listener));
    }

    /** A listened cache of at most {@code maximumSize} entries expiring {@link #TTL} after write. */
    protected Cache<Integer, String> expiring(long maximumSize) {
        Assumptions.assumeTrue(supportsExpiry(), "expiry not supported");
        return newCache(CacheSpec.<Integer, String>ofMaximumSize(maximumSize)
                .withExpireAfterWrite(TTL).withTicker(ticker).withRemovalListener(listener));
    }

    /** A value named {@code name} weighing {@code weight} under {@link #WEIGHT_OF}. */
    protected static String value(String name, int weight) {
        return name + ":" + weight;
    }

    /** A value weighing one. */
    protected static String value(String name) {
        return value(name, 1);
    }

    private static void advance(ManualTicker ticker, long seconds) {
        ticker.advance(Duration.ofSeconds(seconds));
    }

    /**
     * Every key's last value is either reported gone by the listener (other than REPLACED) and
     * absent, or present with that value. Probes each key with getIfPresent.
     */
    protected void assertAccountedFor(Cache<Integer, String> cache, Map<Integer, String> lastPut) {
        Set<String> reportedGone = new HashSet<>();
        for (RecordingListener.Removal<Integer, String> r : listener.removals()) {
            if (r.cause() != RemovalCause.REPLACED) {
                assertTrue(reportedGone.add(r.key() + "=" + r.value()), "reported twice: " + r);
            }
        }
        for (Map.Entry<Integer, String> e : lastPut.entrySet()) {
            String got = cache.getIfPresent(e.getKey());
            if (reportedGone.contains(e.getKey() + "=" + e.getValue())) {
                assertNull(got, "key " + e.getKey() + " reported removed but still returned");
            } else {
                assertEquals(e.getValue(), got, "key " + e.getKey() + " neither present nor reported");
            }
        }
    }

    // ------------------------------------------------------------------ basics

    @Test
    void newCacheIsEmptyWithEmptyStats() {
        Cache<Integer, String> cache = sized(10);
        assertEquals(0, cache.size());
        assertEquals(0, cache.weightedSize());
        assertEquals(CacheStats.EMPTY, cache.stats());
    }

    @Test
    void getIfPresentOnAbsentKeyReturnsNullAndCountsAMiss() {
        Cache<Integer, String> cache = sized(10);
        assertNull(cache.getIfPresent(1));
        assertEquals(1, cache.stats().missCount());
        assertEquals(0, cache.stats().hitCount());
    }

    @Test
    void putThenGetReturnsTheValueAndCountsAHit() {
        Cache<Integer, String> cache = sized(10);
        cache.put(1, value("a"));
        assertEquals(value("a"), cache.getIfPresent(1));
        assertEquals(1, cache.size());
        assertEquals(1, cache.weightedSize());
        assertEquals(1, cache.stats().hitCount());
        assertEquals(0, cache.stats().missCount());
        assertEquals(0, listener.size());
    }

    @Test
    void putOnAnExistingKeyReplacesAndReportsReplaced() {
        Cache<Integer, String> cache = sized(10);
        cache.put(1, value("a"));
        cache.put(1, value("b"));
        assertEquals(value("b"), cache.getIfPresent(1));
        assertEquals(1, cache.size());
        assertEquals(List.of(new RecordingListener.Removal<>(1, value("a"), RemovalCause.REPLACED)),
                listener.removals());
        assertEquals(0, cache.stats().evictionCount());
    }

    @Test
    void putIfAbsentStoresOnlyWhenAbsent() {
        Cache<Integer, String> cache = sized(10);
        assertNull(cache.putIfAbsent(1, value("a")));
        assertEquals(value("a"), cache.putIfAbsent(1, value("b")));
        assertEquals(value("a"), cache.getIfPresent(1));
        assertEquals(1, cache.size());
        assertEquals(0, listener.size(), "a refused putIfAbsent replaces nothing");
    }

    @Test
    void removeReturnsTheValueAndReportsExplicit() {
        Cache<Integer, String> cache = sized(10);
        cache.put(1, value("a"));
        cache.put(2, value("b"));
        assertEquals(value("a"), cache.remove(1));
        assertNull(cache.getIfPresent(1));
        assertEquals(1, cache.size());
        assertEquals(List.of(new RecordingListener.Removal<>(1, value("a"), RemovalCause.EXPLICIT)),
                listener.removals());
        assertNull(cache.remove(1), "second remove finds nothing");
        assertNull(cache.remove(3), "absent key");
        assertEquals(1, listener.size(), "removing an absent key reports nothing");
    }

    @Test
    void invalidateAllRemovesEveryEntryReportingExplicit() {
        Cache<Integer, String> cache = weighted(100);
        for (int k = 0; k < 10; k++) {
            cache.put(k, value("v" + k, k + 1));
        }
        assertEquals(10, cache.size());
        assertEquals(55, cache.weightedSize());
        cache.invalidateAll();
        assertEquals(0, cache.size());
        assertEquals(0, cache.weightedSize());
        assertEquals(10, listener.count(RemovalCause.EXPLICIT));
        assertEquals(10, listener.size());
        assertEquals(Set.copyOf(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)),
                Set.copyOf(listener.keys(RemovalCause.EXPLICIT)));
        for (int k = 0; k < 10; k++) {
            assertNull(cache.getIfPresent(k));
        }
        cache.put(3, value("again", 4));
        assertEquals(value("again", 4), cache.getIfPresent(3), "usable after invalidateAll");
        assertEquals(4, cache.weightedSize());
    }

    @Test
    void weightedSizeEqualsSizeWithoutAWeigher() {
        Cache<Integer, String> cache = sized(100);
        for (int k = 0; k < 20; k++) {
            cache.put(k, value("v", 7)); // the weight in the value is ignored without a weigher
        }
        cache.remove(3);
        cache.put(4, value("w", 9));
        assertEquals(19, cache.size());
        assertEquals(cache.size(), cache.weightedSize());
    }

    @Test
    void weightedSizeTracksPutsReplacementsAndRemovals() {
        Cache<Integer, String> cache = weighted(100);
        cache.put(1, value("a", 3));
        cache.put(2, value("b", 5));
        assertEquals(8, cache.weightedSize());
        cache.put(2, value("c", 2));
        assertEquals(5, cache.weightedSize());
        cache.put(1, value("d", 10));
        assertEquals(12, cache.weightedSize());
        cache.remove(1);
        assertEquals(2, cache.weightedSize());
        assertEquals(1, cache.size());
        cache.put(3, value("zero", 0));
        assertEquals(2, cache.weightedSize(), "a zero-weight entry adds nothing");
        assertEquals(value("zero", 0), cache.getIfPresent(3));
    }

    @Test
    void nullsAreRejectedAndLeaveTheCacheUnchanged() {
        Cache<Integer, String> cache = sized(10);
        cache.put(1, value("a"));
        Function<Integer, String> loader = k -> value("x");
        assertThrows(NullPointerException.class, () -> cache.getIfPresent(null));
        assertThrows(NullPointerException.class, () -> cache.get(null, loader));
        assertThrows(NullPointerException.class, () -> cache.get(2, null));
        assertThrows(NullPointerException.class, () -> cache.computeIfAbsent(null, loader));
        assertThrows(NullPointerException.class, () -> cache.computeIfAbsent(2, null));
        assertThrows(NullPointerException.class, () -> cache.put(null, value("b")));
        assertThrows(NullPointerException.class, () -> cache.put(1, null));
        assertThrows(NullPointerException.class, () -> cache.putIfAbsent(null, value("b")));
        assertThrows(NullPointerException.class, () -> cache.putIfAbsent(2, null));
        assertThrows(NullPointerException.class, () -> cache.remove(null));
        assertEquals(1, cache.size());
        assertEquals(value("a"), cache.getIfPresent(1), "a rejected put(1, null) must not remove 1");
        assertNull(cache.getIfPresent(2));
        assertEquals(0, listener.size());
        assertEquals(0, cache.stats().loadSuccessCount() + cache.stats().loadFailureCount());
    }

    // ------------------------------------------------------------------ bounds and eviction

    @Test
    void entryBoundIsNeverExceededAndEveryEvictionIsReported() {
        int maximum = 50;
        Cache<Integer, String> cache = sized(maximum);
        Random random = new Random(42);
        Map<Integer, String> lastPut = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            int key = random.nextInt(300);
            if (random.nextInt(3) == 0) {
                cache.getIfPresent(key);
            } else {
                String v = value("v" + i);
                cache.put(key, v);
                lastPut.put(key, v);
            }
            assertTrue(cache.size() <= maximum, "size " + cache.size() + " > " + maximum);
            assertEquals(cache.size(), cache.weightedSize());
        }
        assertTrue(cache.stats().evictionCount() > 0);
        assertEquals(listener.count(RemovalCause.EVICTED), cache.stats().evictionCount());
        assertEquals(0, listener.count(RemovalCause.EXPLICIT));
        assertEquals(0, listener.count(RemovalCause.EXPIRED));
        assertAccountedFor(cache, lastPut);
    }

    @Test
    void evictingDistinctKeysReportsExactlyTheOverflow() {
        Cache<Integer, String> cache = sized(10);
        for (int k = 0; k < 35; k++) {
            cache.put(k, value("v" + k));
        }
        assertTrue(cache.size() <= 10);
        assertEquals(35 - cache.size(), listener.count(RemovalCause.EVICTED));
        assertEquals(35 - cache.size(), cache.stats().evictionCount());
        for (Integer evicted : listener.keys(RemovalCause.EVICTED)) {
            assertNull(cache.getIfPresent(evicted), "evicted key " + evicted + " still returned");
        }
    }

    @Test
    void weightBoundIsNeverExceededWithSkewedSizes() {
        int maximum = 1_000;
        Cache<Integer, String> cache = weighted(maximum);
        Random random = new Random(7);
        Map<Integer, String> lastPut = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            int key = random.nextInt(400);
            int dice = random.nextInt(100);
            int weight = dice < 80 ? 1 + random.nextInt(10)         // mostly small
                    : dice < 97 ? 50 + random.nextInt(200)           // some large
                    : 700 + random.nextInt(301);                     // rare, close to the budget
            if (random.nextInt(4) == 0) {
                cache.getIfPresent(key);
            } else {
                String v = value("v" + i, weight);
                cache.put(key, v);
                lastPut.put(key, v);
            }
            assertTrue(cache.weightedSize() <= maximum, "weight " + cache.weightedSize() + " > " + maximum);
        }
        assertTrue(cache.stats().evictionCount() > 0);
        assertEquals(listener.count(RemovalCause.EVICTED), cache.stats().evictionCount());
        assertAccountedFor(cache, lastPut);
        long live = 0;
        long count = 0;
        for (Map.Entry<Integer, String> e : lastPut.entrySet()) {
            String got = cache.getIfPresent(e.getKey());
            if (got != null) {
                live += WEIGHT_OF.weigh(e.getKey(), got);
                count++;
            }
        }
        assertEquals(live, cache.weightedSize(), "weightedSize is the sum of live weights");
        assertEquals(count, cache.size());
    }

    @Test
    void anEntryHeavierThanTheBudgetIsNotAdmitted() {
        Cache<Integer, String> cache = weighted(100);
        cache.put(1, value("a", 30));
        cache.put(2, value("b", 30));
        cache.put(3, value("huge", 101));
        assertNull(cache.getIfPresent(3));
        assertEquals(List.of(new RecordingListener.Removal<>(3, value("huge", 101), RemovalCause.EVICTED)),
                listener.removals());
        assertEquals(1, cache.stats().evictionCount());
        assertEquals(2, cache.size(), "the others stay: nothing is flushed for a refused entry");
        assertEquals(60, cache.weightedSize());
        assertEquals(value("a", 30), cache.getIfPresent(1));
        assertEquals(value("b", 30), cache.getIfPresent(2));

        assertNull(cache.putIfAbsent(4, value("huge", 500)), "refused, so nothing was present");
        assertNull(cache.getIfPresent(4));
        assertEquals(2, cache.stats().evictionCount());
    }

    @Test
    void anOversizedReplacementDropsTheOldValueToo() {
        Cache<Integer, String> cache = weighted(100);
        cache.put(1, value("small", 10));
        cache.put(2, value("other", 10));
        cache.put(1, value("huge", 150));
        assertNull(cache.getIfPresent(1), "neither the old nor the refused value may be returned");
        assertEquals(Set.of(
                        new RecordingListener.Removal<>(1, value("small", 10), RemovalCause.REPLACED),
                        new RecordingListener.Removal<>(1, value("huge", 150), RemovalCause.EVICTED)),
                Set.copyOf(listener.removals()));
        assertEquals(2, listener.size());
        assertEquals(10, cache.weightedSize());
        assertEquals(value("other", 10), cache.getIfPresent(2));
    }

    @Test
    void anEntryExactlyAtTheBudgetIsAdmitted() {
        Cache<Integer, String> cache = weighted(100);
        cache.put(1, value("a", 40));
        cache.put(2, value("full", 100));
        assertEquals(value("full", 100), cache.getIfPresent(2));
        assertEquals(100, cache.weightedSize());
        assertEquals(List.of(new RecordingListener.Removal<>(1, value("a", 40), RemovalCause.EVICTED)),
                listener.removals());
    }

    @Test
    void aHeavierReplacementEvictsOthersButKeepsItself() {
        Cache<Integer, String> cache = weighted(100);
        for (int k = 0; k < 10; k++) {
            cache.put(k, value("v" + k, 10));
        }
        cache.put(5, value("big", 95));
        assertEquals(value("big", 95), cache.getIfPresent(5));
        assertTrue(cache.weightedSize() <= 100);
        assertEquals(1, listener.count(RemovalCause.REPLACED));
        assertEquals(1, cache.size(), "95 + 10 > 100: nothing else fits beside the replaced entry");
        assertEquals(9, listener.count(RemovalCause.EVICTED));
    }

    // ------------------------------------------------------------------ expiry

    @Test
    void anExpiredEntryIsNeverReturnedAndIsReportedExpired() {
        Cache<Integer, String> cache = expiring(10);
        cache.put(1, value("a"));
        advance(ticker, 5);
        assertEquals(value("a"), cache.getIfPresent(1));
        advance(ticker, 6);
        assertNull(cache.getIfPresent(1));
        assertEquals(List.of(new RecordingListener.Removal<>(1, value("a"), RemovalCause.EXPIRED)),
                listener.removals());
        CacheStats stats = cache.stats();
        assertEquals(1, stats.expirationCount());
        assertEquals(0, stats.evictionCount());
        assertEquals(1, stats.hitCount());
        assertEquals(1, stats.missCount());
        assertEquals(0, cache.size(), "an expired entry that was read is gone");
        assertNull(cache.getIfPresent(1));
        assertEquals(1, listener.size(), "reported once");
    }

    @Test
    void expiryIsAfterWriteNotAfterAccess() {
        Cache<Integer, String> cache = expiring(10);
        cache.put(1, value("a"));
        advance(ticker, 6);
        assertEquals(value("a"), cache.getIfPresent(1));
        advance(ticker, 6);
        assertNull(cache.getIfPresent(1), "reads do not extend the time to live");
    }

    @Test
    void aRewriteRestartsTheTimeToLive() {
        Cache<Integer, String> cache = expiring(10);
        cache.put(1, value("a"));
        advance(ticker, 6);
        cache.put(1, value("b"));
        advance(ticker, 6);
        assertEquals(value("b"), cache.getIfPresent(1));
        advance(ticker, 5);
        assertNull(cache.getIfPresent(1));
        assertEquals(List.of(
                new RecordingListener.Removal<>(1, value("a"), RemovalCause.REPLACED),
                new RecordingListener.Removal<>(1, value("b"), RemovalCause.EXPIRED)), listener.removals());
    }

    @Test
    void putOverAnExpiredEntryReportsItExpiredNotReplaced() {
        Cache<Integer, String> cache = expiring(10);
        cache.put(1, value("a"));
        advance(ticker, 11);
        cache.put(1, value("b"));
        assertEquals(value("b"), cache.getIfPresent(1));
        assertEquals(List.of(new RecordingListener.Removal<>(1, value("a"), RemovalCause.EXPIRED)),
                listener.removals());
        assertEquals(1, cache.stats().expirationCount());
    }

    @Test
    void putIfAbsentOverAnExpiredEntryStores() {
        Cache<Integer, String> cache = expiring(10);
        cache.put(1, value("a"));
        advance(ticker, 11);
        assertNull(cache.putIfAbsent(1, value("b")));
        assertEquals(value("b"), cache.getIfPresent(1));
        assertEquals(List.of(RemovalCause.EXPIRED),
                listener.removals().stream().map(RecordingListener.Removal::cause).toList());
    }

    @Test
    void removeOfAnExpiredEntryReturnsNull() {
        Cache<Integer, String> cache = expiring(10);
        cache.put(1, value("a"));
        advance(ticker, 11);
        assertNull(cache.remove(1));
        assertEquals(0, listener.count(RemovalCause.EXPLICIT));
        assertEquals(0, cache.size());
    }

    @Test
    void anExpiredEntryIsReloaded() {
        Cache<Integer, String> cache = expiring(10);
        cache.put(1, value("a"));
        advance(ticker, 11);
        AtomicInteger calls = new AtomicInteger();
        assertEquals(value("b"), cache.get(1, k -> {
            calls.incrementAndGet();
            return value("b");
        }));
        assertEquals(1, calls.get());
        assertEquals(value("b"), cache.getIfPresent(1));
        assertEquals(List.of(new RecordingListener.Removal<>(1, value("a"), RemovalCause.EXPIRED)),
                listener.removals());
        assertEquals(1, cache.stats().loadSuccessCount());
        assertEquals(1, cache.stats().missCount());
    }

    @Test
    void manyExpiredEntriesAreNeverReturned() {
        Cache<Integer, String> cache = expiring(400);
        for (int k = 0; k < 50; k++) {
            cache.put(k, value("old" + k));
        }
        advance(ticker, 5);
        for (int k = 50; k < 100; k++) {
            cache.put(k, value("new" + k));
        }
        advance(ticker, 6); // the first 50 are 11 s old, the others 6 s
        for (int k = 0; k < 100; k++) {
            String got = cache.getIfPresent(k);
            if (k < 50) {
                assertNull(got, "key " + k);
            } else if (got == null) {
                // a policy may evict below its bound, but must say so
                assertTrue(listener.keys(RemovalCause.EVICTED).contains(k), "key " + k + " lost silently");
            } else {
                assertEquals(value("new" + k), got);
            }
        }
        for (int k = 0; k < 50; k++) {
            int key = k;
            assertEquals(1, listener.removals().stream()
                    .filter(r -> r.key() == key && r.cause().wasEvicted()).count(), "key " + k + " reported once");
        }
        assertEquals(listener.count(RemovalCause.EXPIRED), cache.stats().expirationCount());
        assertEquals(0, listener.removals().stream()
                .filter(r -> r.cause() == RemovalCause.EXPIRED && r.key() >= 50).count(), "no young entry expired");
    }

    // ------------------------------------------------------------------ loading

    @Test
    void getWithALoaderComputesOnAMissAndCaches() {
        Cache<Integer, String> cache = sized(10);
        AtomicInteger calls = new AtomicInteger();
        Function<Integer, String> loader = k -> {
            calls.incrementAndGet();
            return value("loaded" + k);
        };
        assertEquals(value("loaded7"), cache.get(7, loader));
        assertEquals(value("loaded7"), cache.get(7, loader));
        assertEquals(value("loaded7"), cache.getIfPresent(7));
        assertEquals(1, calls.get());
        CacheStats stats = cache.stats();
        assertEquals(1, stats.missCount());
        assertEquals(2, stats.hitCount());
        assertEquals(1, stats.loadSuccessCount());
        assertEquals(0, stats.loadFailureCount());
        assertEquals(1, cache.size());
    }

    @Test
    void aLoaderReturningNullCachesNothing() {
        Cache<Integer, String> cache = sized(10);
        AtomicInteger calls = new AtomicInteger();
        Function<Integer, String> loader = k -> {
            calls.incrementAndGet();
            return null;
        };
        assertNull(cache.get(1, loader));
        assertNull(cache.get(1, loader));
        assertEquals(2, calls.get(), "nothing was cached, so the loader runs again");
        assertEquals(0, cache.size());
        CacheStats stats = cache.stats();
        assertEquals(2, stats.missCount());
        assertEquals(0, stats.loadSuccessCount());
        assertEquals(2, stats.loadFailureCount(), "a null load is a failure, as in Caffeine");
        assertEquals(0, listener.size());
    }

    @Test
    void aLoaderExceptionPropagatesAndIsCountedAsAFailure() {
        Cache<Integer, String> cache = sized(10);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> cache.get(1, k -> {
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(0, cache.size());
        assertNull(cache.getIfPresent(1));
        CacheStats stats = cache.stats();
        assertEquals(1, stats.loadFailureCount());
        assertEquals(0, stats.loadSuccessCount());
        assertEquals(2, stats.missCount());
        assertEquals(value("ok"), cache.get(1, k -> value("ok")), "a later load succeeds");
        assertEquals(1, cache.stats().loadSuccessCount());
    }

    @Test
    void computeIfAbsentBehavesLikeGetWithALoader() {
        Cache<Integer, String> cache = sized(10);
        List<Integer> seen = new ArrayList<>();
        Function<Integer, String> loader = k -> {
            seen.add(k);
            return value("c" + k);
        };
        assertEquals(value("c3"), cache.computeIfAbsent(3, loader));
        assertEquals(value("c3"), cache.computeIfAbsent(3, loader));
        cache.put(4, value("put"));
        assertEquals(value("put"), cache.computeIfAbsent(4, loader));
        assertEquals(List.of(3), seen, "the loader sees the key, once");
        CacheStats stats = cache.stats();
        assertEquals(1, stats.missCount());
        assertEquals(2, stats.hitCount());
        assertEquals(1, stats.loadSuccessCount());
    }

    @Test
    void aLoadedValueObeysTheBoundAndAdmission() {
        Cache<Integer, String> cache = weighted(50);
        for (int k = 0; k < 5; k++) {
            cache.put(k, value("v" + k, 10));
        }
        assertEquals(value("loaded", 20), cache.get(9, k -> value("loaded", 20)));
        assertTrue(cache.weightedSize() <= 50);
        assertEquals(value("loaded", 20), cache.getIfPresent(9));
        assertEquals(value("huge", 51), cache.get(10, k -> value("huge", 51)),
                "an oversized load is returned to the caller");
        assertNull(cache.getIfPresent(10), "but not cached");
        assertTrue(listener.removals().contains(
                new RecordingListener.Removal<>(10, value("huge", 51), RemovalCause.EVICTED)));
    }

    // ------------------------------------------------------------------ statistics

    @Test
    void statisticsAddUp() {
        Cache<Integer, String> cache = weighted(200);
        Random random = new Random(3);
        long lookups = 0;
        long hits = 0;
        long loads = 0;
        long loadFailures = 0;
        for (int i = 0; i < 5_000; i++) {
            int key = random.nextInt(120);
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    lookups++;
                    if (cache.getIfPresent(key) != null) {
                        hits++;
                    }
                }
                case 2 -> {
                    lookups++;
                    boolean[] called = {false};
                    int mode = random.nextInt(10);
                    try {
                        cache.get(key, k -> {
                            called[0] = true;
                            if (mode == 0) {
                                throw new IllegalArgumentException("no");
                            }
                            return mode == 1 ? null : value("l" + k, 1 + k % 7);
                        });
                    } catch (IllegalArgumentException expected) {
                        // counted below
                    }
                    if (called[0]) {
                        loads++;
                        if (mode <= 1) {
                            loadFailures++;
                        }
                    } else {
                        hits++;
                    }
                }
                case 3 -> cache.put(key, value("p" + i, 1 + random.nextInt(20)));
                case 4 -> cache.putIfAbsent(key, value("q" + i, 1 + random.nextInt(20)));
                default -> cache.remove(key);
            }
        }
        CacheStats stats = cache.stats();
        assertEquals(lookups, stats.requestCount());
        assertEquals(stats.requestCount(), stats.hitCount() + stats.missCount());
        assertEquals(hits, stats.hitCount());
        assertEquals(lookups - hits, stats.missCount());
        assertEquals(loads, stats.loadSuccessCount() + stats.loadFailureCount());
        assertEquals(loadFailures, stats.loadFailureCount());
        assertEquals(listener.count(RemovalCause.EVICTED), stats.evictionCount());
        assertEquals(listener.count(RemovalCause.EXPIRED), stats.expirationCount());
        assertTrue(stats.bumpCount() <= stats.hitCount(), "bumps are promotions on hits");
        assertEquals((double) hits / lookups, stats.hitRate(), 1e-12);
        assertEquals(1.0, stats.hitRate() + stats.missRate(), 1e-12);
    }

    @Test
    void aCacheWithoutListenerOrTickerWorks() {
        Cache<Integer, String> cache = newCache(CacheSpec.ofMaximumSize(3));
        for (int k = 0; k < 10; k++) {
            cache.put(k, value("v" + k));
        }
        assertTrue(cache.size() <= 3);
        assertEquals(10 - cache.size(), cache.stats().evictionCount());
        cache.invalidateAll();
        assertEquals(0, cache.size());
    }

    @Test
    void listenerSeesEachDepartureOnce() {
        Cache<Integer, String> cache = sized(5);
        Map<Integer, String> lastPut = new LinkedHashMap<>();
        for (int k = 0; k < 12; k++) {
            cache.put(k % 8, value("v" + k));
            lastPut.put(k % 8, value("v" + k));
        }
        cache.remove(7);
        assertAccountedFor(cache, lastPut);
        Map<Integer, String> present = new HashMap<>();
        lastPut.forEach((k, v) -> {
            String got = cache.getIfPresent(k);
            if (got != null) {
                present.put(k, got);
            }
        });
        listener.clear();
        cache.invalidateAll();
        assertEquals(present.size(), listener.size());
        for (RecordingListener.Removal<Integer, String> r : listener.removals()) {
            assertEquals(RemovalCause.EXPLICIT, r.cause());
            assertEquals(present.get(r.key()), r.value());
        }
        assertFalse(present.isEmpty());
        assertNotNull(cache.stats());
    }
}
