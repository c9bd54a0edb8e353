package io.dash4j.server;

import io.dash4j.server.ScaleOutKeys.Placement;
import net.spy.memcached.KetamaConnectionFactory;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.MemcachedNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.dash4j.server.ScaleOutKeys.KEYS;
import static io.dash4j.server.ScaleOutKeys.STOPPED;
import static io.dash4j.server.ScaleOutKeys.checkAllRead;
import static io.dash4j.server.ScaleOutKeys.checkOnlyStoppedMiss;
import static io.dash4j.server.ScaleOutKeys.firstOwnedBy;
import static io.dash4j.server.ScaleOutKeys.key;
import static io.dash4j.server.ScaleOutKeys.readAll;
import static io.dash4j.server.ScaleOutKeys.writeAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client-side consistent hashing, no proxy: spymemcached's {@link KetamaConnectionFactory} over the
 * memcached ports of three dash4j servers. The same checks as {@link NutcrackerScaleOutTest}:
 * 10,000 keys written and read back, 20-45 % on each server (stats curr_items, asked directly),
 * and with one server stopped only its keys miss (the factory's default failure mode,
 * Redistribute, sends them to the next live server on the ring, which does not have them).
 */
class KetamaClientScaleOutTest {

    @BeforeAll
    static void quietSpy() {
        SpyClients.quietLogs();
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void ketamaConnectionFactoryOverThreeServers() throws Exception {
        ThreeNodes nodes = new ThreeNodes();
        MemcachedClient client = null;
        List<MemcachedClient> direct = new ArrayList<>();
        try {
            List<InetSocketAddress> servers = new ArrayList<>();
            for (int n = 0; n < ThreeNodes.N; n++) {
                servers.add(new InetSocketAddress("127.0.0.1", nodes.memcachedPort(n)));
            }
            client = new MemcachedClient(new KetamaConnectionFactory(), servers);
            // spymemcached connects in the background, and with its Redistribute failure mode an
            // operation for a node not connected yet goes to the next node on the ring: writes
            // issued too early land on the wrong server (seen as a flaky miss). Wait for all three.
            long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!client.getNodeLocator().getAll().stream().allMatch(MemcachedNode::isActive)
                    && System.nanoTime() < connectDeadline) {
                Thread.sleep(5);
            }
            assertTrue(client.getNodeLocator().getAll().stream().allMatch(MemcachedNode::isActive),
                    "the client did not connect to all three servers");

            writeAll(client);
            checkAllRead(readAll(client));

            Placement placed = Placement.viaMemcached(nodes, direct);
            placed.check("spymemcached KetamaConnectionFactory");
            int[] owner = placed.owner;

            direct.get(STOPPED).shutdown(1, TimeUnit.SECONDS);
            nodes.stop(STOPPED);
            // spymemcached reads an idle connection only when it has an operation outstanding, so it
            // learns of the stop from the first request sent there (which fails or is cancelled).
            // Once the node is inactive, reads of its keys are redistributed along the ring.
            String probe = key(firstOwnedBy(owner, STOPPED));
            MemcachedNode dead = client.getNodeLocator().getPrimary(probe);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (dead.isActive() && System.nanoTime() < deadline) {
                try {
                    client.asyncGet(probe).get(500, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    // cancelled or timed out: the connection was lost
                }
                Thread.sleep(20);
            }
            assertTrue(!dead.isActive(), "the client did not notice the stopped server");

            String[] after = readEach(client, owner);
            checkOnlyStoppedMiss(owner, after);
        } finally {
            if (client != null) {
                client.shutdown(1, TimeUnit.SECONDS);
            }
            for (MemcachedClient d : direct) {
                d.shutdown(1, TimeUnit.SECONDS);
            }
            nodes.close();
        }
    }

    /**
     * One asynchronous get per key (spymemcached batches them per node), so a key whose read still
     * goes to the stopped server fails alone. Redistribute re-hashes a dead primary's key (up to
     * seven times) looking for a live server; when every re-hash lands on the dead one the get
     * stays queued there and times out. Either way that key misses: null, timed out or cancelled.
     */
    static String[] readEach(MemcachedClient c, int[] owner) throws InterruptedException {
        String[] out = new String[KEYS];
        List<Future<Object>> gets = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            gets.add(c.asyncGet(key(i)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int redistributed = 0;
        int failed = 0;
        for (int i = 0; i < KEYS; i++) {
            Future<Object> f = gets.get(i);
            try {
                out[i] = (String) f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (owner[i] == STOPPED) {
                    redistributed++;
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
                f.cancel(true);
                out[i] = null;
                failed++;
            }
        }
        System.out.println("after stopping node" + (STOPPED + 1) + ": " + redistributed
                + " of its keys were read from another node (miss), " + failed + " reads failed or timed out");
        return out;
    }
}
