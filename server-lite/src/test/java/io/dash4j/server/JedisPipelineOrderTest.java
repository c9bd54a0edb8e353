package io.dash4j.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jedis pipelines mixing the in-place commands (GET, SET k v, INCR, INCRBY, DECR) with copied ones
 * (SET with options, APPEND, MGET, DEL) over keys on all four shards: every reply is the model's,
 * in request order, and single-key pipelines cross shards in batches (far fewer inbox messages
 * than command parts).
 *
 * <p>Regression: with per-target outboxes, a DECR for shard B waiting in the home shard's outbox
 * could reach B after the lock baton of a later cross-shard MGET (passed to B by another shard),
 * so the MGET read B's key without the DECR before it. A post now flushes every outbox first.
 */
class JedisPipelineOrderTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(c -> c.threads = 4);

    @Test
    void mixedPipelinesAcrossShardsKeepOrder() {
        Random rnd = new Random(13);
        Map<String, String> model = new HashMap<>();
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.flushAll();
            for (int round = 0; round < 20; round++) {
                Pipeline p = jedis.pipelined();
                List<Response<?>> got = new ArrayList<>();
                List<Object> want = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    String k = "key:" + rnd.nextInt(40);
                    String n = "num:" + rnd.nextInt(10);
                    switch (rnd.nextInt(9)) {
                        case 0 -> {
                            got.add(p.get(k));
                            want.add(model.get(k));
                        }
                        case 1 -> {
                            String v = "v" + rnd.nextInt(1_000_000);
                            got.add(p.set(k, v));
                            model.put(k, v);
                            want.add("OK");
                        }
                        case 2 -> {
                            String v = "x" + rnd.nextInt(1000);
                            got.add(p.set(k, v, SetParams.setParams().ex(1000)));
                            model.put(k, v);
                            want.add("OK");
                        }
                        case 3 -> {
                            long d = rnd.nextInt(2001) - 1000;
                            got.add(p.incrBy(n, d));
                            long next = Long.parseLong(model.getOrDefault(n, "0")) + d;
                            model.put(n, Long.toString(next));
                            want.add(next);
                        }
                        case 4 -> {
                            got.add(p.incr(n));
                            long next = Long.parseLong(model.getOrDefault(n, "0")) + 1;
                            model.put(n, Long.toString(next));
                            want.add(next);
                        }
                        case 5 -> {
                            got.add(p.decr(n));
                            long next = Long.parseLong(model.getOrDefault(n, "0")) - 1;
                            model.put(n, Long.toString(next));
                            want.add(next);
                        }
                        case 6 -> {
                            got.add(p.append(k, "+"));
                            String v = model.getOrDefault(k, "") + "+";
                            model.put(k, v);
                            want.add((long) v.length());
                        }
                        case 7 -> {
                            String k2 = "key:" + rnd.nextInt(40);
                            got.add(p.mget(k, n, k2));
                            List<String> vals = new ArrayList<>();
                            vals.add(model.get(k));
                            vals.add(model.get(n));
                            vals.add(model.get(k2));
                            want.add(vals);
                        }
                        default -> {
                            got.add(p.del(k));
                            want.add(model.remove(k) != null ? 1L : 0L);
                        }
                    }
                }
                p.sync();
                for (int i = 0; i < got.size(); i++) {
                    assertEquals(want.get(i), got.get(i).get(), "round " + round + ", command " + i);
                }
            }
        }
    }

    /**
     * Single-key commands pipelined across shards hop in batches: far fewer inbox messages than
     * parts (each remote command is a part there and its result a part back).
     */
    @Test
    void singleKeyPipelinesHopInBatches() {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            long hopsBefore = infoLong(jedis, "shard_hops");
            long partsBefore = infoLong(jedis, "shard_hop_parts");
            for (int round = 0; round < 10; round++) {
                Pipeline p = jedis.pipelined();
                List<Response<String>> gets = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    p.set("batch:" + i, "v" + round);
                    p.incr("count:" + i);
                    gets.add(p.get("batch:" + i));
                }
                p.sync();
                for (Response<String> g : gets) {
                    assertEquals("v" + round, g.get());
                }
            }
            long hops = infoLong(jedis, "shard_hops") - hopsBefore;
            long parts = infoLong(jedis, "shard_hop_parts") - partsBefore;
            assertTrue(parts > 10_000, "commands crossed shards: " + parts + " parts");
            assertTrue(hops * 4 < parts, "batched: " + hops + " inbox messages for " + parts + " parts");
        }
    }

    private static long infoLong(Jedis jedis, String field) {
        for (String line : jedis.info("dash4j").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("INFO has no " + field);
    }
}
