package io.dash4j.server;

import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Scale-out with twemproxy (Debian's {@code nutcracker}) and ketama distribution in front of three
 * dash4j servers: one pool for RESP (Jedis), one for memcached (spymemcached). 10,000 keys go in
 * through the proxy and come back; every backend, asked directly (DBSIZE / stats curr_items),
 * holds 20-45 % of them; with one backend stopped, only its keys miss (the proxy ejects it:
 * auto_eject_hosts, server_failure_limit 1, a long server_retry_timeout) and the rest still answer.
 * Skipped only when no nutcracker binary is installed ({@code .ci/run} installs it).
 */
class NutcrackerScaleOutTest {

    /** Held so that the level set on it sticks (JUL keeps loggers weakly). */
    static final java.util.logging.Logger SPY_LOG = java.util.logging.Logger.getLogger("net.spy.memcached");

    static final int KEYS = 10_000;
    static final int BATCH = 500;
    static final int STOPPED = 1; // the backend (0-based) taken down

    static Path nutcracker;

    @BeforeAll
    static void tool() {
        Optional<Path> bin = ExternalTools.find("nutcracker");
        assumeTrue(bin.isPresent(), "nutcracker (twemproxy) not installed (Debian: nutcracker)");
        nutcracker = bin.get();
        System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SunLogger");
        SPY_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    static String key(int i) {
        return String.format(Locale.ROOT, "user:%05d", i);
    }

    static String value(int i) {
        return "value-" + i;
    }

    /** The nutcracker.yml of docs/scale-out.md, with this run's ports. */
    static String config(ThreeNodes nodes, int respListen, int memcachedListen) {
        StringBuilder resp = new StringBuilder();
        StringBuilder mc = new StringBuilder();
        for (int i = 0; i < ThreeNodes.N; i++) {
            resp.append("    - 127.0.0.1:").append(nodes.respPort(i)).append(":1 dash").append(i + 1).append('\n');
            mc.append("    - 127.0.0.1:").append(nodes.memcachedPort(i)).append(":1 dash").append(i + 1).append('\n');
        }
        String common = """
                  hash: fnv1a_64
                  distribution: ketama
                  auto_eject_hosts: true
                  server_failure_limit: 1
                  server_retry_timeout: 600000
                  timeout: 2000
                """;
        return "dash4j_resp:\n"
                + "  listen: 127.0.0.1:" + respListen + "\n"
                + "  redis: true\n"
                + common
                + "  servers:\n" + resp
                + "dash4j_memcached:\n"
                + "  listen: 127.0.0.1:" + memcachedListen + "\n"
                + common
                + "  servers:\n" + mc;
    }

    /** Three backends and a nutcracker with both pools; everything stops in {@link #close()}. */
    static final class Proxied implements AutoCloseable {
        final ThreeNodes nodes;
        final Path dir;
        final int respListen = ExternalTools.freePort();
        final int memcachedListen = ExternalTools.freePort();
        Process proxy;

        Proxied() throws IOException, InterruptedException {
            nodes = new ThreeNodes();
            dir = Files.createTempDirectory("dash4j-nutcracker");
            try {
                Path yml = dir.resolve("nutcracker.yml");
                Files.writeString(yml, config(nodes, respListen, memcachedListen), StandardCharsets.UTF_8);
                int stats = ExternalTools.freePort();
                proxy = new ProcessBuilder(nutcracker.toString(), "-c", yml.toString(),
                        "-s", Integer.toString(stats), "-a", "127.0.0.1",
                        "-o", dir.resolve("nutcracker.log").toString(),
                        "-p", dir.resolve("nutcracker.pid").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("nutcracker.out").toFile())
                        .start();
                ExternalTools.awaitListening(respListen, 10_000, proxy);
                ExternalTools.awaitListening(memcachedListen, 10_000, proxy);
            } catch (IOException | InterruptedException | RuntimeException e) {
                close();
                throw e;
            }
        }

        String log() {
            try {
                return Files.readString(dir.resolve("nutcracker.log"), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return "(no nutcracker.log: " + e + ")";
            }
        }

        @Override
        public void close() {
            try {
                ExternalTools.stop(proxy);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                nodes.close();
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temp dir left behind is harmless
                }
            }
        }
    }

    static Jedis jedis(int port) {
        // No CLIENT SETINFO on connect: twemproxy does not forward it.
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .socketTimeoutMillis(5000).connectionTimeoutMillis(5000).build());
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void respPoolKetamaThroughNutcracker() throws Exception {
        try (Proxied p = new Proxied(); Jedis proxy = jedis(p.respListen)) {
            for (int from = 0; from < KEYS; from += BATCH) {
                Pipeline pl = proxy.pipelined();
                for (int i = from; i < from + BATCH; i++) {
                    pl.set(key(i), value(i));
                }
                pl.sync();
            }
            String[] back = readAll(proxy);
            for (int i = 0; i < KEYS; i++) {
                assertEquals(value(i), back[i], key(i));
            }

            long[] counts = new long[ThreeNodes.N];
            int[] owner = new int[KEYS];
            Arrays.fill(owner, -1);
            for (int n = 0; n < ThreeNodes.N; n++) {
                try (Jedis direct = jedis(p.nodes.respPort(n))) {
                    counts[n] = direct.dbSize();
                    for (int from = 0; from < KEYS; from += BATCH) {
                        Pipeline pl = direct.pipelined();
                        List<Response<Boolean>> rs = new ArrayList<>();
                        for (int i = from; i < from + BATCH; i++) {
                            rs.add(pl.exists(key(i)));
                        }
                        pl.sync();
                        for (int i = from; i < from + BATCH; i++) {
                            if (rs.get(i - from).get()) {
                                assertEquals(-1, owner[i], key(i) + " is on two backends");
                                owner[i] = n;
                            }
                        }
                    }
                }
            }
            System.out.println("nutcracker RESP pool (ketama, fnv1a_64), " + KEYS + " keys: " + ThreeNodes.shares(counts));
            checkShares(counts);
            assertThat(owner).doesNotContain(-1);

            p.nodes.stop(STOPPED);
            // The first request routed to the stopped backend fails and ejects it; afterwards its keys
            // hash to the remaining backends, where they are not.
            int probe = firstOwnedBy(owner, STOPPED);
            String first = null;
            List<String> seen = new ArrayList<>();
            for (int attempt = 0; attempt < 5; attempt++) {
                try {
                    first = proxy.get(key(probe));
                    seen.add(String.valueOf(first));
                    break;
                } catch (JedisException e) {
                    seen.add(e.getMessage()); // an error reply before the ejection
                }
            }
            System.out.println("RESP pool, reads of a stopped backend's key: " + seen);
            assertEquals(null, first, "the stopped backend's key after ejection\n" + p.log());
            String[] after = readAll(proxy);
            checkOnlyStoppedMiss(owner, after);
        }
    }

    /** GETs every key through {@code c}, pipelined; an error reply reads as null (a miss). */
    static String[] readAll(Jedis c) {
        String[] out = new String[KEYS];
        for (int from = 0; from < KEYS; from += BATCH) {
            Pipeline pl = c.pipelined();
            List<Response<String>> rs = new ArrayList<>();
            for (int i = from; i < from + BATCH; i++) {
                rs.add(pl.get(key(i)));
            }
            pl.sync();
            for (int i = from; i < from + BATCH; i++) {
                try {
                    out[i] = rs.get(i - from).get();
                } catch (JedisException e) {
                    out[i] = null;
                }
            }
        }
        return out;
    }

    static void checkShares(long[] counts) {
        assertEquals(KEYS, Arrays.stream(counts).sum(), "every key on exactly one backend");
        for (int n = 0; n < counts.length; n++) {
            double share = (double) counts[n] / KEYS;
            assertTrue(share >= 0.20 && share <= 0.45,
                    "backend " + (n + 1) + " holds " + counts[n] + " of " + KEYS + " keys; want 20-45 %");
        }
    }

    static int firstOwnedBy(int[] owner, int node) {
        for (int i = 0; i < owner.length; i++) {
            if (owner[i] == node) {
                return i;
            }
        }
        throw new AssertionError("no key on backend " + (node + 1));
    }

    /** Keys of the stopped backend miss; every other key still reads its value. */
    static void checkOnlyStoppedMiss(int[] owner, String[] after) {
        int missedOwn = 0;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            if (owner[i] == STOPPED) {
                if (after[i] == null) {
                    missedOwn++;
                } else {
                    wrong.add(key(i) + " (stopped backend's) read " + after[i]);
                }
            } else if (!value(i).equals(after[i])) {
                wrong.add(key(i) + " (backend " + (owner[i] + 1) + ") read " + after[i]);
            }
        }
        assertThat(wrong).as("reads after stopping backend " + (STOPPED + 1)).isEmpty();
        assertTrue(missedOwn > 0);
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void memcachedPoolKetamaThroughNutcracker() throws Exception {
        try (Proxied p = new Proxied()) {
            MemcachedClient proxy = null;
            List<MemcachedClient> direct = new ArrayList<>();
            try {
                proxy = new MemcachedClient(new ConnectionFactoryBuilder()
                        .setProtocol(ConnectionFactoryBuilder.Protocol.TEXT)
                        .setOpTimeout(5000).setShouldOptimize(false).build(),
                        List.of(new InetSocketAddress("127.0.0.1", p.memcachedListen)));
                List<Future<Boolean>> sets = new ArrayList<>();
                for (int i = 0; i < KEYS; i++) {
                    sets.add(proxy.set(key(i), 0, value(i)));
                    if (sets.size() == BATCH) {
                        for (Future<Boolean> f : sets) {
                            assertTrue(f.get(10, TimeUnit.SECONDS));
                        }
                        sets.clear();
                    }
                }
                for (Future<Boolean> f : sets) {
                    assertTrue(f.get(10, TimeUnit.SECONDS));
                }
                Object[] back = readAll(proxy);
                for (int i = 0; i < KEYS; i++) {
                    assertEquals(value(i), back[i], key(i));
                }

                long[] counts = new long[ThreeNodes.N];
                int[] owner = new int[KEYS];
                Arrays.fill(owner, -1);
                for (int n = 0; n < ThreeNodes.N; n++) {
                    MemcachedClient d = new MemcachedClient(new InetSocketAddress("127.0.0.1", p.nodes.memcachedPort(n)));
                    direct.add(d);
                    counts[n] = currItems(d);
                    Object[] mine = readAll(d);
                    for (int i = 0; i < KEYS; i++) {
                        if (mine[i] != null) {
                            assertEquals(-1, owner[i], key(i) + " is on two backends");
                            owner[i] = n;
                        }
                    }
                }
                System.out.println("nutcracker memcached pool (ketama, fnv1a_64), " + KEYS + " keys: " + ThreeNodes.shares(counts));
                checkShares(counts);
                assertThat(owner).doesNotContain(-1);

                direct.get(STOPPED).shutdown(1, TimeUnit.SECONDS);
                p.nodes.stop(STOPPED);
                int probe = firstOwnedBy(owner, STOPPED);
                Object first = "unset";
                List<String> seen = new ArrayList<>();
                for (int attempt = 0; attempt < 5; attempt++) {
                    try {
                        first = proxy.get(key(probe));
                        seen.add(String.valueOf(first));
                        break;
                    } catch (RuntimeException e) {
                        seen.add(String.valueOf(e.getMessage())); // an error reply before the ejection
                    }
                }
                System.out.println("memcached pool, reads of a stopped backend's key: " + seen);
                assertEquals(null, first, "the stopped backend's key after ejection\n" + p.log());
                Object[] after = readAll(proxy);
                String[] strings = new String[KEYS];
                for (int i = 0; i < KEYS; i++) {
                    strings[i] = (String) after[i];
                }
                checkOnlyStoppedMiss(owner, strings);
            } finally {
                if (proxy != null) {
                    proxy.shutdown(1, TimeUnit.SECONDS);
                }
                for (MemcachedClient d : direct) {
                    d.shutdown(1, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Multi-gets every key in batches; a failed batch reads as misses. */
    static Object[] readAll(MemcachedClient c) {
        Object[] out = new Object[KEYS];
        for (int from = 0; from < KEYS; from += BATCH) {
            List<String> keys = new ArrayList<>();
            for (int i = from; i < from + BATCH; i++) {
                keys.add(key(i));
            }
            Map<String, Object> got = c.getBulk(keys);
            for (int i = from; i < from + BATCH; i++) {
                out[i] = got.get(key(i));
            }
        }
        return out;
    }

    /** {@code stats curr_items} of a client's only server. */
    static long currItems(MemcachedClient c) {
        Map<?, Map<String, String>> stats = c.getStats();
        assertEquals(1, stats.size());
        return Long.parseLong(stats.values().iterator().next().get("curr_items"));
    }
}
