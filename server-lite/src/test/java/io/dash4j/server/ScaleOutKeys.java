package io.dash4j.server;

import net.spy.memcached.MemcachedClient;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key set of the scale-out tests ({@link NutcrackerScaleOutTest}, {@link KetamaClientScaleOutTest})
 * and the checks they share. {@link #KEYS} keys {@code user:00000...} go in through a distributor
 * (a proxy or a client-side ring) and come back; then each backend is asked directly which keys it
 * holds, giving a {@link Placement}: every key on exactly one backend, each backend with 20-45 % of
 * them. Finally backend {@link #STOPPED} is stopped and only its keys may miss.
 */
final class ScaleOutKeys {

    static final int KEYS = 10_000;
    static final int BATCH = 500;
    static final int STOPPED = 1; // the backend (0-based) taken down

    private ScaleOutKeys() {
    }

    static String key(int i) {
        return String.format(Locale.ROOT, "user:%05d", i);
    }

    static String value(int i) {
        return "value-" + i;
    }

    /** SETs every key through {@code c} (any distributor), {@link #BATCH} in flight at a time. */
    static void writeAll(MemcachedClient c) throws Exception {
        List<Future<Boolean>> sets = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            sets.add(c.set(key(i), 0, value(i)));
            if (sets.size() == BATCH || i == KEYS - 1) {
                for (Future<Boolean> f : sets) {
                    assertTrue(f.get(10, TimeUnit.SECONDS));
                }
                sets.clear();
            }
        }
    }

    /** Asserts that {@code back} holds every key's value. */
    static void checkAllRead(Object[] back) {
        for (int i = 0; i < KEYS; i++) {
            assertEquals(value(i), back[i], key(i));
        }
    }

    /** GETs every key through {@code c}, pipelined; an error reply reads as null (a miss). */
    static String[] readAll(Jedis c) {
        return eachKey(c, Pipeline::get).toArray(new String[0]);
    }

    /** Which keys {@code c} holds, by pipelined EXISTS (an error reply: not held). */
    static boolean[] exists(Jedis c) {
        List<Boolean> replies = eachKey(c, Pipeline::exists);
        boolean[] out = new boolean[KEYS];
        for (int i = 0; i < KEYS; i++) {
            out[i] = Boolean.TRUE.equals(replies.get(i));
        }
        return out;
    }

    /** {@code command} on every key, {@link #BATCH} per pipeline; the replies in key order, an error as null. */
    private static <T> List<T> eachKey(Jedis c, BiFunction<Pipeline, String, Response<T>> command) {
        List<T> out = new ArrayList<>(KEYS);
        for (int from = 0; from < KEYS; from += BATCH) {
            Pipeline pl = c.pipelined();
            List<Response<T>> rs = new ArrayList<>();
            for (int i = from; i < from + BATCH; i++) {
                rs.add(command.apply(pl, key(i)));
            }
            pl.sync();
            for (Response<T> r : rs) {
                T reply;
                try {
                    reply = r.get();
                } catch (JedisException e) {
                    reply = null;
                }
                out.add(reply);
            }
        }
        return out;
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

    /**
     * Which backend holds each key, and how many keys each reports: built one backend at a time with
     * {@link #claim}, then {@link #check}ed.
     */
    static final class Placement {
        final long[] counts = new long[ThreeNodes.N];
        final int[] owner = new int[KEYS];

        Placement() {
            Arrays.fill(owner, -1);
        }

        /** Backend {@code node} reports {@code count} keys and holds those {@code holds} accepts. */
        void claim(int node, long count, IntPredicate holds) {
            counts[node] = count;
            for (int i = 0; i < KEYS; i++) {
                if (holds.test(i)) {
                    assertEquals(-1, owner[i], key(i) + " is on two backends");
                    owner[i] = node;
                }
            }
        }

        /** Every key on exactly one backend, each backend's share within 20-45 %; prints the shares. */
        void check(String label) {
            System.out.println(label + ", " + KEYS + " keys: " + ThreeNodes.shares(counts));
            checkShares(counts);
            assertThat(owner).doesNotContain(-1);
        }

        /**
         * Asks each backend's memcached port directly (stats curr_items, multi-gets); the direct
         * clients go into {@code direct} for the caller to shut down.
         */
        static Placement viaMemcached(ThreeNodes nodes, List<MemcachedClient> direct) throws IOException {
            Placement p = new Placement();
            for (int n = 0; n < ThreeNodes.N; n++) {
                MemcachedClient d = new MemcachedClient(new InetSocketAddress("127.0.0.1", nodes.memcachedPort(n)));
                direct.add(d);
                Object[] mine = readAll(d);
                p.claim(n, currItems(d), i -> mine[i] != null);
            }
            return p;
        }
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
    static void checkOnlyStoppedMiss(int[] owner, Object[] after) {
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
}
