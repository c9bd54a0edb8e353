package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import io.dash4j.server.memcache.binary.BinaryWire;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A random mix of memcached commands over both protocols, pipelined, against a model map.
 *
 * <p>Commands go out in chunks: each chunk is one protocol's batch on its own connection (text or
 * binary), written in one piece, and every reply of the chunk is checked against the model,
 * stepped in request order. The two connections share the keyspace of a three-shard server, so
 * keys cross shards, and a value written in one protocol is read, appended to, counted up or
 * compared-and-swapped in the other. CAS uniques the replies show (text {@code gets}, binary gets)
 * feed later {@code cas} commands: the model expects STORED while the key did not change since,
 * EXISTS after any change, NOT_FOUND when it is gone. Binary quiet commands answer only hits
 * (GETKQ) or failures (SETQ never fails here); a NOOP ends each binary chunk.
 */
class McPipelineModelTest {

    static Server server;

    @BeforeContainer
    static void up() {
        server = TestServers.start(c -> c.threads = 3);
    }

    @AfterContainer
    static void down() {
        server.close();
    }

    enum Kind { GET, GET3, GETS, SET, ADD, REPLACE, APPEND, PREPEND, CAS, DELETE, INCR, DECR, SETQ, GETKQ }

    /** One command: what, on which key, with what data, over which protocol; {@code cut} ends its chunk. */
    record Op(Kind kind, int key, String data, int flags, boolean staleCas, long delta, boolean binary, boolean cut) {
    }

    static final String[] DATA = {"0", "7", "41", "1000", "abc", "", "x y", "18446744073709551615"};

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.of(Kind.values()),
                Arbitraries.integers().between(0, 4),
                Arbitraries.of(DATA),
                Arbitraries.of(0, 0, 5, 0xFFFFFFFF),
                Arbitraries.of(false, false, true),
                Arbitraries.longs().between(0, 50),
                Arbitraries.of(false, true),
                Arbitraries.integers().between(0, 5).map(i -> i == 0)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    /** The model: what each key holds, and a version bumped by every change. */
    static final class Item {
        final String value;
        final int flags;
        final long version;

        Item(String value, int flags, long version) {
            this.value = value;
            this.flags = flags;
            this.version = version;
        }
    }

    final Map<String, Item> model = new HashMap<>();
    /** The last CAS unique a reply showed per key, and the key's version then. */
    final Map<String, long[]> seen = new HashMap<>();
    long versions;

    static String key(int i) {
        return "mp:" + i;
    }

    @Property(tries = 40)
    void pipelinedMixMatchesTheModel(@ForAll("ops") List<Op> ops) throws IOException {
        model.clear();
        seen.clear();
        try (Raw text = new Raw(server.memcachedPort()); Raw binary = new Raw(server.memcachedPort())) {
            text.send("flush_all\r\n");
            assertThat(text.line()).isEqualTo("OK\r\n");
            int i = 0;
            while (i < ops.size()) {
                boolean bin = ops.get(i).binary();
                int j = i;
                while (j < ops.size() && ops.get(j).binary() == bin) {
                    j++;
                    if (ops.get(j - 1).cut()) {
                        break;
                    }
                }
                List<Op> chunk = ops.subList(i, j);
                if (bin) {
                    binaryChunk(binary, chunk);
                } else {
                    textChunk(text, chunk);
                }
                i = j;
            }
        }
    }

    // ------------------------------------------------------------------ the model's answers

    /** The unique a cas sends: the last one seen (or, when {@code stale} or none was seen, one never issued). */
    long casFor(Op op) {
        long[] s = seen.get(key(op.key()));
        return s == null || op.staleCas() ? Long.MAX_VALUE - op.key() : s[0];
    }

    /** A cas against the model: "STORED", "EXISTS" or "NOT_FOUND", applying it when stored. */
    String cas(Op op, long unique) {
        String k = key(op.key());
        Item it = model.get(k);
        if (it == null) {
            return "NOT_FOUND";
        }
        long[] s = seen.get(k);
        if (s == null || s[0] != unique || s[1] != it.version) {
            return "EXISTS";
        }
        put(k, op.data(), op.flags());
        return "STORED";
    }

    void put(String k, String value, int flags) {
        model.put(k, new Item(value, flags, ++versions));
    }

    /** incr/decr on the model: the new value, null for a miss, "NaN" for a non-numeric value. */
    String arith(String k, boolean incr, long delta) {
        Item it = model.get(k);
        if (it == null) {
            return null;
        }
        if (!it.value.matches("[0-9]{1,20}")) {
            return "NaN";
        }
        java.math.BigInteger cur = new java.math.BigInteger(it.value);
        java.math.BigInteger max = java.math.BigInteger.ONE.shiftLeft(64);
        if (cur.compareTo(max) >= 0) {
            return "NaN";
        }
        java.math.BigInteger next = incr ? cur.add(java.math.BigInteger.valueOf(delta)).mod(max)
                : cur.subtract(java.math.BigInteger.valueOf(delta)).max(java.math.BigInteger.ZERO);
        put(k, next.toString(), it.flags);
        return next.toString();
    }

    /** The server showed {@code k}'s unique: remember it with the model's version of k. */
    void saw(String k, long unique) {
        seen.put(k, new long[] {unique, model.get(k).version});
    }

    // ------------------------------------------------------------------ text

    void textChunk(Raw raw, List<Op> chunk) throws IOException {
        StringBuilder req = new StringBuilder();
        List<long[]> casSent = new ArrayList<>();
        for (Op op : chunk) {
            String k = key(op.key());
            String d = op.data();
            String store = " " + Integer.toUnsignedString(op.flags()) + " 0 " + d.length();
            switch (op.kind()) {
                case GET, GETKQ -> req.append("get ").append(k);
                case GET3 -> req.append("get ").append(k).append(' ').append(key((op.key() + 1) % 5)).append(' ').append(k);
                case GETS -> req.append("gets ").append(k);
                case SET, SETQ -> req.append("set ").append(k).append(store).append("\r\n").append(d);
                case ADD -> req.append("add ").append(k).append(store).append("\r\n").append(d);
                case REPLACE -> req.append("replace ").append(k).append(store).append("\r\n").append(d);
                case APPEND -> req.append("append ").append(k).append(store).append("\r\n").append(d);
                case PREPEND -> req.append("prepend ").append(k).append(store).append("\r\n").append(d);
                case CAS -> {
                    long u = casFor(op);
                    casSent.add(new long[] {u});
                    req.append("cas ").append(k).append(store).append(' ').append(Long.toUnsignedString(u)).append("\r\n")
                            .append(d);
                }
                case DELETE -> req.append("delete ").append(k);
                case INCR -> req.append("incr ").append(k).append(' ').append(op.delta());
                case DECR -> req.append("decr ").append(k).append(' ').append(op.delta());
            }
            req.append("\r\n");
        }
        raw.send(req.toString());
        int casIndex = 0;
        for (Op op : chunk) {
            String k = key(op.key());
            switch (op.kind()) {
                case GET, GETKQ -> expectValues(raw, List.of(k), false);
                case GET3 -> expectValues(raw, List.of(k, key((op.key() + 1) % 5), k), false);
                case GETS -> expectValues(raw, List.of(k), true);
                case SET, SETQ -> {
                    put(k, op.data(), op.flags());
                    assertThat(raw.line()).as("%s", op).isEqualTo("STORED\r\n");
                }
                case ADD -> {
                    boolean absent = !model.containsKey(k);
                    if (absent) {
                        put(k, op.data(), op.flags());
                    }
                    assertThat(raw.line()).as("%s", op).isEqualTo(absent ? "STORED\r\n" : "NOT_STORED\r\n");
                }
                case REPLACE -> {
                    boolean present = model.containsKey(k);
                    if (present) {
                        put(k, op.data(), op.flags());
                    }
                    assertThat(raw.line()).as("%s", op).isEqualTo(present ? "STORED\r\n" : "NOT_STORED\r\n");
                }
                case APPEND, PREPEND -> {
                    Item it = model.get(k);
                    if (it != null) {
                        put(k, op.kind() == Kind.APPEND ? it.value + op.data() : op.data() + it.value, it.flags);
                    }
                    assertThat(raw.line()).as("%s", op).isEqualTo(it != null ? "STORED\r\n" : "NOT_STORED\r\n");
                }
                case CAS -> assertThat(raw.line()).as("%s", op).isEqualTo(cas(op, casSent.get(casIndex++)[0]) + "\r\n");
                case DELETE -> {
                    boolean hit = model.remove(k) != null;
                    assertThat(raw.line()).as("%s", op).isEqualTo(hit ? "DELETED\r\n" : "NOT_FOUND\r\n");
                }
                case INCR, DECR -> {
                    String next = arith(k, op.kind() == Kind.INCR, op.delta());
                    String expected = next == null ? "NOT_FOUND" : next.equals("NaN")
                            ? "CLIENT_ERROR cannot increment or decrement non-numeric value" : next;
                    assertThat(raw.line()).as("%s", op).isEqualTo(expected + "\r\n");
                }
            }
        }
    }

    void expectValues(Raw raw, List<String> keys, boolean withCas) throws IOException {
        for (String k : keys) {
            Item it = model.get(k);
            if (it == null) {
                continue;
            }
            String head = raw.line();
            String prefix = "VALUE " + k + " " + Integer.toUnsignedString(it.flags) + " " + it.value.length();
            if (withCas) {
                assertThat(head).startsWith(prefix + " ");
                saw(k, Long.parseUnsignedLong(head.substring(prefix.length() + 1).trim()));
            } else {
                assertThat(head).isEqualTo(prefix + "\r\n");
            }
            assertThat(raw.read(it.value.length() + 2)).isEqualTo(it.value + "\r\n");
        }
        assertThat(raw.line()).as("end of get %s", keys).isEqualTo("END\r\n");
    }

    // ------------------------------------------------------------------ binary

    static final int GETK = 0x0c, GETKQ = 0x0d, SET = 0x01, ADD = 0x02, REPLACE = 0x03, DELETE = 0x04, INCREMENT = 0x05,
            DECREMENT = 0x06, APPEND = 0x0e, PREPEND = 0x0f, SETQ = 0x11, NOOP = 0x0a;

    void binaryChunk(Raw raw, List<Op> chunk) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        List<Long> casSent = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            Op op = chunk.get(i);
            byte[] k = key(op.key()).getBytes(StandardCharsets.US_ASCII);
            byte[] d = op.data().getBytes(StandardCharsets.US_ASCII);
            byte[] none = new byte[0];
            byte[] frame = switch (op.kind()) {
                case GET, GET3, GETS -> BinaryWire.request(GETK, i, 0, none, k, none);
                case GETKQ -> BinaryWire.request(GETKQ, i, 0, none, k, none);
                case SET -> BinaryWire.request(SET, i, 0, BinaryWire.setExtras(op.flags(), 0), k, d);
                case SETQ -> BinaryWire.request(SETQ, i, 0, BinaryWire.setExtras(op.flags(), 0), k, d);
                case ADD -> BinaryWire.request(ADD, i, 0, BinaryWire.setExtras(op.flags(), 0), k, d);
                case REPLACE -> BinaryWire.request(REPLACE, i, 0, BinaryWire.setExtras(op.flags(), 0), k, d);
                case APPEND -> BinaryWire.request(APPEND, i, 0, none, k, d);
                case PREPEND -> BinaryWire.request(PREPEND, i, 0, none, k, d);
                case CAS -> {
                    long u = casFor(op);
                    casSent.add(u);
                    yield BinaryWire.request(SET, i, u, BinaryWire.setExtras(op.flags(), 0), k, d);
                }
                case DELETE -> BinaryWire.request(DELETE, i, 0, none, k, none);
                case INCR -> BinaryWire.request(INCREMENT, i, 0, BinaryWire.counterExtras(op.delta(), 0, -1), k, none);
                case DECR -> BinaryWire.request(DECREMENT, i, 0, BinaryWire.counterExtras(op.delta(), 0, -1), k, none);
            };
            req.writeBytes(frame);
        }
        req.writeBytes(BinaryWire.request(NOOP, 999_999, 0, new byte[0], new byte[0], new byte[0]));
        raw.send(req.toByteArray());
        int casIndex = 0;
        for (int i = 0; i < chunk.size(); i++) {
            Op op = chunk.get(i);
            String k = key(op.key());
            Item it = model.get(k);
            switch (op.kind()) {
                case GET, GET3, GETS, GETKQ -> {
                    if (it == null && op.kind() == Kind.GETKQ) {
                        continue; // a quiet get answers only hits
                    }
                    BinaryWire.Response r = next(raw, i, op);
                    assertThat(r.keyText()).isEqualTo(k);
                    if (it == null) {
                        assertThat(r.status()).as("%s", op).isEqualTo(1);
                    } else {
                        assertThat(r.status()).as("%s", op).isZero();
                        assertThat(r.text()).isEqualTo(it.value);
                        assertThat(r.flags()).isEqualTo(it.flags);
                        saw(k, r.cas());
                    }
                }
                case SET -> {
                    put(k, op.data(), op.flags());
                    assertThat(next(raw, i, op).status()).isZero();
                }
                case SETQ -> put(k, op.data(), op.flags()); // no answer on success
                case ADD -> {
                    if (it == null) {
                        put(k, op.data(), op.flags());
                    }
                    assertThat(next(raw, i, op).status()).as("%s", op).isEqualTo(it == null ? 0 : 2);
                }
                case REPLACE -> {
                    if (it != null) {
                        put(k, op.data(), op.flags());
                    }
                    assertThat(next(raw, i, op).status()).as("%s", op).isEqualTo(it != null ? 0 : 1);
                }
                case APPEND, PREPEND -> {
                    if (it != null) {
                        put(k, op.kind() == Kind.APPEND ? it.value + op.data() : op.data() + it.value, it.flags);
                    }
                    assertThat(next(raw, i, op).status()).as("%s", op).isEqualTo(it != null ? 0 : 5);
                }
                case CAS -> {
                    String w = cas(op, casSent.get(casIndex++));
                    assertThat(next(raw, i, op).status()).as("%s", op)
                            .isEqualTo(w.equals("STORED") ? 0 : w.equals("EXISTS") ? 2 : 1);
                }
                case DELETE -> {
                    boolean hit = model.remove(k) != null;
                    assertThat(next(raw, i, op).status()).as("%s", op).isEqualTo(hit ? 0 : 1);
                }
                case INCR, DECR -> {
                    String n = arith(k, op.kind() == Kind.INCR, op.delta());
                    BinaryWire.Response r = next(raw, i, op);
                    if (n == null) {
                        assertThat(r.status()).as("%s", op).isEqualTo(1);
                    } else if (n.equals("NaN")) {
                        assertThat(r.status()).as("%s", op).isEqualTo(6);
                    } else {
                        assertThat(r.status()).as("%s", op).isZero();
                        assertThat(Long.toUnsignedString(ByteBuffer.wrap(r.value()).getLong())).isEqualTo(n);
                    }
                }
            }
        }
        BinaryWire.Response end = BinaryWire.read(raw.socket.getInputStream());
        assertThat(end.opcode()).isEqualTo(NOOP);
        assertThat(end.opaque()).isEqualTo(999_999);
    }

    static BinaryWire.Response next(Raw raw, int opaque, Op op) throws IOException {
        BinaryWire.Response r = BinaryWire.read(raw.socket.getInputStream());
        assertThat(r.opaque()).as("reply order at %s (got %s)", op, r).isEqualTo(opaque);
        return r;
    }
}
