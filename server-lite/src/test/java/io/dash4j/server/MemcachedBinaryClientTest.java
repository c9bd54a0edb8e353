package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import net.spy.memcached.BinaryConnectionFactory;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memcached binary protocol through a real client: spymemcached with its
 * {@link BinaryConnectionFactory}, on the same port as the text protocol. A server that does not
 * speak binary never answers, so every test here times out quickly (1.5 s per operation).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemcachedBinaryClientTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(c -> c.itemSizeMax = 64 * 1024);
    static MemcachedClient mc;

    @BeforeAll
    static void connect() throws IOException {
        mc = SpyClients.binary(server.memcachedPort(), 1500);
    }

    @AfterAll
    static void disconnect() {
        mc.shutdown(2, TimeUnit.SECONDS);
    }

    static boolean ok(java.util.concurrent.Future<Boolean> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void setGetAddReplaceDelete() throws Exception {
        assertTrue(ok(mc.set("b:k", 0, "value")));
        assertEquals("value", mc.get("b:k"));
        assertFalse(ok(mc.add("b:k", 0, "other")));
        assertTrue(ok(mc.add("b:k2", 0, "two")));
        assertTrue(ok(mc.replace("b:k2", 0, "TWO")));
        assertFalse(ok(mc.replace("b:none", 0, "x")));
        assertEquals("TWO", mc.get("b:k2"));
        assertTrue(ok(mc.delete("b:k2")));
        assertFalse(ok(mc.delete("b:k2")));
        assertNull(mc.get("b:k2"));
        // serialized objects carry spymemcached's flags: a map round-trips
        HashMap<String, Integer> obj = new HashMap<>(Map.of("a", 1, "b", 2));
        assertTrue(ok(mc.set("b:obj", 0, obj)));
        assertEquals(obj, mc.get("b:obj"));
        // binary-safe values
        byte[] bin = new byte[3000];
        for (int i = 0; i < bin.length; i++) {
            bin[i] = (byte) i;
        }
        assertTrue(ok(mc.set("b:bin", 0, bin)));
        assertThat((byte[]) mc.get("b:bin")).isEqualTo(bin);
    }

    @Test
    void bulkGetsUseQuietGetsAndNoop() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            if (i % 3 != 0) {
                expected.put("b:bulk" + i, "v" + i);
                assertTrue(ok(mc.set("b:bulk" + i, 0, "v" + i)));
            }
        }
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add("b:bulk" + i);
        }
        Map<String, Object> got = mc.getBulk(keys);
        assertThat(got).isEqualTo(new HashMap<>(expected));
        assertThat(mc.getBulk("b:nothing1", "b:nothing2")).isEmpty();
    }

    @Test
    void appendPrependAndCas() throws Exception {
        assertTrue(ok(mc.set("b:ap", 0, "mid")));
        assertTrue(ok(mc.append("b:ap", "-end")));
        assertTrue(ok(mc.prepend("b:ap", "start-")));
        assertEquals("start-mid-end", mc.get("b:ap"));
        assertFalse(ok(mc.append("b:noap", "x")));

        assertTrue(ok(mc.set("b:c", 0, "v1")));
        CASValue<Object> cv = mc.gets("b:c");
        assertEquals("v1", cv.getValue());
        assertEquals(CASResponse.OK, mc.cas("b:c", cv.getCas(), "v2"));
        assertEquals(CASResponse.EXISTS, mc.cas("b:c", cv.getCas(), "v3"));
        assertEquals(CASResponse.NOT_FOUND, mc.cas("b:nothere", 1, "v"));
        assertEquals("v2", mc.get("b:c"));
        CASValue<Object> after = mc.gets("b:c");
        assertThat(after.getCas()).isNotEqualTo(cv.getCas());
        // append with a stale CAS is refused
        assertFalse(ok(mc.append(cv.getCas(), "b:c", "x")));
        assertTrue(ok(mc.append(after.getCas(), "b:c", "+")));
        assertEquals("v2+", mc.get("b:c"));
    }

    @Test
    void countersWithInitialValuesAndExpiry() throws Exception {
        assertEquals(-1L, mc.incr("b:ctr", 1)); // missing, no default: not created
        assertNull(mc.get("b:ctr"));
        assertEquals(7L, mc.incr("b:ctr", 1, 7)); // created with the initial value
        assertEquals(12L, mc.incr("b:ctr", 5, 7));
        assertEquals(2L, mc.decr("b:ctr", 10));
        assertEquals(0L, mc.decr("b:ctr", 100)); // stops at 0
        assertEquals("0", mc.get("b:ctr"));
        assertEquals(100L, mc.decr("b:dctr", 1, 100, 300));
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.ttl("b:dctr")).isBetween(290L, 300L);
        }
        assertTrue(ok(mc.set("b:word", 0, "abc")));
        assertEquals(-1L, mc.incr("b:word", 1)); // non-numeric: spymemcached maps the error to -1
        assertEquals("abc", mc.get("b:word"));
    }

    @Test
    void touchAndGetAndTouch() throws Exception {
        assertTrue(ok(mc.set("b:t", 0, "tv")));
        assertTrue(ok(mc.touch("b:t", 100)));
        assertFalse(ok(mc.touch("b:t-missing", 100)));
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.ttl("b:t")).isBetween(90L, 100L);
        }
        CASValue<Object> gat = mc.getAndTouch("b:t", 500);
        assertEquals("tv", gat.getValue());
        assertThat(gat.getCas()).isEqualTo(mc.gets("b:t").getCas());
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.ttl("b:t")).isBetween(490L, 500L);
        }
        assertNull(mc.getAndTouch("b:t-missing", 10));
    }

    @Test
    void statsVersionAndSharedKeyspace() throws Exception {
        assertTrue(ok(mc.set("b:st", 0, "x")));
        mc.get("b:st");
        mc.get("b:st-miss");
        Map<String, String> stats = mc.getStats().values().iterator().next();
        for (String f : List.of("curr_items", "bytes", "get_hits", "get_misses", "cmd_get", "cmd_set", "uptime",
                "threads", "version")) {
            assertThat(stats).containsKey(f);
        }
        assertThat(Long.parseLong(stats.get("get_hits"))).isGreaterThanOrEqualTo(1);
        assertThat(Long.parseLong(stats.get("get_misses"))).isGreaterThanOrEqualTo(1);
        Map<String, String> settings = mc.getStats("settings").values().iterator().next();
        assertThat(settings).containsEntry("item_size_max", String.valueOf(64 * 1024));
        assertThat(mc.getVersions().values().iterator().next()).isEqualTo("1.6.21");

        // one keyspace: flags and CAS uniques read the same through the text protocol, values through RESP
        assertTrue(ok(mc.set("b:shared", 0, "from-binary")));
        long cas = mc.gets("b:shared").getCas();
        try (Raw r = new Raw(server.memcachedPort())) {
            r.send("gets b:shared\r\n");
            assertEquals("VALUE b:shared 0 11 " + cas + "\r\n", r.line());
            assertEquals("from-binary\r\n", r.line());
            assertEquals("END\r\n", r.line());
            r.send("set b:fromtext 77 0 4\r\ntext\r\n");
            assertEquals("STORED\r\n", r.line());
        }
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertEquals("from-binary", j.get("b:shared"));
            j.set("b:fromresp", "resp");
        }
        assertEquals("resp", mc.get("b:fromresp"));
        assertEquals("text", new String((byte[]) mc.get("b:fromtext", new RawBytes())));
    }

    @Test
    void flushEmptiesTheKeyspace() throws Exception {
        assertTrue(ok(mc.set("b:f1", 0, "x")));
        assertTrue(ok(mc.flush()));
        assertNull(mc.get("b:f1"));
        // (spymemcached's binary flush ignores a delay: BinaryOperationFactory sends none; the raw
        // tests cover delayed flushes)
    }

    @Test
    void valuesOverTheItemSizeAreRefusedAndTheConnectionGoesOn() throws Exception {
        assertTrue(ok(mc.set("b:big", 0, "old")));
        byte[] big = new byte[70 * 1024];
        new java.util.Random(7).nextBytes(big); // incompressible: spymemcached compresses values over 16 KB
        assertFalse(ok(mc.set("b:big", 0, big)));
        assertNull(mc.get("b:big")); // as memcached: a refused set drops the old value
        assertTrue(ok(mc.set("b:small", 0, "fine")));
        assertEquals("fine", mc.get("b:small"));
    }

    /** Reads raw bytes whatever the flags (the text client stored flags 77). */
    static final class RawBytes implements net.spy.memcached.transcoders.Transcoder<Object> {
        @Override
        public boolean asyncDecode(net.spy.memcached.CachedData d) {
            return false;
        }

        @Override
        public net.spy.memcached.CachedData encode(Object o) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object decode(net.spy.memcached.CachedData d) {
            assertThat(d.getFlags()).isEqualTo(77);
            return d.getData();
        }

        @Override
        public int getMaxSize() {
            return 1 << 20;
        }
    }
}
