package io.dash4j.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.SafeEncoder;

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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RESP commands through Jedis against an in-process 3-shard server. */
class RespCommandsTest {

    static Server server;
    Jedis jedis;

    @BeforeAll
    static void up() {
        server = TestServers.start();
    }

    @AfterAll
    static void down() {
        server.close();
    }

    @BeforeEach
    void connect() {
        jedis = new Jedis("127.0.0.1", server.port());
        jedis.flushAll();
    }

    @org.junit.jupiter.api.AfterEach
    void disconnect() {
        jedis.close();
    }

    static ProtocolCommand cmd(String name) {
        byte[] raw = SafeEncoder.encode(name);
        return () -> raw;
    }

    Object send(String name, String... args) {
        return jedis.sendCommand(cmd(name), args);
    }

    static String str(Object reply) {
        return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
    }

    String error(Runnable r) {
        JedisDataException e = assertThrows(JedisDataException.class, r::run);
        return e.getMessage();
    }

    @Test
    void pingEchoSelectHello() {
        assertEquals("PONG", jedis.ping());
        assertEquals("hi", str(send("PING", "hi")));
        assertEquals("hello world", jedis.echo("hello world"));
        assertEquals("OK", jedis.select(0));
        assertEquals("ERR DB index is out of range", error(() -> jedis.select(1)));
        List<?> hello = (List<?>) send("HELLO", "2");
        assertEquals("server", str(hello.get(0)));
        assertEquals(2L, hello.get(5));
        assertThat(error(() -> send("HELLO", "4"))).startsWith("NOPROTO"); // 3 is RESP3: Resp3Test
        assertThat(error(() -> send("HELLO", "1"))).startsWith("NOPROTO");
        assertThat(error(() -> send("HELLO", "x"))).isEqualTo("ERR Protocol version is not an integer or out of range");
    }

    @Test
    void setGetAndOptions() {
        assertEquals("OK", jedis.set("k", "v"));
        assertEquals("v", jedis.get("k"));
        assertNull(jedis.get("missing"));
        assertNull(jedis.set("k", "w", SetParams.setParams().nx()));
        assertEquals("v", jedis.get("k"));
        assertEquals("OK", jedis.set("k", "w", SetParams.setParams().xx()));
        assertNull(jedis.set("absent", "w", SetParams.setParams().xx()));
        assertEquals("w", jedis.setGet("k", "x"));
        assertNull(jedis.setGet("new", "1"));
        assertEquals("OK", jedis.set("e", "1", SetParams.setParams().ex(100)));
        assertThat(jedis.ttl("e")).isBetween(90L, 100L);
        assertEquals("OK", jedis.set("e", "2", SetParams.setParams().keepTtl()));
        assertThat(jedis.ttl("e")).isBetween(90L, 100L);
        assertEquals("OK", jedis.set("e", "3"));
        assertEquals(-1L, jedis.ttl("e"));
        long at = System.currentTimeMillis() + 50_000;
        assertEquals("OK", jedis.set("p", "1", SetParams.setParams().pxAt(at)));
        assertEquals(at, jedis.pexpireTime("p"));
        assertEquals(at / 1000, jedis.expireTime("p"));
        assertEquals("OK", jedis.set("past", "1", SetParams.setParams().exAt(1)));
        assertNull(jedis.get("past"));
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
        assertEquals(1L, jedis.setnx("a", "1"));
        assertEquals(0L, jedis.setnx("a", "2"));
        assertEquals("OK", jedis.setex("b", 100, "x"));
        assertThat(jedis.pttl("b")).isBetween(90_000L, 100_000L);
        assertEquals("OK", jedis.psetex("c", 100_000, "y"));
        assertEquals("ERR invalid expire time in 'setex' command", error(() -> send("SETEX", "b", "0", "v")));
        assertEquals("ERR invalid expire time in 'psetex' command", error(() -> send("PSETEX", "b", "-1", "v")));
        assertEquals("1", jedis.getSet("a", "3"));
        assertEquals("3", jedis.getDel("a"));
        assertNull(jedis.getDel("a"));
        assertEquals("x", jedis.getEx("b", GetExParams.getExParams().persist()));
        assertEquals(-1L, jedis.ttl("b"));
        assertEquals("x", jedis.getEx("b", GetExParams.getExParams().ex(50)));
        assertThat(jedis.ttl("b")).isBetween(40L, 50L);
        assertNull(jedis.getEx("nope", GetExParams.getExParams().ex(50)));
        assertEquals("ERR syntax error", error(() -> send("GETEX", "b", "EX", "1", "PERSIST")));
    }

    @Test
    void counters() {
        assertEquals(1L, jedis.incr("n"));
        assertEquals(11L, jedis.incrBy("n", 10));
        assertEquals(10L, jedis.decr("n"));
        assertEquals(0L, jedis.decrBy("n", 10));
        jedis.set("big", String.valueOf(Long.MAX_VALUE));
        assertEquals("ERR increment or decrement would overflow", error(() -> jedis.incr("big")));
        jedis.set("small", String.valueOf(Long.MIN_VALUE));
        assertEquals("ERR increment or decrement would overflow", error(() -> jedis.decr("small")));
        jedis.set("s", "abc");
        assertEquals("ERR value is not an integer or out of range", error(() -> jedis.incr("s")));
        jedis.set("sp", " 1");
        assertEquals("ERR value is not an integer or out of range", error(() -> jedis.incr("sp")));
        jedis.set("lz", "01");
        assertEquals("ERR value is not an integer or out of range", error(() -> jedis.incr("lz")));
        assertEquals("ERR value is not an integer or out of range", error(() -> send("INCRBY", "n", "1.5")));
        assertEquals("ERR decrement would overflow", error(() -> send("DECRBY", "n", String.valueOf(Long.MIN_VALUE))));
        jedis.setex("t", 100, "5");
        assertEquals(6L, jedis.incr("t"));
        assertThat(jedis.ttl("t")).isBetween(90L, 100L); // INCR keeps the TTL
        assertEquals(10.5, jedis.incrByFloat("f", 10.5));
        assertEquals("10.6", str(send("INCRBYFLOAT", "f", "0.1")));
        assertEquals("5000", str(send("INCRBYFLOAT", "g", "5.0e3")));
        assertEquals("ERR value is not a valid float", error(() -> send("INCRBYFLOAT", "f", "abc")));
        assertEquals("ERR value is not a valid float", error(() -> send("INCRBYFLOAT", "s", "1")));
        assertEquals("ERR increment would produce NaN or Infinity", error(() -> send("INCRBYFLOAT", "f", "inf")));
    }

    @Test
    void appendStrlenRanges() {
        assertEquals(5L, jedis.append("s", "Hello"));
        assertEquals(11L, jedis.append("s", " World"));
        assertEquals(11L, jedis.strlen("s"));
        assertEquals(0L, jedis.strlen("none"));
        assertEquals("World", jedis.getrange("s", 6, -1));
        assertEquals("Hello World", jedis.getrange("s", 0, 100));
        assertEquals("", jedis.getrange("s", 5, 3));
        assertEquals("d", jedis.getrange("s", -1, -1));
        assertEquals("", jedis.getrange("none", 0, -1));
        assertEquals("Hello", str(send("SUBSTR", "s", "0", "4")));
        assertEquals(11L, jedis.setrange("s", 6, "Redis"));
        assertEquals("Hello Redis", jedis.get("s"));
        assertEquals(8L, jedis.setrange("pad", 5, "abc"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 'a', 'b', 'c'}, jedis.get("pad".getBytes()));
        assertEquals(0L, jedis.setrange("empty", 3, ""));
        assertEquals(false, jedis.exists("empty"));
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
        assertEquals("OK", jedis.mset(kv.toArray(new String[0])));
        String[] keys = new String[201];
        for (int i = 0; i < 200; i++) {
            keys[i] = "key:" + i;
        }
        keys[200] = "missing";
        List<String> values = jedis.mget(keys);
        for (int i = 0; i < 200; i++) {
            assertEquals("value:" + i, values.get(i));
        }
        assertNull(values.get(200));
        assertEquals(200L, jedis.dbSize());
        assertEquals(3L, jedis.exists("key:1", "key:2", "key:1", "missing"));
        assertEquals(2L, jedis.del("key:1", "key:2", "missing"));
        assertEquals(1L, jedis.unlink("key:3"));
        assertEquals(197L, jedis.dbSize());
        assertEquals(0L, jedis.msetnx("key:10", "x", "fresh", "y"));
        assertNull(jedis.get("fresh"));
        assertEquals(1L, jedis.msetnx("fresh", "y", "fresh2", "z"));
        assertEquals("z", jedis.get("fresh2"));
        assertEquals("ERR wrong number of arguments for 'mset' command", error(() -> send("MSET", "a", "1", "b")));
        assertEquals("string", jedis.type("fresh"));
        assertEquals("none", jedis.type("nothing"));
    }

    @Test
    void expiry() throws InterruptedException {
        jedis.set("k", "v");
        assertEquals(-1L, jedis.ttl("k"));
        assertEquals(-2L, jedis.ttl("nope"));
        assertEquals(-2L, jedis.pttl("nope"));
        assertEquals(1L, jedis.expire("k", 100));
        assertThat(jedis.ttl("k")).isBetween(90L, 100L);
        assertEquals(0L, jedis.expire("nope", 100));
        assertEquals(1L, jedis.pexpire("k", 200_000));
        assertThat(jedis.pttl("k")).isBetween(190_000L, 200_000L);
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertEquals(1L, jedis.expireAt("k", at));
        assertEquals(at, jedis.expireTime("k"));
        assertEquals(1L, jedis.persist("k"));
        assertEquals(0L, jedis.persist("k"));
        assertEquals(-1L, jedis.expireTime("k"));
        assertEquals(-2L, jedis.expireTime("nope"));
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
        assertEquals(1L, jedis.expire("k", -1));
        assertEquals(false, jedis.exists("k"));
        // real expiry
        jedis.set("short", "v", SetParams.setParams().px(50));
        Thread.sleep(120);
        assertNull(jedis.get("short"));
        assertEquals(false, jedis.exists("short"));
        jedis.set("gone", "v", SetParams.setParams().px(30));
        Thread.sleep(80);
        assertEquals(-2L, jedis.ttl("gone"));
    }

    @Test
    void binarySafeKeysAndValues() {
        byte[] key = new byte[256];
        byte[] value = new byte[100_000];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        ThreadLocalRandom.current().nextBytes(value);
        assertEquals("OK", jedis.set(key, value));
        assertArrayEquals(value, jedis.get(key));
        byte[] crlf = "a\r\nb\u0000c".getBytes(StandardCharsets.ISO_8859_1);
        jedis.set(crlf, crlf);
        assertArrayEquals(crlf, jedis.get(crlf));
        assertEquals(true, jedis.exists(crlf));
        jedis.set("empty".getBytes(), new byte[0]);
        assertArrayEquals(new byte[0], jedis.get("empty".getBytes()));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        ThreadLocalRandom.current().nextBytes(big);
        jedis.set("big".getBytes(), big);
        assertArrayEquals(big, jedis.get("big".getBytes()));
    }

    @Test
    void pipelineKeepsOrder() {
        Pipeline p = jedis.pipelined();
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
            jedis.set("s:" + i, "x");
        }
        jedis.set("other", "y");
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int rounds = 0;
        do {
            ScanResult<String> r = jedis.scan(cursor, new ScanParams().match("s:*").count(100));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
            rounds++;
        } while (!cursor.equals("0") && rounds < 10_000);
        assertEquals(all, seen);
        assertEquals(2001, jedis.keys("*").size());
        assertThat(jedis.keys("s:1?")).containsExactlyInAnyOrder("s:10", "s:11", "s:12", "s:13", "s:14", "s:15", "s:16",
                "s:17", "s:18", "s:19");
        assertThat(jedis.keys("s:1[0-2]")).containsExactlyInAnyOrder("s:10", "s:11", "s:12");
        assertThat(jedis.keys("oth*")).containsExactly("other");
        String random = jedis.randomKey();
        assertTrue(all.contains(random) || random.equals("other"));
        assertEquals("ERR invalid cursor", error(() -> send("SCAN", "abc")));
        assertEquals("ERR syntax error", error(() -> send("SCAN", "0", "COUNT", "0")));
        jedis.flushDB();
        assertNull(jedis.randomKey());
        assertEquals(0, jedis.keys("*").size());
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
        long id = jedis.clientId();
        assertTrue(id > 0);
        assertEquals("OK", jedis.clientSetname("tester"));
        assertEquals("tester", jedis.clientGetname());
        String list = jedis.clientList();
        assertThat(list).contains("id=" + id).contains("name=tester");
        assertEquals("ERR Client names cannot contain spaces, newlines or special characters.",
                error(() -> jedis.clientSetname("bad name")));
        assertThat(str(send("CLIENT", "INFO"))).contains("id=" + id);
    }

    @Test
    void infoConfigMemoryCommand() {
        jedis.set("a", "1");
        jedis.get("a");
        jedis.get("zzz");
        String info = jedis.info();
        for (String field : List.of("redis_version:", "connected_clients:", "used_memory:", "maxmemory:",
                "keyspace_hits:", "keyspace_misses:", "evicted_keys:", "expired_keys:", "instantaneous_ops_per_sec:",
                "bump_ups:", "hit_ratio:", "shard_0:keys=", "segments:", "db0:keys=1")) {
            assertThat(info).contains(field);
        }
        assertThat(jedis.info("memory")).contains("used_memory:").doesNotContain("keyspace_hits");
        assertEquals(java.util.Map.of("maxmemory", String.valueOf(256L * 1024 * 1024)), jedis.configGet("maxmemory"));
        assertThat(jedis.configGet("*").size()).isGreaterThan(10);
        assertEquals("OK", jedis.configSet("maxmemory", "128mb"));
        assertEquals(String.valueOf(128L * 1024 * 1024), jedis.configGet("maxmemory").get("maxmemory"));
        assertEquals("OK", jedis.configSet("maxmemory", "256mb"));
        assertEquals("1", jedis.get("a"));
        assertThat(error(() -> jedis.configSet("nosuch", "1"))).startsWith("ERR Unknown option");
        assertThat(jedis.memoryUsage("a")).isBetween(24L, 200L);
        assertNull(jedis.memoryUsage("none"));
        assertThat((Long) send("COMMAND", "COUNT")).isGreaterThan(50L);
        assertThat((List<?>) send("COMMAND", "DOCS", "get")).hasSize(2);
        assertEquals(1L, (Long) send("STICK", "a", "none"));
        assertEquals(0L, (Long) send("STICK", "a"));
        assertThat(jedis.info("dash4j")).contains("sticky_keys:1");
    }
}
