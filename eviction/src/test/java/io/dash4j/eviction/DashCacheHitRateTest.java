package io.dash4j.eviction;

import io.dash4j.dashtable.SegmentLayout;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ports of Dragonfly's EvictionPolicyTest hit-rate setups (brief §8), with assertions. Dragonfly's
 * setup: segments of 64 regular + 4 stash buckets x 14 slots (952 slots), the table held at 3
 * segments (2856 slots), keys 0..15000 so the cache holds about 19 % of them.
 */
class DashCacheHitRateTest {

    static final SegmentLayout U64_LAYOUT = new SegmentLayout(64, 4, 14);
    static final int KEYS = 15_000;
    static final int REQUESTS = 150_000;

    private static DashCache<Long, Long> dragonflySetup() {
        return DashCache.<Long, Long>builder()
                .layout(U64_LAYOUT)
                .maximumSegments(3)
                .slotPolicy(SlotPolicy.DRAGONFLY)
                .buildSingleOwner();
    }

    private record Score(double dash, double lru, long occupancy) {
    }

    private static Score zipfRun(DashCache<Long, Long> cache, long seed) {
        Workloads.Zipf zipf = new Workloads.Zipf(KEYS, 0.9, seed);
        long dashHits = 0;
        for (int i = 0; i < REQUESTS; i++) {
            if (Workloads.access(cache, zipf.next())) {
                dashHits++;
            }
        }
        long occupancy = cache.size();
        // the same stream through an exact LRU holding as many entries as the cache really held
        Workloads.ReferenceLru lru = new Workloads.ReferenceLru((int) occupancy);
        Workloads.Zipf again = new Workloads.Zipf(KEYS, 0.9, seed);
        long lruHits = 0;
        for (int i = 0; i < REQUESTS; i++) {
            if (lru.access(again.next())) {
                lruHits++;
            }
        }
        return new Score(100.0 * dashHits / REQUESTS, 100.0 * lruHits / REQUESTS, occupancy);
    }

    @Test
    void zipfWithBumpsBeatsLru() {
        double dashSum = 0;
        double lruSum = 0;
        for (long seed = 1; seed <= 3; seed++) {
            Score s = zipfRun(dragonflySetup(), seed);
            System.out.printf("zipf0.9 seed %d: dash2q %.2f%%  lru %.2f%%  (occupancy %d of 2856 slots)%n",
                    seed, s.dash, s.lru, s.occupancy);
            dashSum += s.dash;
            lruSum += s.lru;
        }
        assertTrue(dashSum > lruSum, "2Q mean " + dashSum / 3 + " should beat LRU mean " + lruSum / 3);
    }

    @Test
    void scanResistance() {
        DashCache<Long, Long> cache = dragonflySetup();
        // Fill to capacity with cold keys so segments are full and the 2Q engages.
        for (long k = 1_000_000; k < 1_010_000; k++) {
            cache.put(k, k);
        }
        // A hot set that fits the protected region (1000 keys, ~5 per bucket, 14 slots each): each
        // key arrives in a burst of requests, so its second request promotes it out of the
        // probationary stash and the rest climb it to the top of its bucket; then the whole set
        // is hit round after round. (Spread-out first requests would not do with the faithful
        // policy: its 6.7 % stash FIFO forgets a key before its second use — see issue 8.)
        int hot = 1000;
        for (long k = 0; k < hot; k++) {
            for (int burst = 0; burst < 16; burst++) {
                Workloads.access(cache, k);
            }
        }
        for (int round = 0; round < 20; round++) {
            for (long k = 0; k < hot; k++) {
                Workloads.access(cache, k);
            }
        }
        // One pass over 10x the capacity in new keys.
        long scanLength = 10L * 2856;
        for (long k = 2_000_000; k < 2_000_000 + scanLength; k++) {
            Workloads.access(cache, k);
        }
        int kept = 0;
        for (long k = 0; k < hot; k++) {
            if (cache.table().containsKey(k)) {
                kept++;
            }
        }
        Workloads.ReferenceLru lru = new Workloads.ReferenceLru((int) cache.size());
        for (long k = 0; k < hot; k++) {
            for (int burst = 0; burst < 16; burst++) {
                lru.access(k);
            }
        }
        for (int round = 0; round < 20; round++) {
            for (long k = 0; k < hot; k++) {
                lru.access(k);
            }
        }
        for (long k = 2_000_000; k < 2_000_000 + scanLength; k++) {
            lru.access(k);
        }
        int lruKept = 0;
        for (long k = 0; k < hot; k++) {
            if (lru.access(k)) {
                lruKept++;
            }
        }
        System.out.printf("scan resistance: 2Q kept %d of %d hot keys, LRU kept %d%n", kept, hot, lruKept);
        assertTrue(kept >= 0.9 * hot, "2Q kept only " + kept + " of " + hot + " hot keys");
        assertEquals(0, lruKept, "LRU should keep none of the hot set");
    }

    /**
     * Dragonfly's setup with 100K uniform warm-up inserts first. Recorded, not asserted: a model
     * says the faithful policy loses to LRU here (46 % vs 48 %) because protected entries never age
     * out; the hit-ratio issue fixes that. We assert only that both numbers are sane.
     */
    @Test
    void uniformWarmupThenZipfIsRecorded() {
        DashCache<Long, Long> cache = dragonflySetup();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long k = random.nextInt(KEYS);
            cache.putIfAbsent(k, k);
        }
        Workloads.ReferenceLru lru = new Workloads.ReferenceLru((int) cache.size());
        random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            lru.access(random.nextInt(KEYS));
        }
        Workloads.Zipf zipf = new Workloads.Zipf(KEYS, 0.9, 11);
        long dashHits = 0;
        long lruHits = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long k = zipf.next();
            if (Workloads.access(cache, k)) {
                dashHits++;
            }
            if (lru.access(k)) {
                lruHits++;
            }
        }
        double dash = 100.0 * dashHits / REQUESTS;
        double lruRate = 100.0 * lruHits / REQUESTS;
        System.out.printf("uniform warm-up then zipf0.9: dash2q (faithful) %.2f%%  lru %.2f%%%n", dash, lruRate);
        assertTrue(dash > 20 && dash < 80, "implausible hit rate " + dash);
        assertTrue(lruRate > 20 && lruRate < 80, "implausible LRU hit rate " + lruRate);
    }
}
