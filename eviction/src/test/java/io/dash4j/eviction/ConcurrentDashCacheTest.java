package io.dash4j.eviction;

import io.dash4j.dashtable.DashTable;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thread-safe form: 6-thread stress with invariants (entries, weight, loads), bump recording, single-flight loading. */
class ConcurrentDashCacheTest {

    private static final int THREADS = 6;
    private static final int OPS = 40_000;

    /**
     * Six threads on two cores over a 5,000-entry bound: gets, puts, putIfAbsent and removes of
     * keys each thread owns, plus reads of everyone's hot keys (so bumps are recorded from all
     * threads while writers evict and drain). Invariants: the size never exceeds the bound; a
     * thread reads only its own last write of its keys (or nothing); after quiescence every key's
     * last write is either held or was reported EVICTED (no lost update); the counters match the
     * calls and the listener.
     */
    @Test
    void boundedStressKeepsInvariants() throws Exception {
        long bound = 5_000;
        Set<Long> evictedValues = ConcurrentHashMap.newKeySet();
        AtomicLong evicted = new AtomicLong();
        ConcurrentDashCache<Long, Long> cache = DashCache.<Long, Long>builder()
                .maximumSize(bound)
                .partitions(4)
                .removalListener((k, v, cause) -> {
                    if (cause == RemovalCause.EVICTED) {
                        evicted.incrementAndGet();
                        evictedValues.add(v);
                    }
                })
                .build();
        AtomicLong gets = new AtomicLong();
        long[][] lastWritten = new long[THREADS][4_000];
        runThreads(THREADS, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            long[] mine = lastWritten[thread];
            long reads = 0;
            for (int i = 0; i < OPS; i++) {
                int slot = random.nextInt(mine.length);
                long key = (long) slot * THREADS + thread;
                int op = random.nextInt(20);
                if (op < 6) {
                    reads++;
                    Long v = cache.getIfPresent(key);
                    if (v != null && v != mine[slot]) {
                        throw new AssertionError("key " + key + " read " + v + " but last wrote " + mine[slot]);
                    }
                } else if (op < 10) {
                    reads++;
                    cache.getIfPresent((long) random.nextInt(64)); // everyone's hot keys: bumps from every thread
                } else if (op < 18) {
                    long value = ((long) i << 8) | thread;
                    if (cache.putIfAbsent(key, value) != null) {
                        cache.put(key, value);
                    }
                    mine[slot] = value;
                } else {
                    cache.remove(key);
                    mine[slot] = 0;
                }
                if (cache.size() > bound) {
                    throw new AssertionError("size " + cache.size() + " over bound " + bound);
                }
            }
            gets.addAndGet(reads);
        });
        assertTrue(cache.size() <= bound);
        assertTrue(evicted.get() > 0, "the stress must reach the bound");
        for (int t = 0; t < THREADS; t++) {
            for (int slot = 0; slot < lastWritten[t].length; slot++) {
                long key = (long) slot * THREADS + t;
                long last = lastWritten[t][slot];
                Long now = cache.getIfPresent(key);
                gets.incrementAndGet();
                if (last == 0) {
                    assertNull(now, "key " + key + " was removed last");
                } else if (now == null) {
                    assertTrue(evictedValues.contains(last), "key " + key + ": last write " + last + " neither held nor evicted");
                } else {
                    assertEquals(last, now, "key " + key);
                }
            }
        }
        CacheStats stats = cache.stats();
        assertEquals(gets.get(), stats.requestCount(), "every read counted once as a hit or a miss");
        assertEquals(evicted.get(), stats.evictionCount(), "every eviction reported once");
        cache.cleanUp();
        assertTrue(cache.size() <= bound);
    }

    /** The weight bound under concurrent writers of mixed weights: never exceeded, exact after quiescence. */
    @Test
    void weightBoundHoldsUnderConcurrentWriters() throws Exception {
        long bound = 20_000;
        ConcurrentDashCache<Long, Long> cache = DashCache.<Long, Long>builder()
                .maximumWeight(bound)
                .weigher((k, v) -> 1 + (int) (Math.floorMod(v, 8L)))
                .partitions(4)
                .build();
        runThreads(THREADS, thread -> {
            SplittableRandom random = new SplittableRandom(100 + thread);
            for (int i = 0; i < OPS; i++) {
                long key = random.nextInt(50_000);
                if (random.nextInt(4) == 0) {
                    cache.getIfPresent(key);
                } else {
                    cache.put(key, random.nextLong(1_000));
                }
                if (cache.weightedSize() > bound) {
                    throw new AssertionError("weight " + cache.weightedSize() + " over bound " + bound);
                }
            }
        });
        long[] sum = new long[1];
        for (int p = 0; p < cache.partitionCount(); p++) {
            cache.partitionCache(p).forEach((k, v) -> sum[0] += 1 + Math.floorMod(v, 8L));
        }
        assertEquals(sum[0], cache.weightedSize(), "weight accounting matches the entries held");
        assertTrue(sum[0] <= bound);
        assertTrue(cache.stats().evictionCount() > 0, "the stress must reach the bound");
    }

    /**
     * Six threads loading 3,000 keys in different orders through {@code get(key, loader)}: each key
     * is loaded exactly once (single flight, and a late caller finds the stored value), every
     * caller gets the loaded value, and the counters add up.
     */
    @Test
    void concurrentLoadsAreSingleFlightPerKey() throws Exception {
        int keys = 3_000;
        ConcurrentDashCache<Integer, Integer> cache = DashCache.<Integer, Integer>builder().maximumSize(100_000).build();
        AtomicIntegerArray loads = new AtomicIntegerArray(keys);
        runThreads(THREADS, thread -> {
            SplittableRandom random = new SplittableRandom(7 + thread);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < keys; i++) {
                    int key = (i * (2 * thread + 1) + random.nextInt(3)) % keys;
                    Integer v = cache.get(key, k -> {
                        loads.incrementAndGet(k);
                        return k * 3;
                    });
                    if (v != key * 3) {
                        throw new AssertionError("key " + key + " got " + v);
                    }
                }
            }
        });
        for (int k = 0; k < keys; k++) {
            assertTrue(loads.get(k) <= 1, "key " + k + " loaded " + loads.get(k) + " times");
        }
        long loaded = 0;
        for (int k = 0; k < keys; k++) {
            loaded += loads.get(k);
        }
        CacheStats stats = cache.stats();
        assertEquals(loaded, stats.loadSuccessCount());
        assertEquals(0, stats.loadFailureCount());
        assertEquals(loaded, cache.size());
    }

    /** Runs {@code body(thread)} on {@code n} threads started together; fails with the first error. */
    private static void runThreads(int n, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            final int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                body.run(thread);
                return null;
            }));
        }
        start.countDown();
        try {
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int hitCount(DashCache<Long, Long> part, long pos) {
        return part.table().segmentAt(pos).hitCount(DashTable.bucketAt(pos), DashTable.slotAt(pos));
    }

    @FunctionalInterface
    private interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /**
     * Without contention every hit that would change its entry's state records it, and the next
     * drain applies it: in probation, in the back half and in the front half of a protected
     * bucket, the default order adds one to the slot's hit counter and moves nothing. Until a
     * drain, the read itself writes nothing.
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
            int counted = hitCount(part, pos);
            assertEquals(k, cache.getIfPresent(k));
            assertEquals(pos, part.locate(k, hash), "a read does not move the entry by itself");
            assertEquals(counted, hitCount(part, pos), "nor count it: the hit is recorded");
            cache.cleanUp(); // drains the read buffer under the lock
            assertEquals(pos, part.locate(k, hash), "a counted hit moves nothing, in probation or not");
            assertEquals(counted + 1, hitCount(part, pos), "the drain applied the recorded hit of key " + k);
        }
        assertEquals(100, seen[0]);
        assertEquals(100, seen[1]);
        assertEquals(100, seen[2]);
        assertEquals(0, cache.stats().bumpCount() - bumpsBefore, "bumps count the entries moved: none");
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
