package io.dash4j.server;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hot path against a model, through a raw socket: random pipelines of GET, SET (in place, with
 * options, and with values too large to frame in place), INCR/DECR/INCRBY/DECRBY (also on text
 * values: errors), APPEND, MGET and DEL over keys spread on four shards, sent in random pieces
 * (so frames split anywhere: the in-place framer waits or hands over to the copying parser).
 * Every reply must be the model's, in request order. One connection runs every pipeline of a
 * try in turn, so its pooled calls are reused across commands of every kind: a call that leaked
 * a key, an entry, a number or a reply slice from its last command would answer wrongly here.
 */
class PipelinedHotPathProperties {

    static Server server;

    @BeforeContainer
    static void up() {
        server = TestServers.start(c -> c.threads = 4);
    }

    @AfterContainer
    static void down() {
        if (server != null) {
            server.close();
        }
    }

    static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "k5", "n0", "n1"};

    /** One command: its RESP encoding and the model's reply (the model updated). */
    record Cmd(String kind, int key, int key2, long number, int valueLength) {
    }

    @Provide
    Arbitrary<List<List<Cmd>>> pipelines() {
        Arbitrary<Cmd> cmd = Combinators.combine(
                Arbitraries.of("GET", "GET", "SET", "SET", "SETEX", "SETBIG", "INCR", "DECR", "INCRBY", "DECRBY",
                        "APPEND", "MGET", "DEL"),
                Arbitraries.integers().between(0, KEYS.length - 1),
                Arbitraries.integers().between(0, KEYS.length - 1),
                Arbitraries.longs().between(-1000, 1000),
                Arbitraries.integers().between(0, 40)).as(Cmd::new);
        return cmd.list().ofMinSize(1).ofMaxSize(60).list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 60)
    void pipelinedRepliesMatchTheModelInOrder(@ForAll("pipelines") List<List<Cmd>> pipelines,
                                              @ForAll long seed) throws IOException {
        Map<String, byte[]> model = new HashMap<>();
        Random rnd = new Random(seed);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            send(out, "*1\r\n$8\r\nFLUSHALL\r\n", rnd);
            readExactly(in, "+OK\r\n".length());
            for (List<Cmd> pipeline : pipelines) {
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                StringBuilder expected = new StringBuilder();
                for (Cmd c : pipeline) {
                    apply(c, model, rnd, request, expected);
                }
                send(out, request.toString(StandardCharsets.ISO_8859_1), rnd);
                String got = readExactly(in, expected.length());
                assertEquals(expected.toString(), got, () -> "pipeline " + pipeline);
            }
        }
    }

    /** Encodes {@code c} into {@code request} and appends the model's reply to {@code expected}. */
    private static void apply(Cmd c, Map<String, byte[]> model, Random rnd, ByteArrayOutputStream request,
                              StringBuilder expected) {
        String k = KEYS[c.key()];
        String k2 = KEYS[c.key2()];
        switch (c.kind()) {
            case "GET" -> {
                write(request, "GET", k);
                expected.append(bulk(model.get(k)));
            }
            case "SET", "SETEX", "SETBIG" -> {
                int len = c.kind().equals("SETBIG") ? 17_000 + c.valueLength() : c.valueLength();
                byte[] v = letters(rnd, len);
                if (c.kind().equals("SETEX")) {
                    write(request, "SET", k, new String(v, StandardCharsets.ISO_8859_1), "EX", "1000");
                } else {
                    write(request, "SET", k, new String(v, StandardCharsets.ISO_8859_1));
                }
                model.put(k, v);
                expected.append("+OK\r\n");
            }
            case "INCR", "DECR", "INCRBY", "DECRBY" -> {
                long delta = switch (c.kind()) {
                    case "INCR" -> 1;
                    case "DECR" -> -1;
                    case "INCRBY" -> c.number();
                    default -> -c.number();
                };
                if (c.kind().endsWith("BY")) {
                    write(request, c.kind(), k, Long.toString(c.number()));
                } else {
                    write(request, c.kind(), k);
                }
                byte[] old = model.get(k);
                Long cur = old == null ? Long.valueOf(0) : strictLong(new String(old, StandardCharsets.ISO_8859_1));
                if (cur == null) {
                    expected.append("-ERR value is not an integer or out of range\r\n");
                } else {
                    long next = cur + delta;
                    model.put(k, Long.toString(next).getBytes(StandardCharsets.ISO_8859_1));
                    expected.append(':').append(next).append("\r\n");
                }
            }
            case "APPEND" -> {
                byte[] add = letters(rnd, c.valueLength());
                write(request, "APPEND", k, new String(add, StandardCharsets.ISO_8859_1));
                byte[] old = model.getOrDefault(k, new byte[0]);
                byte[] n = new byte[old.length + add.length];
                System.arraycopy(old, 0, n, 0, old.length);
                System.arraycopy(add, 0, n, old.length, add.length);
                model.put(k, n);
                expected.append(':').append(n.length).append("\r\n");
            }
            case "MGET" -> {
                write(request, "MGET", k, k2);
                expected.append("*2\r\n").append(bulk(model.get(k))).append(bulk(model.get(k2)));
            }
            case "DEL" -> {
                write(request, "DEL", k, k2);
                int n = (model.remove(k) != null ? 1 : 0) + (!k2.equals(k) && model.remove(k2) != null ? 1 : 0);
                expected.append(':').append(n).append("\r\n");
            }
            default -> throw new IllegalArgumentException(c.kind());
        }
    }

    private static Long strictLong(String s) {
        if (!s.matches("0|-?[1-9][0-9]{0,17}")) {
            return null;
        }
        return Long.parseLong(s);
    }

    private static byte[] letters(Random rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + rnd.nextInt(26));
        }
        return b;
    }

    private static String bulk(byte[] v) {
        return v == null ? "$-1\r\n" : "$" + v.length + "\r\n" + new String(v, StandardCharsets.ISO_8859_1) + "\r\n";
    }

    private static void write(ByteArrayOutputStream out, String... words) {
        StringBuilder b = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            b.append('$').append(w.length()).append("\r\n").append(w).append("\r\n");
        }
        out.writeBytes(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends {@code s} in 1 to 4 pieces cut at random places, so frames arrive split. */
    private static void send(OutputStream out, String s, Random rnd) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        int pieces = 1 + rnd.nextInt(4);
        int from = 0;
        for (int i = 1; i <= pieces; i++) {
            int to = i == pieces ? b.length : from + rnd.nextInt(b.length - from + 1);
            out.write(b, from, to - from);
            out.flush();
            if (rnd.nextInt(4) == 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            from = to;
        }
    }

    private static String readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("connection closed after " + b.length + " of " + n + " bytes: "
                    + new String(b, StandardCharsets.ISO_8859_1));
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
