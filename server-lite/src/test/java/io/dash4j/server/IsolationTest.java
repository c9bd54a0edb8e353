package io.dash4j.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Isolation under contention, on four shards: transactions and multi-key commands over keys of
 * different shards are never seen half done, by MGET, by MULTI/GET.../EXEC or by single-key GETs.
 */
class IsolationTest {

    static final int SHARDS = 4;
    static Server server;

    @BeforeAll
    static void start() {
        server = TestServers.start(c -> c.threads = SHARDS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

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

    /** Movers transfer amounts between counters on different shards; readers never see a wrong total. */
    @Test
    void transfersBetweenShardsKeepTheTotal() throws Exception {
        String[] counters = new String[8];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = TxKeys.ownedBy(i % SHARDS, SHARDS, "acct" + i + ":", 0);
        }
        long perCounter = 1000;
        try (Jedis j = jedis()) {
            for (String c : counters) {
                j.set(c, Long.toString(perCounter));
            }
        }
        long total = perCounter * counters.length;
        int movers = 3;
        int transfersEach = 300;
        AtomicBoolean moving = new AtomicBoolean(true);
        AtomicInteger wrongMget = new AtomicInteger();
        AtomicInteger wrongExec = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(movers + 2);
        try {
            List<Future<?>> moverTasks = new ArrayList<>();
            for (int m = 0; m < movers; m++) {
                int seed = m;
                moverTasks.add(pool.submit(() -> {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    try (Jedis j = jedis()) {
                        for (int i = 0; i < transfersEach; i++) {
                            int from = rnd.nextInt(counters.length);
                            int to = (from + 1 + rnd.nextInt(counters.length - 1)) % counters.length;
                            int amount = 1 + rnd.nextInt(50);
                            Transaction t = j.multi();
                            t.decrBy(counters[from], amount);
                            t.incrBy(counters[to], amount);
                            assertThat(t.exec()).hasSize(2);
                        }
                    }
                    return null;
                }));
            }
            Future<?> mgetReader = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    while (moving.get()) {
                        if (sum(j.mget(counters)) != total) {
                            wrongMget.incrementAndGet();
                        }
                        reads.incrementAndGet();
                    }
                }
                return null;
            });
            Future<?> execReader = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    while (moving.get()) {
                        Transaction t = j.multi();
                        for (String c : counters) {
                            t.get(c);
                        }
                        if (sum(t.exec()) != total) {
                            wrongExec.incrementAndGet();
                        }
                        reads.incrementAndGet();
                    }
                }
                return null;
            });
            for (Future<?> f : moverTasks) {
                f.get(120, TimeUnit.SECONDS);
            }
            moving.set(false);
            mgetReader.get(30, TimeUnit.SECONDS);
            execReader.get(30, TimeUnit.SECONDS);
        } finally {
            moving.set(false);
            pool.shutdownNow();
        }
        assertThat(reads.get()).isPositive();
        assertThat(wrongMget.get()).as("MGET saw a total other than %s", total).isZero();
        assertThat(wrongExec.get()).as("MULTI/GET.../EXEC saw a total other than %s", total).isZero();
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
            for (String k : keys) {
                j.set(k, "0");
            }
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger tornMget = new AtomicInteger();
        AtomicInteger tornGets = new AtomicInteger();
        AtomicInteger mgets = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    for (int r = 1; r <= rounds; r++) {
                        String[] kv = new String[keys.length * 2];
                        for (int i = 0; i < keys.length; i++) {
                            kv[2 * i] = keys[i];
                            kv[2 * i + 1] = Integer.toString(r);
                        }
                        assertThat(j.mset(kv)).isEqualTo("OK");
                    }
                }
                return null;
            });
            Future<?> mgetReader = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    while (writing.get()) {
                        List<String> v = j.mget(keys);
                        if (v.stream().distinct().count() != 1) {
                            tornMget.incrementAndGet();
                        }
                        mgets.incrementAndGet();
                    }
                }
                return null;
            });
            Future<?> getReader = pool.submit(() -> {
                // MSET writes every key to the same round: once the first key shows round r, a later
                // read of the last key must show r or newer
                try (Jedis j = jedis()) {
                    while (writing.get()) {
                        long first = Long.parseLong(j.get(keys[0]));
                        long last = Long.parseLong(j.get(keys[keys.length - 1]));
                        if (last < first) {
                            tornGets.incrementAndGet();
                        }
                    }
                }
                return null;
            });
            writer.get(120, TimeUnit.SECONDS);
            writing.set(false);
            mgetReader.get(30, TimeUnit.SECONDS);
            getReader.get(30, TimeUnit.SECONDS);
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        assertThat(mgets.get()).isPositive();
        assertThat(tornMget.get()).as("MGETs (of %s) that saw a torn MSET", mgets.get()).isZero();
        assertThat(tornGets.get()).as("GET pairs that saw a torn MSET").isZero();
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
        AtomicBoolean moving = new AtomicBoolean(true);
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> mover = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    for (int r = 0; r < 300; r++) {
                        assertThat(j.rename(r % 2 == 0 ? a : b, r % 2 == 0 ? b : a)).isEqualTo("OK");
                    }
                }
                return null;
            });
            Future<?> reader = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    while (moving.get()) {
                        List<String> v = j.mget(a, b);
                        if (v.stream().filter(java.util.Objects::nonNull).count() != 1) {
                            wrong.incrementAndGet();
                        }
                        reads.incrementAndGet();
                    }
                }
                return null;
            });
            mover.get(60, TimeUnit.SECONDS);
            moving.set(false);
            reader.get(30, TimeUnit.SECONDS);
        } finally {
            moving.set(false);
            pool.shutdownNow();
        }
        assertThat(reads.get()).isPositive();
        assertThat(wrong.get()).as("MGETs that saw the value under both names or neither").isZero();
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
                            String[] kv = new String[keys.length * 2];
                            for (int i = 0; i < keys.length; i++) {
                                kv[2 * i] = keys[i];
                                kv[2 * i + 1] = me;
                            }
                            return j.msetnx(kv);
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
        String first = TxKeys.ownedBy(0, SHARDS, "wait:first", 0);
        String last = TxKeys.ownedBy(1, SHARDS, "wait:last", 0);
        String filler = TxKeys.ownedBy(2, SHARDS, "wait:filler", 0);
        try (Jedis j = jedis()) {
            j.mset(first, "0", last, "0");
        }
        int rounds = 60;
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger torn = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    for (int r = 1; r <= rounds; r++) {
                        Transaction t = j.multi();
                        t.set(first, Integer.toString(r));
                        for (int i = 0; i < 100; i++) {
                            t.incr(filler);
                        }
                        t.set(last, Integer.toString(r));
                        assertThat(t.exec()).hasSize(102);
                    }
                }
                return null;
            });
            Future<?> reader = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    while (writing.get()) {
                        long a = Long.parseLong(j.get(first));
                        long b = Long.parseLong(j.get(last));
                        if (b < a) {
                            torn.incrementAndGet();
                        }
                        reads.incrementAndGet();
                    }
                }
                return null;
            });
            writer.get(120, TimeUnit.SECONDS);
            writing.set(false);
            reader.get(30, TimeUnit.SECONDS);
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        assertThat(reads.get()).isPositive();
        assertThat(torn.get()).as("GET pairs (of %s) that read inside a transaction", reads.get()).isZero();
    }

    /** The same through the memcached protocol: a memcached reader never reads inside an EXEC either. */
    @Test
    void memcachedReadsWaitBehindATransaction() throws Exception {
        String first = TxKeys.ownedBy(2, SHARDS, "mcwait:first", 0);
        String last = TxKeys.ownedBy(3, SHARDS, "mcwait:last", 0);
        String filler = TxKeys.ownedBy(0, SHARDS, "mcwait:filler", 0);
        try (Jedis j = jedis()) {
            j.mset(first, "0", last, "0");
        }
        net.spy.memcached.MemcachedClient mc = new net.spy.memcached.MemcachedClient(
                new java.net.InetSocketAddress("127.0.0.1", server.memcachedPort()));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger torn = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    for (int r = 1; r <= 40; r++) {
                        Transaction t = j.multi();
                        t.set(first, Integer.toString(r));
                        for (int i = 0; i < 100; i++) {
                            t.incr(filler);
                        }
                        t.set(last, Integer.toString(r));
                        assertThat(t.exec()).hasSize(102);
                    }
                }
                return null;
            });
            Future<?> reader = pool.submit(() -> {
                while (writing.get()) {
                    long a = Long.parseLong((String) mc.get(first));
                    long b = Long.parseLong((String) mc.get(last));
                    if (b < a) {
                        torn.incrementAndGet();
                    }
                    reads.incrementAndGet();
                }
                return null;
            });
            writer.get(120, TimeUnit.SECONDS);
            writing.set(false);
            reader.get(30, TimeUnit.SECONDS);
        } finally {
            writing.set(false);
            pool.shutdownNow();
            mc.shutdown();
        }
        assertThat(reads.get()).isPositive();
        assertThat(torn.get()).as("memcached get pairs (of %s) that read inside a transaction", reads.get()).isZero();
    }

    /** MSET and DEL of one key per shard, alternating: EXISTS and TOUCH over them count all or none. */
    @Test
    void delAndExistsAcrossShardsAreAllOrNothing() throws Exception {
        String[] keys = TxKeys.onePerShard(SHARDS, "del");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger partial = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    String[] kv = new String[keys.length * 2];
                    for (int i = 0; i < keys.length; i++) {
                        kv[2 * i] = keys[i];
                        kv[2 * i + 1] = "v";
                    }
                    for (int r = 0; r < 300; r++) {
                        j.mset(kv);
                        assertThat(j.del(keys)).isEqualTo(keys.length);
                    }
                }
                return null;
            });
            Future<?> reader = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    while (writing.get()) {
                        long n = reads.incrementAndGet() % 2 == 0 ? j.exists(keys) : j.touch(keys);
                        if (n != 0 && n != keys.length) {
                            partial.incrementAndGet();
                        }
                    }
                }
                return null;
            });
            writer.get(60, TimeUnit.SECONDS);
            writing.set(false);
            reader.get(30, TimeUnit.SECONDS);
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        assertThat(reads.get()).isPositive();
        assertThat(partial.get()).as("EXISTS/TOUCH (of %s) that counted some of the keys", reads.get()).isZero();
    }
}
