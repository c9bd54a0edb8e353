package io.dash4j.eviction;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dash4j.eviction.CacheContractTest.WEIGHT_OF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * jqwik properties of any {@link Cache} against a simple model of "the last value put for each
 * key", over random operation sequences (put, putIfAbsent, get, get with a loader that returns a
 * value / null / throws, remove, invalidateAll, time passing), random bounds (entries or weight,
 * including 0) and skewed value weights (some heavier than the whole budget):
 * <ul>
 *   <li>the bound (entries or weight) holds after every operation;</li>
 *   <li>every value returned (get, load hit, refused putIfAbsent, remove) is the last one put for
 *       its key, never one removed explicitly, and never one past its time to live;</li>
 *   <li>the removal listener plus the live entries account for every value stored exactly once,
 *       and after invalidateAll the listener alone does;</li>
 *   <li>the statistics match the operations performed.</li>
 * </ul>
 * To run it against an implementation, extend it and implement {@link #newCache(CacheSpec)}
 * (the same factory as {@link CacheContractTest}); name the subclass {@code *Test} so surefire
 * picks it up.
 */
public abstract class CacheModelProperties {

    /** Keys are drawn from {@code [0, KEYS)}, so keys collide often. */
    protected static final int KEYS = 24;

    /** Builds the cache under test for {@code spec}. */
    protected abstract <K, V> Cache<K, V> newCache(CacheSpec<K, V> spec);

    /**
     * The smallest bound (entries or weight) to generate: 0 by default, which tests that a zero
     * budget admits nothing; override with 1 for a cache whose builder rejects a zero bound.
     */
    protected int minimumBound() {
        return 0;
    }

    // ------------------------------------------------------------------ scenarios

    /** How a {@link Load}'s loader behaves. */
    public enum Outcome { VALUE, NULL, THROW }

    /** One step of a scenario. */
    public sealed interface Op permits Put, PutIfAbsent, Get, Load, Remove, InvalidateAll, Advance {
    }

    public record Put(int key, int weight) implements Op {
    }

    public record PutIfAbsent(int key, int weight) implements Op {
    }

    public record Get(int key) implements Op {
    }

    public record Load(int key, int weight, Outcome outcome) implements Op {
    }

    public record Remove(int key) implements Op {
    }

    public record InvalidateAll() implements Op {
    }

    public record Advance(int seconds) implements Op {
    }

    /** A bound (entries, or weight when {@code weighted}), a TTL in seconds (0: none) and operations. */
    public record Scenario(boolean weighted, int bound, int ttlSeconds, List<Op> ops) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<Integer> weight = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0, 6)),
                Tuple.of(3, Arbitraries.integers().between(7, 40)),
                Tuple.of(1, Arbitraries.integers().between(41, 150)));
        @SuppressWarnings("unchecked")
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(30, Combinators.combine(key, weight).as(Put::new)),
                Tuple.of(10, Combinators.combine(key, weight).as(PutIfAbsent::new)),
                Tuple.of(25, key.map(Get::new)),
                Tuple.of(12, Combinators.combine(key, weight,
                        Arbitraries.of(Outcome.VALUE, Outcome.VALUE, Outcome.VALUE, Outcome.NULL, Outcome.THROW))
                        .as(Load::new)),
                Tuple.of(8, key.map(Remove::new)),
                Tuple.of(1, Arbitraries.just(new InvalidateAll())),
                Tuple.of(6, Arbitraries.integers().between(1, 6).map(Advance::new)));
        Arbitrary<Boolean> weighted = Arbitraries.of(true, false);
        int min = minimumBound();
        Arbitrary<Integer> entryBound = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(min)),
                Tuple.of(10, Arbitraries.integers().between(Math.max(1, min), 16)));
        Arbitrary<Integer> weightBound = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(min)),
                Tuple.of(10, Arbitraries.integers().between(Math.max(1, min), 120)));
        Arbitrary<Integer> ttl = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(1, 12)));
        return weighted.flatMap(w -> Combinators.combine(
                w ? weightBound : entryBound, ttl, op.list().ofMinSize(1).ofMaxSize(150))
                .as((bound, t, ops) -> new Scenario(w, bound, t, ops)));
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 400)
    void boundsHoldAndOnlyTheLastPutLiveValueIsEverReturned(@ForAll("scenarios") Scenario scenario) {
        new Run(scenario).execute(); // checks both after every operation
    }

    @Property(tries = 400)
    void theListenerAndTheLiveEntriesAccountForEveryStoredValueExactlyOnce(@ForAll("scenarios") Scenario scenario) {
        Run run = new Run(scenario);
        run.execute();

        // Probe every key: what is live now (probing also collects expired entries).
        Map<String, Integer> live = new HashMap<>();
        long liveWeight = 0;
        for (int k = 0; k < KEYS; k++) {
            String v = run.cache.getIfPresent(k);
            if (v != null) {
                run.checkReturned(k, v);
                live.put(v, k);
                liveWeight += scenario.weighted() ? WEIGHT_OF.weigh(k, v) : 1;
            }
        }
        assertEquals(live.size(), run.cache.size(), "size after every expired entry was touched");
        assertEquals(liveWeight, run.cache.weightedSize(), "weightedSize is the sum of live weights");

        Map<String, Integer> seen = new HashMap<>();
        for (RecordingListener.Removal<Integer, String> r : run.listener.removals()) {
            assertEquals(keyOf(r.value()), (int) r.key(), "a removal pairs a key with its own value: " + r);
            seen.merge(r.value(), 1, Integer::sum);
        }
        live.keySet().forEach(v -> seen.merge(v, 1, Integer::sum));
        assertEquals(run.stored, seen.keySet(), "only stored values are reported or live, and all of them");
        seen.forEach((v, n) -> assertEquals(1, n, v + " accounted " + n + " times"));

        int before = run.listener.size();
        run.cache.invalidateAll();
        assertEquals(0, run.cache.size());
        assertEquals(0, run.cache.weightedSize());
        List<RecordingListener.Removal<Integer, String>> last =
                run.listener.removals().subList(before, run.listener.size());
        assertEquals(live.size(), last.size(), "invalidateAll reports each live entry");
        for (RecordingListener.Removal<Integer, String> r : last) {
            assertEquals(RemovalCause.EXPLICIT, r.cause());
            assertTrue(live.containsKey(r.value()), "invalidateAll reported a value that was not live: " + r);
        }
    }

    @Property(tries = 300)
    void statisticsMatchTheOperations(@ForAll("scenarios") Scenario scenario) {
        Run run = new Run(scenario);
        run.execute();
        CacheStats stats = run.cache.stats();
        assertEquals(run.lookups, stats.requestCount());
        assertEquals(stats.requestCount(), stats.hitCount() + stats.missCount());
        assertEquals(run.hits, stats.hitCount());
        assertEquals(run.loadSuccesses, stats.loadSuccessCount());
        assertEquals(run.loadFailures, stats.loadFailureCount());
        assertEquals(run.listener.count(RemovalCause.EVICTED), stats.evictionCount());
        assertEquals(run.listener.count(RemovalCause.EXPIRED), stats.expirationCount());
        assertTrue(stats.bumpCount() <= stats.hitCount());
    }

    // ------------------------------------------------------------------ the run and its model

    static int keyOf(String value) {
        return Integer.parseInt(value.substring(1, value.indexOf('#')));
    }

    private static final class LoadFailed extends RuntimeException {
        LoadFailed() {
            super("load failed", null, false, false);
        }
    }

    /** Executes a scenario on a fresh cache, checking the bound and every returned value as it goes. */
    final class Run {
        final Scenario scenario;
        final ManualTicker ticker = new ManualTicker();
        final RecordingListener<Integer, String> listener = new RecordingListener<>();
        final Cache<Integer, String> cache;
        /** The model: the last value put per key, forgotten on remove and invalidateAll. */
        final Map<Integer, String> lastPut = new HashMap<>();
        final Map<String, Long> writtenAt = new HashMap<>();
        /** Every value handed to the cache for storing (admitted or refused). */
        final Set<String> stored = new HashSet<>();
        long lookups;
        long hits;
        long loadSuccesses;
        long loadFailures;
        private int serial;

        Run(Scenario scenario) {
            this.scenario = scenario;
            CacheSpec<Integer, String> spec = scenario.weighted()
                    ? CacheSpec.ofMaximumWeight(scenario.bound(), WEIGHT_OF)
                    : CacheSpec.ofMaximumSize(scenario.bound());
            spec = spec.withTicker(ticker).withRemovalListener(listener);
            if (scenario.ttlSeconds() > 0) {
                spec = spec.withExpireAfterWrite(Duration.ofSeconds(scenario.ttlSeconds()));
            }
            this.cache = newCache(spec);
        }

        private String newValue(int key, int weight) {
            return "k" + key + "#" + (serial++) + ":" + weight;
        }

        private void wrote(int key, String value) {
            lastPut.put(key, value);
            writtenAt.put(value, ticker.getAsLong());
            stored.add(value);
        }

        /** A value the cache returned for {@code key}: the last put, and not past its TTL. */
        void checkReturned(int key, String value) {
            assertEquals(lastPut.get(key), value, "returned a value that is not the last put for key " + key);
            if (scenario.ttlSeconds() > 0) {
                long age = ticker.getAsLong() - writtenAt.get(value);
                assertTrue(age < Duration.ofSeconds(scenario.ttlSeconds()).toNanos(),
                        "returned an expired value " + value + " aged " + Duration.ofNanos(age));
            }
        }

        void execute() {
            for (Op op : scenario.ops()) {
                apply(op);
                if (scenario.weighted()) {
                    assertTrue(cache.weightedSize() <= scenario.bound(),
                            "weight " + cache.weightedSize() + " over " + scenario.bound() + " after " + op);
                } else {
                    assertTrue(cache.size() <= scenario.bound(),
                            "size " + cache.size() + " over " + scenario.bound() + " after " + op);
                    assertEquals(cache.size(), cache.weightedSize());
                }
                assertTrue(cache.size() >= 0 && cache.weightedSize() >= 0);
            }
        }

        private void apply(Op op) {
            if (op instanceof Put p) {
                String v = newValue(p.key(), p.weight());
                cache.put(p.key(), v);
                wrote(p.key(), v);
            } else if (op instanceof PutIfAbsent p) {
                String v = newValue(p.key(), p.weight());
                String present = cache.putIfAbsent(p.key(), v);
                if (present == null) {
                    wrote(p.key(), v);
                } else {
                    checkReturned(p.key(), present);
                }
            } else if (op instanceof Get g) {
                lookups++;
                String v = cache.getIfPresent(g.key());
                if (v != null) {
                    hits++;
                    checkReturned(g.key(), v);
                }
            } else if (op instanceof Load l) {
                lookups++;
                String v = newValue(l.key(), l.weight());
                boolean[] called = {false};
                java.util.function.Function<Integer, String> loader = k -> {
                    called[0] = true;
                    assertEquals(l.key(), (int) k);
                    switch (l.outcome()) {
                        case NULL:
                            return null;
                        case THROW:
                            throw new LoadFailed();
                        default:
                            return v;
                    }
                };
                String got = null;
                boolean threw = false;
                try {
                    got = cache.get(l.key(), loader);
                } catch (LoadFailed expected) {
                    threw = true;
                }
                if (!called[0]) {
                    hits++;
                    assertFalse(threw);
                    assertNotNull(got, "a hit returns a value");
                    checkReturned(l.key(), got);
                } else if (l.outcome() == Outcome.VALUE) {
                    loadSuccesses++;
                    assertEquals(v, got, "a load returns the loaded value");
                    wrote(l.key(), v);
                } else if (l.outcome() == Outcome.NULL) {
                    loadFailures++;
                    assertFalse(threw);
                    assertNull(got);
                } else {
                    loadFailures++;
                    assertTrue(threw, "the loader's exception propagates");
                }
            } else if (op instanceof Remove r) {
                String v = cache.remove(r.key());
                if (v != null) {
                    checkReturned(r.key(), v);
                }
                lastPut.remove(r.key());
            } else if (op instanceof InvalidateAll) {
                cache.invalidateAll();
                assertEquals(0, cache.size());
                assertEquals(0, cache.weightedSize());
                lastPut.clear();
            } else if (op instanceof Advance a) {
                ticker.advance(Duration.ofSeconds(a.seconds()));
            } else {
                fail("unknown op " + op);
            }
        }
    }
}
