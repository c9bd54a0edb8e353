package io.dash4j.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Owner-written replies ({@link OwnerReplies}) on the memcached text protocol, two shards, raw
 * sockets. A memcached connection cannot tell which shard serves it, so every test uses one key of
 * each shard: whichever shard the connection is on, the other key is remote and its single
 * commands are answered by their owner. Checked: the owner really writes them (INFO's
 * {@code shard_owner_replies}), the bytes equal the home path's (the same transcript with the
 * switch off), many clients mixing single commands, pipelined batches and noreply read every
 * reply in order, {@code stats} counts each command once whichever shard encoded its reply, and a
 * 1 MB value the owner cannot write at once reaches a slow reader whole, followed by the replies
 * pipelined behind it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McOwnerRepliesTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(c -> {
        c.threads = 2;
        c.itemSizeMax = 2 << 20;
    });

    private static long infoLong(String field) {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            return OwnerRepliesTest.infoLong(j, field);
        }
    }

    private static void ownerReplies(boolean on) {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.configSet("owner-replies", on ? "yes" : "no");
        }
    }

    private static Socket connect(int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", server.memcachedPort()), 5_000);
        s.setSoTimeout(20_000);
        s.setTcpNoDelay(true);
        return s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String read(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        assertEquals(n, b.length, "the connection ended early");
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------ one command at a time

    /**
     * One request and its expected reply; sent alone and read before the next, so each remote one
     * is the head of its queue and the last command read: its owner writes it.
     */
    private record Step(String request, String reply) {
    }

    private static List<Step> script(String k0, String k1) {
        List<Step> s = new ArrayList<>();
        for (String k : new String[] {k0, k1}) {
            s.add(new Step("delete " + k + "\r\n", null)); // reset (DELETED or NOT_FOUND: not checked)
            s.add(new Step("delete " + k + ":n\r\n", null));
            s.add(new Step("get " + k + "\r\n", "END\r\n"));
            s.add(new Step("replace " + k + " 0 0 1\r\nx\r\n", "NOT_STORED\r\n"));
            s.add(new Step("add " + k + " 7 0 3\r\nabc\r\n", "STORED\r\n"));
            s.add(new Step("add " + k + " 0 0 1\r\ny\r\n", "NOT_STORED\r\n"));
            s.add(new Step("get " + k + "\r\n", "VALUE " + k + " 7 3\r\nabc\r\nEND\r\n"));
            s.add(new Step("set " + k + " 42 0 5 noreply\r\nhello\r\n", ""));
            s.add(new Step("replace " + k + " 9 0 0\r\n\r\n", "STORED\r\n"));
            s.add(new Step("get " + k + "\r\n", "VALUE " + k + " 9 0\r\n\r\nEND\r\n"));
            s.add(new Step("set " + k + " 0 0 5\r\nhello\r\n", "STORED\r\n"));
            s.add(new Step("incr " + k + " 1\r\n", "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"));
            s.add(new Step("incr " + k + ":n 1\r\n", "NOT_FOUND\r\n"));
            s.add(new Step("set " + k + ":n 0 0 2\r\n10\r\n", "STORED\r\n"));
            s.add(new Step("incr " + k + ":n 5\r\n", "15\r\n"));
            s.add(new Step("decr " + k + ":n 100\r\n", "0\r\n"));
            s.add(new Step("incr " + k + ":n 18446744073709551615 noreply\r\n", ""));
            s.add(new Step("get " + k + ":n\r\n", "VALUE " + k + ":n 0 20\r\n18446744073709551615\r\nEND\r\n"));
            s.add(new Step("incr " + k + ":n 1\r\n", "0\r\n")); // wraps, as memcached does
            s.add(new Step("decr " + k + ":n 1 noreply\r\n", ""));
            s.add(new Step("get " + k + ":n\r\n", "VALUE " + k + ":n 0 1\r\n0\r\nEND\r\n"));
        }
        return s;
    }

    /** Runs {@link #script} step by step on a fresh connection; returns the whole transcript. */
    private static String runScript(String k0, String k1) throws IOException {
        StringBuilder transcript = new StringBuilder();
        try (Socket s = connect(0)) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (Step step : script(k0, k1)) {
                out.write(bytes(step.request()));
                out.flush();
                String got;
                if (step.reply() == null) {
                    String line = readLine(in); // depends on what an earlier run left
                    assertTrue(line.equals("DELETED\r\n") || line.equals("NOT_FOUND\r\n"), line);
                    got = "(reset)";
                } else if (step.reply().isEmpty()) {
                    got = ""; // noreply: the next step's reply shows nothing came
                } else {
                    got = read(in, step.reply().length());
                    assertEquals(step.reply(), got, step.request());
                }
                transcript.append(step.request()).append(" -> ").append(got);
            }
            // gets: a CAS unique that stays while nobody writes, from either shard
            for (String k : new String[] {k0, k1}) {
                out.write(bytes("gets " + k + "\r\n"));
                out.flush();
                String head = readLine(in);
                assertTrue(head.matches("VALUE " + k + " 0 5 \\d+\r\n"), head);
                assertEquals("hello\r\nEND\r\n", read(in, 12));
                out.write(bytes("gets " + k + "\r\n"));
                out.flush();
                assertEquals(head, readLine(in));
                assertEquals("hello\r\nEND\r\n", read(in, 12));
            }
            // nothing is left unread: a noreply wrote nothing
            out.write(bytes("version\r\n"));
            out.flush();
            assertTrue(readLine(in).startsWith("VERSION "));
        }
        return transcript.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            assertTrue(c >= 0, "EOF after " + b);
            b.append((char) c);
        }
        return b.append('\n').toString();
    }

    @Test
    void remoteSingleCommandsAreWrittenByTheOwnerWithTheHomePathsBytes() throws IOException {
        String k0 = TxKeys.ownedBy(0, 2, "one:", 0);
        String k1 = TxKeys.ownedBy(1, 2, "one:", 0);
        int remoteReplies = 0;
        for (Step st : script(k0, k1)) {
            remoteReplies += st.reply() != null ? 1 : 0;
        }
        remoteReplies /= 2; // the commands on the other shard's key (noreply ones write nothing, but count)

        long before = infoLong("shard_owner_replies");
        String withOwner = runScript(k0, k1);
        long owned = infoLong("shard_owner_replies") - before;
        assertTrue(owned >= remoteReplies / 2, "owner-written replies: " + owned + " of " + remoteReplies);

        ownerReplies(false);
        try {
            long offBefore = infoLong("shard_owner_replies");
            String home = runScript(k0, k1);
            assertEquals(offBefore, infoLong("shard_owner_replies"), "the switch is off");
            assertEquals(home, withOwner);
        } finally {
            ownerReplies(true);
        }
    }

    // ------------------------------------------------------------------ many clients, stats

    /** What one client sent, to compare with {@code stats}. */
    private record Sent(long gets, long hits, long sets, long incrHits, long incrMisses) {
        Sent plus(Sent o) {
            return new Sent(gets + o.gets, hits + o.hits, sets + o.sets, incrHits + o.incrHits, incrMisses + o.incrMisses);
        }
    }

    /**
     * Client {@code id}: 2 x 8 keys of its own on both shards, a model of their values, and a mix
     * of single commands (answered by the owner when remote) and pipelined batches; every reply is
     * checked, in order. Returns the commands it sent, by kind.
     */
    private static Sent clientRun(int id, int rounds) throws IOException {
        Random rnd = new Random(1000 + id);
        String[] keys = new String[16];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = TxKeys.ownedBy(i % 2, 2, "c" + id + ":" + i + ":", 0);
        }
        Map<String, String> model = new HashMap<>();
        long gets = 0, hits = 0, sets = 0, incrHits = 0, incrMisses = 0;
        try (Socket s = connect(0)) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (String k : keys) { // a clean start (earlier runs of the test may have left values)
                out.write(bytes("delete " + k + " noreply\r\n"));
            }
            for (int round = 0; round < rounds; round++) {
                int batch = rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(20) : 1;
                StringBuilder req = new StringBuilder();
                StringBuilder expect = new StringBuilder();
                for (int b = 0; b < batch; b++) {
                    String k = keys[rnd.nextInt(keys.length)];
                    String v = model.get(k);
                    boolean noreply = rnd.nextInt(5) == 0;
                    switch (rnd.nextInt(4)) {
                        case 0 -> {
                            req.append("get ").append(k).append("\r\n");
                            gets++;
                            if (v != null) {
                                hits++;
                                expect.append("VALUE ").append(k).append(" 0 ").append(v.length()).append("\r\n")
                                        .append(v).append("\r\n");
                            }
                            expect.append("END\r\n");
                        }
                        case 1 -> {
                            String nv = rnd.nextBoolean() ? Integer.toString(rnd.nextInt(1000)) : "v" + round + "-" + b;
                            req.append("set ").append(k).append(" 0 0 ").append(nv.length())
                                    .append(noreply ? " noreply" : "").append("\r\n").append(nv).append("\r\n");
                            sets++;
                            model.put(k, nv);
                            expect.append(noreply ? "" : "STORED\r\n");
                        }
                        case 2 -> {
                            String nv = "a" + round;
                            req.append("add ").append(k).append(" 0 0 ").append(nv.length())
                                    .append(noreply ? " noreply" : "").append("\r\n").append(nv).append("\r\n");
                            sets++;
                            if (v == null) {
                                model.put(k, nv);
                            }
                            expect.append(noreply ? "" : v == null ? "STORED\r\n" : "NOT_STORED\r\n");
                        }
                        default -> {
                            long delta = rnd.nextInt(50);
                            req.append("incr ").append(k).append(' ').append(delta)
                                    .append(noreply ? " noreply" : "").append("\r\n");
                            if (v == null) {
                                incrMisses++;
                                expect.append(noreply ? "" : "NOT_FOUND\r\n");
                            } else if (v.chars().allMatch(Character::isDigit)) {
                                incrHits++;
                                String nv = Long.toString(Long.parseLong(v) + delta);
                                model.put(k, nv);
                                expect.append(noreply ? "" : nv + "\r\n");
                            } else {
                                // a non-numeric value: an error, sent even with noreply; counted as neither
                                expect.append("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
                            }
                        }
                    }
                }
                out.write(bytes(req.toString()));
                out.flush();
                if (expect.length() > 0) {
                    assertEquals(expect.toString(), read(in, expect.length()), "client " + id + " round " + round);
                }
            }
            // every noreply at the end was handled: a last get answers after them
            out.write(bytes("get " + keys[0] + "\r\n"));
            out.flush();
            gets++;
            String v = model.get(keys[0]);
            hits += v == null ? 0 : 1;
            String last = v == null ? "END\r\n" : "VALUE " + keys[0] + " 0 " + v.length() + "\r\n" + v + "\r\nEND\r\n";
            assertEquals(last, read(in, last.length()), "client " + id + " last get");
        }
        return new Sent(gets, hits, sets, incrHits, incrMisses);
    }

    private static Map<String, Long> stats() throws IOException {
        Map<String, Long> m = new HashMap<>();
        try (Socket s = connect(0)) {
            s.getOutputStream().write(bytes("stats\r\n"));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            for (String line = readLine(in); !line.equals("END\r\n"); line = readLine(in)) {
                String[] w = line.trim().split(" ");
                if (w.length == 3 && w[2].matches("\\d+")) {
                    m.put(w[1], Long.parseLong(w[2]));
                }
            }
        }
        return m;
    }

    private static long delta(Map<String, Long> after, Map<String, Long> before, String stat) {
        return after.get(stat) - before.get(stat);
    }

    @Test
    void manyClientsReadEveryReplyInOrderAndStatsCountEachCommandOnce() throws Exception {
        int clients = 8;
        int rounds = 400;
        Map<String, Long> before = stats();
        long ownedBefore = infoLong("shard_owner_replies");
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Sent total = new Sent(0, 0, 0, 0, 0);
        try {
            List<Future<Sent>> runs = new ArrayList<>();
            for (int id = 0; id < clients; id++) {
                int c = id;
                runs.add(pool.submit(() -> clientRun(c, rounds)));
            }
            for (Future<Sent> f : runs) {
                total = total.plus(f.get(90, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Long> after = stats();
        assertTrue(infoLong("shard_owner_replies") - ownedBefore > clients * rounds / 8,
                "the owners wrote replies");
        assertEquals(total.gets(), delta(after, before, "cmd_get"), "cmd_get");
        assertEquals(total.hits(), delta(after, before, "get_hits"), "get_hits");
        assertEquals(total.gets() - total.hits(), delta(after, before, "get_misses"), "get_misses");
        assertEquals(total.sets(), delta(after, before, "cmd_set"), "cmd_set");
        assertEquals(total.incrHits(), delta(after, before, "incr_hits"), "incr_hits");
        assertEquals(total.incrMisses(), delta(after, before, "incr_misses"), "incr_misses");
    }

    // ------------------------------------------------------------------ binary protocol

    /**
     * The binary protocol through spymemcached, one request at a time on one connection: gets
     * (hits and misses), set/add/replace (and their failures) and incr/decr on a key of each shard
     * answer as the model says, the remote ones written by their owner; {@code stats} counts each
     * get and incr once.
     */
    @Test
    void binaryRequestsAreAnsweredByTheOwner() throws Exception {
        String[] keys = {TxKeys.ownedBy(0, 2, "bin:", 0), TxKeys.ownedBy(1, 2, "bin:", 0)};
        net.spy.memcached.MemcachedClient mc = SpyClients.binary(server.memcachedPort(), 10_000);
        try {
            for (String k : keys) {
                mc.delete(k).get(10, TimeUnit.SECONDS);
                mc.delete(k + ":n").get(10, TimeUnit.SECONDS);
            }
            Map<String, Long> before = stats();
            long ownedBefore = infoLong("shard_owner_replies");
            int rounds = 30;
            for (int i = 0; i < rounds; i++) {
                for (String k : keys) {
                    if (i == 0) {
                        assertEquals(null, mc.get(k));
                        assertEquals(false, mc.replace(k, 0, "r").get(10, TimeUnit.SECONDS));
                        assertEquals(true, mc.add(k, 0, "a").get(10, TimeUnit.SECONDS));
                        assertEquals(false, mc.add(k, 0, "b").get(10, TimeUnit.SECONDS));
                        assertEquals(-1L, mc.incr(k + ":n", 1));
                        assertEquals(true, mc.set(k + ":n", 0, "100").get(10, TimeUnit.SECONDS));
                    }
                    assertEquals(true, mc.set(k, 0, "v" + i).get(10, TimeUnit.SECONDS));
                    assertEquals("v" + i, mc.get(k));
                    assertEquals(100L + i + 2, mc.incr(k + ":n", 2)); // each round adds 1 in all
                    assertEquals(100L + i + 1, mc.decr(k + ":n", 1));
                    assertEquals(true, mc.replace(k, 0, "w" + i).get(10, TimeUnit.SECONDS));
                    assertEquals("w" + i, mc.get(k));
                }
            }
            long owned = infoLong("shard_owner_replies") - ownedBefore;
            assertTrue(owned >= rounds * 6 / 2, "owner-written binary answers: " + owned);
            Map<String, Long> after = stats();
            assertEquals(2 + 2L * rounds * 2, delta(after, before, "cmd_get"), "cmd_get");
            assertEquals(2L * rounds * 2, delta(after, before, "get_hits"), "get_hits");
            assertEquals(2, delta(after, before, "get_misses"), "get_misses");
            assertEquals(2L * rounds, delta(after, before, "incr_hits"), "incr_hits");
            assertEquals(2, delta(after, before, "incr_misses"), "incr_misses");
            assertEquals(2L * rounds, delta(after, before, "decr_hits"), "decr_hits");
        } finally {
            mc.shutdown(2, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------ a large value

    /**
     * A 1 MB value on each shard, asked alone by a client that reads late and in small steps, with
     * a get and an incr pipelined behind it: for the remote one the owner meets a full socket
     * buffer and hands the rest home. Every byte arrives, in order.
     */
    @Test
    void aLargeRemoteValueReachesASlowReaderWhole() throws Exception {
        byte[] big = new byte[1 << 20];
        new Random(7).nextBytes(big);
        String[] bigKeys = {TxKeys.ownedBy(0, 2, "big:", 0), TxKeys.ownedBy(1, 2, "big:", 0)};
        String small = TxKeys.ownedBy(0, 2, "small:", 0);
        String counter = TxKeys.ownedBy(1, 2, "bign:", 0);
        try (Socket s = connect(0)) {
            OutputStream out = s.getOutputStream();
            for (String k : bigKeys) {
                out.write(bytes("set " + k + " 3 0 " + big.length + " noreply\r\n"));
                out.write(big);
                out.write(bytes("\r\n"));
            }
            out.write(bytes("set " + small + " 0 0 4\r\ntiny\r\nset " + counter + " 0 0 1\r\n0\r\n"));
            out.flush();
            assertEquals("STORED\r\nSTORED\r\n", read(s.getInputStream(), 16));
        }
        long before = infoLong("shard_owner_replies");
        try (Socket s = connect(16 * 1024)) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int n = 0;
            for (String k : bigKeys) {
                out.write(bytes("get " + k + "\r\n")); // alone: the owner writes it when it is remote
                out.flush();
                Thread.sleep(50);
                out.write(bytes("get " + small + "\r\nincr " + counter + " 1\r\n")); // held behind it
                out.flush();
                Thread.sleep(300); // the writer met a full socket buffer
                n++;
                byte[] expected = OwnerRepliesTest.concat(bytes("VALUE " + k + " 3 " + big.length + "\r\n"), big,
                        bytes("\r\nEND\r\nVALUE " + small + " 0 4\r\ntiny\r\nEND\r\n" + n + "\r\n"));
                byte[] got = new byte[expected.length];
                int off = 0;
                while (off < got.length) {
                    int r = in.read(got, off, Math.min(4096, got.length - off));
                    assertTrue(r > 0, "the connection ended after " + off + " bytes");
                    off += r;
                }
                assertArrayEquals(expected, got, "the reply to get " + k);
            }
        }
        assertTrue(infoLong("shard_owner_replies") > before, "the owner wrote the remote value");
    }
}
