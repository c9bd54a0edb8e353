package io.dash4j.server;

import io.dash4j.server.persist.RdbFormatException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Our dumps against the real Redis tools: ours passes {@code redis-check-rdb} and loads into
 * {@code redis-server} with values and TTLs; a dump {@code redis-server} writes (integers, LZF,
 * expiries) loads into ours; one holding a hash is refused naming the type. Skipped only when the
 * binaries are missing (.ci/run installs redis-server and redis-tools).
 */
class RdbRedisInteropTest {

    static Path tool(String name) {
        Optional<Path> p = ExternalTools.find(name);
        Assumptions.assumeTrue(p.isPresent(), name + " is not installed");
        return p.get();
    }

    /** A redis-server child on a free port, persisting into {@code dir/file}. */
    static final class RedisServer implements AutoCloseable {
        final Process process;
        final int port;

        RedisServer(Path dir, String file) throws Exception {
            port = ExternalTools.freePort();
            process = new ProcessBuilder(tool("redis-server").toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--dir", dir.toString(), "--dbfilename", file, "--save", "",
                    "--appendonly", "no", "--protected-mode", "no")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            ExternalTools.awaitListening(port, 10_000, process);
            // a loading server answers -LOADING until the dump is in
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (true) {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    j.ping();
                    break;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
        }

        @Override
        public void close() throws Exception {
            ExternalTools.stop(process);
        }
    }

    private static Map<String, String> sampleData() {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            m.put("int:" + i, Integer.toString(i * 7919 - 100_000));
            m.put("text:" + i, "value " + i + " " + "abc".repeat(i % 50));
            m.put("bin:" + i, new String(new byte[] {0, (byte) i, (byte) 0xFE, '\n'}, StandardCharsets.ISO_8859_1));
        }
        m.put("empty", "");
        m.put("big", "0123456789".repeat(50_000));
        return m;
    }

    private static void write(Jedis j, Map<String, String> data) {
        Pipeline p = j.pipelined();
        int n = 0;
        for (Map.Entry<String, String> e : data.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
            byte[] v = e.getValue().getBytes(StandardCharsets.ISO_8859_1);
            if (n++ % 10 == 0) {
                p.psetex(k, 3_600_000L + n, v);
            } else {
                p.set(k, v);
            }
        }
        p.sync();
    }

    private static void assertHolds(Jedis j, Map<String, String> data) {
        assertEquals(data.size(), j.dbSize());
        int n = 0;
        for (Map.Entry<String, String> e : data.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(e.getValue(), new String(j.get(k), StandardCharsets.ISO_8859_1), e.getKey());
            long pttl = j.pttl(k);
            if (n++ % 10 == 0) {
                assertThat(pttl).as(e.getKey()).isBetween(3_600_000L - 60_000, 3_600_000L + n);
            } else {
                assertEquals(-1L, pttl, e.getKey());
            }
        }
    }

    @Test
    @Timeout(120)
    void ourDumpPassesRedisCheckRdbAndLoadsIntoRedisAndBack(@TempDir Path dir) throws Exception {
        Path checker = tool("redis-check-rdb");
        tool("redis-server");
        Map<String, String> data = sampleData();
        try (Server s = PersistenceTest.server(dir, c -> { }); Jedis j = new Jedis("127.0.0.1", s.port())) {
            write(j, data);
            assertEquals("OK", j.save());
        }
        ExternalTools.Result check = ExternalTools.run(List.of(checker.toString(), dir.resolve("dump.rdb").toString()), 60);
        assertEquals(0, check.exitCode(), check.output());
        assertThat(check.output()).contains("RDB looks OK").contains(data.size() + " keys read")
                .contains((data.size() + 9) / 10 + " expires");
        // redis-server loads it, and writes its own dump of the same data
        try (RedisServer redis = new RedisServer(dir, "dump.rdb"); Jedis j = new Jedis("127.0.0.1", redis.port)) {
            assertHolds(j, data);
            j.set("from-redis", "12345");
            data.put("from-redis", "12345");
            assertEquals("OK", j.save()); // redis-server's own dump replaces ours
        }
        // ...which ours loads: Redis's integer and LZF encodings, its AUX fields and expiries
        assertThat(Files.readString(dir.resolve("redis.log"))).contains("DB saved on disk");
        try (Server s = PersistenceTest.server(dir, c -> { }); Jedis j = new Jedis("127.0.0.1", s.port())) {
            data.remove("from-redis");
            assertEquals("12345", j.get("from-redis"));
            j.del("from-redis");
            assertHolds(j, data);
        }
    }

    @Test
    @Timeout(60)
    void aRedisDumpWithAHashIsRefusedNamingTheType(@TempDir Path dir) throws Exception {
        tool("redis-server");
        try (RedisServer redis = new RedisServer(dir, "dump.rdb"); Jedis j = new Jedis("127.0.0.1", redis.port)) {
            j.set("plain", "string");
            j.hset("user:1", "name", "ada");
            assertEquals("OK", j.save());
        }
        ServerConfig cfg = new ServerConfig();
        cfg.port = 0;
        cfg.memcachedPort = 0;
        cfg.threads = 1;
        cfg.dir = dir.toString();
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> new Server(cfg));
        assertThat(e.getMessage()).contains(dir.resolve("dump.rdb").toString()).contains("\"user:1\"")
                .contains("hash (listpack)").contains("dash4j stores strings only");
    }
    @Test
    @Timeout(120)
    void memcachedFlagsAndCasAreAuxFieldsThatRedisToolsIgnore(@TempDir Path dir) throws Exception {
        Path checker = tool("redis-check-rdb");
        tool("redis-server");
        try (Server s = PersistenceTest.server(dir, c -> { });
             TestServers.Raw mc = new TestServers.Raw(s.memcachedPort());
             Jedis j = new Jedis("127.0.0.1", s.port())) {
            for (int i = 0; i < 200; i++) {
                String v = "mc value " + i + " " + "z".repeat(i % 30);
                assertEquals("STORED\r\n", mc.send("set mc:" + i + " " + (i * 65_537L % 4_294_967_296L) + " "
                        + (i % 4 == 0 ? 3600 : 0) + " " + v.length() + "\r\n" + v + "\r\n").line());
            }
            j.set("resp", "plain");
            assertEquals("OK", j.save());
        }
        ExternalTools.Result check = ExternalTools.run(List.of(checker.toString(), dir.resolve("dump.rdb").toString()), 60);
        assertEquals(0, check.exitCode(), check.output());
        assertThat(check.output()).contains("RDB looks OK").contains("201 keys read").contains("50 expires")
                .contains("AUX FIELD dash4j-mc");
        try (RedisServer redis = new RedisServer(dir, "dump.rdb"); Jedis j = new Jedis("127.0.0.1", redis.port)) {
            assertEquals(201, j.dbSize());
            assertEquals("plain", j.get("resp"));
            for (int i = 0; i < 200; i++) {
                assertEquals("mc value " + i + " " + "z".repeat(i % 30), j.get("mc:" + i));
                if (i % 4 == 0) {
                    assertThat(j.ttl("mc:" + i)).isBetween(3000L, 3600L);
                } else {
                    assertEquals(-1L, j.ttl("mc:" + i));
                }
            }
        }
    }
}
