package io.dash4j.server;

import io.dash4j.eviction.SlotPolicy;
import io.dash4j.server.TestServers.Raw;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server's memory rules through real clients: maxmemory-policy names, values up to the memory
 * budget (and which limit refuses beyond it), active expiry of keys nobody reads, and memcached
 * CAS uniques that never repeat.
 */
class MemoryRulesTest {

    static String field(String info, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":(\\S*)").matcher(info);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i += 4096) {
            b[i] = (byte) (seed + i);
        }
        b[n - 1] = (byte) seed;
        return b;
    }

    // ------------------------------------------------------------------ maxmemory-policy

    @Test
    void maxmemoryPolicyNamesOurPoliciesAndNoeviction() {
        Server server = TestServers.start(c -> c.maxmemory = 4L * 1024 * 1024);
        try (server; Jedis j = new Jedis("127.0.0.1", server.port())) {
            String def = SlotPolicy.DEFAULT.name();
            assertThat(field(j.info("memory"), "maxmemory_policy")).isEqualTo(def);
            assertThat(j.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", def);
            for (int i = 0; i < 100; i++) {
                j.set("k" + i, "v" + i);
            }

            assertThat(j.configSet("maxmemory-policy", "dragonfly")).isEqualTo("OK");
            assertThat(field(j.info("memory"), "maxmemory_policy")).isEqualTo("dragonfly");
            assertThat(j.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "dragonfly");
            assertThat(j.dbSize()).as("a policy change keeps the keys").isEqualTo(100);

            assertThat(j.configSet("maxmemory-policy", "noeviction")).isEqualTo("OK");
            String info = j.info("memory");
            assertThat(field(info, "maxmemory_policy")).isEqualTo("noeviction");
            assertThat(field(info, "cache_mode")).isEqualTo("store");
            assertThat(j.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "noeviction");
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10_000; i++) {
                    j.set("fill" + i, "x".repeat(1000));
                }
            }).isInstanceOf(JedisDataException.class).hasMessage("OOM command not allowed when used memory > 'maxmemory'.");

            for (String redisOnly : List.of("allkeys-lru", "volatile-lru", "allkeys-lfu", "volatile-ttl", "bogus")) {
                assertThatThrownBy(() -> j.configSet("maxmemory-policy", redisOnly))
                        .isInstanceOf(JedisDataException.class)
                        .hasMessageStartingWith("ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy')"
                                + " - unknown maxmemory-policy '" + redisOnly + "'; accepted: noeviction, default, dragonfly");
            }
            assertThat(j.configGet("maxmemory-policy")).as("a refused name changes nothing")
                    .containsEntry("maxmemory-policy", "noeviction");

            assertThat(j.configSet("maxmemory-policy", "DEFAULT")).isEqualTo("OK");
            info = j.info("memory");
            assertThat(field(info, "maxmemory_policy")).isEqualTo(def);
            assertThat(field(info, "cache_mode")).isEqualTo("cache");
            for (int i = 0; i < 10_000; i++) {
                j.set("fill" + i, "x".repeat(1000)); // cache mode evicts instead of refusing
            }
            assertThat(Long.parseLong(field(j.info("stats"), "evicted_keys"))).isPositive();
        }
    }

    @Test
    void maxmemoryPolicyOnTheCommandLine() {
        ServerConfig c = ServerConfig.parse(new String[] {"--maxmemory-policy", "noeviction"});
        assertThat(c.cacheMode).isFalse();
        assertThat(c.maxmemoryPolicy()).isEqualTo("noeviction");
        c = ServerConfig.parse(new String[] {"--maxmemory-policy", "dragonfly"});
        assertThat(c.cacheMode).isTrue();
        assertThat(c.maxmemoryPolicy()).isEqualTo("dragonfly");
        assertThat(new ServerConfig().maxmemoryPolicy()).isEqualTo(SlotPolicy.DEFAULT.name());
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--maxmemory-policy", "allkeys-lru"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accepted: noeviction");
    }

    // ------------------------------------------------------------------ large values

    @Test
    void aThirtyMegabyteValueFitsAnEmptyServerWithHalfAGigabyte() {
        // the case: --maxmemory 512mb answered OOM to a 30 MB SET on an empty server
        Server server = TestServers.start(c -> {
            c.threads = 2;
            c.memcachedPort = 0;
            c.maxmemory = 512L * 1024 * 1024;
        });
        try (server; Jedis j = new Jedis("127.0.0.1", server.port(), 20_000)) {
            for (int i = 0; i < 1_000; i++) {
                j.set("small" + i, "v" + i);
            }
            byte[] big = bytes(30 << 20, 7);
            assertThat(j.set("big".getBytes(), big)).isEqualTo("OK");
            assertThat(j.strlen("big")).isEqualTo(30L << 20);
            assertThat(Arrays.equals(j.get("big".getBytes()), big)).isTrue();
            byte[] big2 = bytes(90 << 20, 9); // large values share up to half a shard's 256 MB
            assertThat(j.set("big2".getBytes(), big2)).isEqualTo("OK");
            assertThat(j.strlen("big2")).isEqualTo(90L << 20);
            assertThat(j.dbSize()).isEqualTo(1_002);
            assertThat(Long.parseLong(field(j.info("memory"), "used_memory"))).isGreaterThan(120L << 20);
            String dash = j.info("dash4j");
            assertThat(field(dash, "large_values")).isEqualTo("2");
            assertThat(Long.parseLong(field(dash, "large_value_bytes"))).isBetween(120L << 20, 121L << 20);
            assertThat(j.del("big", "big2")).isEqualTo(2);
            dash = j.info("dash4j");
            assertThat(field(dash, "large_values")).isEqualTo("0");
            assertThat(field(dash, "large_value_bytes")).isEqualTo("0");
        }
    }

    @Test
    void cacheModeRefusesOnlyAValueLargerThanTheCacheCanHoldAndSaysSo() {
        Server server = TestServers.start(c -> {
            c.threads = 2;
            c.memcachedPort = 0;
            c.maxmemory = 64L * 1024 * 1024; // 32 MB per shard: one value may take 16 MB
        });
        try (server; Jedis j = new Jedis("127.0.0.1", server.port(), 20_000)) {
            assertThat(j.set("twelve".getBytes(), bytes(12 << 20, 1))).isEqualTo("OK");
            assertThat(j.strlen("twelve")).isEqualTo(12L << 20);
            assertThatThrownBy(() -> j.set("twenty".getBytes(), bytes(20 << 20, 2)))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessageStartingWith("OOM value too large for the cache")
                    .hasMessageContaining("at most half of this shard's maxmemory share (16777216 bytes)");
            assertThat(j.exists("twenty")).isFalse();
            assertThat(j.strlen("twelve")).as("the refusal lost nothing").isEqualTo(12L << 20);
            // APPEND checks before it builds the value, with the same message
            j.set("grow".getBytes(), bytes(10 << 20, 3));
            assertThatThrownBy(() -> j.append("grow".getBytes(), bytes(10 << 20, 4)))
                    .isInstanceOf(JedisDataException.class).hasMessageStartingWith("OOM value too large for the cache");
            assertThat(j.strlen("grow")).isEqualTo(10L << 20);
        }
    }

    @Test
    void valuesUpToProtoMaxBulkLenAreAcceptedAndLargerOnesNameTheLimit() throws Exception {
        Server server = TestServers.start(c -> c.memcachedPort = 0);
        try (server; Jedis j = new Jedis("127.0.0.1", server.port(), 20_000)) {
            assertThat(j.configSet("proto-max-bulk-len", "1mb")).isEqualTo("OK");
            assertThat(j.set("k".getBytes(), bytes(1 << 20, 5))).isEqualTo("OK"); // exactly the limit
            assertThat(j.strlen("k")).isEqualTo(1L << 20);
            try (Raw raw = new Raw(server.port())) {
                raw.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + ((1 << 20) + 1) + "\r\n");
                assertThat(raw.line()).isEqualTo(
                        "-ERR Protocol error: invalid bulk length (1048577 bytes is over proto-max-bulk-len, 1048576)\r\n");
                assertThat(raw.closedByPeer()).isTrue();
            }
            assertThat(j.strlen("k")).as("the refused write lost nothing").isEqualTo(1L << 20);
        }
    }

    @Test
    void storeModeRefusesAtMaxmemoryWithRedisText() {
        Server server = TestServers.start(c -> {
            c.threads = 1;
            c.memcachedPort = 0;
            c.cacheMode = false;
            c.maxmemory = 64L * 1024 * 1024;
        });
        try (server; Jedis j = new Jedis("127.0.0.1", server.port(), 20_000)) {
            assertThat(j.set("a".getBytes(), bytes(40 << 20, 1))).isEqualTo("OK"); // most of the budget: fine
            assertThatThrownBy(() -> j.set("b".getBytes(), bytes(40 << 20, 2)))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessage("OOM command not allowed when used memory > 'maxmemory'.");
            assertThat(j.strlen("a")).isEqualTo(40L << 20);
            assertThat(j.exists("b")).isFalse();
        }
    }

    // ------------------------------------------------------------------ active expiry

    @Test
    void expiredKeysNobodyReadsAreReclaimed() throws Exception {
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        Server server = TestServers.start(c -> {
            c.threads = 2;
            c.memcachedPort = 0;
            c.clock = clock::get;
        });
        try (server; Jedis j = new Jedis("127.0.0.1", server.port())) {
            int n = 30_000;
            Pipeline p = j.pipelined();
            for (int i = 0; i < n; i++) {
                p.set("ttl:" + i, "v", SetParams.setParams().px(1_000));
            }
            for (int i = 0; i < 500; i++) {
                p.set("keep:" + i, "v");
            }
            p.sync();
            assertThat(j.dbSize()).isEqualTo(n + 500);
            Thread.sleep(300); // a few ticks: nothing has expired on the test's clock
            assertThat(j.dbSize()).isEqualTo(n + 500);
            clock.addAndGet(2_000); // every TTL key has expired; nobody reads them
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (j.dbSize() > 500 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(j.dbSize()).isEqualTo(500);
            System.out.printf("active expiry: %d expired keys reclaimed in %d ms%n", n,
                    (System.nanoTime() - deadline + 10_000_000_000L) / 1_000_000);
            String info = j.info();
            assertThat(Long.parseLong(field(info, "expired_keys"))).isEqualTo(n);
            assertThat(field(info, "db0")).isEqualTo("keys=500,expires=0,avg_ttl=0");
        }
    }

    // ------------------------------------------------------------------ memcached CAS

    static long gets(Raw mc, String key) throws Exception {
        mc.send("gets " + key + "\r\n");
        String header = mc.line();
        assertThat(header).startsWith("VALUE " + key + " ");
        mc.line(); // data
        assertThat(mc.line()).isEqualTo("END\r\n");
        String[] parts = header.trim().split(" ");
        return Long.parseLong(parts[4]);
    }

    @Test
    void casUniquesSurviveStatsReset() throws Exception {
        Server server = TestServers.start();
        try (server; Raw mc = new Raw(server.memcachedPort())) {
            int keys = 30;
            long[] before = new long[keys];
            for (int i = 0; i < keys; i++) {
                mc.send("set k" + i + " 0 0 1\r\nx\r\n");
                assertThat(mc.line()).isEqualTo("STORED\r\n");
                before[i] = gets(mc, "k" + i);
            }
            mc.send("stats reset\r\n");
            assertThat(mc.line()).isEqualTo("RESET\r\n");
            for (int i = 0; i < keys; i++) {
                mc.send("set k" + i + " 0 0 1\r\ny\r\n");
                assertThat(mc.line()).isEqualTo("STORED\r\n");
                long after = gets(mc, "k" + i);
                assertThat(after).as("k%d: a new unique is greater than the one before stats reset", i)
                        .isGreaterThan(before[i]);
                mc.send("cas k" + i + " 0 0 1 " + before[i] + "\r\nz\r\n");
                assertThat(mc.line()).as("a stale unique never matches again").isEqualTo("EXISTS\r\n");
            }
        }
    }
}
