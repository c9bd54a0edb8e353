package io.dash4j.server;

import io.dash4j.server.persist.RdbReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A dump is one instant across all shards: writers run cross-shard MSETs (atomic transactions)
 * that give both keys of a pair, owned by different shards, the same value, and DELs of both,
 * while BGSAVE runs again and again; every dump, read back, holds each pair wholly (equal values)
 * or not at all. With images fixed shard by shard at slightly different moments, an MSET that
 * lands between two shards' moments shows up as a pair with different values.
 */
class SnapshotAcrossShardsTest {

    static final int SHARDS = 3;
    static final int PAIRS = 24;
    static final int WRITERS = 4;
    static final int SAVES = 25;

    @Test
    @Timeout(120)
    void everyDumpHoldsEachCrossShardMsetWhollyOrNotAtAll(@TempDir Path dir) throws Exception {
        String[][] pairs = new String[PAIRS][];
        for (int p = 0; p < PAIRS; p++) {
            pairs[p] = new String[] {
                TxKeys.ownedBy(p % SHARDS, SHARDS, "a" + p + ":", 0),
                TxKeys.ownedBy((p + 1) % SHARDS, SHARDS, "b" + p + ":", 0)};
        }
        Server server = PersistenceTest.server(dir, c -> c.threads = SHARDS);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        AtomicBoolean stop = new AtomicBoolean();
        try (Jedis admin = new Jedis("127.0.0.1", server.port(), 10_000)) {
            // filler, so each walk takes a while and the writers' MSETs meet running walks
            Pipeline fill = admin.pipelined();
            for (int i = 0; i < 30_000; i++) {
                fill.set("filler:" + i, "f" + i);
            }
            for (String[] pair : pairs) {
                fill.mset(pair[0], "init", pair[1], "init");
            }
            fill.sync();
            List<Future<Long>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int id = w;
                writers.add(pool.submit(() -> write(server.port(), pairs, id, stop)));
            }
            int torn = 0;
            StringBuilder firstTears = new StringBuilder();
            for (int round = 0; round < SAVES; round++) {
                bgsave(admin);
                PersistenceTest.awaitSaveEnd(admin);
                assertEquals("ok", PersistenceTest.info(admin, "rdb_last_bgsave_status"));
                Map<String, String> dump = read(dir.resolve("dump.rdb"));
                assertThat(dump).containsKey("filler:29999");
                for (String[] pair : pairs) {
                    String a = dump.get(pair[0]);
                    String b = dump.get(pair[1]);
                    if (a == null ? b != null : !a.equals(b)) {
                        torn++;
                        if (firstTears.length() < 300) {
                            firstTears.append(" save ").append(round).append(": ").append(pair[0]).append('=').append(a)
                                    .append(", ").append(pair[1]).append('=').append(b).append(';');
                        }
                    }
                }
            }
            stop.set(true);
            long msets = 0;
            for (Future<Long> f : writers) {
                msets += f.get(30, TimeUnit.SECONDS);
            }
            assertThat(msets).as("the writers ran while the saves did").isGreaterThan(SAVES);
            assertEquals(0, torn, "pairs split by a dump:" + firstTears);
        } finally {
            stop.set(true);
            pool.shutdownNow();
            server.close();
        }
    }

    /** MSETs (and now and then a DEL) of both keys of random pairs, pipelined; returns how many. */
    private static long write(int port, String[][] pairs, int id, AtomicBoolean stop) {
        SplittableRandom rnd = new SplittableRandom(id);
        long n = 0;
        try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
            while (!stop.get()) {
                Pipeline p = j.pipelined();
                for (int i = 0; i < 32; i++) {
                    String[] pair = pairs[rnd.nextInt(pairs.length)];
                    if (rnd.nextInt(10) == 0) {
                        p.del(pair[0], pair[1]);
                    } else {
                        String v = "w" + id + "-" + n;
                        p.mset(pair[0], v, pair[1], v);
                    }
                    n++;
                }
                p.sync();
            }
        }
        return n;
    }

    private static void bgsave(Jedis j) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                j.bgsave();
                return;
            } catch (JedisDataException e) {
                assertThat(e.getMessage()).contains("already in progress");
                assertThat(attempt).isLessThan(1000);
                Thread.sleep(10);
            }
        }
    }

    private static Map<String, String> read(Path file) throws Exception {
        Map<String, String> out = new HashMap<>();
        RdbReader.read(file, (k, v, at, flags, cas) ->
                out.put(new String(k, StandardCharsets.ISO_8859_1), new String(v, StandardCharsets.ISO_8859_1)));
        return out;
    }
}
