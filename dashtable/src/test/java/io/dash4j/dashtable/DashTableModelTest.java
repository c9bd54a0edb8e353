package io.dash4j.dashtable;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stateful properties: long random sequences of insert / put / putIfAbsent / remove / get /
 * bump / scan / reserve against a {@link HashMap} model, with growth. After every step the
 * table must hold exactly the model's entries, a full scan must return exactly the model's keys
 * (each once), and every structural invariant ({@link TestSupport#checkInvariants}) must hold.
 * Small layouts make splits, displacements and stash use frequent.
 */
class DashTableModelTest {

    /** Well-mixed bits, but only two fingerprints: key comparison behind fingerprint matches. */
    static final KeyStrategy<Long> TWO_FINGERPRINTS = new KeyStrategy<>() {
        @Override
        public long hash(Long key, long seed) {
            return (Hashing.mix(key ^ seed) & ~0xFFL) | (key & 1);
        }

        @Override
        public boolean equals(Long a, Long b) {
            return a.longValue() == b.longValue();
        }
    };

    /** Groups of 4 keys share a whole hash: same bucket, same fingerprint, never separable. */
    static final KeyStrategy<Long> QUADRUPLETS = new KeyStrategy<>() {
        @Override
        public long hash(Long key, long seed) {
            return Hashing.mix((key >>> 2) ^ seed);
        }

        @Override
        public boolean equals(Long a, Long b) {
            return a.longValue() == b.longValue();
        }
    };

    record Config(String name, SegmentLayout layout, KeyStrategy<Long> strategy, int keySpace, int steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Config> CONFIGS = List.of(
            new Config("4+1x4 natural", new SegmentLayout(4, 1, 4), KeyStrategy.natural(), 400, 600),
            new Config("8+2x6 natural", new SegmentLayout(8, 2, 6), KeyStrategy.natural(), 600, 600),
            new Config("3+1x2 natural", new SegmentLayout(3, 1, 2), KeyStrategy.natural(), 200, 500),
            new Config("6+1x3 two-fps", new SegmentLayout(6, 1, 3), TWO_FINGERPRINTS, 400, 600),
            new Config("3+1x2 quadruplets", new SegmentLayout(3, 1, 2), QUADRUPLETS, 200, 500),
            new Config("8+2x6 quadruplets", new SegmentLayout(8, 2, 6), QUADRUPLETS, 600, 600),
            new Config("64+4x12 natural", SegmentLayout.DRAGONFLY_TEST, KeyStrategy.natural(), 4000, 150));

    static final class Model {
        final Config config;
        final DashTable<Long, Long> table;
        final Map<Long, Long> map = new HashMap<>();

        Model(Config config) {
            this.config = config;
            this.table = DashTable.<Long, Long>builder()
                    .layout(config.layout()).keyStrategy(config.strategy()).seed(config.keySpace()).build();
        }

        void insert(long k, long v) {
            boolean absent = !map.containsKey(k);
            assertEquals(absent, table.insert(k, v));
            map.putIfAbsent(k, v);
        }

        void put(long k, long v) {
            assertEquals(map.put(k, v), table.put(k, v));
        }

        void putIfAbsent(long k, long v) {
            assertEquals(map.putIfAbsent(k, v), table.putIfAbsent(k, v));
        }

        void remove(long k) {
            assertEquals(map.remove(k), table.remove(k));
        }

        void get(long k) {
            assertEquals(map.get(k), table.get(k));
            assertEquals(map.containsKey(k), table.containsKey(k));
        }

        void insertMany(long seed, int n) {
            Random random = new Random(seed);
            for (int i = 0; i < n; i++) {
                put(random.nextInt(config.keySpace()), random.nextLong());
            }
        }

        void bump(long k) {
            long hash = table.hash(k);
            long pos = table.locate(k, hash);
            if (pos < 0) {
                assertNull(map.get(k));
                return;
            }
            long moved = table.bumpUp(pos, hash);
            assertEquals(k, table.keyAt(moved));
            assertEquals(moved, table.locate(k, hash));
        }

        void scan(int count) {
            Map<Long, Long> seen = new HashMap<>();
            long cursor = 0;
            do {
                int before = seen.size();
                cursor = count == 0
                        ? table.scan(cursor, (key, value) -> assertNull(seen.put(key, value), "scan visited twice: " + key))
                        : table.scan(cursor, count, (key, value) -> assertNull(seen.put(key, value), "scan visited twice: " + key));
                if (cursor != 0) {
                    assertTrue(seen.size() - before >= Math.max(1, count), "a call that does not end the scan visits at least count");
                }
            } while (cursor != 0);
            assertEquals(map, seen);
        }

        void reserve(int extra) {
            int segments = table.segmentCount();
            table.reserve(table.size() + extra);
            assertTrue(table.segmentCount() >= segments);
        }

        void check() {
            TestSupport.assertSameContents(map, table);
            TestSupport.checkInvariants(table);
        }

        @Override
        public String toString() {
            return config + " size=" + map.size() + " segments=" + table.segmentCount() + " splits=" + table.splitCount();
        }
    }

    private static Arbitrary<Long> keys(Config c) {
        return Arbitraries.longs().between(0, c.keySpace() - 1);
    }

    private static Arbitrary<Long> values() {
        return Arbitraries.longs();
    }

    private static Action.Independent<Model> keyValueAction(Config c, String name, KeyValueOp op) {
        return () -> Combinators.combine(keys(c), values())
                .as((k, v) -> Transformer.mutate(name + "(" + k + ", " + v + ")", (Model m) -> op.apply(m, k, v)));
    }

    private static Action.Independent<Model> keyAction(Config c, String name, KeyOp op) {
        return () -> keys(c).map(k -> Transformer.mutate(name + "(" + k + ")", (Model m) -> op.apply(m, k)));
    }

    private static Action.Independent<Model> action(java.util.function.Supplier<Arbitrary<Transformer<Model>>> transformers) {
        return transformers::get;
    }

    interface KeyValueOp {
        void apply(Model m, long k, long v);
    }

    interface KeyOp {
        void apply(Model m, long k);
    }

    static Arbitrary<ActionChain<Model>> chainFor(Config c) {
        return ActionChain.<Model>startWith(() -> new Model(c))
                .withAction(6, keyValueAction(c, "insert", Model::insert))
                .withAction(3, keyValueAction(c, "put", Model::put))
                .withAction(2, keyValueAction(c, "putIfAbsent", Model::putIfAbsent))
                .withAction(4, keyAction(c, "remove", Model::remove))
                .withAction(3, keyAction(c, "get", Model::get))
                .withAction(2, keyAction(c, "bump", Model::bump))
                .withAction(1, action(() -> Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, c.keySpace() / 4))
                        .as((seed, n) -> Transformer.mutate("insertMany(" + seed + ", " + n + ")", (Model m) -> m.insertMany(seed, n)))))
                .withAction(1, action(() -> Arbitraries.of(0, 1, 3, 17)
                        .map(count -> Transformer.mutate("scan(" + count + ")", (Model m) -> m.scan(count)))))
                .withAction(1, action(() -> Arbitraries.integers().between(0, c.keySpace())
                        .map(extra -> Transformer.mutate("reserve(+" + extra + ")", (Model m) -> m.reserve(extra)))))
                .withMaxTransformations(c.steps());
    }

    @Provide
    Arbitrary<ActionChain<Model>> chains() {
        return Arbitraries.of(CONFIGS).flatMap(DashTableModelTest::chainFor);
    }

    @Property(tries = 50)
    void tableBehavesLikeAHashMap(@ForAll("chains") ActionChain<Model> chain) {
        Model end = chain.withInvariant("same contents and structure", Model::check).run();
        end.scan(0);
        Statistics.label("config").collect(end.config.name());
        Statistics.label("grew").collect(end.table.splitCount() > 0);
        Statistics.label("stash unloads").collect(end.table.stashUnloadCount() > 0);
    }
}
