package io.dash4j.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replies written by the key's owner shard ({@link OwnerReplies}) on two shards: the path is
 * really taken (INFO's {@code shard_owner_replies}), every client sees every reply in request order
 * through single commands and pipelines mixing both shards' keys (the held-reply path: a command of
 * the other shard followed by commands of the connection's own), clients that vanish mid-pipeline
 * harm nobody, and a multi-megabyte value the owner cannot write at once reaches a slow reader
 * whole and in order, followed by the replies behind it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OwnerRepliesTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(c -> c.threads = 2);

    /** A counter of INFO's dash4j section. */
    static long infoLong(Jedis j, String field) {
        for (String line : j.info("dash4j").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        throw new AssertionError("INFO dash4j has no " + field);
    }

    /** The shard whose event loop serves this connection (CLIENT INFO's shard=). */
    private static int shardOf(Jedis j) {
        for (String f : j.clientInfo().trim().split(" ")) {
            if (f.startsWith("shard=")) {
                return Integer.parseInt(f.substring(6));
            }
        }
        throw new AssertionError("no shard= in CLIENT INFO");
    }

    /** A Jedis connection served by shard {@code shard} (connections are dealt round-robin). */
    private static Jedis onShard(int shard) {
        for (int i = 0; i < 16; i++) {
            Jedis j = new Jedis("127.0.0.1", server.port(), 10_000);
            if (shardOf(j) == shard) {
                return j;
            }
            j.close();
        }
        throw new AssertionError("no connection landed on shard " + shard);
    }

    @Test
    void remoteSingleCommandsAreWrittenByTheOwnerAndTheSwitchTurnsItOff() {
        try (Jedis j = onShard(0)) {
            String remote = TxKeys.ownedBy(1, 2, "remote:", 0);
            String local = TxKeys.ownedBy(0, 2, "local:", 0);
            long before = infoLong(j, "shard_owner_replies");
            for (int i = 0; i < 50; i++) {
                assertEquals("OK", j.set(remote, "v" + i));
                assertEquals("v" + i, j.get(remote));
                assertEquals(i + 1, j.incr(remote + ":n"));
                assertEquals(null, j.get(local));
            }
            long after = infoLong(j, "shard_owner_replies");
            assertTrue(after - before >= 100, "owner-written replies: " + (after - before)); // the counter
            // is the server's: each of the 150 remote commands whose reply went first on its connection

            // a pipelined batch keeps its one write: its replies go out together from the home
            long batchBefore = infoLong(j, "shard_owner_replies");
            Pipeline p = j.pipelined();
            List<Response<String>> got = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                got.add(p.get(remote));
            }
            p.sync();
            for (Response<String> r : got) {
                assertEquals("v49", r.get());
            }
            assertTrue(infoLong(j, "shard_owner_replies") - batchBefore < 50, "a batch is not answered by the owner");

            j.configSet("owner-replies", "no");
            try {
                long offBefore = infoLong(j, "shard_owner_replies");
                for (int i = 0; i < 20; i++) {
                    assertEquals("v49", j.get(remote));
                }
                assertEquals(offBefore, infoLong(j, "shard_owner_replies"));
                assertEquals("no", j.configGet("owner-replies").get("owner-replies"));
            } finally {
                j.configSet("owner-replies", "yes");
            }
        }
    }

    @Test
    void resp3NullFromTheOwner() throws IOException {
        String remote = TxKeys.ownedBy(1, 2, "r3:", 0);
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.del(remote);
        }
        try (Socket s = rawOnShard0(0)) { // the key must be on the other shard
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            out.write(resp("HELLO", "3").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String helloEnd = "*0\r\n"; // HELLO's map ends with modules' empty array
            StringBuilder got = new StringBuilder();
            while (!got.toString().endsWith(helloEnd)) {
                int c = in.read();
                assertTrue(c >= 0, "EOF after " + got);
                got.append((char) c);
            }
            assertTrue(got.toString().startsWith("%"), got.toString());
            for (String[] cmd : new String[][] {{"GET", remote}, {"SET", remote, "x"}, {"GET", remote}}) {
                out.write(resp(cmd).getBytes(StandardCharsets.ISO_8859_1)); // one at a time: the owner answers
                out.flush();
            }
            assertEquals("_\r\n+OK\r\n$1\r\nx\r\n", new String(in.readNBytes(15), StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * A remote GET, then the client shuts its output (or sends QUIT): the reply comes, then the
     * server closes.
     */
    @Test
    void endOfInputWaitsForTheOwnersReply() throws Exception {
        String remote = TxKeys.ownedBy(1, 2, "eof:", 0);
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.set(remote, "last");
        }
        for (int onShard0 = 1; onShard0 <= 10; onShard0++) {
            try (Socket s = rawOnShard0(0)) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                if (onShard0 % 2 == 0) {
                    out.write(resp("GET", remote).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    s.shutdownOutput();
                    assertEquals("$4\r\nlast\r\n", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                } else { // QUIT behind it: the reply, +OK, then the server closes
                    out.write(resp("GET", remote).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (onShard0 % 4 == 1) {
                        Thread.sleep(2);
                    }
                    out.write(resp("QUIT").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    assertEquals("$4\r\nlast\r\n+OK\r\n", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                }
            }
        }
    }

    /**
     * The idle timeout sees a connection whose last reply its owner wrote as idle (the call is
     * retired lazily, not left in flight), and closes it.
     */
    @Test
    void aConnectionAnsweredByTheOwnerBecomesIdle() throws Exception {
        String remote = TxKeys.ownedBy(1, 2, "idle:", 0);
        try (Jedis admin = new Jedis("127.0.0.1", server.port())) {
            admin.set(remote, "v");
            try (Jedis j = onShard(0)) {
                long id = j.clientId();
                admin.configSet("timeout", "1");
                try {
                    assertEquals("v", j.get(remote));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    boolean closed = false;
                    while (!closed && System.nanoTime() < deadline) {
                        Thread.sleep(200);
                        closed = admin.clientList().lines().noneMatch(l -> l.startsWith("id=" + id + " "));
                    }
                    assertTrue(closed, "the idle connection was closed");
                } finally {
                    admin.configSet("timeout", "0");
                }
            }
        }
    }

    /**
     * Many clients, each with private keys on both shards: single commands and pipelines of
     * GET/SET/INCR in random order, every reply checked against the client's model; some clients
     * send a pipeline and close without reading.
     */
    @Test
    void everyClientReadsItsRepliesInOrder() throws Exception {
        long before;
        long postsBefore;
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            before = infoLong(j, "shard_owner_replies");
            postsBefore = infoLong(j, "shard_owner_reply_posts");
        }
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients + 2);
        try {
            List<Future<Integer>> checks = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                checks.add(pool.submit(() -> id % 2 == 0 ? clientRun(id, 2_500) : trickleRun(id, 2_500)));
            }
            Future<?> vanishing = pool.submit(() -> {
                for (int round = 0; round < 60; round++) {
                    vanish(round);
                }
                return null;
            });
            int checked = 0;
            for (Future<Integer> f : checks) {
                checked += f.get(100, TimeUnit.SECONDS);
            }
            vanishing.get(100, TimeUnit.SECONDS);
            assertTrue(checked >= clients * 2_500, "replies checked: " + checked);
        } finally {
            pool.shutdownNow();
        }
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertEquals("PONG", j.ping()); // the server survived the vanishing clients
            assertTrue(infoLong(j, "shard_owner_replies") - before > 1_000, "the owner path was taken");
            assertTrue(infoLong(j, "shard_owner_reply_posts") - postsBefore > 0, "some homes waited for their owner");
        }
    }

    /** One client's run: {@code ops} commands, each reply compared with the model. Returns replies checked. */
    private static int clientRun(int id, int ops) {
        Random rnd = new Random(id * 7919L);
        String[] counters = {TxKeys.ownedBy(0, 2, "c" + id + ":n:", 0), TxKeys.ownedBy(1, 2, "c" + id + ":n:", 0)};
        String[] values = {TxKeys.ownedBy(0, 2, "c" + id + ":v:", 0), TxKeys.ownedBy(1, 2, "c" + id + ":v:", 0)};
        long[] count = new long[2];
        String[] value = new String[2];
        int checked = 0;
        try (Jedis j = new Jedis("127.0.0.1", server.port(), 20_000)) {
            j.del(counters[0], counters[1], values[0], values[1]);
            int done = 0;
            while (done < ops) {
                if (rnd.nextBoolean()) { // a single command
                    int s = rnd.nextInt(2);
                    switch (rnd.nextInt(3)) {
                        case 0 -> assertEquals(++count[s], j.incr(counters[s]));
                        case 1 -> {
                            value[s] = "val-" + id + "-" + done + "-" + "x".repeat(rnd.nextInt(200));
                            assertEquals("OK", j.set(values[s], value[s]));
                        }
                        default -> assertEquals(value[s], j.get(values[s]));
                    }
                    done++;
                    checked++;
                    continue;
                }
                Pipeline p = j.pipelined();
                List<Response<?>> got = new ArrayList<>();
                List<Object> want = new ArrayList<>();
                int n = 1 + rnd.nextInt(24);
                for (int i = 0; i < n; i++) {
                    int s = rnd.nextInt(2);
                    switch (rnd.nextInt(3)) {
                        case 0 -> {
                            got.add(p.incr(counters[s]));
                            want.add(++count[s]);
                        }
                        case 1 -> {
                            value[s] = "pv-" + id + "-" + done + "-" + i;
                            got.add(p.set(values[s], value[s]));
                            want.add("OK");
                        }
                        default -> {
                            got.add(p.get(values[s]));
                            want.add(value[s]);
                        }
                    }
                }
                p.sync();
                for (int i = 0; i < n; i++) {
                    assertEquals(want.get(i), got.get(i).get(), "client " + id + ", reply " + i + " of " + n);
                }
                done += n;
                checked += n;
            }
            assertEquals(Long.toString(count[0]), j.get(counters[0]));
            assertEquals(Long.toString(count[1]), j.get(counters[1]));
        }
        return checked;
    }

    /**
     * A raw client that trickles its pipelines: each command in its own write, sometimes after a
     * pause, then reads the replies. A command that arrives alone may be answered by its owner
     * while the commands behind it arrive later and wait for it (the held-reply path).
     */
    private static int trickleRun(int id, int ops) throws IOException, InterruptedException {
        Random rnd = new Random(id * 104729L);
        String[] counters = {TxKeys.ownedBy(0, 2, "t" + id + ":n:", 0), TxKeys.ownedBy(1, 2, "t" + id + ":n:", 0)};
        String[] values = {TxKeys.ownedBy(0, 2, "t" + id + ":v:", 0), TxKeys.ownedBy(1, 2, "t" + id + ":v:", 0)};
        long[] count = new long[2];
        String[] value = new String[2];
        int checked = 0;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(20_000);
            s.setTcpNoDelay(true);
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write((resp("DEL", counters[0], values[0]) + resp("DEL", counters[1], values[1]))
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            readReply(in);
            readReply(in);
            while (checked < ops) {
                int n = 1 + rnd.nextInt(6);
                List<String> want = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int sh = rnd.nextInt(2);
                    String cmd;
                    switch (rnd.nextInt(3)) {
                        case 0 -> {
                            cmd = resp("INCR", counters[sh]);
                            want.add(":" + ++count[sh]);
                        }
                        case 1 -> {
                            value[sh] = "tv-" + id + "-" + checked + "-" + i;
                            cmd = resp("SET", values[sh], value[sh]);
                            want.add("+OK");
                        }
                        default -> {
                            cmd = resp("GET", values[sh]);
                            want.add(value[sh] == null ? "$-1" : "$" + value[sh].length() + " " + value[sh]);
                        }
                    }
                    out.write(cmd.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (rnd.nextInt(4) == 0) {
                        Thread.sleep(0, 200_000); // let the server read what came so far
                    }
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(want.get(i), readReply(in), "trickling client " + id + ", reply " + i + " of " + n);
                }
                checked += n;
            }
        }
        return checked;
    }

    /** One RESP2 reply as text: {@code +OK}, {@code :n}, {@code $-1}, or {@code $len value}. */
    private static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        if (line.startsWith("$") && !line.equals("$-1")) {
            int len = Integer.parseInt(line.substring(1));
            String v = new String(in.readNBytes(len), StandardCharsets.ISO_8859_1);
            assertEquals("", readLine(in));
            return line + " " + v;
        }
        return line;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            assertTrue(c >= 0, "EOF after " + b);
            b.append((char) c);
        }
        assertEquals('\n', in.read());
        return b.toString();
    }

    /** A client that sends a pipeline over both shards and closes without reading (abruptly: RST). */
    private static void vanish(int round) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            String k = "gone:" + (i % 7);
            b.append(i % 3 == 0 ? resp("SET", k, "v" + round) : i % 3 == 1 ? resp("INCR", k + ":n") : resp("GET", k));
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            if (round % 2 == 0) {
                s.setSoLinger(true, 0); // a reset instead of a FIN
            }
            OutputStream out = s.getOutputStream();
            out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (round % 3 == 0) {
                s.getInputStream().read(); // some read the first byte before they go
            }
        }
    }

    private static String resp(String... words) {
        StringBuilder b = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            b.append('$').append(w.length()).append("\r\n").append(w).append("\r\n");
        }
        return b.toString();
    }

    /**
     * A 4 MB value on the other shard, read by a client that waits before reading and then reads in
     * small steps: the owner cannot write it at once and hands the rest to the connection's shard.
     * Every byte arrives in order, and so do the replies pipelined behind it (a local GET, a
     * remote INCR, the value once more). Then the other way round: a large local reply the socket
     * cannot take at once, and a remote INCR behind it.
     */
    @Test
    void aLargeRemoteValueReachesASlowReaderWhole() throws Exception {
        byte[] big = new byte[4 << 20];
        new Random(42).nextBytes(big);
        String remote = TxKeys.ownedBy(1, 2, "big:", 0);
        String local = TxKeys.ownedBy(0, 2, "small:", 0);
        long before;
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.set(remote.getBytes(StandardCharsets.ISO_8859_1), big);
            j.set(local, "tiny");
            j.del(remote + ":n");
            before = infoLong(j, "shard_owner_replies");
        }
        try (Socket s = rawOnShard0(16 * 1024)) { // the value must be on the other shard
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            out.write(resp("GET", remote).getBytes(StandardCharsets.ISO_8859_1)); // alone: its owner writes it
            out.flush();
            Thread.sleep(50);
            out.write((resp("GET", local) + resp("INCR", remote + ":n") + resp("GET", remote))
                    .getBytes(StandardCharsets.ISO_8859_1)); // held behind it
            out.flush();
            Thread.sleep(300); // the owner met a full socket buffer
            String header = "$" + big.length + "\r\n";
            byte[] expected = concat(header.getBytes(StandardCharsets.ISO_8859_1), big,
                    "\r\n$4\r\ntiny\r\n:1\r\n".getBytes(StandardCharsets.ISO_8859_1),
                    header.getBytes(StandardCharsets.ISO_8859_1), big, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] got = new byte[expected.length];
            int off = 0;
            while (off < got.length) {
                int n = in.read(got, off, Math.min(8192, got.length - off));
                assertTrue(n > 0, "the connection ended after " + off + " bytes");
                off += n;
            }
            assertArrayEquals(expected, got);
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                assertTrue(infoLong(j, "shard_owner_replies") > before, "the owner wrote the first GET");
                j.set(local.getBytes(StandardCharsets.ISO_8859_1), big);
            }
            // Now the connection's own shard queues a large reply the socket cannot take at once:
            // a remote INCR sent alone behind it must not be written by its owner before those bytes.
            out.write(resp("GET", local).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(50);
            out.write(resp("INCR", remote + ":n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(50);
            out.write(resp("GET", local).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(300);
            expected = concat(header.getBytes(StandardCharsets.ISO_8859_1), big, "\r\n:2\r\n".getBytes(StandardCharsets.ISO_8859_1),
                    header.getBytes(StandardCharsets.ISO_8859_1), big, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            got = in.readNBytes(expected.length);
            assertArrayEquals(expected, got);
        }
    }

    /** A remote value over client-output-buffer-limit closes the client, as when its own shard encodes it. */
    @Test
    void aRemoteValueOverTheOutputLimitClosesTheClient() throws Exception {
        byte[] big = new byte[2 << 20];
        Arrays.fill(big, (byte) 'b');
        String remote = TxKeys.ownedBy(1, 2, "over:", 0);
        try (Jedis admin = new Jedis("127.0.0.1", server.port())) {
            admin.set(remote.getBytes(StandardCharsets.ISO_8859_1), big);
            admin.configSet("client-output-buffer-limit", "normal 1mb 0 0");
            try (Jedis j = onShard(0)) {
                long disconnects = statLong(admin, "client_output_buffer_limit_disconnections");
                boolean closed;
                try {
                    j.get(remote);
                    closed = false;
                } catch (redis.clients.jedis.exceptions.JedisConnectionException e) {
                    closed = true;
                }
                assertTrue(closed, "the client over the limit is closed");
                assertEquals(disconnects + 1, statLong(admin, "client_output_buffer_limit_disconnections"));
            } finally {
                admin.configSet("client-output-buffer-limit", "normal 64mb 0 0");
            }
            assertEquals("PONG", admin.ping());
        }
    }

    private static long statLong(Jedis j, String field) {
        for (String line : j.info("stats").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        throw new AssertionError("INFO stats has no " + field);
    }

    /**
     * A raw connection the server gave to shard 0 (it deals connections to the shards in turn):
     * keys of shard 1 are then remote to it. {@code receiveBuffer} > 0 sets SO_RCVBUF first.
     */
    private Socket rawOnShard0(int receiveBuffer) throws IOException {
        for (int attempt = 0; attempt < 8; attempt++) {
            Socket s = new Socket();
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(resp("CLIENT", "INFO").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            if (readBulkText(s.getInputStream()).contains("shard=0")) {
                return s;
            }
            s.close();
        }
        throw new AssertionError("no connection on shard 0 in 8 attempts");
    }

    private static String readBulkText(InputStream in) throws IOException {
        StringBuilder h = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            assertTrue(c >= 0, "EOF");
            h.append((char) c);
        }
        int len = Integer.parseInt(h.substring(1).trim());
        byte[] b = in.readNBytes(len + 2);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The parts one after the other. */
    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, off, p.length);
            off += p.length;
        }
        return all;
    }
}
