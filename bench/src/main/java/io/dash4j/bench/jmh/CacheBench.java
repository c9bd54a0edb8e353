package io.dash4j.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cache operations per second, per contender ({@link BenchCache}). The subclasses fix the thread
 * count and the contenders that make sense for it: {@link CacheBench1T} (single owner, plain
 * LinkedHashMap, ConcurrentDashCache and Caffeine on one thread) and {@link CacheBench2T}
 * (the thread-safe ones on two).
 *
 * <ul>
 *   <li>{@code getHit}: gets of resident keys, uniformly (a fixed shuffled cycle over all of them);</li>
 *   <li>{@code getHitZipf}: gets of resident keys drawn from Zipf(0.99) (hot keys meet);</li>
 *   <li>{@code zipfMix}: Zipf(0.99) keys over {@code 4 * capacity}, 90 % gets and 10 % puts;</li>
 *   <li>{@code getMiss}: gets of keys never inserted;</li>
 *   <li>{@code putEvict}: puts of absent keys into a full cache, each evicting one entry.</li>
 * </ul>
 * Lookups use equal copies of the stored keys ({@link Workload}). The trial setup loads
 * {@code capacity} keys (which also compiles the put and get paths: one warm-up iteration is
 * enough) and builds only the keys of the benchmark that runs, so a fork of the 4,194,304-entry
 * cache starts in a few seconds. Nothing is allocated by the harness while measuring:
 * {@code -prof gc} shows each structure's own bytes per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public abstract class CacheBench {

    @Param({"65536", "4194304"})
    public int capacity;

    BenchCache c;
    /** The keys the running benchmark cycles through. */
    Long[] keys;
    /** zipfMix: whether {@code keys[i]} is put rather than got. */
    boolean[] writes;

    /** The contender's name ({@link BenchCache#create}); a {@code @Param} of the subclass. */
    abstract String contender();

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        String op = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        c = BenchCache.create(contender(), capacity, params.getThreads());
        Long[] loaded = Workload.loaded(capacity);
        for (Long k : loaded) {
            c.put(k, k);
        }
        int draws = Workload.zipfDraws(capacity);
        switch (op) {
            case "getHit" -> keys = Workload.shuffle(resident(loaded), 17);
            case "getHitZipf" -> keys = Workload.zipfOver(resident(loaded), draws, 19);
            case "getMiss" -> keys = Workload.misses(capacity);
            case "putEvict" -> keys = Workload.fresh(capacity);
            case "zipfMix" -> {
                keys = Workload.zipfOverRanks(4L * capacity, draws, 23);
                writes = Workload.writes(draws, 29);
            }
            default -> throw new IllegalStateException("no workload for " + benchmark);
        }
    }

    /**
     * Copies of loaded keys the cache actually holds (a 2Q or W-TinyLFU cache may not keep every
     * one), in load order, at most {@link Workload#MAX_KEYS}: at 4M entries a million resident
     * keys spread over the whole table are as memory-bound as all of them, for a quarter of the setup.
     */
    private Long[] resident(Long[] loaded) {
        int want = Math.min(loaded.length, Workload.MAX_KEYS);
        List<Long> resident = new ArrayList<>(want);
        for (int i = 0; i < loaded.length && resident.size() < want; i++) {
            Long copy = Long.valueOf(loaded[i].longValue());
            if (c.get(copy) != null) {
                resident.add(copy);
            }
        }
        if (resident.size() < want / 2) {
            throw new IllegalStateException(contender() + ": only " + resident.size() + " of " + loaded.length + " keys resident");
        }
        return resident.toArray(new Long[0]);
    }

    /** Each thread's position in {@link #keys}; threads start evenly apart. */
    @State(Scope.Thread)
    public static class Cursor {
        int next = -1;
        int threadIndex;
        int threadCount;

        @Setup(Level.Trial)
        public void setUp(ThreadParams t) {
            threadIndex = t.getThreadIndex();
            threadCount = t.getThreadCount();
        }

        int advance(int length) {
            int i = next;
            if (i < 0) {
                i = (int) ((long) length * threadIndex / threadCount); // first call
            }
            next = i + 1 == length ? 0 : i + 1;
            return i;
        }
    }

    @Benchmark
    public Long getHit(Cursor cur) {
        return c.get(keys[cur.advance(keys.length)]);
    }

    @Benchmark
    public Long getHitZipf(Cursor cur) {
        return c.get(keys[cur.advance(keys.length)]);
    }

    @Benchmark
    public Long getMiss(Cursor cur) {
        return c.get(keys[cur.advance(keys.length)]);
    }

    @Benchmark
    public void putEvict(Cursor cur) {
        Long k = keys[cur.advance(keys.length)];
        c.put(k, k);
    }

    @Benchmark
    public Long zipfMix(Cursor cur) {
        int i = cur.advance(keys.length);
        Long k = keys[i];
        if (writes[i]) {
            c.put(k, k);
            return k;
        }
        return c.get(k);
    }
}
