package io.dash4j.server.persist;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends RDB elements ({@link Rdb}) to a growable byte buffer: the header, AUX fields, the
 * database selectors and one record per string key. Strings are written as Redis writes them:
 * as an integer when they are the canonical text of one that fits in 32 bits, LZF-compressed when
 * longer than 20 bytes and compression saves at least 4 bytes ({@link Lzf}), raw otherwise.
 *
 * <p>One encoder per writer (a save's writer thread, or the file header): not thread-safe. Its
 * bytes are read in place ({@link #buffer}, then {@link #reset}) or copied out ({@link #take}).
 */
public final class RdbEncoder {

    /** Redis compresses strings longer than this (rdbSaveRawString: {@code len > 20}). */
    static final int COMPRESS_ABOVE = 20;

    private byte[] buf;
    private int size;
    private final boolean compress;
    /** Made on the first long string (an encoder that never compresses does not pay for its tables). */
    private Lzf lzf;

    public RdbEncoder(int initialCapacity, boolean compress) {
        this.buf = new byte[Math.max(64, initialCapacity)];
        this.compress = compress;
    }

    public int size() {
        return size;
    }

    /** The buffer holding the bytes written so far (the first {@link #size()} of it). */
    public byte[] buffer() {
        return buf;
    }

    /** Empties the encoder, keeping its buffer. */
    public void reset() {
        size = 0;
    }

    /** The bytes written since the last take; the encoder is empty afterwards. */
    public byte[] take() {
        byte[] out = Arrays.copyOf(buf, size);
        size = 0;
        return out;
    }

    // ------------------------------------------------------------------ file structure

    public void header() {
        raw(("REDIS" + String.format("%04d", Rdb.VERSION)).getBytes(StandardCharsets.US_ASCII));
    }

    public void aux(String name, String value) {
        u8(Rdb.OP_AUX);
        string(name.getBytes(StandardCharsets.UTF_8));
        string(value.getBytes(StandardCharsets.UTF_8));
    }

    public void selectDb(int db) {
        u8(Rdb.OP_SELECTDB);
        length(db);
    }

    public void resizeDb(long keys, long expires) {
        u8(Rdb.OP_RESIZEDB);
        length(keys);
        length(expires);
    }

    /** The EOF opcode; the 8-byte checksum follows it, computed by whoever writes the stream. */
    public void eof() {
        u8(Rdb.OP_EOF);
    }

    /**
     * One string key: the expiry first when there is one ({@code expireAtMillis >= 0}, epoch ms),
     * then the type, the key and the value.
     */
    public void stringRecord(byte[] key, int keyOff, int keyLen, byte[] value, int valueOff, int valueLen,
                             long expireAtMillis) {
        if (expireAtMillis >= 0) {
            u8(Rdb.OP_EXPIRETIME_MS);
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[size++] = (byte) (expireAtMillis >>> (8 * i));
            }
        }
        u8(Rdb.TYPE_STRING);
        string(key, keyOff, keyLen);
        string(value, valueOff, valueLen);
    }

    /**
     * The memcached metadata of the string record that follows: an AUX field
     * {@code dash4j-mc = "<flags> <cas>"} (both unsigned decimal). Redis and redis-check-rdb
     * ignore AUX fields they do not know, wherever they are, so the key still loads there as a
     * plain string; dash4j's reader gives the pair to the next key ({@link Rdb#AUX_MEMCACHED}).
     * Written raw, without an allocation: a record of the hot path.
     */
    public void memcachedMeta(int flags, long cas) {
        u8(Rdb.OP_AUX);
        length(MEMCACHED_AUX_NAME.length);
        raw(MEMCACHED_AUX_NAME);
        int n = unsignedDecimal(flags & 0xFFFFFFFFL, digits, 0);
        digits[n++] = ' ';
        n = unsignedDecimal(cas, digits, n);
        length(n);
        ensure(n);
        System.arraycopy(digits, 0, buf, size, n);
        size += n;
    }

    private static final byte[] MEMCACHED_AUX_NAME = Rdb.AUX_MEMCACHED.getBytes(StandardCharsets.US_ASCII);
    /** Scratch for {@link #memcachedMeta}: 10 digits, a space, 20 digits. */
    private final byte[] digits = new byte[32];

    /** Writes {@code v} (unsigned) in decimal at {@code out[at]}; returns the index after it. */
    private static int unsignedDecimal(long v, byte[] out, int at) {
        int len = 1;
        for (long t = Long.divideUnsigned(v, 10); t != 0; t = Long.divideUnsigned(t, 10)) {
            len++;
        }
        for (int i = at + len - 1; i >= at; i--) {
            out[i] = (byte) ('0' + Long.remainderUnsigned(v, 10));
            v = Long.divideUnsigned(v, 10);
        }
        return at + len;
    }

    // ------------------------------------------------------------------ primitives

    public void string(byte[] s) {
        string(s, 0, s.length);
    }

    public void string(byte[] s, int off, int len) {
        if (len <= 11 && len > 0 && integerEncoded(s, off, len)) {
            return;
        }
        if (compress && len > COMPRESS_ABOVE) {
            if (lzf == null) {
                lzf = new Lzf();
            }
            int packed = lzf.compress(s, off, len);
            if (packed >= 0) {
                u8(Rdb.ENC_VALUE << 6 | Rdb.ENC_LZF);
                length(packed);
                length(len);
                ensure(packed);
                System.arraycopy(lzf.output(), 0, buf, size, packed);
                size += packed;
                return;
            }
        }
        length(len);
        ensure(len);
        System.arraycopy(s, off, buf, size, len);
        size += len;
    }

    /** Redis's rdbTryIntegerEncoding: only the canonical decimal text of a 32-bit value. */
    private boolean integerEncoded(byte[] s, int off, int len) {
        long v = parseCanonical(s, off, len);
        if (v == Long.MIN_VALUE) {
            return false;
        }
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            u8(Rdb.ENC_VALUE << 6 | Rdb.ENC_INT8);
            u8((int) v & 0xFF);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            u8(Rdb.ENC_VALUE << 6 | Rdb.ENC_INT16);
            u8((int) v & 0xFF);
            u8((int) (v >>> 8) & 0xFF);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            u8(Rdb.ENC_VALUE << 6 | Rdb.ENC_INT32);
            for (int i = 0; i < 4; i++) {
                u8((int) (v >>> (8 * i)) & 0xFF);
            }
        } else {
            return false;
        }
        return true;
    }

    /**
     * The value of a canonical decimal integer ("0", "-12", no '+', no leading zero, no "-0") of at
     * most 11 characters, or Long.MIN_VALUE when the text is not one.
     */
    static long parseCanonical(byte[] s, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = s[i] == '-';
        if (negative) {
            i++;
        }
        if (i == end || (s[i] == '0' && (end - i > 1 || negative))) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < end; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    public void length(long n) {
        if (n < 1 << 6) {
            u8((int) n);
        } else if (n < 1 << 14) {
            u8(Rdb.LEN_14BIT << 6 | (int) (n >>> 8));
            u8((int) n & 0xFF);
        } else if (n <= 0xFFFFFFFFL) {
            u8(Rdb.LEN_32BIT);
            for (int i = 3; i >= 0; i--) {
                u8((int) (n >>> (8 * i)) & 0xFF);
            }
        } else {
            u8(Rdb.LEN_64BIT);
            for (int i = 7; i >= 0; i--) {
                u8((int) (n >>> (8 * i)) & 0xFF);
            }
        }
    }

    public void u8(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    public void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size + more, buf.length * 2));
        }
    }
}
