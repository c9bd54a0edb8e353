package io.dash4j.server.memcache.binary;

import io.dash4j.server.Server;
import io.dash4j.server.TestServers;
import io.dash4j.server.TestServers.Raw;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.dash4j.server.memcache.binary.BinaryWire.bytes;
import static io.dash4j.server.memcache.binary.BinaryWire.counterExtras;
import static io.dash4j.server.memcache.binary.BinaryWire.request;
import static io.dash4j.server.memcache.binary.BinaryWire.setExtras;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binary protocol against a model of memcached's semantics: random sequences of gets, writes
 * (with and without CAS, loud and quiet), deletes and counters on a few keys, each answered as a
 * map of items would answer it. Statuses, values, flags, CAS uniques (the ones the server
 * revealed) and which quiet requests stay silent must all match.
 */
class BinaryModelTest {

    static Server server;
    static final AtomicLong TRY = new AtomicLong();
    /** A CAS unique the server never reaches. */
    static final long WRONG_CAS = 0x7000_0000_0000_0000L;

    @BeforeContainer
    static void up() {
        server = TestServers.start(c -> c.threads = 3);
    }

    @AfterContainer
    static void down() {
        server.close();
    }

    enum Kind { GET, GETK, SET, ADD, REPLACE, APPEND, PREPEND, DELETE, INCR, DECR }

    enum CasChoice { NONE, KNOWN, WRONG }

    record Op(Kind kind, boolean quiet, int key, String value, int flags, CasChoice cas, long delta, long initial,
              boolean create) {
    }

    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<String> values = Arbitraries.of("", "0", "5", "42", "007", "18446744073709551615", "abc", "x y");
        Arbitrary<Long> deltas = Arbitraries.of(0L, 1L, 5L, 100L, -1L, Long.MAX_VALUE);
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 2), values, Arbitraries.of(0, 1, 0xFFFF_FFFF),
                Arbitraries.of(CasChoice.class), deltas, Arbitraries.of(0L, 7L, -1L))
                .as((k, q, key, v, f, cas, d, init) -> new Op(k, q, key, v, f, cas, d, init, (f & 1) == 0));
    }

    /** The model's item: value, flags, and the CAS unique the server last revealed (0: not known). */
    static final class Item {
        String value;
        int flags;
        long cas;

        Item(String value, int flags) {
            this.value = value;
            this.flags = flags;
        }
    }

    @Property(tries = 120)
    void answersAsTheModel(@ForAll @Size(min = 1, max = 40) List<@From("ops") Op> ops) throws IOException {
        String prefix = "m" + TRY.incrementAndGet() + ":";
        Map<String, Item> model = new HashMap<>();
        try (Raw raw = new Raw(server.memcachedPort())) {
            InputStream in = raw.socket.getInputStream();
            int opaque = 0;
            for (Op op : ops) {
                String key = prefix + op.key();
                Item item = model.get(key);
                long cas = switch (op.cas()) {
                    case NONE -> 0;
                    case KNOWN -> item != null && item.cas != 0 ? item.cas : WRONG_CAS;
                    case WRONG -> WRONG_CAS;
                };
                opaque++;
                raw.send(BinaryWire.concat(frame(op, key, cas, opaque), request(Opcode.NOOP.code, -opaque,
                        new byte[0], "", "")));
                List<BinaryWire.Response> got = new ArrayList<>();
                BinaryWire.Response r;
                while ((r = BinaryWire.read(in)).opcode() != Opcode.NOOP.code) {
                    got.add(r);
                }
                assertThat(r.opaque()).isEqualTo(-opaque);
                check(op, key, cas, opaque, model, got);
            }
        }
    }

    static int opcode(Op op) {
        return switch (op.kind()) {
            case GET -> op.quiet() ? Opcode.GETQ.code : Opcode.GET.code;
            case GETK -> op.quiet() ? Opcode.GETKQ.code : Opcode.GETK.code;
            case SET -> op.quiet() ? Opcode.SETQ.code : Opcode.SET.code;
            case ADD -> op.quiet() ? Opcode.ADDQ.code : Opcode.ADD.code;
            case REPLACE -> op.quiet() ? Opcode.REPLACEQ.code : Opcode.REPLACE.code;
            case APPEND -> op.quiet() ? Opcode.APPENDQ.code : Opcode.APPEND.code;
            case PREPEND -> op.quiet() ? Opcode.PREPENDQ.code : Opcode.PREPEND.code;
            case DELETE -> op.quiet() ? Opcode.DELETEQ.code : Opcode.DELETE.code;
            case INCR -> op.quiet() ? Opcode.INCREMENTQ.code : Opcode.INCREMENT.code;
            case DECR -> op.quiet() ? Opcode.DECREMENTQ.code : Opcode.DECREMENT.code;
        };
    }

    static byte[] frame(Op op, String key, long cas, int opaque) {
        byte[] k = bytes(key);
        byte[] none = new byte[0];
        return switch (op.kind()) {
            case GET, GETK -> request(opcode(op), opaque, 0, none, k, none);
            case SET, ADD, REPLACE -> request(opcode(op), opaque, cas, setExtras(op.flags(), 0), k, bytes(op.value()));
            case APPEND, PREPEND -> request(opcode(op), opaque, cas, none, k, bytes(op.value()));
            case DELETE -> request(opcode(op), opaque, cas, none, k, none);
            case INCR, DECR -> request(opcode(op), opaque, cas,
                    counterExtras(op.delta(), op.initial(), op.create() ? 0 : BinaryRequest.NO_CREATE), k, none);
        };
    }

    /** What the model answers, checked against {@code got}; the model is updated. */
    static void check(Op op, String key, long cas, int opaque, Map<String, Item> model, List<BinaryWire.Response> got) {
        Item item = model.get(key);
        int status;
        switch (op.kind()) {
            case GET, GETK -> {
                if (item == null) {
                    if (op.quiet()) {
                        assertThat(got).as("%s: a quiet miss is silent", op).isEmpty();
                    } else {
                        assertThat(got).as("%s", op).hasSize(1);
                        assertThat(got.get(0).status()).isEqualTo(Status.KEY_NOT_FOUND);
                        assertThat(got.get(0).keyText()).isEqualTo(op.kind() == Kind.GETK ? key : "");
                    }
                    return;
                }
                assertThat(got).as("%s", op).hasSize(1);
                BinaryWire.Response r = got.get(0);
                assertThat(r.status()).isZero();
                assertThat(r.opaque()).isEqualTo(opaque);
                assertThat(r.text()).isEqualTo(item.value);
                assertThat(r.flags()).isEqualTo(item.flags);
                assertThat(r.keyText()).isEqualTo(op.kind() == Kind.GETK ? key : "");
                if (item.cas != 0) {
                    assertThat(r.cas()).isEqualTo(item.cas);
                }
                item.cas = r.cas();
                return;
            }
            case SET, ADD, REPLACE -> {
                boolean asCas = cas != 0;
                if (asCas) {
                    status = item == null ? Status.KEY_NOT_FOUND : item.cas != cas ? Status.KEY_EXISTS : Status.OK;
                } else if (op.kind() == Kind.ADD) {
                    status = item != null ? Status.KEY_EXISTS : Status.OK;
                } else if (op.kind() == Kind.REPLACE) {
                    status = item == null ? Status.KEY_NOT_FOUND : Status.OK;
                } else {
                    status = Status.OK;
                }
                if (status == Status.OK) {
                    item = new Item(op.value(), op.flags());
                    model.put(key, item);
                }
            }
            case APPEND, PREPEND -> {
                status = item == null ? Status.NOT_STORED : cas != 0 && item.cas != cas ? Status.KEY_EXISTS : Status.OK;
                if (status == Status.OK) {
                    item.value = op.kind() == Kind.APPEND ? item.value + op.value() : op.value() + item.value;
                }
            }
            case DELETE -> {
                status = item == null ? Status.KEY_NOT_FOUND : cas != 0 && item.cas != cas ? Status.KEY_EXISTS : Status.OK;
                if (status == Status.OK) {
                    model.remove(key);
                }
            }
            default -> { // INCR, DECR
                long next;
                if (item != null && cas != 0 && item.cas != cas) {
                    status = Status.KEY_EXISTS;
                    next = 0;
                } else if (item == null) {
                    status = op.create() ? Status.OK : Status.KEY_NOT_FOUND;
                    next = op.initial();
                    if (op.create()) {
                        item = new Item(Long.toUnsignedString(next), 0);
                        model.put(key, item);
                    }
                } else if (!item.value.matches("[0-9]{1,20}") || !fits(item.value)) {
                    status = Status.NON_NUMERIC;
                    next = 0;
                } else {
                    long cur = Long.parseUnsignedLong(item.value);
                    next = op.kind() == Kind.INCR ? cur + op.delta()
                            : Long.compareUnsigned(op.delta(), cur) > 0 ? 0 : cur - op.delta();
                    status = Status.OK;
                    item.value = Long.toUnsignedString(next);
                }
                if (status == Status.OK && !op.quiet()) {
                    assertThat(got).as("%s", op).hasSize(1);
                    assertThat(got.get(0).status()).isZero();
                    assertThat(got.get(0).counter()).as("%s", op).isEqualTo(next);
                }
            }
        }
        if (status == Status.OK && op.quiet()) {
            assertThat(got).as("%s: a quiet success is silent", op).isEmpty();
            if (item != null) {
                item.cas = 0; // changed, but the server did not tell
            }
            return;
        }
        assertThat(got).as("%s", op).hasSize(1);
        BinaryWire.Response r = got.get(0);
        assertThat(r.status()).as("%s", op).isEqualTo(status);
        assertThat(r.opaque()).isEqualTo(opaque);
        if (status == Status.OK && op.kind() == Kind.DELETE) {
            assertThat(r.cas()).isZero(); // memcached answers a delete without a CAS
        } else if (status == Status.OK) {
            assertThat(r.cas()).isNotZero();
            if (item != null && model.containsKey(key)) {
                assertThat(r.cas()).isNotEqualTo(item.cas);
                item.cas = r.cas();
            }
        } else {
            assertThat(r.text()).isEqualTo(Status.message(status));
        }
    }

    static boolean fits(String digits) {
        try {
            Long.parseUnsignedLong(digits);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
