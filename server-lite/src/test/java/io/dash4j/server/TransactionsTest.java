package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import net.spy.memcached.AddrUtil;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH with Redis 7's answers, through Jedis and raw RESP, on
 * a server of four shards (a transaction's keys are picked on different shards).
 */
class TransactionsTest {

    static final int SHARDS = 4;
    static Server server;
    static String[] keys;
    static final String[] NO_ARGS = {};

    static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    @BeforeAll
    static void start() {
        server = TestServers.start(c -> c.threads = SHARDS);
        keys = TxKeys.onePerShard(SHARDS, "tx");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private Jedis jedis() {
        return new Jedis("127.0.0.1", server.port(), 5000);
    }

    private Raw raw() throws Exception {
        return new Raw(server.port());
    }

    @BeforeEach
    void flush() {
        try (Jedis j = jedis()) {
            j.flushAll();
        }
    }

    @Test
    void execRunsQueuedCommandsAcrossShardsInOrder() {
        try (Jedis j = jedis()) {
            Transaction t = j.multi();
            Response<String> set0 = t.set(keys[0], "10");
            Response<Long> incr0 = t.incrBy(keys[0], 5);
            Response<String> set1 = t.set(keys[1], "x");
            Response<Long> del = t.del(keys[2], keys[1]);
            Response<List<String>> mget = t.mget(keys[0], keys[1], keys[3]);
            Response<Long> append = t.append(keys[3], "abc");
            List<Object> out = t.exec();
            assertThat(out).hasSize(6);
            assertThat(set0.get()).isEqualTo("OK");
            assertThat(incr0.get()).isEqualTo(15L);
            assertThat(set1.get()).isEqualTo("OK");
            assertThat(del.get()).isEqualTo(1L);
            assertThat(mget.get()).containsExactly("15", null, null);
            assertThat(append.get()).isEqualTo(3L);
            assertThat(j.mget(keys)).containsExactly("15", null, null, "abc");
        }
    }

    @Test
    void queuedRepliesAndTheExecArrayOnTheWire() throws Exception {
        try (Raw r = raw()) {
            r.send("MULTI\r\nSET " + keys[0] + " 1\r\nINCR " + keys[1] + "\r\nGET " + keys[0] + "\r\nEXEC\r\n");
            String expected = "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n:1\r\n$1\r\n1\r\n";
            assertThat(r.readAtLeast(expected.length())).isEqualTo(expected);
            r.send("MULTI\r\nEXEC\r\n");
            assertThat(r.readAtLeast(9)).isEqualTo("+OK\r\n*0\r\n");
        }
    }

    @Test
    void discardDropsTheQueue() throws Exception {
        try (Raw r = raw(); Jedis j = jedis()) {
            r.send("MULTI\r\nSET " + keys[0] + " 1\r\nDISCARD\r\nGET " + keys[0] + "\r\n");
            String expected = "+OK\r\n+QUEUED\r\n+OK\r\n$-1\r\n";
            assertThat(r.readAtLeast(expected.length())).isEqualTo(expected);
            assertThat(j.exists(keys[0])).isFalse();
        }
    }

    @Test
    void misplacedCommandsGetRedisErrors() throws Exception {
        try (Raw r = raw()) {
            r.send("EXEC\r\nDISCARD\r\nMULTI\r\nMULTI\r\nWATCH " + keys[0] + "\r\nSET " + keys[0] + " 1\r\nEXEC\r\nWATCH\r\nUNWATCH\r\n");
            String expected = "-ERR EXEC without MULTI\r\n"
                    + "-ERR DISCARD without MULTI\r\n"
                    + "+OK\r\n"
                    + "-ERR MULTI calls can not be nested\r\n"
                    + "-ERR WATCH inside MULTI is not allowed\r\n"
                    + "+QUEUED\r\n"
                    + "*1\r\n+OK\r\n" // neither error above aborts the transaction, as in Redis
                    + "-ERR wrong number of arguments for 'watch' command\r\n"
                    + "+OK\r\n";
            assertThat(r.readAtLeast(expected.length())).isEqualTo(expected);
        }
    }

    @Test
    void queueTimeErrorsAbortTheWholeTransactionWithNothingApplied() throws Exception {
        try (Raw r = raw(); Jedis j = jedis()) {
            j.set(keys[2], "before");
            r.send("MULTI\r\nSET " + keys[0] + " 1\r\nNOPE x\r\nGET\r\nSHUTDOWN\r\nSET " + keys[2] + " after\r\nEXEC\r\n");
            String expected = "+OK\r\n+QUEUED\r\n"
                    + "-ERR unknown command 'NOPE', with args beginning with: 'x' \r\n"
                    + "-ERR wrong number of arguments for 'get' command\r\n"
                    + "-ERR Command not allowed inside a transaction\r\n"
                    + "+QUEUED\r\n"
                    + "-EXECABORT Transaction discarded because of previous errors.\r\n";
            assertThat(r.readAtLeast(expected.length())).isEqualTo(expected);
            assertThat(j.exists(keys[0])).isFalse();
            assertThat(j.get(keys[2])).isEqualTo("before");
            // the connection is out of MULTI afterwards
            r.send("GET " + keys[2] + "\r\n");
            assertThat(r.readAtLeast(12)).isEqualTo("$6\r\nbefore\r\n");
        }
    }

    @Test
    void runtimeErrorsAreAnsweredPerCommandAndTheOthersApply() {
        try (Jedis j = jedis()) {
            j.set(keys[0], "not a number");
            Transaction t = j.multi();
            t.incr(keys[0]);
            t.set(keys[1], "1");
            t.set(keys[3], "v", new redis.clients.jedis.params.SetParams().px(-5));
            t.incrBy(keys[1], 2);
            List<Object> out = t.exec();
            assertThat(out).hasSize(4);
            assertThat(out.get(0)).isInstanceOf(JedisDataException.class);
            assertThat(((Exception) out.get(0)).getMessage()).isEqualTo("ERR value is not an integer or out of range");
            assertThat(out.get(1)).isEqualTo("OK");
            assertThat(out.get(2)).isInstanceOf(JedisDataException.class);
            assertThat(out.get(3)).isEqualTo(3L);
            assertThat(j.get(keys[1])).isEqualTo("3");
            assertThat(j.get(keys[0])).isEqualTo("not a number");
            assertThat(j.exists(keys[3])).isFalse();
        }
    }

    @Test
    void keyspaceWideCommandsWorkInsideExec() {
        try (Jedis j = jedis()) {
            j.mset(keys[0], "a", keys[1], "b", keys[2], "c");
            Transaction t = j.multi();
            Response<Object> size = t.sendCommand(Command.DBSIZE, NO_ARGS);
            Response<Object> ping = t.sendCommand(Command.PING, NO_ARGS);
            Response<Object> all = t.sendCommand(Command.KEYS, "*");
            Response<Object> info = t.sendCommand(Command.INFO, "keyspace");
            Response<Object> flush = t.sendCommand(Command.FLUSHALL, NO_ARGS);
            Response<Object> after = t.sendCommand(Command.DBSIZE, NO_ARGS);
            Response<String> set = t.set(keys[3], "d");
            t.exec();
            assertThat(size.get()).isEqualTo(3L);
            assertThat(text(ping.get())).isEqualTo("PONG");
            assertThat(((List<?>) all.get()).stream().map(TransactionsTest::text))
                    .containsExactlyInAnyOrder(keys[0], keys[1], keys[2]);
            assertThat(text(info.get())).contains("db0:keys=3");
            assertThat(text(flush.get())).isEqualTo("OK");
            assertThat(after.get()).isEqualTo(0L);
            assertThat(set.get()).isEqualTo("OK");
            assertThat(j.dbSize()).isEqualTo(1L);
        }
    }

    @Test
    void watchedKeyWrittenByAnotherConnectionAbortsExec() {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            a.set(keys[0], "1");
            a.watch(keys[0], keys[1]);
            b.set(keys[0], "2");
            Transaction t = a.multi();
            t.set(keys[1], "from a");
            assertThat(t.exec()).isNull();
            assertThat(a.exists(keys[1])).isFalse();
            // EXEC unwatched: the same transaction now goes through
            t = a.multi();
            t.set(keys[1], "from a");
            assertThat(t.exec()).containsExactly("OK");
        }
    }

    @Test
    void watchedMissingKeyCreatedAndDeletedAgainStillAborts() {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            a.watch(keys[2]);
            b.set(keys[2], "x");
            b.del(keys[2]);
            Transaction t = a.multi();
            t.set(keys[3], "v");
            assertThat(t.exec()).isNull();
        }
    }

    @Test
    void untouchedWatchesLetExecThroughAndUnwatchForgets() {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            a.set(keys[0], "1");
            a.watch(keys[0], keys[1]);
            b.get(keys[0]);
            b.set(keys[2], "other key");
            Transaction t = a.multi();
            t.incr(keys[0]);
            assertThat(t.exec()).containsExactly(2L);

            a.watch(keys[0]);
            a.unwatch();
            b.set(keys[0], "changed");
            t = a.multi();
            t.get(keys[0]);
            assertThat(t.exec()).containsExactly("changed");

            a.watch(keys[0]);
            b.set(keys[0], "again");
            t = a.multi();
            t.get(keys[0]);
            t.discard(); // DISCARD unwatches too
            t = a.multi();
            t.get(keys[0]);
            assertThat(t.exec()).containsExactly("again");
        }
    }

    @Test
    void watchSeesDeletesFlushesAndExpiry() throws Exception {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            a.set(keys[0], "1");
            a.watch(keys[0]);
            b.del(keys[0]);
            assertThat(a.multi().exec()).isNull();

            a.set(keys[1], "1");
            a.watch(keys[1]);
            b.flushAll();
            assertThat(a.multi().exec()).isNull();

            a.set(keys[2], "1");
            a.watch(keys[2]);
            b.flushDB();
            assertThat(a.multi().exec()).isNull();

            a.set(keys[3], "1");
            a.watch(keys[3]);
            b.expire(keys[3], 1000);
            assertThat(a.multi().exec()).isNull();

            a.psetex(keys[3], 50, "short");
            a.watch(keys[3]);
            Thread.sleep(150);
            Transaction t = a.multi();
            t.set(keys[0], "after expiry");
            assertThat(t.exec()).as("a watched key that expired aborts EXEC").isNull();
            assertThat(a.exists(keys[0])).isFalse();
        }
    }

    @Test
    void watchSeesWritesThroughTheMemcachedProtocol() throws Exception {
        MemcachedClient mc = new MemcachedClient(AddrUtil.getAddresses("127.0.0.1:" + server.memcachedPort()));
        try (Jedis a = jedis()) {
            a.set(keys[1], "1");
            a.watch(keys[1]);
            assertThat(mc.set(keys[1], 0, "from memcached").get()).isTrue();
            Transaction t = a.multi();
            t.set(keys[2], "x");
            assertThat(t.exec()).isNull();

            a.watch(keys[1]);
            assertThat(mc.delete(keys[1]).get()).isTrue();
            assertThat(a.multi().exec()).isNull();
        } finally {
            mc.shutdown();
        }
    }

    @Test
    void watchSeesEviction() {
        // Dragonfly's order: under the default order a protected entry in a sparse weight-bounded
        // segment leaves only when its bucket overflows, which this fill does not force in bounded
        // time (a known weakness of the default's protected region, see docs/eviction.md). The
        // test is about WATCH seeing an eviction, not about which order evicts.
        Server small = TestServers.start(c -> {
            c.threads = SHARDS;
            c.maxmemory = 4L * 1024 * 1024;
            c.slotPolicy = "dragonfly";
        });
        try (Jedis a = new Jedis("127.0.0.1", small.port(), 5000);
             Jedis b = new Jedis("127.0.0.1", small.port(), 5000)) {
            String watched = TxKeys.ownedBy(0, SHARDS, "victim", 0);
            a.set(watched, "v");
            a.watch(watched);
            String value = "x".repeat(1000);
            boolean evicted = false;
            for (int round = 0; round < 100 && !evicted; round++) {
                redis.clients.jedis.Pipeline p = b.pipelined();
                // keys that are read again reach the protected part of the cache, as the victim did
                // (WATCH's lookup counts as a hit): the fill must push out protected entries too
                for (int i = 0; i < 1000; i++) {
                    p.set("fill:" + round + ":" + i, value);
                    p.get("fill:" + round + ":" + i);
                    p.get("fill:" + round + ":" + i);
                }
                p.sync();
                evicted = b.keys(watched).isEmpty(); // KEYS scans: unlike a read, it does not bump the key
            }
            assertThat(evicted).as("the watched key was evicted by the fill").isTrue();
            Transaction t = a.multi();
            t.set("after", "1");
            assertThat(t.exec()).isNull();
        } finally {
            small.close();
        }
    }

    @Test
    void multiStateEndsWithTheConnection() throws Exception {
        try (Raw r = raw()) {
            r.send("MULTI\r\nSET " + keys[0] + " 1\r\n");
            assertThat(r.readAtLeast(14)).isEqualTo("+OK\r\n+QUEUED\r\n");
        }
        try (Jedis j = jedis()) {
            assertThat(j.exists(keys[0])).isFalse();
            assertThat(j.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void jedisSeesQueueTimeErrorsAsAbortedExec() {
        try (Jedis j = jedis()) {
            Transaction t = j.multi();
            t.set(keys[0], "1");
            t.sendCommand(Command.GET, NO_ARGS); // wrong arity
            assertThatThrownBy(t::exec).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("EXECABORT Transaction discarded because of previous errors.");
            assertThat(j.exists(keys[0])).isFalse();
        }
    }

    /** Queued commands count in client memory until EXEC/DISCARD, and a closed connection gives them all back. */
    @Test
    void queuedCommandsAreAccountedAndReturned() throws Exception {
        Server one = TestServers.start(c -> c.threads = 1);
        try (Jedis j = new Jedis("127.0.0.1", one.port(), 5000)) {
            long before = ModesTest.field(j.info("memory"), "mem_clients_normal");
            String big = "v".repeat(100_000);
            try (Raw r = new Raw(one.port())) {
                StringBuilder cmds = new StringBuilder("MULTI\r\n");
                for (int i = 0; i < 10; i++) {
                    cmds.append("*3\r\n$3\r\nSET\r\n$2\r\nk").append(i).append("\r\n$").append(big.length())
                            .append("\r\n").append(big).append("\r\n");
                }
                r.send(cmds.toString());
                assertThat(r.readAtLeast(5 + 10 * 9)).endsWith("+QUEUED\r\n");
                long during = ModesTest.field(j.info("memory"), "mem_clients_normal");
                assertThat(during - before).as("queued bytes held").isGreaterThanOrEqualTo(1_000_000);
            }
            long after = before;
            for (int i = 0; i < 100; i++) {
                after = ModesTest.field(j.info("memory"), "mem_clients_normal");
                if (one.connectedClients() == 1 && Math.abs(after - before) < 50_000) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(Math.abs(after - before)).as("client memory back to where it was (before %s, after %s)", before, after)
                    .isLessThan(50_000);
            assertThat(j.dbSize()).isZero();
        } finally {
            one.close();
        }
    }

    /** Lettuce in RESP3: MULTI/EXEC results, and a broken WATCH as RESP3's null ({@code _}). */
    @Test
    void lettuceTransactionsInResp3() {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(io.lettuce.core.RedisURI.builder()
                .withHost("127.0.0.1").withPort(server.port()).withTimeout(java.time.Duration.ofSeconds(10)).build());
        client.setOptions(io.lettuce.core.ClientOptions.builder()
                .protocolVersion(io.lettuce.core.protocol.ProtocolVersion.RESP3).build());
        try (var conn = client.connect(); Jedis other = jedis()) {
            var redis = conn.sync();
            assertThat(redis.multi()).isEqualTo("OK");
            redis.set(keys[0], "5");
            redis.incrby(keys[0], 2);
            redis.mget(keys[0], keys[1]);
            io.lettuce.core.TransactionResult result = redis.exec();
            assertThat(result.wasDiscarded()).isFalse();
            assertThat(result.size()).isEqualTo(3);
            assertThat((Object) result.get(1)).isEqualTo(7L);

            redis.watch(keys[0]);
            other.set(keys[0], "changed");
            redis.multi();
            redis.set(keys[1], "never");
            assertThat(redis.exec().wasDiscarded()).isTrue();
            assertThat(redis.exists(keys[1])).isZero();
        } finally {
            client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2));
        }
    }

    /**
     * EXEC whose keys all live on one shard, for every shard (so also shards other than the
     * connection's, where the whole transaction runs on the owner): results, runtime errors, WATCH.
     */
    @Test
    void execOnOneShardWhicheverItIs() {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            for (int s = 0; s < SHARDS; s++) {
                String k1 = TxKeys.ownedBy(s, SHARDS, "one" + s + ":", 0);
                String k2 = TxKeys.ownedBy(s, SHARDS, "one" + s + ":", 1_000);
                a.set(k2, "text");
                Transaction t = a.multi();
                t.set(k1, "41");
                t.incr(k1);
                t.incr(k2);
                t.mget(k1, k2);
                List<Object> out = t.exec();
                assertThat(out).hasSize(4);
                assertThat(out.get(1)).isEqualTo(42L);
                assertThat(out.get(2)).isInstanceOf(JedisDataException.class);
                assertThat(out.get(3)).isEqualTo(List.of("42", "text"));

                a.watch(k1);
                b.incr(k1);
                t = a.multi();
                t.set(k2, "never");
                assertThat(t.exec()).as("shard %s", s).isNull();
                assertThat(a.get(k2)).isEqualTo("text");

                a.watch(k1);
                t = a.multi();
                t.set(k2, "now");
                assertThat(t.exec()).containsExactly("OK");
                assertThat(b.get(k2)).isEqualTo("now");
            }
        }
    }
}
