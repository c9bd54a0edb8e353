package io.dash4j.server;

import io.dash4j.server.store.CacheShardStore;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory target: after 1M SETs of 12-byte keys and 16-byte values, INFO's used_memory per key
 * is at most 0.6 x Redis 7's 104 B/key, and used_memory is an honest estimate of the heap.
 */
class MemoryAccountingTest {

    static final double REDIS_BYTES_PER_KEY = 104;

    static long heapUsed() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            best = Math.min(best, used);
        }
        return best;
    }

    static long infoField(String info, String field) {
        Matcher m = Pattern.compile("(?m)^" + field + ":(\\d+)").matcher(info);
        assertThat(m.find()).as(field).isTrue();
        return Long.parseLong(m.group(1));
    }

    static byte[] key(int i) {
        return String.format(Locale.ROOT, "key:%08d", i).getBytes(StandardCharsets.US_ASCII); // 12 bytes
    }

    static byte[] value(int i) {
        return String.format(Locale.ROOT, "value-%010d", i).getBytes(StandardCharsets.US_ASCII); // 16 bytes
    }

    @Test
    void oneMillionSetsThroughTheServer() throws Exception {
        int n = 1_000_000;
        long heapBefore = heapUsed();
        Server server = TestServers.start(c -> {
            c.threads = 2;
            c.memcachedPort = 0;
            c.maxmemory = 1024L * 1024 * 1024;
        });
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            long usedEmpty = infoField(j.info("memory"), "used_memory");
            for (int base = 0; base < n; base += 20_000) {
                Pipeline p = j.pipelined();
                for (int i = base; i < base + 20_000; i++) {
                    p.set(key(i), value(i));
                }
                p.sync();
            }
            String info = j.info();
            long keys = j.dbSize();
            assertThat(keys).isEqualTo(n);
            long used = infoField(info, "used_memory");
            long heapAfter = heapUsed();
            double perKey = (double) used / keys;
            double heapPerKey = (double) (heapAfter - heapBefore) / keys;
            double ratio = (double) (used - usedEmpty) / (heapAfter - heapBefore);
            System.out.printf(Locale.ROOT, "1M SETs (12 B keys, 16 B values, 2 shards): used_memory %.1f B/key "
                            + "(target <= %.1f = 0.6 x Redis 7's %.0f), heap growth %.1f B/key, used/heap %.3f, "
                            + "load factor %s%n",
                    perKey, 0.6 * REDIS_BYTES_PER_KEY, REDIS_BYTES_PER_KEY, heapPerKey, ratio,
                    info.replaceAll("(?s).*load_factor:([0-9.]+).*", "$1"));
            assertThat(perKey).isLessThanOrEqualTo(0.6 * REDIS_BYTES_PER_KEY);
            assertThat(ratio).as("used_memory vs measured heap growth").isBetween(0.75, 1.25);
            // spot check nothing was lost
            for (int i = 0; i < n; i += 99_991) {
                assertThat(j.get(key(i))).isEqualTo(value(i));
            }
        } finally {
            server.close();
        }
    }

    @Test
    void perKeyAcrossShardCounts() {
        // the same 1M keys over 1 and 3 shard stores, routed as the server routes them (2 is tested above)
        for (int shards : new int[] {1, 3}) {
            CacheShardStore[] stores = new CacheShardStore[shards];
            for (int s = 0; s < shards; s++) {
                stores[s] = new CacheShardStore(1L << 30, true);
            }
            int n = Integer.getInteger("memtest.keys", 1_000_000);
            for (int i = 0; i < n; i++) {
                byte[] k = key(i);
                Key key = new Key(k);
                stores[key.shard(shards)].put(key, Entry.of(k, value(i)), 0);
            }
            long used = 0;
            for (CacheShardStore s : stores) {
                used += s.usedMemory();
            }
            System.out.printf(Locale.ROOT, "%d shard(s): %.1f B/key%n", shards, (double) used / n);
            assertThat((double) used / n).isLessThanOrEqualTo(0.6 * REDIS_BYTES_PER_KEY);
        }
    }

    @Test
    void storeEstimateMatchesTheObjectGraph() {
        // JOL walks the real object graph of one shard store: entries, holders, tables
        System.setProperty("jol.magicFieldOffset", "true"); // lambdas are hidden classes
        CacheShardStore store = new CacheShardStore(1L << 30, true);
        store.setNow(System.currentTimeMillis());
        int n = 30_000;
        for (int i = 0; i < n; i++) {
            byte[] k = key(i);
            store.put(new Key(k), Entry.of(k, value(i)), i % 10 == 0 ? 60_000 : 0);
            if (i % 1000 == 0) {
                store.stick(new Key(k));
            }
        }
        long estimate = store.usedMemory();
        long actual = GraphLayout.parseInstance(store).totalSize();
        System.out.printf(Locale.ROOT, "store of %d keys (10%% with TTL): used_memory %d, JOL graph %d (%.3f), %.1f B/key%n",
                n, estimate, actual, (double) estimate / actual, (double) estimate / n);
        assertThat((double) estimate / actual).isBetween(0.9, 1.1);
    }
}
