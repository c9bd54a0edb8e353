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
 * Cache operations per second for each contender ({@link BenchCache#NAMES}). The concrete
 * subclasses {@link CacheBench1T} and {@link CacheBench2T} fix the thread count; the contender is
 * built for the thread count JMH actually runs ({@code -t} overrides), so one thread gets the
 * single-owner / unsynchronized forms where they exist.
 *
 * <ul>
 *   <li>{@code getHit}: gets of resident keys, in a fixed random order;</li>
 *   <li>{@code getMiss}: gets of keys never inserted;</li>
 *   <li>{@code putEvict}: puts of absent keys into a full cache, each evicting one entry (ConcurrentHashMap
 *       grows instead: after {@code 3 * capacity} puts its puts are replacements);</li>
 *   <li>{@code zipfMix}: Zipf(0.99) keys over {@code 4 * capacity}, 90 % gets and 10 % puts.</li>
 * </ul>
 * Keys are pre-generated {@code Long}s; a put's value is its key, so nothing is allocated by the
 * benchmark itself (run with {@code -prof gc} to see each structure's bytes/op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public abstract class CacheBench {

    @Param({"dash", "lhm", "arena", "caffeine", "chm"})
    public String cache;

    @Param({"262144"})
    public int capacity;

    BenchCache c;
    Long[] hits;
    Long[] misses;
    Long[] fresh;
    Long[] zipf;
    boolean[] zipfWrite;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        Workload w = new Workload(capacity, 0xDA5A4L);
        c = BenchCache.create(cache, capacity, params.getThreads());
        for (int i = 0; i < capacity; i++) {
            Long k = w.universe[i];
            c.put(k, k);
        }
        // the keys actually resident (a 2Q or W-TinyLFU cache may not keep every loaded key)
        List<Long> resident = new ArrayList<>(capacity);
        for (int i = 0; i < capacity; i++) {
            if (c.get(w.universe[i]) != null) {
                resident.add(w.universe[i]);
            }
        }
        if (resident.size() < capacity / 2) {
            throw new IllegalStateException(cache + ": only " + resident.size() + " of " + capacity + " keys resident");
        }
        hits = Workload.shuffled(resident.toArray(new Long[0]), 17);
        misses = w.misses;
        fresh = java.util.Arrays.copyOfRange(w.universe, capacity, w.universe.length);
        zipf = w.zipf;
        zipfWrite = w.zipfWrite;
    }

    /** Each thread's position in the key arrays; threads start far apart. */
    @State(Scope.Thread)
    public static class Cursor {
        int hit;
        int miss;
        int put;
        int mix;

        @Setup(Level.Trial)
        public void setUp(ThreadParams t, BenchmarkParams params) {
            long n = t.getThreadCount();
            long i = t.getThreadIndex();
            long cap = Integer.parseInt(params.getParam("capacity"));
            hit = (int) (cap / 2 * i / n); // at least capacity / 2 keys are resident (checked in setUp)
            miss = (int) (cap * i / n);
            put = (int) (3 * cap * i / n);
            mix = (int) (Workload.zipfDraws((int) cap) * i / n);
        }
    }

    @Benchmark
    public Long getHit(Cursor cur) {
        int i = cur.hit;
        Long k = hits[i];
        cur.hit = ++i >= hits.length ? 0 : i;
        return c.get(k);
    }

    @Benchmark
    public Long getMiss(Cursor cur) {
        int i = cur.miss;
        Long k = misses[i];
        cur.miss = ++i == misses.length ? 0 : i;
        return c.get(k);
    }

    @Benchmark
    public void putEvict(Cursor cur) {
        int i = cur.put;
        Long k = fresh[i];
        cur.put = ++i == fresh.length ? 0 : i;
        c.put(k, k);
    }

    @Benchmark
    public Long zipfMix(Cursor cur) {
        int i = cur.mix;
        Long k = zipf[i];
        boolean write = zipfWrite[i];
        cur.mix = (i + 1) & (zipf.length - 1);
        if (write) {
            c.put(k, k);
            return k;
        }
        return c.get(k);
    }
}
