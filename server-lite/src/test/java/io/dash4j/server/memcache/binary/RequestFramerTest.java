package io.dash4j.server.memcache.binary;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.dash4j.server.memcache.binary.BinaryWire.bytes;
import static io.dash4j.server.memcache.binary.BinaryWire.concat;
import static io.dash4j.server.memcache.binary.BinaryWire.encode;
import static io.dash4j.server.memcache.binary.BinaryWire.frame;
import static io.dash4j.server.memcache.binary.BinaryWire.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request framer against a client-side encoder written separately ({@link BinaryWire}):
 * round trips under every split of the stream, and each refusal keeps (or, for the two fatal
 * ones, stops) framing.
 */
class RequestFramerTest {

    /** Item size limit of the test sink: key + value over this is too large. */
    static final int LIMIT = 4096;

    /** Records what the framer delivers, as comparable strings. */
    static final class Recorder implements RequestFramer.Sink {
        final List<String> events = new ArrayList<>();
        final List<BinaryRequest> refused = new ArrayList<>();
        boolean allowReserve = true;
        long reserved;

        @Override
        public boolean valueTooLarge(int keyLength, long valueLength) {
            return keyLength + valueLength > LIMIT;
        }

        @Override
        public boolean reserve(int bytes) {
            reserved += bytes;
            return allowReserve;
        }

        @Override
        public void request(BinaryRequest r) {
            events.add(describe(r));
        }

        @Override
        public void refuse(BinaryRequest r, int opcode, int status, boolean close) {
            refused.add(r);
            events.add(String.format("refuse op=0x%02x status=0x%04x close=%s opaque=%d key=%s", opcode, status, close,
                    r.opaque, Arrays.toString(r.key)));
        }
    }

    static String describe(BinaryRequest r) {
        return r.opcode + " opaque=" + r.opaque + " cas=" + r.cas + " key=" + Arrays.toString(r.key) + " value="
                + Arrays.toString(r.value) + " flags=" + r.flags + " exp=" + r.expiration + " delta=" + r.delta
                + " initial=" + r.initial;
    }

    /**
     * Feeds {@code stream} in pieces ending at {@code cuts} (ascending), each time as a fresh copy of
     * the unconsumed bytes (as a connection compacting its buffer would), advancing until the
     * framer needs more. Returns how many bytes stayed unconsumed at the end.
     */
    static int feed(RequestFramer f, Recorder sink, byte[] stream, int... cuts) {
        int r = 0;
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = stream.length;
        for (int w : ends) {
            while (true) {
                byte[] window = Arrays.copyOfRange(stream, r, Math.max(r, w));
                int before = sink.events.size();
                int n = f.advance(window, 0, window.length, sink);
                r += n;
                if (sink.events.size() == before && (n == 0 || r >= w)) {
                    break;
                }
            }
        }
        return stream.length - r;
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<BinaryRequest> requests() {
        Arbitrary<Opcode> op = Arbitraries.of(Opcode.class);
        Arbitrary<byte[]> key = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(250);
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<Integer> ints = Arbitraries.integers();
        Arbitrary<Long> longs = Arbitraries.longs();
        return Combinators.combine(op, key, value, ints, longs, ints, ints, longs).as((o, k, v, opaque, cas, flags, exp, n) -> {
            Opcode.Kind kind = o.kind;
            boolean keyed = kind != Opcode.Kind.QUIT && kind != Opcode.Kind.FLUSH && kind != Opcode.Kind.NOOP
                    && kind != Opcode.Kind.VERSION && (kind != Opcode.Kind.STAT || (flags & 1) == 1);
            byte[] key1 = keyed ? k : new byte[0];
            byte[] value1 = kind.hasValue() ? v : new byte[0];
            boolean withFlags = kind == Opcode.Kind.SET || kind == Opcode.Kind.ADD || kind == Opcode.Kind.REPLACE;
            boolean withExp = withFlags || kind == Opcode.Kind.TOUCH || kind == Opcode.Kind.GAT
                    || kind == Opcode.Kind.FLUSH || kind == Opcode.Kind.INCREMENT || kind == Opcode.Kind.DECREMENT;
            boolean counter = kind == Opcode.Kind.INCREMENT || kind == Opcode.Kind.DECREMENT;
            return new BinaryRequest(o, opaque, cas, key1, value1, withFlags ? flags : 0, withExp ? exp : 0,
                    counter ? n : 0, counter ? ~n * 31 : 0);
        });
    }

    // ------------------------------------------------------------------ round trips

    @Property(tries = 300)
    void pipelinesRoundTripUnderAnySplit(@ForAll @Size(min = 1, max = 6) List<@From("requests") BinaryRequest> batch,
                                         @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 8000) Integer> cutPoints) {
        byte[] stream = concat(batch.stream().map(BinaryWire::encode).toArray(byte[][]::new));
        int[] cuts = cutPoints.stream().mapToInt(c -> Math.min(c, stream.length)).sorted().toArray();
        RequestFramer f = new RequestFramer();
        Recorder sink = new Recorder();
        assertThat(feed(f, sink, stream, cuts)).isZero();
        assertThat(sink.events).containsExactlyElementsOf(batch.stream().map(RequestFramerTest::describe).toList());
        assertThat(f.heldValueBytes()).isZero();
    }

    @Property(tries = 40)
    void everySplitPointOfTwoRequests(@ForAll("requests") BinaryRequest a, @ForAll("requests") BinaryRequest b) {
        byte[] stream = concat(encode(a), encode(b));
        List<String> expected = List.of(describe(a), describe(b));
        for (int cut = 0; cut <= stream.length; cut++) {
            RequestFramer f = new RequestFramer();
            Recorder sink = new Recorder();
            assertThat(feed(f, sink, stream, cut)).isZero();
            assertThat(sink.events).as("split at %d of %d", cut, stream.length).isEqualTo(expected);
        }
    }

    @Test
    void byteByByte() {
        BinaryRequest set = new BinaryRequest(Opcode.SETQ, 7, 99L, bytes("key"), bytes("value"), 0xCAFE, 300, 0, 0);
        BinaryRequest incr = new BinaryRequest(Opcode.INCREMENT, 8, 0, bytes("n"), new byte[0], 0, -1, -2L, 5);
        byte[] stream = concat(encode(set), encode(incr));
        int[] cuts = new int[stream.length];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i;
        }
        RequestFramer f = new RequestFramer();
        Recorder sink = new Recorder();
        assertThat(feed(f, sink, stream, cuts)).isZero();
        assertThat(sink.events).containsExactly(describe(set), describe(incr));
        assertThat(sink.reserved).isEqualTo(5);
    }

    // ------------------------------------------------------------------ refusals that keep framing

    static byte[] get(String key, int opaque) {
        return request(Opcode.GET.code, opaque, new byte[0], key, "");
    }

    @Test
    void oversizedValueIsRefusedAndSkippedWithoutBuffering() {
        int valueLength = 1 << 20;
        byte[] set = request(Opcode.SET.code, 1, BinaryWire.setExtras(0, 0), "big", "x".repeat(valueLength));
        byte[] stream = concat(set, get("after", 2));
        RequestFramer f = new RequestFramer();
        Recorder sink = new Recorder();
        // fed in 1 KB reads: nothing of the value may stay unconsumed, nothing may be reserved
        int[] cuts = new int[stream.length / 1024];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) * 1024;
        }
        assertThat(feed(f, sink, stream, cuts)).isZero();
        assertThat(sink.reserved).isZero();
        assertThat(sink.events).hasSize(2);
        assertThat(sink.events.get(0)).isEqualTo(
                "refuse op=0x01 status=0x0003 close=false opaque=1 key=" + Arrays.toString(bytes("big")));
        assertThat(sink.refused.get(0).opcode).isEqualTo(Opcode.SET);
        assertThat(sink.events.get(1)).startsWith("GET opaque=2");
    }

    @Test
    void aBodyLengthNearFourGigabytesIsSkippedAsItArrives() {
        byte[] head = frame(0x80, Opcode.SET.code, 1, 8, 0xFFFF_FFFFL, 3, 0, concat(BinaryWire.setExtras(0, 0), bytes("k")));
        RequestFramer f = new RequestFramer();
        Recorder sink = new Recorder();
        assertThat(feed(f, sink, head)).isZero();
        assertThat(sink.events).containsExactly("refuse op=0x01 status=0x0003 close=false opaque=3 key=[107]");
        // a megabyte of the body: consumed as it comes, nothing held
        byte[] chunk = new byte[1 << 20];
        assertThat(f.advance(chunk, 0, chunk.length, sink)).isEqualTo(chunk.length);
        assertThat(f.heldValueBytes()).isZero();
        assertThat(sink.events).hasSize(1);
    }

    @Test
    void unknownOpcodeIsAnsweredAndItsBodySkipped() {
        byte[] verbosity = request(0x1b, 4, BinaryWire.expirationExtras(1), "", "");
        byte[] sasl = request(0x21, 5, new byte[0], "PLAIN", "\0user\0secret");
        RequestFramer f = new RequestFramer();
        Recorder sink = new Recorder();
        assertThat(feed(f, sink, concat(verbosity, sasl, get("k", 6)))).isZero();
        assertThat(sink.events).containsExactly(
                "refuse op=0x1b status=0x0081 close=false opaque=4 key=[]",
                "refuse op=0x21 status=0x0081 close=false opaque=5 key=[]",
                describe(new BinaryRequest(Opcode.GET, 6, 0, bytes("k"), new byte[0], 0, 0, 0, 0)));
    }

    @Test
    void malformedShapesAreInvalidArgumentsAndSkipped() {
        byte[] getWithExtras = request(Opcode.GET.code, 1, BinaryWire.expirationExtras(1), "k", "");
        byte[] getWithValue = request(Opcode.GET.code, 2, new byte[0], "k", "surplus");
        byte[] setWithoutExtras = request(Opcode.SET.code, 3, new byte[0], "k", "v");
        byte[] noopWithKey = request(Opcode.NOOP.code, 4, new byte[0], "k", "");
        byte[] deleteWithoutKey = request(Opcode.DELETE.code, 5, new byte[0], "", "");
        byte[] longKey = request(Opcode.GET.code, 6, new byte[0], "k".repeat(251), "");
        byte[] flushWith8 = request(Opcode.FLUSH.code, 7, new byte[8], "", "");
        byte[] incrShort = request(Opcode.INCREMENT.code, 8, new byte[8], "k", "");
        RequestFramer f = new RequestFramer();
        Recorder sink = new Recorder();
        assertThat(feed(f, sink, concat(getWithExtras, getWithValue, setWithoutExtras, noopWithKey,
                deleteWithoutKey, longKey, flushWith8, incrShort, get("ok", 9)), 30, 100)).isZero();
        assertThat(sink.events).hasSize(9);
        for (int i = 0; i < 8; i++) {
            assertThat(sink.events.get(i)).contains("status=0x0004 close=false opaque=" + (i + 1));
        }
        assertThat(sink.events.get(8)).startsWith("GET opaque=9");
        assertThat(f.closed()).isFalse();
    }

    // ------------------------------------------------------------------ fatal errors

    @Test
    void badMagicStopsFraming() {
        byte[] bad = frame(0x81, Opcode.GET.code, 1, 0, 1, 11, 0, bytes("k"));
        RequestFramer f = new RequestFramer();
        Recorder sink = new Recorder();
        assertThat(feed(f, sink, concat(bad, get("k", 12)))).isZero();
        assertThat(sink.events).containsExactly("refuse op=0x00 status=0x0004 close=true opaque=11 key=[]");
        assertThat(f.closed()).isTrue();
    }

    @Test
    void extrasAndKeyLongerThanTheBodyStopFraming() {
        byte[] liar = frame(0x80, Opcode.GET.code, 10, 0, 4, 13, 0, bytes("abcd"));
        RequestFramer f = new RequestFramer();
        Recorder sink = new Recorder();
        assertThat(feed(f, sink, concat(liar, get("k", 14)))).isZero();
        assertThat(sink.events).containsExactly("refuse op=0x00 status=0x0081 close=true opaque=13 key=[]");
        assertThat(f.closed()).isTrue();
    }

    @Test
    void aValueTheConnectionMayNotHoldStopsFraming() {
        RequestFramer f = new RequestFramer();
        Recorder sink = new Recorder();
        sink.allowReserve = false;
        byte[] set = request(Opcode.SET.code, 15, BinaryWire.setExtras(0, 0), "k", "value");
        assertThat(feed(f, sink, concat(set, get("k", 16)))).isZero();
        assertThat(sink.events).containsExactly(
                "refuse op=0x01 status=0x0082 close=true opaque=15 key=" + Arrays.toString(bytes("k")));
        assertThat(f.closed()).isTrue();
    }

    @Test
    void aPartialHeaderWaits() {
        byte[] g = get("key", 1);
        RequestFramer f = new RequestFramer();
        Recorder sink = new Recorder();
        assertThat(f.advance(g, 0, 23, sink)).isZero();
        assertThat(f.advance(g, 0, 24 + 2, sink)).isZero(); // header there, key not yet
        assertThat(sink.events).isEmpty();
        assertThat(f.advance(g, 0, g.length, sink)).isEqualTo(g.length);
        assertThat(sink.events).hasSize(1);
    }
}
