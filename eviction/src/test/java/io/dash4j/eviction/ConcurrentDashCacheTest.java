package io.dash4j.eviction;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thread-safe form: bounded stress with invariants, and single-flight loading. */
class ConcurrentDashCacheTest {

    private static final int THREADS = 4;
    private static final int OPS = 60_000;

    @Test
    void boundedStressKeepsInvariants() throws Exception {
        long bound = 5_000;
        AtomicLong evictedOrExpired = new AtomicLong();
        AtomicLong replaced = new AtomicLong();
        AtomicLong explicit = new AtomicLong();
        ConcurrentDashCache<Long, Long> cache = DashCache.<Long, Long>builder()
                .maximumSize(bound)
                .partitions(4)
                .removalListener((k, v, cause) -> {
                    switch (cause) {
                        case EVICTED, EXPIRED -> evictedOrExpired.incrementAndGet();
                        case REPLACED -> replaced.incrementAndGet();
                        case EXPLICIT -> explicit.incrementAndGet();
                    }
                })
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong insertsOfNewKeys = new AtomicLong();
        AtomicLong gets = new AtomicLong();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            final int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                SplittableRandom random = new SplittableRandom(thread);
                // each thread owns keys k with k % THREADS == thread, so "its own last write" is well defined
                long[] lastWritten = new long[4_000];
                for (int i = 0; i < OPS; i++) {
                    int slot = random.nextInt(lastWritten.length);
                    long key = (long) slot * THREADS + thread;
                    int op = random.nextInt(10);
                    if (op < 5) {
                        gets.incrementAndGet();
                        Long v = cache.getIfPresent(key);
                        // a thread reads its own last write, unless evicted (then absent)
                        if (v != null && v != lastWritten[slot]) {
                            throw new AssertionError("key " + key + " read " + v + " but last wrote " + lastWritten[slot]);
                        }
                    } else if (op < 9) {
                        long value = ((long) i << 8) | thread;
                        if (cache.putIfAbsent(key, value) == null) {
                            insertsOfNewKeys.incrementAndGet();
                            lastWritten[slot] = value;
                        } else {
                            cache.put(key, value);
                            lastWritten[slot] = value;
                        }
                    } else {
                        cache.remove(key);
                        lastWritten[slot] = 0;
                    }
                    if (cache.size() > bound) {
                        throw new AssertionError("size " + cache.size() + " over bound " + bound);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(cache.size() <= bound);
        CacheStats stats = cache.stats();
        assertEquals(gets.get(), stats.requestCount(), "every read counted once as a hit or a miss");
        assertEquals(stats.evictionCount(), evictedOrExpired.get(), "every eviction was reported once");
        // entries in (first inserts seen by putIfAbsent) never fewer than entries held plus removed
        // by the cache or explicitly; a put after an eviction re-inserts without being counted here
        assertTrue(insertsOfNewKeys.get() <= cache.size() + evictedOrExpired.get() + explicit.get(),
                "more entries went in than are held or were removed");
        assertTrue(stats.evictionCount() > 0, "the stress must reach the bound");
    }

    /**
     * Without contention every hit that would move its entry records a bump, and the next drain
     * applies it: in probation, in the back half and in the front half of a protected bucket.
     * Until a drain, the entry stays where it was read (the read itself writes nothing).
     */
    @Test
    void everyRecordedBumpIsAppliedByTheNextDrain() {
        ConcurrentDashCache<Long, Long> cache = DashCache.<Long, Long>builder().maximumSize(4096).partitions(1).build();
        DashCache<Long, Long> part = cache.partitionCache(0);
        for (long k = 0; k < 20_000; k++) {
            cache.put(k, k);
        }
        int[] seen = new int[3]; // probation, back half, front half
        long bumpsBefore = cache.stats().bumpCount();
        for (long k = 0; k < 20_000 && (seen[0] < 100 || seen[1] < 100 || seen[2] < 100); k++) {
            long hash = part.hash(k);
            long pos = part.locate(k, hash);
            if (pos < 0 || !part.wouldBump(pos)) {
                continue;
            }
            int kind = part.isProbation(pos) ? 0 : part.isInBackHalf(pos) ? 1 : 2;
            if (seen[kind] >= 100) {
                continue;
            }
            seen[kind]++;
            assertEquals(k, cache.getIfPresent(k));
            assertEquals(pos, part.locate(k, hash), "a read does not move the entry by itself");
            cache.cleanUp(); // drains the read buffer under the lock
            assertTrue(part.locate(k, hash) != pos, "the drain applied the bump of key " + k);
        }
        assertEquals(100, seen[0]);
        assertEquals(100, seen[1]);
        assertEquals(100, seen[2]);
        assertEquals(300, cache.stats().bumpCount() - bumpsBefore);
        assertEquals(0, cache.droppedBumps());
    }

    @Test
    void loadsAreSingleFlightPerKey() throws Exception {
        ConcurrentDashCache<String, String> cache = DashCache.<String, String>builder().maximumSize(1_000).build();
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<String> gate = new CompletableFuture<>();
        List<CompletableFuture<String>> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            callers.add(cache.getAsync("k", k -> {
                loads.incrementAndGet();
                return gate.thenApply(x -> "loaded-" + k);
            }));
        }
        gate.complete("go");
        for (CompletableFuture<String> c : callers) {
            assertEquals("loaded-k", c.get(10, TimeUnit.SECONDS));
        }
        assertEquals(1, loads.get());
        assertEquals("loaded-k", cache.getIfPresent("k"));
        assertEquals(1, cache.stats().loadSuccessCount());
    }

    @Test
    void synchronousLoadsFromManyThreadsRunOnce() throws Exception {
        ConcurrentDashCache<Integer, Integer> cache = DashCache.<Integer, Integer>builder().maximumSize(1_000).build();
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch inLoader = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> results = new ArrayList<>();
        results.add(pool.submit(() -> cache.get(7, k -> {
            loads.incrementAndGet();
            inLoader.countDown();
            await(release);
            return 49;
        })));
        assertTrue(inLoader.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 3; i++) {
            results.add(pool.submit(() -> cache.get(7, k -> {
                loads.incrementAndGet();
                return -1;
            })));
        }
        Thread.sleep(50); // let the followers find the load in flight (correctness does not depend on it)
        release.countDown();
        for (Future<Integer> r : results) {
            assertEquals(49, r.get(10, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(1, loads.get());
    }

    @Test
    void failedLoadIsCountedAndNotCached() {
        ConcurrentDashCache<Integer, Integer> cache = DashCache.<Integer, Integer>builder().maximumSize(100).build();
        assertThrows(IllegalArgumentException.class, () -> cache.get(1, k -> {
            throw new IllegalArgumentException("no");
        }));
        assertNull(cache.getIfPresent(1));
        assertEquals(1, cache.stats().loadFailureCount());
        assertEquals(5, cache.get(1, k -> 5));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
