package io.dash4j.server.memcache.binary;

import java.util.Arrays;

/**
 * Frames binary requests out of a connection's input, one at a time, for any way the bytes are
 * split across reads.
 *
 * <p>A request goes through at most three states:
 * <ol>
 *   <li><b>HEADER</b>: the 24-byte header, then extras and key, are waited for in the caller's
 *       buffer (bounded: extras are at most 255 bytes and a key over 250 bytes is refused from
 *       the header alone, so at most 529 bytes are ever waited for);</li>
 *   <li><b>VALUE</b>: a storage command's value is copied into its own array as it arrives, so
 *       the input buffer never has to hold a whole item;</li>
 *   <li><b>SKIP</b>: the rest of a refused request's body is discarded as it arrives.</li>
 * </ol>
 * The header is judged before its body is read, so a body length no command could use (a value
 * over the item size limit, a malformed shape, an unknown opcode) is refused and skipped without
 * ever being buffered. Framing survives every refusal but two: a magic byte other than 0x80, and
 * a header whose extras and key are longer than its body; after those the stream has no frame
 * boundaries left, and the framer swallows everything ({@link #closed()}).
 *
 * <p>Each {@link #advance} delivers at most one event to its {@link Sink}, so the caller keeps
 * its pipeline limit per request. The framer holds no reference to the caller's buffer between
 * calls.
 */
public final class RequestFramer {

    /** Bytes in a request or response header. */
    public static final int HEADER = 24;
    public static final int MAGIC_REQUEST = 0x80;
    /** Longest key memcached accepts (KEY_MAX_LENGTH). */
    public static final int KEY_MAX = 250;
    /** Longest value an array can hold, whatever the item size limit says. */
    static final long MAX_VALUE = Integer.MAX_VALUE - 16;

    /** What the framer tells its connection. */
    public interface Sink {
        /** True when a value of this length for a key of this length exceeds the item size limit. */
        boolean valueTooLarge(int keyLength, long valueLength);

        /** True when {@code bytes} more of client memory may be held for a value being received. */
        boolean reserve(int bytes);

        /** A complete, well-formed request. */
        void request(BinaryRequest request);

        /**
         * A well-formed GET, GETQ, GETK or GETKQ (no extras, no value), its key
         * {@code in[keyOffset, keyOffset + keyLength)} valid only during this call: a sink that
         * copies what it keeps answers a get without a {@link BinaryRequest}. By default, the
         * request as {@link #request} takes it.
         */
        default void get(Opcode opcode, int opaque, long cas, byte[] in, int keyOffset, int keyLength) {
            request(new BinaryRequest(opcode, opaque, cas, Arrays.copyOfRange(in, keyOffset, keyOffset + keyLength),
                    NONE, 0, 0, 0, 0));
        }

        /**
         * A request refused before its value was read. {@code request} has the header's opcode
         * (null when unknown), opaque and CAS, and the key when it was read (else empty). When
         * {@code close} is true the stream cannot be framed any further.
         */
        void refuse(BinaryRequest request, int opcode, int status, boolean close);
    }

    private static final byte[] NONE = new byte[0];

    private enum State { HEADER, VALUE, SKIP, CLOSED }

    private State state = State.HEADER;
    /** Bytes still to skip (SKIP). */
    private long skip;
    /** The request whose value is arriving (VALUE). */
    private BinaryRequest pending;
    private int fill;

    /** True after a framing error: every further byte is swallowed. */
    public boolean closed() {
        return state == State.CLOSED;
    }

    /** Bytes of a value being received (held outside the input buffer), for client memory. */
    public int heldValueBytes() {
        return state == State.VALUE ? pending.value.length : 0;
    }

    /**
     * Consumes bytes of {@code in[from, to)} and returns how many. Delivers at most one event to
     * {@code sink}; when it delivers none, every byte it could use was consumed and it needs more.
     */
    public int advance(byte[] in, int from, int to, Sink sink) {
        return switch (state) {
            case HEADER -> header(in, from, to, sink);
            case VALUE -> value(in, from, to, sink);
            case SKIP -> skip(from, to);
            case CLOSED -> to - from;
        };
    }

    private int skip(int from, int to) {
        int n = (int) Math.min(skip, to - from);
        skip -= n;
        if (skip == 0) {
            state = State.HEADER;
        }
        return n;
    }

    private int value(byte[] in, int from, int to, Sink sink) {
        BinaryRequest r = pending;
        int n = Math.min(r.value.length - fill, to - from);
        System.arraycopy(in, from, r.value, fill, n);
        fill += n;
        if (fill == r.value.length) {
            pending = null;
            state = State.HEADER;
            sink.request(r);
        }
        return n;
    }

    private int header(byte[] in, int from, int to, Sink sink) {
        int avail = to - from;
        if (avail < HEADER) {
            return 0;
        }
        int code = in[from + 1] & 0xFF;
        int keyLength = u16(in, from + 2);
        int extrasLength = in[from + 4] & 0xFF;
        long bodyLength = u32(in, from + 8);
        int opaque = i32(in, from + 12);
        long cas = i64(in, from + 16);
        Opcode op = Opcode.of(code);
        if ((in[from] & 0xFF) != MAGIC_REQUEST) {
            return fatal(to - from, op, code, opaque, sink, Status.INVALID_ARGUMENTS);
        }
        if (extrasLength + keyLength > bodyLength) {
            // memcached: "unknown command" and close; nothing after this header can be framed
            return fatal(to - from, op, code, opaque, sink, Status.UNKNOWN_COMMAND);
        }
        if (op == null || keyLength > KEY_MAX || !op.kind.accepts(extrasLength, keyLength, bodyLength)) {
            BinaryRequest r = new BinaryRequest(op, opaque, cas, NONE, NONE, 0, 0, 0, 0);
            int status = op == null ? Status.UNKNOWN_COMMAND : Status.INVALID_ARGUMENTS;
            return refuse(HEADER, bodyLength, r, code, sink, status);
        }
        int head = HEADER + extrasLength + keyLength;
        if (avail < head) {
            return 0; // at most 24 + 255 + 250 bytes: wait for them in place
        }
        int x = from + HEADER;
        if (op.kind == Opcode.Kind.GET) {
            sink.get(op, opaque, cas, in, x + extrasLength, keyLength); // the hot read: nothing framed into objects
            return head;
        }
        int flags = 0;
        int expiration = 0;
        long delta = 0;
        long initial = 0;
        switch (op.kind) {
            case SET, ADD, REPLACE -> {
                flags = i32(in, x);
                expiration = i32(in, x + 4);
            }
            case TOUCH, GAT, FLUSH -> expiration = extrasLength == 4 ? i32(in, x) : 0;
            case INCREMENT, DECREMENT -> {
                delta = i64(in, x);
                initial = i64(in, x + 8);
                expiration = i32(in, x + 16);
            }
            default -> {
            }
        }
        byte[] key = keyLength == 0 ? NONE : Arrays.copyOfRange(in, x + extrasLength, from + head);
        long valueLength = bodyLength - extrasLength - keyLength;
        if (valueLength > MAX_VALUE || valueLength > 0 && sink.valueTooLarge(keyLength, valueLength)) {
            BinaryRequest refused = new BinaryRequest(op, opaque, cas, key, NONE, flags, expiration, delta, initial);
            return refuse(head, valueLength, refused, code, sink, Status.VALUE_TOO_LARGE);
        }
        if (valueLength > 0 && !sink.reserve((int) valueLength)) {
            BinaryRequest refused = new BinaryRequest(op, opaque, cas, key, NONE, flags, expiration, delta, initial);
            state = State.CLOSED;
            sink.refuse(refused, code, Status.OUT_OF_MEMORY, true);
            return avail;
        }
        byte[] value = valueLength == 0 ? NONE : new byte[(int) valueLength];
        BinaryRequest r = new BinaryRequest(op, opaque, cas, key, value, flags, expiration, delta, initial);
        if (valueLength == 0) {
            sink.request(r);
            return head;
        }
        pending = r;
        fill = 0;
        state = State.VALUE;
        return head + value(in, from + head, to, sink);
    }

    /**
     * Refuses the request whose header (and maybe key) spans {@code consumed} bytes, then skips
     * the {@code rest} of its body.
     */
    private int refuse(int consumed, long rest, BinaryRequest r, int code, Sink sink, int status) {
        skip = rest;
        state = skip > 0 ? State.SKIP : State.HEADER;
        sink.refuse(r, code, status, false);
        return consumed;
    }

    private int fatal(int consumed, Opcode op, int code, int opaque, Sink sink, int status) {
        state = State.CLOSED;
        sink.refuse(new BinaryRequest(op, opaque, 0, NONE, NONE, 0, 0, 0, 0), code, status, true);
        return consumed;
    }

    static int u16(byte[] a, int i) {
        return (a[i] & 0xFF) << 8 | (a[i + 1] & 0xFF);
    }

    static int i32(byte[] a, int i) {
        return (a[i] & 0xFF) << 24 | (a[i + 1] & 0xFF) << 16 | (a[i + 2] & 0xFF) << 8 | (a[i + 3] & 0xFF);
    }

    static long u32(byte[] a, int i) {
        return i32(a, i) & 0xFFFFFFFFL;
    }

    static long i64(byte[] a, int i) {
        return (long) i32(a, i) << 32 | u32(a, i + 4);
    }
}
