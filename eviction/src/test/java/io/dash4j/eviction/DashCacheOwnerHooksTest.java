package io.dash4j.eviction;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public hooks an owner of several caches uses (the server's shard store): a quiet look-up,
 * a run-time weight bound, and sampled active expiry.
 */
class DashCacheOwnerHooksTest {

    private static DashCache<Integer, byte[]> weighted(long bound, FakeTicker ticker) {
        return DashCache.<Integer, byte[]>builder()
                .maximumWeight(bound)
                .weigher((k, v) -> v.length)
                .ticker(ticker)
                .buildSingleOwner();
    }

    @Test
    void quietLookupNeitherBumpsNorCountsNorExpires() {
        FakeTicker ticker = new FakeTicker();
        DashCache<Integer, byte[]> c = weighted(1 << 20, ticker);
        for (int i = 0; i < 2_000; i++) {
            c.put(i, new byte[8], i % 2 == 0 ? 1_000_000_000L : 0);
        }
        CacheStats before = c.stats();
        for (int i = 0; i < 2_000; i++) {
            assertNotNull(c.getIfPresentQuietly(i, c.hash(i)));
        }
        assertNull(c.getIfPresentQuietly(-1, c.hash(-1)));
        assertEquals(before, c.stats());
        ticker.advanceMillis(2_000);
        assertNull(c.getIfPresentQuietly(0, c.hash(0)), "expired: not returned");
        assertEquals(2_000, c.size(), "expired entries are left in place");
        assertEquals(before, c.stats());
    }

    @Test
    void shrinkingTheWeightBoundEvictsDownToItAndGrowingLetsItRefill() {
        DashCache<Integer, byte[]> c = weighted(100_000, new FakeTicker());
        for (int i = 0; i < 10_000; i++) {
            c.put(i, new byte[10]);
        }
        assertTrue(c.weightedSize() <= 100_000 && c.weightedSize() > 90_000, "full: " + c.weightedSize());
        long evictedBefore = c.stats().evictionCount();
        long sizeBefore = c.size();
        c.setMaximumWeight(20_000);
        assertEquals(20_000, c.maximumWeight());
        assertTrue(c.weightedSize() <= 20_000 && c.weightedSize() > 15_000, "shrunk: " + c.weightedSize());
        assertEquals(sizeBefore - c.size(), c.stats().evictionCount() - evictedBefore, "each removal is an eviction");
        c.setMaximumWeight(100_000);
        for (int i = 10_000; i < 20_000; i++) {
            c.put(i, new byte[10]);
        }
        assertTrue(c.weightedSize() <= 100_000 && c.weightedSize() > 90_000, "refilled: " + c.weightedSize() + " size " + c.size() + " segs " + c.segmentCount());
        DashCache<Integer, Integer> unweighted = DashCache.<Integer, Integer>builder().maximumSize(10).buildSingleOwner();
        assertThrows(IllegalStateException.class, () -> unweighted.setMaximumWeight(5));
    }

    @Test
    void shrinkingKeepsPinnedEntries() {
        DashCache<Integer, byte[]> c = weighted(10_000, new FakeTicker());
        for (int i = 0; i < 500; i++) {
            c.put(i, new byte[10]);
        }
        for (int i = 0; i < 50; i++) {
            c.stick(i);
        }
        c.setMaximumWeight(100);
        for (int i = 0; i < 50; i++) {
            assertNotNull(c.getIfPresent(i), "pinned " + i);
        }
        assertEquals(50, c.size());
    }

    @Test
    void expireSampleLooksAtEntriesWithTtlAndRemovesTheExpiredOnes() {
        FakeTicker ticker = new FakeTicker();
        DashCache<Integer, byte[]> c = weighted(1 << 24, ticker);
        for (int i = 0; i < 5_000; i++) {
            c.put(i, new byte[4], i % 5 == 0 ? 1_000_000_000L : 0); // 1,000 keys with a 1 s TTL
        }
        assertTrue(c.expireSample(20, 1_000) > 0);
        assertEquals(5_000, c.size(), "nothing expired yet");
        ticker.advanceMillis(1_500);
        int sampled = c.expireSample(20, 1_000_000);
        assertTrue(sampled >= 20 && sampled < 60, "stops after the bucket where the 20th was seen: " + sampled);
        assertEquals(sampled, c.stats().expirationCount());
        long removed = sampled;
        for (int i = 0; i < 1_000 && c.size() > 4_000; i++) {
            removed += c.expireSample(20, 1_000_000);
        }
        assertEquals(4_000, c.size());
        assertEquals(1_000, c.stats().expirationCount());
        assertEquals(1_000, removed);
        assertEquals(0, c.expireSample(20, 1_000_000), "no TTL left");
    }

    @Test
    void expireSampleHonoursItsBucketBudget() {
        FakeTicker ticker = new FakeTicker();
        DashCache<Integer, byte[]> c = weighted(1 << 24, ticker);
        for (int i = 0; i < 50_000; i++) {
            c.put(i, new byte[4]);
        }
        c.put(-1, new byte[4], 1_000_000L); // one key with a TTL among 50,000
        ticker.advanceMillis(10);
        int walks = 0;
        while (c.size() > 50_000 && walks < 1_000_000) {
            c.expireSample(20, 4);
            walks++;
        }
        assertTrue(walks > 10, "a few buckets per call: many calls to reach the one key, " + walks);
        assertEquals(50_000, c.size());
    }
}
