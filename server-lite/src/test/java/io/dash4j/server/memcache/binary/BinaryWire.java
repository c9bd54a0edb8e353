package io.dash4j.server.memcache.binary;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.dash4j.server.OutBuf;

/**
 * The client side of the binary protocol, written independently of the server's classes (with
 * ByteBuffer): encodes requests and decodes responses, for frame and raw-socket tests.
 */
public final class BinaryWire {

    private BinaryWire() {
    }

    /** A decoded response. */
    public record Response(int magic, int opcode, int status, int opaque, long cas, byte[] extras, byte[] key,
                           byte[] value) {
        public String text() {
            return new String(value, StandardCharsets.ISO_8859_1);
        }

        public String keyText() {
            return new String(key, StandardCharsets.ISO_8859_1);
        }

        public int flags() {
            return ByteBuffer.wrap(extras).getInt();
        }

        public long counter() {
            return ByteBuffer.wrap(value).getLong();
        }

        @Override
        public String toString() {
            return String.format("op=0x%02x status=0x%04x opaque=%d cas=%d extras=%d key=%s value=%s", opcode, status,
                    opaque, cas, extras.length, keyText(), value.length > 64 ? value.length + "B" : text());
        }
    }

    /** Any frame, with explicit lengths (which may lie, for error tests). */
    public static byte[] frame(int magic, int opcode, int keyLength, int extrasLength, long bodyLength, int opaque,
                               long cas, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(24 + body.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) magic).put((byte) opcode).putShort((short) keyLength).put((byte) extrasLength).put((byte) 0)
                .putShort((short) 0).putInt((int) bodyLength).putInt(opaque).putLong(cas).put(body);
        return b.array();
    }

    /** A well-formed request frame. */
    public static byte[] request(int opcode, int opaque, long cas, byte[] extras, byte[] key, byte[] value) {
        byte[] body = concat(extras, key, value);
        return frame(0x80, opcode, key.length, extras.length, body.length, opaque, cas, body);
    }

    public static byte[] request(int opcode, int opaque, byte[] extras, String key, String value) {
        return request(opcode, opaque, 0, extras, bytes(key), bytes(value));
    }

    /** Encodes a request as a client would, extras chosen by its kind. */
    public static byte[] encode(BinaryRequest r) {
        return request(r.opcode.code, r.opaque, r.cas, extras(r), r.key, r.value);
    }

    static byte[] extras(BinaryRequest r) {
        return switch (r.opcode.kind) {
            case SET, ADD, REPLACE -> ByteBuffer.allocate(8).putInt(r.flags).putInt(r.expiration).array();
            case TOUCH, GAT -> ByteBuffer.allocate(4).putInt(r.expiration).array();
            case FLUSH -> r.expiration == 0 ? new byte[0] : ByteBuffer.allocate(4).putInt(r.expiration).array();
            case INCREMENT, DECREMENT -> ByteBuffer.allocate(20).putLong(r.delta).putLong(r.initial)
                    .putInt(r.expiration).array();
            default -> new byte[0];
        };
    }

    public static byte[] setExtras(int flags, int expiration) {
        return ByteBuffer.allocate(8).putInt(flags).putInt(expiration).array();
    }

    public static byte[] counterExtras(long delta, long initial, int expiration) {
        return ByteBuffer.allocate(20).putLong(delta).putLong(initial).putInt(expiration).array();
    }

    public static byte[] expirationExtras(int expiration) {
        return ByteBuffer.allocate(4).putInt(expiration).array();
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** Reads one response (blocks; fails on EOF or the stream's timeout). */
    public static Response read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] h = new byte[24];
        d.readFully(h);
        ByteBuffer b = ByteBuffer.wrap(h);
        int magic = b.get() & 0xFF;
        int opcode = b.get() & 0xFF;
        int keyLength = b.getShort() & 0xFFFF;
        int extrasLength = b.get() & 0xFF;
        b.get();
        int status = b.getShort() & 0xFFFF;
        int bodyLength = b.getInt();
        int opaque = b.getInt();
        long cas = b.getLong();
        byte[] body = new byte[bodyLength];
        d.readFully(body);
        return new Response(magic, opcode, status, opaque, cas, Arrays.copyOfRange(body, 0, extrasLength),
                Arrays.copyOfRange(body, extrasLength, extrasLength + keyLength),
                Arrays.copyOfRange(body, extrasLength + keyLength, bodyLength));
    }

    /** Decodes every response in {@code bytes} (which must end at a frame boundary). */
    public static List<Response> readAll(byte[] bytes) throws IOException {
        List<Response> out = new ArrayList<>();
        var in = new java.io.ByteArrayInputStream(bytes);
        while (in.available() > 0) {
            out.add(read(in));
        }
        return out;
    }

    /** Everything queued in {@code out}, drained. */
    public static byte[] drain(OutBuf out) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        out.writeTo(new io.dash4j.server.CollectingChannel(sink));
        return sink.toByteArray();
    }
}
