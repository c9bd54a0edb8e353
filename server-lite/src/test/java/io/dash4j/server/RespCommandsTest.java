package io.dash4j.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RESP commands through Jedis against an in-process 3-shard server. */
class RespCommandsTest extends JedisPerTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass();

    RespCommandsTest() {
        super(server);
    }

    @Test
    void pingEchoSelectHello() {
        assertEquals("PONG", j.ping());
        assertEquals("hi", str(send("PING", "hi")));
        assertEquals("hello world", j.echo("hello world"));
        assertEquals("OK", j.select(0));
        assertEquals("ERR DB index is out of range", error(() -> j.select(1)));
        List<?> hello = (List<?>) send("HELLO", "2");
        assertEquals("server", str(hello.get(0)));
        assertEquals(2L, hello.get(5));
        assertThat(error(() -> send("HELLO", "4"))).startsWith("NOPROTO"); // 3 is RESP3: Resp3Test
        assertThat(error(() -> send("HELLO", "1"))).startsWith("NOPROTO");
        assertThat(error(() -> send("HELLO", "x"))).isEqualTo("ERR Protocol version is not an integer or out of range");
    }

    @Test
    void setGetAndOptions() {
        assertEquals("OK", j.set("k", "v"));
        assertEquals("v", j.get("k"));
        assertNull(j.get("missing"));
        assertNull(j.set("k", "w", SetParams.setParams().nx()));
        assertEquals("v", j.get("k"));
        assertEquals("OK", j.set("k", "w", SetParams.setParams().xx()));
        assertNull(j.set("absent", "w", SetParams.setParams().xx()));
        assertEquals("w", j.setGet("k", "x"));
        assertNull(j.setGet("new", "1"));
        assertEquals("OK", j.set("e", "1", SetParams.setParams().ex(100)));
        assertThat(j.ttl("e")).isBetween(90L, 100L);
        assertEquals("OK", j.set("e", "2", SetParams.setParams().keepTtl()));
        assertThat(j.ttl("e")).isBetween(90L, 100L);
        assertEquals("OK", j.set("e", "3"));
        assertEquals(-1L, j.ttl("e"));
        long at = System.currentTimeMillis() + 50_000;
        assertEquals("OK", j.set("p", "1", SetParams.setParams().pxAt(at)));
        assertEquals(at, j.pexpireTime("p"));
        assertEquals(at / 1000, j.expireTime("p"));
        assertEquals("OK", j.set("past", "1", SetParams.setParams().exAt(1)));
        assertNull(j.get("past"));
        assertEquals("ERR syntax error", error(() -> send("SET", "k", "v", "NX", "XX")));
        assertEquals("ERR syntax error", error(() -> send("SET", "k", "v", "EX", "10", "PX", "10")));
        assertEquals("ERR syntax error", error(() -> send("SET", "k", "v", "EX")));
        assertEquals("ERR syntax error", error(() -> send("SET", "k", "v", "KEEPTTL", "EX", "5")));
        assertEquals("ERR value is not an integer or out of range", error(() -> send("SET", "k", "v", "EX", "ten")));
        assertEquals("ERR invalid expire time in 'set' command", error(() -> send("SET", "k", "v", "EX", "0")));
        assertEquals("ERR invalid expire time in 'set' command", error(() -> send("SET", "k", "v", "PX", "-5")));
        assertEquals("ERR invalid expire time in 'set' command",
                error(() -> send("SET", "k", "v", "EX", String.valueOf(Long.MAX_VALUE / 10))));
        assertEquals("ERR wrong number of arguments for 'set' command", error(() -> send("SET", "k")));
    }

    @Test
    void setnxSetexGetsetGetdelGetex() {
        assertEquals(1L, j.setnx("a", "1"));
        assertEquals(0L, j.setnx("a", "2"));
        assertEquals("OK", j.setex("b", 100, "x"));
        assertThat(j.pttl("b")).isBetween(90_000L, 100_000L);
        assertEquals("OK", j.psetex("c", 100_000, "y"));
        assertEquals("ERR invalid expire time in 'setex' command", error(() -> send("SETEX", "b", "0", "v")));
        assertEquals("ERR invalid expire time in 'psetex' command", error(() -> send("PSETEX", "b", "-1", "v")));
        assertEquals("1", j.getSet("a", "3"));
        assertEquals("3", j.getDel("a"));
        assertNull(j.getDel("a"));
        assertEquals("x", j.getEx("b", GetExParams.getExParams().persist()));
        assertEquals(-1L, j.ttl("b"));
        assertEquals("x", j.getEx("b", GetExParams.getExParams().ex(50)));
        assertThat(j.ttl("b")).isBetween(40L, 50L);
        assertNull(j.getEx("nope", GetExParams.getExParams().ex(50)));
        assertEquals("ERR syntax error", error(() -> send("GETEX", "b", "EX", "1", "PERSIST")));
    }

    @Test
    void counters() {
        assertEquals(1L, j.incr("n"));
        assertEquals(11L, j.incrBy("n", 10));
        assertEquals(10L, j.decr("n"));
        assertEquals(0L, j.decrBy("n", 10));
        j.set("big", String.valueOf(Long.MAX_VALUE));
        assertEquals("ERR increment or decrement would overflow", error(() -> j.incr("big")));
        j.set("small", String.valueOf(Long.MIN_VALUE));
        assertEquals("ERR increment or decrement would overflow", error(() -> j.decr("small")));
        j.set("s", "abc");
        assertEquals("ERR value is not an integer or out of range", error(() -> j.incr("s")));
        j.set("sp", " 1");
        assertEquals("ERR value is not an integer or out of range", error(() -> j.incr("sp")));
        j.set("lz", "01");
        assertEquals("ERR value is not an integer or out of range", error(() -> j.incr("lz")));
        assertEquals("ERR value is not an integer or out of range", error(() -> send("INCRBY", "n", "1.5")));
        assertEquals("ERR decrement would overflow", error(() -> send("DECRBY", "n", String.valueOf(Long.MIN_VALUE))));
        j.setex("t", 100, "5");
        assertEquals(6L, j.incr("t"));
        assertThat(j.ttl("t")).isBetween(90L, 100L); // INCR keeps the TTL
        assertEquals(10.5, j.incrByFloat("f", 10.5));
        assertEquals("10.6", str(send("INCRBYFLOAT", "f", "0.1")));
        assertEquals("5000", str(send("INCRBYFLOAT", "g", "5.0e3")));
        assertEquals("ERR value is not a valid float", error(() -> send("INCRBYFLOAT", "f", "abc")));
        assertEquals("ERR value is not a valid float", error(() -> send("INCRBYFLOAT", "s", "1")));
        assertEquals("ERR increment would produce NaN or Infinity", error(() -> send("INCRBYFLOAT", "f", "inf")));
    }

    @Test
    void appendStrlenRanges() {
        assertEquals(5L, j.append("s", "Hello"));
        assertEquals(11L, j.append("s", " World"));
        assertEquals(11L, j.strlen("s"));
        assertEquals(0L, j.strlen("none"));
        assertEquals("World", j.getrange("s", 6, -1));
        assertEquals("Hello World", j.getrange("s", 0, 100));
        assertEquals("", j.getrange("s", 5, 3));
        assertEquals("d", j.getrange("s", -1, -1));
        assertEquals("", j.getrange("none", 0, -1));
        assertEquals("Hello", str(send("SUBSTR", "s", "0", "4")));
        assertEquals(11L, j.setrange("s", 6, "Redis"));
        assertEquals("Hello Redis", j.get("s"));
        assertEquals(8L, j.setrange("pad", 5, "abc"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 'a', 'b', 'c'}, j.get("pad".getBytes()));
        assertEquals(0L, j.setrange("empty", 3, ""));
        assertEquals(false, j.exists("empty"));
        assertEquals("ERR offset is out of range", error(() -> send("SETRANGE", "s", "-1", "x")));
        assertEquals("ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                error(() -> send("SETRANGE", "s", String.valueOf(600L * 1024 * 1024), "x")));
    }

    @Test
    void multiKeyCommandsAcrossShards() {
        List<String> kv = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            kv.add("key:" + i);
            kv.add("value:" + i);
        }
        assertEquals("OK", j.mset(kv.toArray(new String[0])));
        String[] keys = new String[201];
        for (int i = 0; i < 200; i++) {
            keys[i] = "key:" + i;
        }
        keys[200] = "missing";
        List<String> values = j.mget(keys);
        for (int i = 0; i < 200; i++) {
            assertEquals("value:" + i, values.get(i));
        }
        assertNull(values.get(200));
        assertEquals(200L, j.dbSize());
        assertEquals(3L, j.exists("key:1", "key:2", "key:1", "missing"));
        assertEquals(2L, j.del("key:1", "key:2", "missing"));
        assertEquals(1L, j.unlink("key:3"));
        assertEquals(197L, j.dbSize());
        assertEquals(0L, j.msetnx("key:10", "x", "fresh", "y"));
        assertNull(j.get("fresh"));
        assertEquals(1L, j.msetnx("fresh", "y", "fresh2", "z"));
        assertEquals("z", j.get("fresh2"));
        assertEquals("ERR wrong number of arguments for 'mset' command", error(() -> send("MSET", "a", "1", "b")));
        assertEquals("string", j.type("fresh"));
        assertEquals("none", j.type("nothing"));
    }

    @Test
    void expiry() throws InterruptedException {
        j.set("k", "v");
        assertEquals(-1L, j.ttl("k"));
        assertEquals(-2L, j.ttl("nope"));
        assertEquals(-2L, j.pttl("nope"));
        assertEquals(1L, j.expire("k", 100));
        assertThat(j.ttl("k")).isBetween(90L, 100L);
        assertEquals(0L, j.expire("nope", 100));
        assertEquals(1L, j.pexpire("k", 200_000));
        assertThat(j.pttl("k")).isBetween(190_000L, 200_000L);
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertEquals(1L, j.expireAt("k", at));
        assertEquals(at, j.expireTime("k"));
        assertEquals(1L, j.persist("k"));
        assertEquals(0L, j.persist("k"));
        assertEquals(-1L, j.expireTime("k"));
        assertEquals(-2L, j.expireTime("nope"));
        // NX / XX / GT / LT
        assertEquals(0L, (Long) send("EXPIRE", "k", "100", "XX"));
        assertEquals(1L, (Long) send("EXPIRE", "k", "100", "NX"));
        assertEquals(0L, (Long) send("EXPIRE", "k", "50", "GT"));
        assertEquals(1L, (Long) send("EXPIRE", "k", "500", "GT"));
        assertEquals(1L, (Long) send("EXPIRE", "k", "50", "LT"));
        assertEquals("ERR NX and XX, GT or LT options at the same time are not compatible",
                error(() -> send("EXPIRE", "k", "5", "NX", "XX")));
        assertEquals("ERR GT and LT options at the same time are not compatible",
                error(() -> send("EXPIRE", "k", "5", "GT", "LT")));
        assertEquals("ERR Unsupported option FOO", error(() -> send("EXPIRE", "k", "5", "FOO")));
        assertEquals("ERR invalid expire time in 'expire' command",
                error(() -> send("EXPIRE", "k", String.valueOf(Long.MAX_VALUE))));
        // a past or zero TTL deletes
        assertEquals(1L, j.expire("k", -1));
        assertEquals(false, j.exists("k"));
        // real expiry
        j.set("short", "v", SetParams.setParams().px(50));
        Thread.sleep(120);
        assertNull(j.get("short"));
        assertEquals(false, j.exists("short"));
        j.set("gone", "v", SetParams.setParams().px(30));
        Thread.sleep(80);
        assertEquals(-2L, j.ttl("gone"));
    }

    @Test
    void binarySafeKeysAndValues() {
        byte[] key = new byte[256];
        byte[] value = new byte[100_000];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        ThreadLocalRandom.current().nextBytes(value);
        assertEquals("OK", j.set(key, value));
        assertArrayEquals(value, j.get(key));
        byte[] crlf = "a\r\nb\u0000c".getBytes(StandardCharsets.ISO_8859_1);
        j.set(crlf, crlf);
        assertArrayEquals(crlf, j.get(crlf));
        assertEquals(true, j.exists(crlf));
        j.set("empty".getBytes(), new byte[0]);
        assertArrayEquals(new byte[0], j.get("empty".getBytes()));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        ThreadLocalRandom.current().nextBytes(big);
        j.set("big".getBytes(), big);
        assertArrayEquals(big, j.get("big".getBytes()));
    }

    @Test
    void pipelineKeepsOrder() {
        Pipeline p = j.pipelined();
        List<Response<?>> responses = new ArrayList<>();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            responses.add(p.set("p:" + i, "v" + i));
            responses.add(p.get("p:" + (i / 2)));
            responses.add(p.incr("counter"));
        }
        p.sync();
        for (int i = 0; i < n; i++) {
            assertEquals("OK", responses.get(3 * i).get());
            assertEquals("v" + (i / 2), responses.get(3 * i + 1).get());
            assertEquals((long) i + 1, responses.get(3 * i + 2).get());
        }
    }

    @Test
    void scanKeysRandomkey() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            all.add("s:" + i);
            j.set("s:" + i, "x");
        }
        j.set("other", "y");
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int rounds = 0;
        do {
            ScanResult<String> r = j.scan(cursor, new ScanParams().match("s:*").count(100));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
            rounds++;
        } while (!cursor.equals("0") && rounds < 10_000);
        assertEquals(all, seen);
        assertEquals(2001, j.keys("*").size());
        assertThat(j.keys("s:1?")).containsExactlyInAnyOrder("s:10", "s:11", "s:12", "s:13", "s:14", "s:15", "s:16",
                "s:17", "s:18", "s:19");
        assertThat(j.keys("s:1[0-2]")).containsExactlyInAnyOrder("s:10", "s:11", "s:12");
        assertThat(j.keys("oth*")).containsExactly("other");
        String random = j.randomKey();
        assertTrue(all.contains(random) || random.equals("other"));
        assertEquals("ERR invalid cursor", error(() -> send("SCAN", "abc")));
        assertEquals("ERR syntax error", error(() -> send("SCAN", "0", "COUNT", "0")));
        j.flushDB();
        assertNull(j.randomKey());
        assertEquals(0, j.keys("*").size());
    }

    @Test
    void errorsLikeRedis() {
        assertEquals("ERR unknown command 'NOPE', with args beginning with: 'a' 'b' ", error(() -> send("NOPE", "a", "b")));
        assertEquals("ERR wrong number of arguments for 'get' command", error(() -> send("GET")));
        assertEquals("ERR wrong number of arguments for 'get' command", error(() -> send("GET", "a", "b")));
        assertEquals("ERR wrong number of arguments for 'ping' command", error(() -> send("PING", "a", "b")));
        assertThat(error(() -> send("CONFIG", "NOPE"))).isEqualTo("ERR unknown subcommand 'NOPE'. Try CONFIG HELP.");
        assertThat(error(() -> send("CLIENT", "NOPE"))).isEqualTo("ERR unknown subcommand 'NOPE'. Try CLIENT HELP.");
        assertEquals("ERR syntax error", error(() -> send("FLUSHALL", "NOW")));
    }

    @Test
    void clientCommands() {
        long id = j.clientId();
        assertTrue(id > 0);
        assertEquals("OK", j.clientSetname("tester"));
        assertEquals("tester", j.clientGetname());
        String list = j.clientList();
        assertThat(list).contains("id=" + id).contains("name=tester");
        assertEquals("ERR Client names cannot contain spaces, newlines or special characters.",
                error(() -> j.clientSetname("bad name")));
        assertThat(str(send("CLIENT", "INFO"))).contains("id=" + id);
    }

    @Test
    void infoConfigMemoryCommand() {
        j.set("a", "1");
        j.get("a");
        j.get("zzz");
        String info = j.info();
        for (String field : List.of("redis_version:", "connected_clients:", "used_memory:", "maxmemory:",
                "keyspace_hits:", "keyspace_misses:", "evicted_keys:", "expired_keys:", "instantaneous_ops_per_sec:",
                "bump_ups:", "hit_ratio:", "shard_0:keys=", "segments:", "db0:keys=1")) {
            assertThat(info).contains(field);
        }
        assertThat(j.info("memory")).contains("used_memory:").doesNotContain("keyspace_hits");
        assertEquals(java.util.Map.of("maxmemory", String.valueOf(256L * 1024 * 1024)), j.configGet("maxmemory"));
        assertThat(j.configGet("*").size()).isGreaterThan(10);
        assertEquals("OK", j.configSet("maxmemory", "128mb"));
        assertEquals(String.valueOf(128L * 1024 * 1024), j.configGet("maxmemory").get("maxmemory"));
        assertEquals("OK", j.configSet("maxmemory", "256mb"));
        assertEquals("1", j.get("a"));
        assertThat(error(() -> j.configSet("nosuch", "1"))).startsWith("ERR Unknown option");
        assertThat(j.memoryUsage("a")).isBetween(24L, 200L);
        assertNull(j.memoryUsage("none"));
        assertThat((Long) send("COMMAND", "COUNT")).isGreaterThan(50L);
        assertThat((List<?>) send("COMMAND", "DOCS", "get")).hasSize(2);
        assertEquals(1L, (Long) send("STICK", "a", "none"));
        assertEquals(0L, (Long) send("STICK", "a"));
        assertThat(j.info("dash4j")).contains("sticky_keys:1");
    }
}
