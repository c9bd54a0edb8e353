package io.dash4j.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bytes the server allocates per memcached (or RESP: {@link #resp()}) command, read from the shard thread's own allocation
 * counter ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) around a long run of
 * pipelined batches on one connection. One shard, so every command runs inline on the
 * connection's thread and the figure is the codec + command path + store (no hop messages).
 *
 * <p>Each workload is warmed up first (so the JIT's escape analysis has done what it does in a
 * long-running server), then measured over {@code rounds} batches of {@code batch} commands.
 * {@code java -cp ... io.dash4j.server.McAllocationProbe} prints the table; {@code McAllocationTest}
 * bounds it.
 */
public final class McAllocationProbe implements AutoCloseable {

    /** 16-byte keys and 64-byte values, memcaslap's shape in bench/compare-servers.sh. */
    static final int KEYS = 1000;
    static final byte[] VALUE = "v".repeat(64).getBytes(StandardCharsets.US_ASCII);

    private final Server server;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Whether this probe's connection speaks RESP (else memcached, text or binary). */
    private final boolean resp;

    public McAllocationProbe() throws IOException {
        this(false);
    }

    /** A probe on the RESP port: {@link #respSet}, {@link #respIncr}, {@link #respGet}. */
    public static McAllocationProbe resp() throws IOException {
        return new McAllocationProbe(true);
    }

    private McAllocationProbe(boolean resp) throws IOException {
        this.resp = resp;
        server = TestServers.start(c -> {
            c.threads = 1;
        });
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", resp ? server.port() : server.memcachedPort()), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static String key(int i) {
        return String.format("key:%012d", i);
    }

    /** A workload: one pipelined batch of commands, and the bytes its replies take. */
    public record Batch(String name, int commands, byte[] request, int replyBytes) {
    }

    /** Sends {@code b} and reads its whole reply (the reply length is known in advance). */
    void roundTrip(Batch b) throws IOException {
        out.write(b.request);
        out.flush();
        int n = in.readNBytes(new byte[b.replyBytes], 0, b.replyBytes);
        if (n != b.replyBytes) {
            throw new IOException(b.name + ": short reply " + n + " of " + b.replyBytes);
        }
    }

    /**
     * The reply length of {@code request}, learned once: the request ends with a marker command
     * (text {@code version}, binary NOOP with opaque {@link #MARK}), so its reply is complete when
     * the marker's answer ends it.
     */
    int replyLength(byte[] request, boolean binary) throws IOException {
        out.write(request);
        out.flush();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!endsWithMark(got.toByteArray(), binary)) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("connection closed after " + got.size() + " reply bytes");
            }
            got.write(buf, 0, n);
        }
        return got.size();
    }

    static final int MARK = 0x5e5e5e5e;

    static final String RESP_MARK = "+PONG\r\n";

    static boolean endsWithMark(byte[] r, boolean binary) {
        if (binary) {
            return r.length >= 24 && (r[r.length - 24] & 0xFF) == 0x81 && r[r.length - 23] == 0x0a
                    && ByteBuffer.wrap(r, r.length - 12, 4).getInt() == MARK;
        }
        String s = new String(r, StandardCharsets.ISO_8859_1);
        int last = s.lastIndexOf("\r\n", s.length() - 3);
        return s.endsWith("\r\n") && s.startsWith("VERSION ", last < 0 ? 0 : last + 2);
    }

    Batch batch(String name, int commands, byte[] request, boolean binary) throws IOException {
        if (resp) {
            byte[] marked = concat(new byte[][] {request, "PING\r\n".getBytes(StandardCharsets.US_ASCII)});
            out.write(marked);
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            // the replies are +OK, integers or bulks of the probe's own values: none ends like PONG
            while (!new String(got.toByteArray(), StandardCharsets.ISO_8859_1).endsWith(RESP_MARK)) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("connection closed after " + got.size() + " reply bytes");
                }
                got.write(buf, 0, n);
            }
            return new Batch(name, commands, marked, got.size());
        }
        byte[] mark = binary ? binary(0x0a, new byte[0], new byte[0], new byte[0], MARK)
                : "version\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] marked = concat(new byte[][] {request, mark});
        return new Batch(name, commands, marked, replyLength(marked, binary));
    }

    /** Bytes allocated by the shard thread per command of {@code b}, after a warm-up. */
    public double bytesPerCommand(Batch b, int warmRounds, int rounds) throws IOException {
        for (int i = 0; i < warmRounds; i++) {
            roundTrip(b);
        }
        long tid = server.shard(0).thread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < rounds; i++) {
            roundTrip(b);
        }
        long after = threads.getThreadAllocatedBytes(tid);
        return (after - before) / (double) ((long) rounds * b.commands);
    }

    // ------------------------------------------------------------------ workloads

    static byte[] text(StringBuilder b) {
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code set} of 64-byte values (replies STORED). */
    public Batch textSet(int n) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("set ").append(key(i % KEYS)).append(" 0 0 64\r\n").append(new String(VALUE, StandardCharsets.US_ASCII))
                    .append("\r\n");
        }
        return batch("text set", n, text(b), false);
    }

    /** {@code get k} of stored keys. */
    public Batch textGet(int n) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("get ").append(key(i % KEYS)).append("\r\n");
        }
        return batch("text get (hit)", n, text(b), false);
    }

    /** {@code get k1 .. k10}: counted per command, not per key. */
    public Batch textMultiGet(int n) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("get");
            for (int k = 0; k < 10; k++) {
                b.append(" ").append(key((i * 10 + k) % 100));
            }
            b.append("\r\n");
        }
        return batch("text get of 10 keys", n, text(b), false);
    }

    static byte[] binary(int opcode, byte[] extras, byte[] key, byte[] value) {
        return binary(opcode, extras, key, value, 7);
    }

    static byte[] binary(int opcode, byte[] extras, byte[] key, byte[] value, int opaque) {
        ByteBuffer f = ByteBuffer.allocate(24 + extras.length + key.length + value.length);
        f.put((byte) 0x80).put((byte) opcode).putShort((short) key.length).put((byte) extras.length).put((byte) 0)
                .putShort((short) 0).putInt(extras.length + key.length + value.length).putInt(opaque).putLong(0);
        return f.put(extras).put(key).put(value).array();
    }

    static byte[] concat(byte[][] frames) {
        int n = 0;
        for (byte[] f : frames) {
            n += f.length;
        }
        ByteBuffer all = ByteBuffer.allocate(n);
        for (byte[] f : frames) {
            all.put(f);
        }
        return all.array();
    }

    /** Binary GETK (0x0c) of stored keys. */
    public Batch binaryGetK(int n) throws IOException {
        byte[][] f = new byte[n][];
        for (int i = 0; i < n; i++) {
            f[i] = binary(0x0c, new byte[0], key(i % KEYS).getBytes(StandardCharsets.US_ASCII), new byte[0]);
        }
        return batch("binary GETK (hit)", n, concat(f), true);
    }

    /** Binary SETQ (0x11) batch ended by a NOOP (0x0a): only the NOOP answers. */
    public Batch binarySetQ(int n) throws IOException {
        byte[][] f = new byte[n + 1][];
        byte[] extras = new byte[8];
        for (int i = 0; i < n; i++) {
            f[i] = binary(0x11, extras, key(i % KEYS).getBytes(StandardCharsets.US_ASCII), VALUE);
        }
        f[n] = binary(0x0a, new byte[0], new byte[0], new byte[0]);
        return batch("binary SETQ (+NOOP)", n, concat(f), true);
    }

    /** Binary GETKQ (0x0d) batch ended by a NOOP (spymemcached's bulk get). */
    public Batch binaryGetKQ(int n) throws IOException {
        byte[][] f = new byte[n + 1][];
        for (int i = 0; i < n; i++) {
            f[i] = binary(0x0d, new byte[0], key(i % KEYS).getBytes(StandardCharsets.US_ASCII), new byte[0]);
        }
        f[n] = binary(0x0a, new byte[0], new byte[0], new byte[0]);
        return batch("binary GETKQ (+NOOP)", n, concat(f), true);
    }

    /** RESP {@code SET k v} of 64-byte values over stored keys: same-length overwrites (replies +OK). */
    public Batch respSet(int n) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("*3\r\n$3\r\nSET\r\n$16\r\n").append(key(i % KEYS)).append("\r\n$64\r\n")
                    .append(new String(VALUE, StandardCharsets.US_ASCII)).append("\r\n");
        }
        return batch("RESP SET (overwrite)", n, text(b), false);
    }

    /** RESP {@code GET k} of stored keys. */
    public Batch respGet(int n) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("*2\r\n$3\r\nGET\r\n$16\r\n").append(key(i % KEYS)).append("\r\n");
        }
        return batch("RESP GET (hit)", n, text(b), false);
    }

    /**
     * RESP {@code INCR} of {@code n} counters set to 10^9 first: each keeps its 10 digits for the
     * next ~10^9 increments, so every INCR is a same-length overwrite (and every reply as long).
     */
    public Batch respIncr(int n) throws IOException {
        StringBuilder set = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String k = "ctr:" + key(i).substring(4); // 16 bytes, apart from the SET keys
            set.append("*3\r\n$3\r\nSET\r\n$16\r\n").append(k).append("\r\n$10\r\n1000000000\r\n");
            b.append("*2\r\n$4\r\nINCR\r\n$16\r\n").append(k).append("\r\n");
        }
        batch("RESP SET of the counters", n, text(set), false);
        return batch("RESP INCR (overwrite)", n, text(b), false);
    }

    /** Every workload's bytes per command, in order: the text ones, then binary on its own connection. */
    public static Map<String, Double> measure(int warmRounds, int rounds) throws IOException {
        Map<String, Double> r = new LinkedHashMap<>();
        try (McAllocationProbe p = new McAllocationProbe()) {
            for (Batch b : new Batch[] {p.textSet(100), p.textGet(100), p.textMultiGet(100)}) {
                r.put(b.name, p.bytesPerCommand(b, warmRounds, rounds));
            }
        }
        try (McAllocationProbe p = new McAllocationProbe()) {
            for (Batch b : new Batch[] {p.binarySetQ(100), p.binaryGetK(100), p.binaryGetKQ(100)}) {
                r.put(b.name, p.bytesPerCommand(b, warmRounds, rounds));
            }
        }
        try (McAllocationProbe p = resp()) {
            for (Batch b : new Batch[] {p.respSet(100), p.respGet(100), p.respIncr(100)}) {
                r.put(b.name, p.bytesPerCommand(b, warmRounds, rounds));
            }
        }
        return r;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        server.close();
    }

    public static void main(String[] args) throws IOException {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        measure(warm, rounds).forEach((k, v) -> System.out.printf("%-24s %8.1f B/command%n", k, v));
    }
}
