package io.dash4j.server;

import net.spy.memcached.ConnectionFactoryBuilder;
import io.dash4j.server.ScaleOutKeys.Placement;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.dash4j.server.ScaleOutKeys.BATCH;
import static io.dash4j.server.ScaleOutKeys.KEYS;
import static io.dash4j.server.ScaleOutKeys.STOPPED;
import static io.dash4j.server.ScaleOutKeys.checkAllRead;
import static io.dash4j.server.ScaleOutKeys.checkOnlyStoppedMiss;
import static io.dash4j.server.ScaleOutKeys.exists;
import static io.dash4j.server.ScaleOutKeys.firstOwnedBy;
import static io.dash4j.server.ScaleOutKeys.key;
import static io.dash4j.server.ScaleOutKeys.readAll;
import static io.dash4j.server.ScaleOutKeys.value;
import static io.dash4j.server.ScaleOutKeys.writeAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    static Path nutcracker;

    @BeforeAll
    static void tool() {
        Optional<Path> bin = ExternalTools.find("nutcracker");
        assumeTrue(bin.isPresent(), "nutcracker (twemproxy) not installed (Debian: nutcracker)");
        nutcracker = bin.get();
        SpyClients.quietLogs();
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

        /**
         * Reads {@code read} (a key of the stopped backend, through the proxy) up to five times: the
         * first request routed to the stopped backend fails (an error reply) and ejects it; from then
         * on its keys hash to the remaining backends, where they are not, so a read answers a miss.
         */
        void checkEjected(String pool, Supplier<Object> read) {
            Object first = "no read answered";
            List<String> seen = new ArrayList<>();
            for (int attempt = 0; attempt < 5; attempt++) {
                try {
                    first = read.get();
                    seen.add(String.valueOf(first));
                    break;
                } catch (RuntimeException e) {
                    seen.add(String.valueOf(e.getMessage())); // an error reply before the ejection
                }
            }
            System.out.println(pool + ", reads of a stopped backend's key: " + seen);
            assertEquals(null, first, "the stopped backend's key after ejection\n" + log());
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
            checkAllRead(readAll(proxy));

            Placement placed = new Placement();
            for (int n = 0; n < ThreeNodes.N; n++) {
                try (Jedis direct = jedis(p.nodes.respPort(n))) {
                    boolean[] held = exists(direct);
                    placed.claim(n, direct.dbSize(), i -> held[i]);
                }
            }
            placed.check("nutcracker RESP pool (ketama, fnv1a_64)");
            int[] owner = placed.owner;

            p.nodes.stop(STOPPED);
            String probe = key(firstOwnedBy(owner, STOPPED));
            p.checkEjected("RESP pool", () -> proxy.get(probe));
            String[] after = readAll(proxy);
            checkOnlyStoppedMiss(owner, after);
        }
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
                writeAll(proxy);
                checkAllRead(readAll(proxy));

                Placement placed = Placement.viaMemcached(p.nodes, direct);
                placed.check("nutcracker memcached pool (ketama, fnv1a_64)");
                int[] owner = placed.owner;

                direct.get(STOPPED).shutdown(1, TimeUnit.SECONDS);
                p.nodes.stop(STOPPED);
                String probe = key(firstOwnedBy(owner, STOPPED));
                MemcachedClient client = proxy;
                p.checkEjected("memcached pool", () -> client.get(probe));
                checkOnlyStoppedMiss(owner, readAll(proxy));
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
}
