package io.dash4j.server.persist;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CRC-64/Jones, the checksum that ends a Redis RDB file: reflected, polynomial
 * {@code 0xad93d23594c935a9}, initial value 0, no final XOR (Redis's {@code crc64.c}). The check
 * value of {@code "123456789"} is {@code 0xe9c6d914c4b8d9ca}.
 *
 * <p>Table-driven, eight bytes at a time ("slicing-by-8"): {@code TABLES[0]} holds the remainder
 * of each byte value under the bit-reversed polynomial (one lookup, shift and XOR per byte), and
 * {@code TABLES[k]} the remainder of a byte followed by {@code k} zero bytes, so the CRC of eight
 * bytes is the XOR of eight independent lookups, one per byte of {@code crc ^ next 8 bytes}. The
 * writer thread checksums every byte of a dump: this is about four times the byte-wise speed.
 */
public final class Crc64 {

    /** The Jones polynomial with its bits reversed (the reflected form). */
    private static final long REFLECTED_POLY = Long.reverse(0xad93d23594c935a9L);
    private static final long[][] TABLES = new long[8][256];
    private static final long[] TABLE = TABLES[0];
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ REFLECTED_POLY : crc >>> 1;
            }
            TABLE[i] = crc;
        }
        for (int k = 1; k < 8; k++) {
            for (int i = 0; i < 256; i++) {
                long prev = TABLES[k - 1][i];
                TABLES[k][i] = (prev >>> 8) ^ TABLE[(int) prev & 0xFF];
            }
        }
    }

    private Crc64() {
    }

    /** {@code crc} extended over {@code b[off, off + len)}. */
    public static long update(long crc, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        long[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
        long[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
        for (; i + 8 <= end; i += 8) {
            long x = crc ^ (long) LONG_LE.get(b, i);
            crc = t7[(int) x & 0xFF] ^ t6[(int) (x >>> 8) & 0xFF] ^ t5[(int) (x >>> 16) & 0xFF]
                    ^ t4[(int) (x >>> 24) & 0xFF] ^ t3[(int) (x >>> 32) & 0xFF] ^ t2[(int) (x >>> 40) & 0xFF]
                    ^ t1[(int) (x >>> 48) & 0xFF] ^ t0[(int) (x >>> 56)];
        }
        for (; i < end; i++) {
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
