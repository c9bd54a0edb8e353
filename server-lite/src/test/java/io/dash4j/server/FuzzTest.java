package io.dash4j.server;

import io.dash4j.server.memcache.binary.BinaryWire;
import io.dash4j.server.memcache.binary.Opcode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The server never dies on input: random and mutated RESP, memcached text and memcached binary
 * frames over several connections at once (some closed mid-frame, some never read from); after
 * every try a fresh client (RESP and binary) still gets correct answers, and the keys stored
 * before the fuzzing are all intact.
 */
class FuzzTest {

    static Server server;
    static final int KEPT = 500;

    /** What the shards print when a connection fails on a bug (stderr is teed here to catch it). */
    static final java.io.ByteArrayOutputStream ERRORS = new java.io.ByteArrayOutputStream();
    static java.io.PrintStream savedErr;

    @BeforeContainer
    static void up() {
        savedErr = System.err;
        java.io.PrintStream tee = new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                savedErr.write(b);
                synchronized (ERRORS) {
                    ERRORS.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                savedErr.write(b, off, len);
                synchronized (ERRORS) {
                    ERRORS.write(b, off, len);
                }
            }
        }, true);
        System.setErr(tee);
        server = TestServers.start(c -> {
            c.threads = 3;
            c.protoMaxBulkLen = 64 * 1024;
            c.maxMultibulkLen = 4096;
            c.itemSizeMax = 64 * 1024;
        });
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < KEPT; i++) {
                j.set(kept(i), keptValue(i));
            }
        }
    }

    @AfterContainer
    static void down() {
        try {
            checkHealthy(KEPT);
        } finally {
            server.close();
            System.setErr(savedErr);
        }
        String printed;
        synchronized (ERRORS) {
            printed = ERRORS.toString(StandardCharsets.ISO_8859_1);
        }
        // a codec or command that throws is caught (the connection closes, the shard goes on) and printed
        org.assertj.core.api.Assertions.assertThat(printed).as("connections failed on a bug").doesNotContain("closing client");
    }

    static byte[] kept(int i) {
        return ("keep:" + i).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] keptValue(int i) {
        return ("value-" + i + "-\r\n\u0000-binary").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A fresh client gets correct answers, and {@code sample} of the kept keys read back intact. */
    static void checkHealthy(int sample) {
        try (Jedis j = new Jedis("127.0.0.1", server.port(), 10_000)) {
            assertEquals("PONG", j.ping());
            assertEquals("OK", j.set("fuzz-check", "ok"));
            assertEquals("ok", j.get("fuzz-check"));
            for (int i = 0; i < sample; i++) {
                assertArrayEquals(keptValue(i), j.get(kept(i)), "kept key " + i);
            }
        }
        try (TestServers.Raw raw = new TestServers.Raw(server.memcachedPort())) {
            raw.send(BinaryWire.request(Opcode.GET.code, 1, 0, new byte[0], kept(0), new byte[0]));
            BinaryWire.Response r = BinaryWire.read(raw.socket.getInputStream());
            assertEquals(0, r.status(), "binary GET of a kept key");
            assertArrayEquals(keptValue(0), r.value());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final String[] RESP_COMMANDS = {"GET", "SET", "MGET", "MSET", "DEL", "EXISTS", "INCR", "INCRBY",
        "INCRBYFLOAT", "APPEND", "GETRANGE", "SETRANGE", "EXPIRE", "PEXPIRE", "TTL", "PERSIST", "SCAN", "KEYS",
        "TYPE", "STRLEN", "GETEX", "GETDEL", "SETNX", "SETEX", "ECHO", "PING", "INFO", "CLIENT", "COMMAND",
        "MEMORY", "STICK", "HELLO", "SELECT", "DBSIZE", "RANDOMKEY", "CONFIG", "QUIT", "NOSUCH"};
    static final String[] WORDS = {"fz", "f:1", "f:2", "EX", "PX", "NX", "XX", "GET", "KEEPTTL", "0", "-1", "1",
        "99999999999999999999", "3.5", "inf", "*", "MATCH", "COUNT", "USAGE", "GET", "LIST", "", "\r\n", "\u0000",
        "\"", "'"};

    /** A valid RESP command from the grammar (never touching the "keep:" keys, never FLUSH/SHUTDOWN). */
    static byte[] respCommand(Random r) {
        int argc = 1 + r.nextInt(5);
        List<byte[]> args = new ArrayList<>();
        args.add(RESP_COMMANDS[r.nextInt(RESP_COMMANDS.length)].getBytes(StandardCharsets.US_ASCII));
        for (int i = 1; i < argc; i++) {
            if (r.nextInt(4) == 0) {
                byte[] b = new byte[r.nextInt(40)];
                r.nextBytes(b);
                args.add(b);
            } else {
                args.add(WORDS[r.nextInt(WORDS.length)].getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        if (args.size() >= 3 && new String(args.get(0)).equals("CONFIG")) {
            args.set(1, "GET".getBytes()); // never reconfigure the server under test
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (r.nextInt(5) == 0) {
            for (byte[] a : args) {
                out.writeBytes(a);
                out.write(' ');
            }
            out.writeBytes("\r\n".getBytes());
        } else {
            out.writeBytes(("*" + args.size() + "\r\n").getBytes());
            for (byte[] a : args) {
                out.writeBytes(("$" + a.length + "\r\n").getBytes());
                out.writeBytes(a);
                out.writeBytes("\r\n".getBytes());
            }
        }
        return out.toByteArray();
    }

    static final String[] MC_LINES = {"get fz f:1", "gets fz", "set fz 0 0 5", "add f:1 1 0 3", "append fz 0 0 2",
        "cas fz 0 0 1 77", "delete fz", "incr fz 5", "decr fz 99999999999999999999", "touch fz 10", "gat 0 fz",
        "stats", "version", "verbosity 1", "set fz 0 -1 1", "set fz 0 0 -1", "set fz 0 0 99999999", "get", "quit",
        "bogus", "set fz 0 0 70000"};

    static byte[] mcCommand(Random r) {
        String line = MC_LINES[r.nextInt(MC_LINES.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((line + (r.nextBoolean() ? " noreply" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        if (line.startsWith("set") || line.startsWith("add") || line.startsWith("append") || line.startsWith("cas")) {
            byte[] data = new byte[r.nextInt(8)];
            r.nextBytes(data);
            out.writeBytes(data);
            out.writeBytes("\r\n".getBytes());
        }
        return out.toByteArray();
    }

    /** Binary opcodes to fuzz with: every served one but FLUSH/FLUSHQ (they would drop the kept keys), and unknown ones. */
    static final int[] BINARY_OPCODES = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
        0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x20, 0x21,
        0x23, 0x24, 0x42, 0xff};
    /** Extras lengths: the ones the opcodes take, and a wrong one. */
    static final int[] BINARY_EXTRAS = {0, 0, 4, 8, 20, 3};
    static final String[] BINARY_KEYS = {"fz", "f:1", "f:2", "", "reset", "settings"};

    /** A binary request, well formed or not for its opcode (never a flush). */
    static byte[] binaryCommand(Random r) {
        int op = BINARY_OPCODES[r.nextInt(BINARY_OPCODES.length)];
        byte[] key;
        if (r.nextInt(5) == 0) {
            key = new byte[r.nextInt(300)];
            r.nextBytes(key);
        } else {
            key = BINARY_KEYS[r.nextInt(BINARY_KEYS.length)].getBytes(StandardCharsets.US_ASCII);
        }
        byte[] extras = new byte[BINARY_EXTRAS[r.nextInt(BINARY_EXTRAS.length)]];
        r.nextBytes(extras);
        byte[] value = new byte[r.nextInt(10) == 0 ? 70_000 : r.nextInt(16)];
        r.nextBytes(value);
        long cas = r.nextInt(4) == 0 ? r.nextInt(1000) : 0;
        return BinaryWire.request(op, r.nextInt(), cas, extras, key, value);
    }

    /** A flush in a fuzzed binary frame would drop the kept keys: it becomes a NOOP. */
    static byte[] noFlush(byte[] frame) {
        if (frame.length > 1 && (frame[0] & 0xFF) == 0x80 && (frame[1] == 0x08 || frame[1] == 0x18)) {
            frame[1] = 0x0a;
        }
        return frame;
    }

    /** Flips, deletes, duplicates or truncates bytes. */
    static byte[] mutate(byte[] b, Random r) {
        byte[] x = b.clone();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n && x.length > 0; i++) {
            int at = r.nextInt(x.length);
            switch (r.nextInt(5)) {
                case 0 -> x[at] = (byte) r.nextInt(256);
                case 1 -> x[at] = (byte) "\r\n*$:-+0123456789 ".charAt(r.nextInt(18));
                case 2 -> x = java.util.Arrays.copyOf(x, at);
                case 3 -> {
                    byte[] y = new byte[x.length + 1];
                    System.arraycopy(x, 0, y, 0, at);
                    y[at] = x[at];
                    System.arraycopy(x, at, y, at + 1, x.length - at);
                    x = y;
                }
                default -> {
                    byte[] y = new byte[x.length - 1];
                    System.arraycopy(x, 0, y, 0, at);
                    System.arraycopy(x, at + 1, y, at, x.length - at - 1);
                    x = y;
                }
            }
        }
        return x;
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 300)
    void serverSurvivesRandomAndMutatedFrames(@ForAll("seeds") long seed) throws Exception {
        Random r = new Random(seed);
        int conns = 1 + r.nextInt(4);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int c = 0; c < conns; c++) {
                boolean mc = r.nextInt(3) == 0;
                boolean binary = mc && r.nextBoolean();
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", mc ? server.memcachedPort() : server.port()), 5000);
                s.setSoTimeout(50);
                sockets.add(s);
                OutputStream out = s.getOutputStream();
                int frames = 1 + r.nextInt(12);
                for (int f = 0; f < frames; f++) {
                    byte[] frame;
                    int kind = r.nextInt(10);
                    if (binary && kind < 8) {
                        frame = noFlush(kind < 4 ? binaryCommand(r) : mutate(binaryCommand(r), r));
                    } else if (kind < 4) {
                        frame = mc ? mcCommand(r) : respCommand(r);
                    } else if (kind < 8) {
                        frame = mutate(mc ? mcCommand(r) : respCommand(r), r);
                    } else {
                        frame = new byte[r.nextInt(300)];
                        r.nextBytes(frame);
                    }
                    try {
                        out.write(frame);
                    } catch (IOException closedByServer) {
                        break;
                    }
                }
                try {
                    out.flush();
                    if (r.nextBoolean()) {
                        s.getInputStream().read(new byte[4096]); // sometimes read a little, usually not
                    }
                } catch (IOException timeoutOrClosed) {
                    // fine either way
                }
            }
        } finally {
            for (Socket s : sockets) {
                if (r.nextBoolean()) {
                    s.setSoLinger(true, 0); // abort (RST) half of them
                }
                s.close();
            }
        }
        checkHealthy(5);
    }
}
