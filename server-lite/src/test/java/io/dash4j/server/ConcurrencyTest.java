package io.dash4j.server;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** 1,000 connections open at once, each doing a bounded amount of cross-shard work. */
class ConcurrencyTest {

    @Test
    void thousandConnections() throws Exception {
        Server server = TestServers.start(c -> c.threads = 4);
        int conns = 1000;
        List<Jedis> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int i = 0; i < conns; i++) {
                clients.add(new Jedis("127.0.0.1", server.port(), 10_000));
            }
            for (Jedis c : clients) {
                c.ping(); // every connection is adopted by its shard
            }
            assertThat(clients.get(0).info("clients")).contains("connected_clients:" + conns);
            AtomicLong ops = new AtomicLong();
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int slice = t;
                work.add(pool.submit(() -> {
                    for (int i = slice; i < conns; i += 16) {
                        Jedis c = clients.get(i);
                        for (int k = 0; k < 10; k++) {
                            String key = "c" + i + ":" + k;
                            assertEquals("OK", c.set(key, "v" + i));
                            assertEquals("v" + i, c.get(key));
                            c.incr("shared-counter");
                            assertEquals(List.of("v" + i, "v" + i), c.mget(key, "c" + i + ":0"));
                            ops.addAndGet(4);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
            Jedis check = clients.get(0);
            assertEquals(String.valueOf(conns * 10), check.get("shared-counter"));
            assertEquals(conns * 10L + 1, check.dbSize());
            assertThat(ops.get()).isEqualTo(conns * 40L);
        } finally {
            pool.shutdownNow();
            for (Jedis c : clients) {
                c.close();
            }
            server.close();
        }
    }
}
