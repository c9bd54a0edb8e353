package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memcached text protocol: spymemcached for the client view, raw sockets for the edges. */
class MemcachedTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(c -> c.itemSizeMax = 64 * 1024);
    static MemcachedClient mc;

    @BeforeAll
    static void connect() throws IOException {
        mc = SpyClients.text(server.memcachedPort());
    }

    @AfterAll
    static void disconnect() {
        mc.shutdown(2, TimeUnit.SECONDS);
    }

    Raw raw() throws IOException {
        return new Raw(server.memcachedPort());
    }

    @Test
    void spymemcachedBasics() throws Exception {
        assertTrue(mc.set("sk", 0, "value").get(5, TimeUnit.SECONDS));
        assertEquals("value", mc.get("sk"));
        assertFalse(mc.add("sk", 0, "other").get(5, TimeUnit.SECONDS));
        assertTrue(mc.add("sk2", 0, "two").get(5, TimeUnit.SECONDS));
        assertTrue(mc.replace("sk2", 0, "TWO").get(5, TimeUnit.SECONDS));
        assertFalse(mc.replace("none", 0, "x").get(5, TimeUnit.SECONDS));
        Map<String, Object> bulk = mc.getBulk("sk", "sk2", "none");
        assertEquals(Map.of("sk", "value", "sk2", "TWO"), bulk);
        assertTrue(mc.delete("sk2").get(5, TimeUnit.SECONDS));
        assertFalse(mc.delete("sk2").get(5, TimeUnit.SECONDS));
        assertNull(mc.get("sk2"));
        // serialized objects use flags: a map round-trips
        HashMap<String, Integer> obj = new HashMap<>(Map.of("a", 1, "b", 2));
        assertTrue(mc.set("obj", 0, obj).get(5, TimeUnit.SECONDS));
        assertEquals(obj, mc.get("obj"));
    }

    @Test
    void countersCasAppendTouch() throws Exception {
        assertEquals(-1L, mc.incr("ctr", 1));
        assertTrue(mc.set("ctr", 0, "10").get(5, TimeUnit.SECONDS));
        assertEquals(15L, mc.incr("ctr", 5));
        assertEquals(5L, mc.decr("ctr", 10));
        assertEquals(0L, mc.decr("ctr", 100));
        assertEquals(7L, mc.incr("fresh", 1, 7)); // spy: default value creates it

        assertTrue(mc.set("c", 0, "v1").get(5, TimeUnit.SECONDS));
        CASValue<Object> cv = mc.gets("c");
        assertEquals("v1", cv.getValue());
        assertEquals(CASResponse.OK, mc.cas("c", cv.getCas(), "v2"));
        assertEquals(CASResponse.EXISTS, mc.cas("c", cv.getCas(), "v3"));
        assertEquals(CASResponse.NOT_FOUND, mc.cas("nothere", 1, "v"));
        assertEquals("v2", mc.get("c"));

        assertTrue(mc.set("ap", 0, "mid").get(5, TimeUnit.SECONDS));
        assertTrue(mc.append(0, "ap", "-end").get(5, TimeUnit.SECONDS));
        assertTrue(mc.prepend(0, "ap", "start-").get(5, TimeUnit.SECONDS));
        assertEquals("start-mid-end", mc.get("ap"));
        assertFalse(mc.append(0, "nokey", "x").get(5, TimeUnit.SECONDS));

        assertTrue(mc.touch("ap", 100).get(5, TimeUnit.SECONDS));
        assertFalse(mc.touch("nokey", 100).get(5, TimeUnit.SECONDS));
        assertTrue(mc.touch("ap", 200).get(5, TimeUnit.SECONDS)); // spymemcached's ASCII side has no gat
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.ttl("ap")).isBetween(190L, 200L); // one keyspace for both protocols
            j.set("fromresp", "r");
        }
        assertEquals("r", mc.get("fromresp"));
        CASValue<Object> rv = mc.gets("fromresp");
        assertEquals(CASResponse.OK, mc.cas("fromresp", rv.getCas(), "m"));
    }

    @Test
    void statsVersionFlush() throws Exception {
        assertTrue(mc.set("st", 0, "x").get(5, TimeUnit.SECONDS));
        mc.get("st");
        mc.get("st-miss");
        Map<String, String> stats = mc.getStats().values().iterator().next();
        for (String f : List.of("curr_items", "bytes", "get_hits", "get_misses", "evictions", "curr_connections",
                "limit_maxbytes", "cmd_get", "cmd_set", "uptime", "threads")) {
            assertThat(stats).containsKey(f);
        }
        assertThat(Long.parseLong(stats.get("get_hits"))).isGreaterThanOrEqualTo(1);
        assertThat(Long.parseLong(stats.get("get_misses"))).isGreaterThanOrEqualTo(1);
        assertEquals(String.valueOf(256L * 1024 * 1024), stats.get("limit_maxbytes"));
        assertThat(mc.getVersions().values().iterator().next()).isEqualTo("1.6.21");
    }

    @Test
    void rawProtocolReplies() throws IOException {
        try (Raw r = raw()) {
            r.send("set r1 42 0 5\r\nhello\r\n");
            assertEquals("STORED\r\n", r.line());
            r.send("get r1 nothing r1\r\n");
            assertEquals("VALUE r1 42 5\r\nhello\r\nVALUE r1 42 5\r\nhello\r\nEND\r\n", r.read(49));
            r.send("gets r1\r\n");
            String v = r.line();
            assertThat(v).matches("VALUE r1 42 5 \\d+\r\n");
            String cas = v.trim().split(" ")[4];
            assertEquals("hello\r\n", r.line());
            assertEquals("END\r\n", r.line());
            r.send("cas r1 1 0 3 " + cas + "\r\nbye\r\ncas r1 1 0 3 " + cas + "\r\nbye\r\n");
            assertEquals("STORED\r\n", r.line());
            assertEquals("EXISTS\r\n", r.line());
            r.send("incr r1 1\r\n");
            assertEquals("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n", r.line());
            r.send("set n 0 0 20\r\n18446744073709551615\r\nincr n 1\r\n");
            assertEquals("STORED\r\n", r.line());
            assertEquals("0\r\n", r.line()); // wraps at 2^64
            r.send("incr n abc\r\n");
            assertEquals("CLIENT_ERROR invalid numeric delta argument\r\n", r.line());
            r.send("delete n\r\ndelete n\r\ndelete n 0\r\n");
            assertEquals("DELETED\r\n", r.line());
            assertEquals("NOT_FOUND\r\n", r.line());
            assertEquals("NOT_FOUND\r\n", r.line());
            r.send("touch r1 10\r\ngat 0 r1\r\n");
            assertEquals("TOUCHED\r\n", r.line());
            assertEquals("VALUE r1 1 3\r\n", r.line());
            assertEquals("bye\r\n", r.line());
            assertEquals("END\r\n", r.line());
            r.send("gats 100 r1\r\n");
            assertThat(r.line()).matches("VALUE r1 1 3 \\d+\r\n");
            assertEquals("bye\r\n", r.line());
            assertEquals("END\r\n", r.line());
            r.send("version\r\nverbosity 1\r\nverbosity 1 noreply\r\nbogus\r\n\r\n");
            assertEquals("VERSION 1.6.21\r\n", r.line());
            assertEquals("OK\r\n", r.line());
            assertEquals("ERROR\r\n", r.line());
            assertEquals("ERROR\r\n", r.line());
        }
    }

    @Test
    void noreplyAndExptimes() throws Exception {
        try (Raw r = raw()) {
            r.send("set q1 0 0 1 noreply\r\na\r\nadd q1 0 0 1 noreply\r\nb\r\ndelete q9 noreply\r\nget q1\r\n");
            assertEquals("VALUE q1 0 1\r\n", r.line());
            assertEquals("a\r\n", r.line());
            assertEquals("END\r\n", r.line());
            r.send("set neg 0 -1 1\r\nx\r\nget neg\r\n");
            assertEquals("STORED\r\n", r.line());
            assertEquals("END\r\n", r.line());
            long past = System.currentTimeMillis() / 1000 - 10;
            long future = System.currentTimeMillis() / 1000 + 1000;
            r.send("set abs1 0 " + past + " 1\r\nx\r\nset abs2 0 " + future + " 1\r\ny\r\nget abs1 abs2\r\n");
            assertEquals("STORED\r\n", r.line());
            assertEquals("STORED\r\n", r.line());
            assertEquals("VALUE abs2 0 1\r\n", r.line());
            assertEquals("y\r\n", r.line());
            assertEquals("END\r\n", r.line());
            r.send("set rel 0 2592000 1\r\nz\r\n");
            assertEquals("STORED\r\n", r.line());
        }
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.ttl("abs2")).isBetween(980L, 1000L);
            assertThat(j.ttl("rel")).isBetween(2591980L, 2592000L);
        }
        try (Raw r = raw()) {
            r.send("set fl 0 0 1\r\nx\r\nflush_all\r\nget fl\r\n");
            assertEquals("STORED\r\n", r.line());
            assertEquals("OK\r\n", r.line());
            assertEquals("END\r\n", r.line());
            r.send("set fl 0 0 1\r\nx\r\nflush_all 2\r\nget fl\r\n");
            assertEquals("STORED\r\n", r.line());
            assertEquals("OK\r\n", r.line());
            assertEquals("VALUE fl 0 1\r\n", r.line());
            assertEquals("x\r\n", r.line());
            assertEquals("END\r\n", r.line());
            Thread.sleep(2400);
            r.send("get fl\r\n");
            assertEquals("END\r\n", r.line());
        }
    }

    @Test
    void badInputGetsErrors() throws IOException {
        try (Raw r = raw()) {
            String longKey = "k".repeat(251);
            r.send("get " + longKey + "\r\n");
            assertEquals("CLIENT_ERROR bad command line format\r\n", r.line());
            r.send("set " + longKey + " 0 0 1\r\nx\r\n");
            assertEquals("CLIENT_ERROR bad command line format\r\n", r.line());
            r.send("set k\u0001 0 0 1\r\nx\r\n");
            assertEquals("STORED\r\n", r.line()); // as in memcached: any key byte but space (memcaslap sends binary keys)
            r.send("set k 0 0 abc\r\n");
            assertEquals("CLIENT_ERROR bad command line format\r\n", r.line());
            r.send("set k -1 0 1\r\nx\r\n");
            assertEquals("CLIENT_ERROR bad command line format\r\n", r.line());
            r.send("set k 0 0 3\r\nabcde\r\n");
            assertEquals("CLIENT_ERROR bad data chunk\r\n", r.line());
            assertEquals("ERROR\r\n", r.line()); // "e" is read as the next command line
            r.send("set k 0 0\r\n");
            assertEquals("ERROR\r\n", r.line());
            r.send("set big 0 0 100000\r\n" + "x".repeat(100_000) + "\r\nget big\r\n");
            assertEquals("SERVER_ERROR object too large for cache\r\n", r.line());
            assertEquals("END\r\n", r.line());
            r.send("incr\r\ntouch k\r\ncas k 0 0 1\r\n");
            assertEquals("ERROR\r\n", r.line());
            assertEquals("ERROR\r\n", r.line());
            assertEquals("ERROR\r\n", r.line());
            r.send("version\r\n");
            assertEquals("VERSION 1.6.21\r\n", r.line());
        }
        try (Raw r = raw()) {
            r.send("g".repeat(70 * 1024));
            assertEquals("CLIENT_ERROR line too long\r\n", r.line());
            assertTrue(r.closedByPeer());
        }
        try (Raw r = raw()) {
            r.send("quit\r\nversion\r\n");
            assertTrue(r.closedByPeer());
        }
    }
}
