package io.dash4j.server;

import io.dash4j.server.store.Key;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.SetParams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A read's reply is encoded after the command ran, maybe on another shard's thread and after later
 * commands of the same pipeline ran; the next SET of the key, with a value of the same length,
 * would overwrite the stored entry in place unless the read marked it shared. Two shards, keys
 * owned by each, every value of one length (so every overwrite could go in place): pipelined
 * GET/MGET/GETSET/SET..GET/GETRANGE/INCR followed by SETs of the same keys reply what the key held
 * when the read ran, and so does a transaction that reads then writes.
 */
class SharedEntryPipelineTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(c -> c.threads = 2);

    /** Keys {@code prefix0..}, half of them owned by each of the two shards. */
    static List<String> keysOnBothShards(String prefix, int perShard) {
        List<String> on0 = new ArrayList<>();
        List<String> on1 = new ArrayList<>();
        for (int i = 0; on0.size() < perShard || on1.size() < perShard; i++) {
            String k = prefix + i;
            List<String> to = new Key(k.getBytes(StandardCharsets.US_ASCII)).shard(2) == 0 ? on0 : on1;
            if (to.size() < perShard) {
                to.add(k);
            }
        }
        List<String> all = new ArrayList<>(on0);
        all.addAll(on1);
        return all;
    }

    static String value(Random rnd) {
        return String.format("v%015d", rnd.nextInt(1_000_000_000)); // always 16 bytes
    }

    @Test
    void readsInAPipelineReplyTheValueTheyRead() {
        Random rnd = new Random(42);
        List<String> keys = keysOnBothShards("shared:", 4);
        List<String> counters = keysOnBothShards("count:", 2);
        Map<String, String> model = new HashMap<>();
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            for (String k : keys) {
                String v = value(rnd);
                jedis.set(k, v);
                model.put(k, v);
            }
            for (String n : counters) {
                jedis.set(n, "1000000");
                model.put(n, "1000000");
            }
            for (int round = 0; round < 30; round++) {
                Pipeline p = jedis.pipelined();
                List<Response<?>> got = new ArrayList<>();
                List<Object> want = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String k = keys.get(rnd.nextInt(keys.size()));
                    String k2 = keys.get(rnd.nextInt(keys.size()));
                    String v = value(rnd);
                    switch (rnd.nextInt(6)) {
                        case 0 -> {
                            got.add(p.get(k));
                            want.add(model.get(k));
                        }
                        case 1 -> {
                            got.add(p.mget(k, k2));
                            want.add(Arrays.asList(model.get(k), model.get(k2)));
                        }
                        case 2 -> {
                            got.add(p.getSet(k, v));
                            want.add(model.put(k, v));
                        }
                        case 3 -> {
                            got.add(p.setGet(k, v, SetParams.setParams()));
                            want.add(model.put(k, v));
                        }
                        case 4 -> {
                            got.add(p.getrange(k, 1, 15));
                            want.add(model.get(k).substring(1, 16));
                        }
                        default -> {
                            String n = counters.get(rnd.nextInt(counters.size()));
                            got.add(p.get(n));
                            want.add(model.get(n));
                            got.add(p.incr(n));
                            long next = Long.parseLong(model.get(n)) + 1;
                            model.put(n, Long.toString(next));
                            want.add(next);
                        }
                    }
                    // the write right behind the read: same length, so it could go in place
                    got.add(p.set(k, v));
                    model.put(k, v);
                    want.add("OK");
                    String v2 = value(rnd);
                    got.add(p.set(k2, v2));
                    model.put(k2, v2);
                    want.add("OK");
                }
                p.sync();
                for (int i = 0; i < got.size(); i++) {
                    assertEquals(want.get(i), got.get(i).get(), "round " + round + ", reply " + i);
                }
            }
        }
    }

    /**
     * The memcached text protocol likewise: pipelined {@code get}/{@code gets} then a same-length
     * {@code set} (which writes in place into a private entry that already has a CAS unique), and
     * {@code get} then {@code incr} of a counter, answer what the key held when the read ran.
     */
    @Test
    void memcachedReadsInAPipelineAnswerTheValueTheyRead() throws IOException {
        Random rnd = new Random(11);
        List<String> keys = keysOnBothShards("mc:", 3);
        List<String> counters = keysOnBothShards("mcn:", 1);
        Map<String, String> model = new HashMap<>();
        try (TestServers.Raw mc = new TestServers.Raw(server.memcachedPort())) {
            StringBuilder setup = new StringBuilder();
            for (String k : keys) {
                String v = value(rnd);
                setup.append("set ").append(k).append(" 0 0 16\r\n").append(v).append("\r\n");
                model.put(k, v);
            }
            for (String n : counters) {
                setup.append("set ").append(n).append(" 0 0 7\r\n1000000\r\n");
                model.put(n, "1000000");
            }
            String stored = "STORED\r\n".repeat(keys.size() + counters.size());
            assertEquals(stored, mc.send(setup.toString()).read(stored.length()));
            for (int round = 0; round < 30; round++) {
                StringBuilder req = new StringBuilder();
                StringBuilder want = new StringBuilder();
                for (int i = 0; i < 100; i++) {
                    String k = keys.get(rnd.nextInt(keys.size()));
                    if (rnd.nextBoolean()) {
                        String n = counters.get(rnd.nextInt(counters.size()));
                        req.append("get ").append(n).append("\r\nincr ").append(n).append(" 1\r\n");
                        long next = Long.parseLong(model.get(n)) + 1;
                        want.append("VALUE ").append(n).append(" 0 7\r\n").append(model.get(n)).append("\r\nEND\r\n")
                                .append(next).append("\r\n");
                        model.put(n, Long.toString(next));
                    }
                    req.append("get ").append(k).append("\r\n");
                    want.append("VALUE ").append(k).append(" 0 16\r\n").append(model.get(k)).append("\r\nEND\r\n");
                    String v = value(rnd);
                    req.append("set ").append(k).append(" 0 0 16\r\n").append(v).append("\r\n");
                    want.append("STORED\r\n");
                    model.put(k, v);
                }
                String expected = want.toString();
                assertEquals(expected, mc.send(req.toString()).read(expected.length()), "round " + round);
            }
        }
    }

    /**
     * WATCH compares the key's entry by identity at EXEC, and a memcached write marks no watch:
     * a same-length memcached set of a key memcached wrote (an entry with a CAS unique, so the
     * set could go in place) must still break the watch, because WATCH shared the entry it read.
     */
    @Test
    void aWatchedEntryIsNeverOverwrittenInPlace() throws Exception {
        List<String> keys = keysOnBothShards("watched:", 1);
        try (TestServers.Raw mc = new TestServers.Raw(server.memcachedPort()); Jedis a = new Jedis("127.0.0.1",
                server.port())) {
            for (String k : keys) {
                String stored = "STORED\r\n";
                assertEquals(stored, mc.send("set " + k + " 0 0 8\r\naaaaaaaa\r\n").read(stored.length()));
                assertEquals(stored, mc.send("set " + k + " 0 0 8\r\nbbbbbbbb\r\n").read(stored.length()));
                a.watch(k);
                assertEquals(stored, mc.send("set " + k + " 0 0 8\r\ncccccccc\r\n").read(stored.length()));
                Transaction t = a.multi();
                t.set("watched:other", "x");
                assertEquals(null, t.exec(), "EXEC after a memcached set of watched " + k);
                assertEquals("cccccccc", a.get(k));
            }
        }
    }

    @Test
    void aTransactionThatReadsThenWritesRepliesTheValueRead() {
        Random rnd = new Random(7);
        List<String> keys = keysOnBothShards("tx:", 2);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            for (String k : keys) {
                jedis.set(k, value(rnd));
            }
            for (int round = 0; round < 200; round++) {
                String k = keys.get(rnd.nextInt(keys.size()));
                String before = value(rnd);
                jedis.set(k, before); // a new, private entry: not read since
                String after = value(rnd);
                Transaction t = jedis.multi();
                Response<String> read = t.get(k);
                t.set(k, after);
                Response<List<String>> both = t.mget(k, k);
                t.exec();
                assertEquals(before, read.get(), "round " + round);
                assertEquals(List.of(after, after), both.get(), "round " + round);
            }
        }
    }
}
