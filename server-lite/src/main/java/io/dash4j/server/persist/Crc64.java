package io.dash4j.server.persist;

/**
 * CRC-64/Jones, the checksum that ends a Redis RDB file: reflected, polynomial
 * {@code 0xad93d23594c935a9}, initial value 0, no final XOR (Redis's {@code crc64.c}). The check
 * value of {@code "123456789"} is {@code 0xe9c6d914c4b8d9ca}.
 *
 * <p>Table-driven, one byte at a time: the table holds the remainder of each byte value under the
 * bit-reversed polynomial, so an update is one lookup, one shift and one XOR per byte.
 */
public final class Crc64 {

    /** The Jones polynomial with its bits reversed (the reflected form). */
    private static final long REFLECTED_POLY = Long.reverse(0xad93d23594c935a9L);
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ REFLECTED_POLY : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc64() {
    }

    /** {@code crc} extended over {@code b[off, off + len)}. */
    public static long update(long crc, byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            crc = TABLE[(int) (crc ^ b[i]) & 0xFF] ^ (crc >>> 8);
        }
        return crc;
    }

    /** {@code crc} extended over one byte. */
    public static long update(long crc, int b) {
        return TABLE[(int) (crc ^ b) & 0xFF] ^ (crc >>> 8);
    }

    public static long of(byte[] b) {
        return update(0, b, 0, b.length);
    }
}
