package io.dash4j.server;

import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Isolation under contention, on four shards: transactions and multi-key commands over keys of
 * different shards are never seen half done, by MGET, by MULTI/GET.../EXEC or by single-key GETs.
 */
class IsolationTest {

    static final int SHARDS = 4;
    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(c -> c.threads = SHARDS);

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", server.port(), 10_000);
    }

    private static long sum(List<?> values) {
        long s = 0;
        for (Object v : values) {
            s += Long.parseLong((String) v);
        }
        return s;
    }

    /** A writer's bounded work, on its own connection; a failed assertion in it fails the test. */
    @FunctionalInterface
    interface Work {
        void run(Jedis j) throws Exception;
    }

    /** A reader's one look, on its own connection: true when what it read was wrong. */
    @FunctionalInterface
    interface Look {
        boolean wrong(Jedis j) throws Exception;
    }

    /** How often a reader looked, and how many of its looks saw something wrong. */
    record Tally(int looks, int wrong) {
    }

    /**
     * The race every test here runs: each writer does its work while each reader looks again and
     * again; once every writer finished (within 120 s) the readers stop. Returns the readers' tallies
     * in order. A reader may look zero times if the writers finish first: callers assert looks.
     */
    private static List<Tally> whileWriting(List<Work> writers, Look... readers) throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger[] looks = new AtomicInteger[readers.length];
        AtomicInteger[] wrong = new AtomicInteger[readers.length];
        ExecutorService pool = Executors.newFixedThreadPool(writers.size() + readers.length);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (Work work : writers) {
                writes.add(pool.submit(() -> {
                    try (Jedis j = jedis()) {
                        work.run(j);
                    }
                    return null;
                }));
            }
            List<Future<?>> reading = new ArrayList<>();
            for (int r = 0; r < readers.length; r++) {
                Look look = readers[r];
                AtomicInteger myLooks = looks[r] = new AtomicInteger();
                AtomicInteger myWrong = wrong[r] = new AtomicInteger();
                reading.add(pool.submit(() -> {
                    try (Jedis j = jedis()) {
                        while (writing.get()) {
                            if (look.wrong(j)) {
                                myWrong.incrementAndGet();
                            }
                            myLooks.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : writes) {
                f.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<?> f : reading) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        List<Tally> tallies = new ArrayList<>();
        for (int r = 0; r < readers.length; r++) {
            tallies.add(new Tally(looks[r].get(), wrong[r].get()));
        }
        return tallies;
    }

    /**
     * A transaction's window: {@code first} and {@code last} on two shards, {@code filler} on a third.
     * Each of {@link #transactions} rounds writes round r to {@code first}, then INCRs {@code filler}
     * a hundred times (a long window), then writes r to {@code last}: a reader that sees the first
     * key's new value and then an older value of the last key read inside a transaction.
     */
    record Window(String first, String last, String filler) {

        /** Keys named {@code prefix...} on the given shards, first and last set to 0. */
        static Window open(String prefix, int firstShard, int lastShard, int fillerShard) {
            Window w = new Window(TxKeys.ownedBy(firstShard, SHARDS, prefix + "first", 0),
                    TxKeys.ownedBy(lastShard, SHARDS, prefix + "last", 0),
                    TxKeys.ownedBy(fillerShard, SHARDS, prefix + "filler", 0));
            try (Jedis j = jedis()) {
                j.mset(w.first, "0", w.last, "0");
            }
            return w;
        }

        Work transactions(int rounds) {
            return j -> {
                for (int r = 1; r <= rounds; r++) {
                    Transaction t = j.multi();
                    t.set(first, Integer.toString(r));
                    for (int i = 0; i < 100; i++) {
                        t.incr(filler);
                    }
                    t.set(last, Integer.toString(r));
                    assertThat(t.exec()).hasSize(102);
                }
            };
        }

        /** Reads first, then last (the order EXEC writes them) through {@code get}: true when torn. */
        boolean torn(Function<String, Object> get) {
            long a = Long.parseLong((String) get.apply(first));
            long b = Long.parseLong((String) get.apply(last));
            return b < a;
        }
    }

    /** MSET's arguments: every key with the same value. */
    private static String[] allTo(String[] keys, String value) {
        String[] kv = new String[keys.length * 2];
        for (int i = 0; i < keys.length; i++) {
            kv[2 * i] = keys[i];
            kv[2 * i + 1] = value;
        }
        return kv;
    }

    /** Movers transfer amounts between counters on different shards; readers never see a wrong total. */
    @Test
    void transfersBetweenShardsKeepTheTotal() throws Exception {
        String[] counters = new String[8];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = TxKeys.ownedBy(i % SHARDS, SHARDS, "acct" + i + ":", 0);
        }
        long perCounter = 1000;
        try (Jedis j = jedis()) {
            j.mset(allTo(counters, Long.toString(perCounter)));
        }
        long total = perCounter * counters.length;
        int transfersEach = 300;
        List<Work> movers = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            SplittableRandom rnd = new SplittableRandom(m);
            movers.add(j -> {
                for (int i = 0; i < transfersEach; i++) {
                    int from = rnd.nextInt(counters.length);
                    int to = (from + 1 + rnd.nextInt(counters.length - 1)) % counters.length;
                    int amount = 1 + rnd.nextInt(50);
                    Transaction t = j.multi();
                    t.decrBy(counters[from], amount);
                    t.incrBy(counters[to], amount);
                    assertThat(t.exec()).hasSize(2);
                }
            });
        }
        List<Tally> seen = whileWriting(movers,
                j -> sum(j.mget(counters)) != total,
                j -> {
                    Transaction t = j.multi();
                    for (String c : counters) {
                        t.get(c);
                    }
                    return sum(t.exec()) != total;
                });
        assertThat(seen.get(0).looks() + seen.get(1).looks()).isPositive();
        assertThat(seen.get(0).wrong()).as("MGET saw a total other than %s", total).isZero();
        assertThat(seen.get(1).wrong()).as("MULTI/GET.../EXEC saw a total other than %s", total).isZero();
        try (Jedis j = jedis()) {
            assertThat(sum(j.mget(counters))).isEqualTo(total);
        }
    }

    /** MSET over one key per shard, rounds 1..N; MGET and pairs of GETs never see two rounds at once. */
    @Test
    void msetIsNeverTorn() throws Exception {
        String[] keys = TxKeys.onePerShard(SHARDS, "torn");
        int rounds = 400;
        try (Jedis j = jedis()) {
            j.mset(allTo(keys, "0"));
        }
        List<Tally> seen = whileWriting(List.of(j -> {
            for (int r = 1; r <= rounds; r++) {
                assertThat(j.mset(allTo(keys, Integer.toString(r)))).isEqualTo("OK");
            }
        }), j -> j.mget(keys).stream().distinct().count() != 1, j -> {
            // MSET writes every key to the same round: once the first key shows round r, a later
            // read of the last key must show r or newer
            long first = Long.parseLong(j.get(keys[0]));
            long last = Long.parseLong(j.get(keys[keys.length - 1]));
            return last < first;
        });
        Tally mgets = seen.get(0);
        assertThat(mgets.looks()).isPositive();
        assertThat(mgets.wrong()).as("MGETs (of %s) that saw a torn MSET", mgets.looks()).isZero();
        assertThat(seen.get(1).wrong()).as("GET pairs that saw a torn MSET").isZero();
        try (Jedis j = jedis()) {
            assertThat(j.mget(keys)).containsOnly(Integer.toString(rounds));
        }
    }

    /** RENAME back and forth between two shards: a reader always finds the value under exactly one name. */
    @Test
    void renameAcrossShardsIsAtomic() throws Exception {
        String a = TxKeys.ownedBy(0, SHARDS, "ren:a", 0);
        String b = TxKeys.ownedBy(1, SHARDS, "ren:b", 0);
        try (Jedis j = jedis()) {
            j.set(a, "payload");
        }
        Tally mgets = whileWriting(List.of(j -> {
            for (int r = 0; r < 300; r++) {
                assertThat(j.rename(r % 2 == 0 ? a : b, r % 2 == 0 ? b : a)).isEqualTo("OK");
            }
        }), j -> j.mget(a, b).stream().filter(java.util.Objects::nonNull).count() != 1).get(0);
        assertThat(mgets.looks()).isPositive();
        assertThat(mgets.wrong()).as("MGETs that saw the value under both names or neither").isZero();
    }

    /** Racing MSETNX calls over the same keys on four shards: exactly one of each race wins, whole. */
    @Test
    void racingMsetnxHasOneWholeWinner() throws Exception {
        String[] keys = TxKeys.onePerShard(SHARDS, "nx");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Jedis admin = jedis()) {
            for (int round = 0; round < 100; round++) {
                admin.del(keys);
                List<Future<Long>> racers = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    String me = "r" + r;
                    racers.add(pool.submit(() -> {
                        try (Jedis j = jedis()) {
                            return j.msetnx(allTo(keys, me));
                        }
                    }));
                }
                long wins = 0;
                for (Future<Long> f : racers) {
                    wins += f.get(30, TimeUnit.SECONDS);
                }
                assertThat(wins).as("round %s", round).isEqualTo(1);
                assertThat(admin.mget(keys).stream().distinct().count()).as("one writer's values only").isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Single-key GETs of keys a transaction holds wait for it: EXEC writes the first key, then runs
     * a hundred commands on a third shard (a long window), then writes the last key. A reader that
     * saw the first key's new value must see the last key's too.
     */
    @Test
    void singleKeyReadsWaitBehindATransaction() throws Exception {
        Window w = Window.open("wait:", 0, 1, 2);
        Tally gets = whileWriting(List.of(w.transactions(60)), j -> w.torn(j::get)).get(0);
        assertThat(gets.looks()).isPositive();
        assertThat(gets.wrong()).as("GET pairs (of %s) that read inside a transaction", gets.looks()).isZero();
    }

    /** The same through the memcached protocol: a memcached reader never reads inside an EXEC either. */
    @Test
    void memcachedReadsWaitBehindATransaction() throws Exception {
        Window w = Window.open("mcwait:", 2, 3, 0);
        MemcachedClient mc = SpyClients.text(server.memcachedPort());
        Tally gets;
        try {
            // the reader's own Jedis connection goes unused: it reads through memcached
            gets = whileWriting(List.of(w.transactions(40)), unused -> w.torn(mc::get)).get(0);
        } finally {
            mc.shutdown();
        }
        assertThat(gets.looks()).isPositive();
        assertThat(gets.wrong()).as("memcached get pairs (of %s) that read inside a transaction", gets.looks())
                .isZero();
    }

    /** MSET and DEL of one key per shard, alternating: EXISTS and TOUCH over them count all or none. */
    @Test
    void delAndExistsAcrossShardsAreAllOrNothing() throws Exception {
        String[] keys = TxKeys.onePerShard(SHARDS, "del");
        AtomicInteger turn = new AtomicInteger();
        Tally counts = whileWriting(List.of(j -> {
            for (int r = 0; r < 300; r++) {
                j.mset(allTo(keys, "v"));
                assertThat(j.del(keys)).isEqualTo(keys.length);
            }
        }), j -> {
            long n = turn.incrementAndGet() % 2 == 0 ? j.exists(keys) : j.touch(keys);
            return n != 0 && n != keys.length;
        }).get(0);
        assertThat(counts.looks()).isPositive();
        assertThat(counts.wrong()).as("EXISTS/TOUCH (of %s) that counted some of the keys", counts.looks()).isZero();
    }
}
