package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** maxmemory: store mode answers OOM and loses nothing; cache mode evicts (2Q) and keeps STICK'ed keys. */
class ModesTest {

    static final long MAXMEMORY = 8L * 1024 * 1024;

    static long field(String info, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":(\\d+)").matcher(info);
        assertTrue(m.find(), name);
        return Long.parseLong(m.group(1));
    }

    static String value(int i) {
        String base = "v" + i + ":";
        return base + "x".repeat(1000 - base.length());
    }

    @Test
    void storeModeAnswersOomAndLosesNothing() throws Exception {
        Server server = TestServers.start(c -> {
            c.maxmemory = MAXMEMORY;
            c.cacheMode = false;
        });
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            // budgets are per shard: write until every shard has refused a few times
            List<Integer> acknowledged = new ArrayList<>();
            String oom = null;
            int refused = 0;
            for (int i = 0; i < 50_000 && refused < 200; i++) {
                try {
                    assertEquals("OK", j.set("k" + i, value(i)));
                    acknowledged.add(i);
                } catch (JedisDataException e) {
                    oom = e.getMessage();
                    refused++;
                }
            }
            assertEquals("OOM command not allowed when used memory > 'maxmemory'.", oom);
            assertThat(acknowledged.size()).isBetween(4_000, 8_500);
            String info = j.info();
            assertEquals(0, field(info, "evicted_keys"));
            assertThat(field(info, "used_memory") - field(info, "mem_clients_normal")).isLessThanOrEqualTo(MAXMEMORY);
            assertEquals(acknowledged.size(), j.dbSize());
            for (int i : acknowledged) {
                assertEquals(value(i), j.get("k" + i), "acknowledged key k" + i + " must survive");
            }
            try (Raw mc = new Raw(server.memcachedPort())) {
                mc.send("set mcfull 0 0 1000\r\n" + "y".repeat(1000) + "\r\n");
                assertEquals("SERVER_ERROR out of memory storing object\r\n", mc.line());
            }
            assertEquals(100L, j.del(acknowledged.subList(0, 100).stream().map(i -> "k" + i).toArray(String[]::new)));
            assertEquals("OK", j.set("after-delete", value(1)));
            // CONFIG SET raises the limit at run time
            assertEquals("OK", j.configSet("maxmemory", "64mb"));
            for (int i = 0; i < 1000; i++) {
                assertEquals("OK", j.set("grown" + i, value(i)));
            }
        } finally {
            server.close();
        }
    }

    @Test
    void cacheModeEvictsButKeepsStickyKeys() {
        Server server = TestServers.start(c -> c.maxmemory = MAXMEMORY);
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 100; i++) {
                j.set("pinned" + i, value(i));
            }
            String[] pinned = new String[100];
            for (int i = 0; i < 100; i++) {
                pinned[i] = "pinned" + i;
            }
            assertEquals(100L, (Long) j.sendCommand(RespCommandsTest.cmd("STICK"), pinned));
            int n = 60_000; // ~60 MB of values into an 8 MB cache
            for (int base = 0; base < n; base += 1000) {
                var p = j.pipelined();
                for (int i = base; i < base + 1000; i++) {
                    p.set("k" + i, value(i));
                }
                p.sync();
            }
            String info = j.info();
            long keys = j.dbSize();
            long evicted = field(info, "evicted_keys");
            assertThat(keys).isLessThan(n);
            assertThat(evicted).isGreaterThan(n / 2);
            assertThat(field(info, "used_memory") - field(info, "mem_clients_normal"))
                    .isLessThanOrEqualTo(MAXMEMORY + MAXMEMORY / 5);
            for (int i = 0; i < 100; i++) {
                assertEquals(value(i), j.get("pinned" + i), "STICK'ed keys are never evicted");
            }
            // recent writes are admitted (they land in the probationary stash FIFOs)
            int recent = 0;
            for (int i = n - 50; i < n; i++) {
                if (j.get("k" + i) != null) {
                    recent++;
                }
            }
            assertThat(recent).isGreaterThan(10);
            // a value larger than a shard's whole share is refused, not stored by wiping the cache
            JedisDataException e = org.junit.jupiter.api.Assertions.assertThrows(JedisDataException.class,
                    () -> j.set("huge".getBytes(), new byte[6 * 1024 * 1024]));
            assertThat(e.getMessage()).startsWith("OOM");
            // so is a SETRANGE that would build one on the server
            e = org.junit.jupiter.api.Assertions.assertThrows(JedisDataException.class,
                    () -> j.setrange("grow", 400L * 1024 * 1024, "x"));
            assertThat(e.getMessage()).startsWith("OOM");
            // switching to store mode at run time keeps the data
            long before = j.dbSize();
            assertEquals("OK", j.configSet("cache_mode", "false"));
            assertEquals(before, j.dbSize());
            assertThat(j.info("memory")).contains("cache_mode:store");
        } finally {
            server.close();
        }
    }
}
