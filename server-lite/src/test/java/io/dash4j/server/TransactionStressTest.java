package io.dash4j.server;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No deadlock, no lost wake-up: clients on four shards hammer a dozen keys with every kind of
 * lock user at once — MSET/MGET/DEL/EXISTS over random key sets in random orders, RENAME and
 * MSETNX across shards, EXEC with reads, writes and a keyspace-wide DBSIZE, WATCH, pipelines of
 * single-key commands — and every client finishes within the deadline. A lock-order bug shows up
 * here as a timeout.
 */
class TransactionStressTest {

    @Test
    void everyMixOfLockUsersFinishes() throws Exception {
        Server server = TestServers.start(c -> c.threads = 4);
        String[] keys = new String[12];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = TxKeys.ownedBy(i % 4, 4, "stress" + i + ":", 0);
        }
        int clients = 6;
        int opsEach = 250;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int seed = c;
                done.add(pool.submit(() -> run(server.port(), keys, new SplittableRandom(seed), opsEach)));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(clients * opsEach);
            try (Jedis j = new Jedis("127.0.0.1", server.port(), 5000)) {
                assertThat(j.ping()).isEqualTo("PONG");
                assertThat(j.dbSize()).isBetween(0L, (long) keys.length);
            }
        } finally {
            pool.shutdownNow();
            server.close();
        }
    }

    private static String[] pick(String[] keys, SplittableRandom rnd) {
        int n = 2 + rnd.nextInt(4);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = keys[rnd.nextInt(keys.length)];
        }
        return out;
    }

    private static int run(int port, String[] keys, SplittableRandom rnd, int ops) {
        int finished = 0;
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            for (int op = 0; op < ops; op++) {
                String[] ks = pick(keys, rnd);
                try {
                    switch (rnd.nextInt(9)) {
                        case 0 -> {
                            String[] kv = new String[ks.length * 2];
                            for (int i = 0; i < ks.length; i++) {
                                kv[2 * i] = ks[i];
                                kv[2 * i + 1] = Integer.toString(op);
                            }
                            j.mset(kv);
                        }
                        case 1 -> j.mget(ks);
                        case 2 -> j.del(ks);
                        case 3 -> j.exists(ks);
                        case 4 -> j.rename(ks[0], ks[1]);
                        case 5 -> j.msetnx(ks[0], "a", ks[1], "b");
                        case 6 -> {
                            Transaction t = j.multi();
                            t.incr(ks[0]);
                            t.get(ks[1]);
                            t.set(ks[ks.length - 1], "x");
                            if (rnd.nextInt(4) == 0) {
                                t.sendCommand(redis.clients.jedis.Protocol.Command.DBSIZE, new String[0]);
                            }
                            t.exec();
                        }
                        case 7 -> {
                            j.watch(ks);
                            Transaction t = j.multi();
                            t.set(ks[0], "w");
                            t.exec();
                        }
                        default -> {
                            Pipeline p = j.pipelined();
                            for (String k : ks) {
                                p.set(k, "p");
                                p.get(k);
                            }
                            p.mget(ks);
                            p.sync();
                        }
                    }
                } catch (JedisDataException expected) {
                    // RENAME of a missing key, INCR of a non-number: answers, not failures
                }
                finished++;
            }
        }
        return finished;
    }
}
