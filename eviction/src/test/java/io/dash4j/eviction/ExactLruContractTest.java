package io.dash4j.eviction;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The {@link CacheContractTest} plus the order an exact LRU must keep: the least recently used
 * entry goes first, a hit or a write protects an entry, and a long random run evicts exactly what
 * an access-ordered {@link LruModel} evicts. {@code putIfAbsent} on a present key is
 * not an access (the baselines' documented choice).
 */
public abstract class ExactLruContractTest extends CacheContractTest {

    @Test
    void theLeastRecentlyUsedEntryIsEvictedFirst() {
        Cache<Integer, String> cache = sized(3);
        cache.put(1, value("a"));
        cache.put(2, value("b"));
        cache.put(3, value("c"));
        cache.put(4, value("d"));
        assertEquals(List.of(1), listener.keys(RemovalCause.EVICTED));
        cache.put(5, value("e"));
        assertEquals(List.of(1, 2), listener.keys(RemovalCause.EVICTED));
        assertNull(cache.getIfPresent(1));
        assertEquals(value("c"), cache.getIfPresent(3));
    }

    @Test
    void aHitProtectsAnEntry() {
        Cache<Integer, String> cache = sized(3);
        cache.put(1, value("a"));
        cache.put(2, value("b"));
        cache.put(3, value("c"));
        assertEquals(value("a"), cache.getIfPresent(1));
        cache.put(4, value("d"));
        assertEquals(List.of(2), listener.keys(RemovalCause.EVICTED));
        assertEquals(value("a"), cache.getIfPresent(1));
        cache.put(5, value("e"));
        assertEquals(List.of(2, 3), listener.keys(RemovalCause.EVICTED));
    }

    @Test
    void aLoaderHitProtectsAnEntry() {
        Cache<Integer, String> cache = sized(2);
        cache.put(1, value("a"));
        cache.put(2, value("b"));
        cache.get(1, k -> value("never"));
        cache.put(3, value("c"));
        assertEquals(List.of(2), listener.keys(RemovalCause.EVICTED));
    }

    @Test
    void aWriteProtectsAnEntry() {
        Cache<Integer, String> cache = sized(3);
        cache.put(1, value("a"));
        cache.put(2, value("b"));
        cache.put(3, value("c"));
        cache.put(1, value("a2"));
        cache.put(4, value("d"));
        assertEquals(List.of(2), listener.keys(RemovalCause.EVICTED));
    }

    @Test
    void putIfAbsentOnAPresentKeyDoesNotProtectIt() {
        Cache<Integer, String> cache = sized(2);
        cache.put(1, value("a"));
        cache.put(2, value("b"));
        cache.putIfAbsent(1, value("ignored"));
        cache.put(3, value("c"));
        assertEquals(List.of(1), listener.keys(RemovalCause.EVICTED));
    }

    @Test
    void aHitAwayFromTheHeadCountsABump() {
        Cache<Integer, String> cache = sized(10);
        cache.put(1, value("a"));
        cache.put(2, value("b"));
        cache.getIfPresent(2); // already the most recent: nothing moves
        assertEquals(0, cache.stats().bumpCount());
        cache.getIfPresent(1);
        assertEquals(1, cache.stats().bumpCount());
        cache.getIfPresent(1);
        assertEquals(1, cache.stats().bumpCount());
    }

    @Test
    void weightEvictionFollowsRecencyOrder() {
        Cache<Integer, String> cache = weighted(10);
        cache.put(1, value("a", 4));
        cache.put(2, value("b", 4));
        cache.getIfPresent(1);
        cache.put(3, value("c", 4)); // 12 > 10: the LRU entry, 2, goes
        assertEquals(List.of(2), listener.keys(RemovalCause.EVICTED));
        cache.put(4, value("d", 10)); // needs the whole budget: 1 then 3, in LRU order
        assertEquals(List.of(2, 1, 3), listener.keys(RemovalCause.EVICTED));
        assertEquals(value("d", 10), cache.getIfPresent(4));
    }

    @Test
    void entryBoundedRunMatchesAnAccessOrderedModel() {
        Cache<Integer, String> cache = sized(64);
        LruModel.runAgainstModel(cache, listener, false, 64, 11, 20_000);
    }

    @Test
    void weightBoundedRunMatchesAnAccessOrderedModel() {
        Cache<Integer, String> cache = weighted(300);
        LruModel.runAgainstModel(cache, listener, true, 300, 12, 20_000);
    }
}
