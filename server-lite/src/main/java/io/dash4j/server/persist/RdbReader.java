package io.dash4j.server.persist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a Redis RDB file ({@link Rdb}, versions 1 to {@link Rdb#MAX_VERSION}) and hands each
 * string key to a {@link Visitor}, checking the CRC-64 at the end. What dash4j cannot hold is
 * refused, never skipped silently: a value of another type (list, hash, set, zset, stream,
 * module) stops the load with the type's name and the key, and so does a key in a database other
 * than 0. Stored functions (Redis 7's FUNCTION2 records) are skipped: they are code, not keys.
 *
 * <p>Every problem is an {@link RdbFormatException} naming the file and the byte offset: a
 * truncated file, a bad magic or version, an unknown opcode, a bad LZF block, a checksum that
 * does not match.
 */
public final class RdbReader {

    /** Receives the keys of a dump, in file order. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * A string key; {@code expireAtMillis} is epoch ms, -1 when it has none; {@code flags} and
         * {@code cas} are its memcached metadata (0 when the dump has none for it: Redis's dumps,
         * keys written through RESP).
         */
        void string(byte[] key, byte[] value, long expireAtMillis, int flags, long cas) throws IOException;
    }

    /** What a load found besides the keys. */
    public record Summary(int version, long keys, long expiring, Map<String, String> aux) {
    }

    private final String name;
    private final InputStream in;
    /** The current block of the file: bytes [pos, lim) are not consumed yet. */
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    /** Bytes of {@link #buf} before this index are in {@link #crc}. */
    private int crcFrom;
    /** Bytes consumed from the start of the file. */
    private long offset;
    private long crc;
    /** The memcached metadata announced for the next key ({@link Rdb#AUX_MEMCACHED}). */
    private int mcFlags;
    private long mcCas;

    private RdbReader(String name, InputStream in) {
        this.name = name;
        this.in = in;
    }

    /** Reads {@code file}, calling {@code visitor} for every string key. */
    public static Summary read(Path file, Visitor visitor) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new RdbReader(file.toString(), in).readAll(visitor);
        }
    }

    /** Reads a dump from {@code in} ({@code name} is used in messages). */
    public static Summary read(String name, InputStream in, Visitor visitor) throws IOException {
        return new RdbReader(name, in).readAll(visitor);
    }

    private RdbFormatException error(String problem) {
        return new RdbFormatException(name, offset, problem);
    }

    private Summary readAll(Visitor visitor) throws IOException {
        byte[] magic = bytes(9);
        String head = new String(magic, StandardCharsets.US_ASCII);
        if (!head.startsWith("REDIS")) {
            offset = 0;
            throw error("not an RDB file (it does not start with \"REDIS\")");
        }
        int version;
        try {
            version = Integer.parseInt(head.substring(5));
        } catch (NumberFormatException e) {
            offset = 5;
            throw error("bad RDB version \"" + head.substring(5) + "\"");
        }
        if (version < 1 || version > Rdb.MAX_VERSION) {
            offset = 5;
            throw error("RDB version " + version + " is not supported (dash4j reads 1 to " + Rdb.MAX_VERSION + ")");
        }
        Map<String, String> aux = new LinkedHashMap<>();
        long keys = 0;
        long expiring = 0;
        long db = 0;
        long expireAt = -1;
        for (;;) {
            long at = offset;
            int op = u8();
            switch (op) {
                case Rdb.OP_EOF -> {
                    if (version >= 5) {
                        long expected = crcSoFar();
                        long stored = 0;
                        byte[] sum = bytes(8);
                        for (int i = 7; i >= 0; i--) {
                            stored = stored << 8 | (sum[i] & 0xFF);
                        }
                        if (stored != 0 && stored != expected) {
                            offset = at + 1;
                            throw error(String.format("checksum mismatch: the file says %016x, its bytes give %016x",
                                    stored, expected));
                        }
                    }
                    if (pos < lim || refill()) {
                        throw error("data after the end of the dump");
                    }
                    return new Summary(version, keys, expiring, aux);
                }
                case Rdb.OP_AUX -> {
                    String name = text(string());
                    long valueAt = offset;
                    byte[] value = string();
                    if (name.equals(Rdb.AUX_MEMCACHED)) {
                        parseMemcachedMeta(value, valueAt); // for the next key
                    } else {
                        aux.put(name, text(value));
                    }
                }
                case Rdb.OP_SELECTDB -> db = length();
                case Rdb.OP_RESIZEDB -> {
                    length();
                    length();
                }
                case Rdb.OP_EXPIRETIME_MS -> expireAt = littleEndian(8);
                case Rdb.OP_EXPIRETIME -> expireAt = littleEndian(4) * 1000;
                case Rdb.OP_IDLE -> length();
                case Rdb.OP_FREQ -> u8();
                case Rdb.OP_FUNCTION2 -> string(); // a function library's code: not a key
                case Rdb.OP_FUNCTION, Rdb.OP_MODULE_AUX -> {
                    offset = at;
                    throw error(op == Rdb.OP_FUNCTION ? "pre-release Redis functions are not supported"
                            : "module data is not supported");
                }
                default -> {
                    byte[] key = string();
                    if (op != Rdb.TYPE_STRING) {
                        offset = at;
                        throw error("key \"" + printable(key) + "\" holds a " + Rdb.typeName(op)
                                + ": dash4j stores strings only");
                    }
                    if (db != 0) {
                        offset = at;
                        throw error("key \"" + printable(key) + "\" is in database " + db
                                + ": dash4j serves database 0 only");
                    }
                    byte[] value = string();
                    visitor.string(key, value, expireAt, mcFlags, mcCas);
                    keys++;
                    if (expireAt >= 0) {
                        expiring++;
                    }
                    expireAt = -1;
                    mcFlags = 0;
                    mcCas = 0;
                }
            }
        }
    }

    /** Reads {@code "<flags> <cas>"} (unsigned decimal) of a {@link Rdb#AUX_MEMCACHED} field. */
    private void parseMemcachedMeta(byte[] value, long at) throws RdbFormatException {
        String v = new String(value, StandardCharsets.US_ASCII);
        int space = v.indexOf(' ');
        try {
            mcFlags = Integer.parseUnsignedInt(v.substring(0, Math.max(0, space)));
            mcCas = Long.parseUnsignedLong(v.substring(space + 1));
        } catch (NumberFormatException e) {
            offset = at;
            throw error("bad " + Rdb.AUX_MEMCACHED + " field \"" + printable(value)
                    + "\" (expected \"<flags> <cas>\", unsigned decimal)");
        }
    }

    // ------------------------------------------------------------------ primitives

    /** Reads the next block of the file; the bytes consumed so far are added to the CRC first. */
    private boolean refill() throws IOException {
        crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
        int n = in.read(buf, 0, buf.length);
        pos = 0;
        crcFrom = 0;
        lim = Math.max(0, n);
        return n > 0;
    }

    /** The CRC of every byte consumed so far. */
    private long crcSoFar() {
        crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
        crcFrom = pos;
        return crc;
    }

    private int u8() throws IOException {
        if (pos == lim && !refill()) {
            throw error("unexpected end of file (truncated dump)");
        }
        offset++;
        return buf[pos++] & 0xFF;
    }

    private byte[] bytes(int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            if (pos == lim && !refill()) {
                throw error("unexpected end of file (truncated dump): " + (n - got) + " more bytes expected");
            }
            int k = Math.min(n - got, lim - pos);
            System.arraycopy(buf, pos, b, got, k);
            pos += k;
            got += k;
            offset += k;
        }
        return b;
    }

    private long littleEndian(int n) throws IOException {
        byte[] b = bytes(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    /** A length; a special encoding (top bits 11) here is an error. */
    private long length() throws IOException {
        int first = u8();
        long n = lengthAfter(first);
        if (n < 0) {
            throw error("a string encoding where a length was expected");
        }
        return n;
    }

    /** The length that starts with byte {@code first}, or -1 when it is a special encoding. */
    private long lengthAfter(int first) throws IOException {
        switch (first >>> 6) {
            case Rdb.LEN_6BIT:
                return first & 0x3F;
            case Rdb.LEN_14BIT:
                return (first & 0x3F) << 8 | u8();
            case Rdb.ENC_VALUE:
                return -1;
            default:
                if (first == Rdb.LEN_32BIT) {
                    byte[] b = bytes(4);
                    return (b[0] & 0xFFL) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
                }
                if (first == Rdb.LEN_64BIT) {
                    byte[] b = bytes(8);
                    long v = 0;
                    for (byte x : b) {
                        v = v << 8 | (x & 0xFF);
                    }
                    return v;
                }
                throw error("bad length byte 0x" + Integer.toHexString(first));
        }
    }

    private byte[] string() throws IOException {
        long start = offset;
        int first = u8();
        long len = lengthAfter(first);
        if (len >= 0) {
            return bytes(checkedLength(len, start));
        }
        switch (first & 0x3F) {
            case Rdb.ENC_INT8:
                return Long.toString((byte) u8()).getBytes(StandardCharsets.US_ASCII);
            case Rdb.ENC_INT16:
                return Long.toString((short) littleEndian(2)).getBytes(StandardCharsets.US_ASCII);
            case Rdb.ENC_INT32:
                return Long.toString((int) littleEndian(4)).getBytes(StandardCharsets.US_ASCII);
            case Rdb.ENC_LZF: {
                int clen = checkedLength(length(), start);
                int ulen = checkedLength(length(), start);
                long dataAt = offset;
                byte[] packed = bytes(clen);
                try {
                    return Lzf.decompress(packed, 0, clen, ulen);
                } catch (IllegalArgumentException e) {
                    offset = dataAt;
                    throw error(e.getMessage());
                }
            }
            default:
                offset = start;
                throw error("unknown string encoding " + (first & 0x3F));
        }
    }

    private int checkedLength(long len, long at) throws RdbFormatException {
        if (len > Integer.MAX_VALUE - 16) {
            offset = at;
            throw error("string of " + len + " bytes is larger than dash4j can hold");
        }
        return (int) len;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String printable(byte[] key) {
        String s = new String(key, 0, Math.min(key.length, 64), StandardCharsets.UTF_8);
        return key.length > 64 ? s + "..." : s;
    }
}
