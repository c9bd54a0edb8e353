package io.dash4j.server.memcache.binary;

import io.dash4j.server.OutBuf;

import java.nio.charset.StandardCharsets;

/**
 * Encodes binary responses into a connection's output.
 *
 * <p>A response header mirrors the request's: magic 0x81, the request's opcode and opaque, then
 * the status where the request had its vbucket, and the item's CAS unique (0 when there is none).
 * Body: extras (4 bytes of flags for a get hit) | key (the {@code K} gets) | value. An error's
 * body is memcached's text for the status ({@link Status#message}).
 *
 * <p>One writer per connection: it encodes into a reused scratch array, so answering allocates
 * nothing; a value is written from the stored entry by reference when it is large (OutBuf).
 */
public final class ResponseWriter {

    public static final int MAGIC_RESPONSE = 0x81;

    private final byte[] scratch = new byte[RequestFramer.HEADER + 8];

    /** Writes a 24-byte header, and {@code tail} extra bytes already placed after it in the scratch array. */
    private void header(OutBuf out, int opcode, int status, int keyLength, int extrasLength, int bodyLength,
                        int opaque, long cas, int tail) {
        byte[] h = scratch;
        h[0] = (byte) MAGIC_RESPONSE;
        h[1] = (byte) opcode;
        h[2] = (byte) (keyLength >>> 8);
        h[3] = (byte) keyLength;
        h[4] = (byte) extrasLength;
        h[5] = 0; // data type: raw bytes
        h[6] = (byte) (status >>> 8);
        h[7] = (byte) status;
        put32(h, 8, bodyLength);
        put32(h, 12, opaque);
        put64(h, 16, cas);
        out.write(h, 0, RequestFramer.HEADER + tail);
    }

    /** A response with no body: success of a write, NOOP, QUIT, FLUSH... */
    public void empty(OutBuf out, int opcode, int opaque, long cas) {
        header(out, opcode, Status.OK, 0, 0, 0, opaque, cas, 0);
    }

    /** An error: the status and memcached's text for it. */
    public void error(OutBuf out, int opcode, int status, int opaque) {
        error(out, opcode, status, opaque, Status.message(status));
    }

    /** An error with its own text (ASCII). */
    public void error(OutBuf out, int opcode, int status, int opaque, String text) {
        header(out, opcode, status, 0, 0, text.length(), opaque, 0, 0);
        out.ascii(text);
    }

    /** A miss of GETK/GATK: "not found" carrying the key instead of a text. */
    public void missWithKey(OutBuf out, int opcode, int opaque, byte[] key) {
        missWithKey(out, opcode, opaque, key, 0, key.length);
    }

    /** {@link #missWithKey(OutBuf, int, int, byte[])} of the key {@code key[off, off + len)}. */
    public void missWithKey(OutBuf out, int opcode, int opaque, byte[] key, int off, int len) {
        header(out, opcode, Status.KEY_NOT_FOUND, len, 0, len, opaque, 0, 0);
        out.write(key, off, len);
    }

    /**
     * A hit: flags as extras, then the key when {@code withKey}, then the value unless
     * {@code valueLength} is negative (TOUCH answers flags only). Key and value are slices of the
     * stored entry {@code e}.
     */
    public void item(OutBuf out, int opcode, int opaque, long cas, int flags, byte[] e, int keyOffset, int keyLength,
                     boolean withKey, int valueOffset, int valueLength) {
        int k = withKey ? keyLength : 0;
        int v = Math.max(valueLength, 0);
        put32(scratch, RequestFramer.HEADER, flags);
        header(out, opcode, Status.OK, k, 4, 4 + k + v, opaque, cas, 4);
        if (k > 0) {
            out.write(e, keyOffset, k);
        }
        if (v > 0) {
            out.write(e, valueOffset, v);
        }
    }

    /** INCREMENT/DECREMENT: the new value as 8 big-endian bytes. */
    public void counter(OutBuf out, int opcode, int opaque, long cas, long value) {
        put64(scratch, RequestFramer.HEADER, value);
        header(out, opcode, Status.OK, 0, 0, 8, opaque, cas, 8);
    }

    /** A success whose body is text (VERSION). */
    public void text(OutBuf out, int opcode, int opaque, String text) {
        header(out, opcode, Status.OK, 0, 0, text.length(), opaque, 0, 0);
        out.ascii(text);
    }

    /** One STAT packet: the stat's name as key, its value as value; both empty ends the list. */
    public void stat(OutBuf out, int opcode, int opaque, String name, String value) {
        byte[] k = name.getBytes(StandardCharsets.US_ASCII);
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        header(out, opcode, Status.OK, k.length, 0, k.length + v.length, opaque, 0, 0);
        out.write(k);
        out.write(v);
    }

    private static void put32(byte[] a, int i, int v) {
        a[i] = (byte) (v >>> 24);
        a[i + 1] = (byte) (v >>> 16);
        a[i + 2] = (byte) (v >>> 8);
        a[i + 3] = (byte) v;
    }

    private static void put64(byte[] a, int i, long v) {
        put32(a, i, (int) (v >>> 32));
        put32(a, i + 4, (int) v);
    }
}
