package io.dash4j.bench.sim.trace;

import java.nio.charset.StandardCharsets;

/** Turning the text of a key into the simulator's {@code long} key. */
public final class Keys {

    /** Returned by {@link #parseCanonicalLong} for text that is not a canonical decimal long. */
    static final long NOT_A_NUMBER = Long.MIN_VALUE;

    private Keys() {
    }

    /** The key for a string key (see {@link PlainTraceReader}). */
    public static long keyOf(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        return keyOf(b, 0, b.length);
    }

    /** The key for the bytes {@code b[from..to)}: the number they spell canonically, else their hash. */
    static long keyOf(byte[] b, int from, int to) {
        long v = parseCanonicalLong(b, from, to);
        return v != NOT_A_NUMBER ? v : hash(b, from, to);
    }

    /**
     * The value of {@code b[from..to)} if it is a long written canonically ({@code 0}, or an optional
     * {@code -} then digits without a leading zero), else {@link #NOT_A_NUMBER} (also for
     * {@link Long#MIN_VALUE} itself, which is then hashed like any other string).
     */
    static long parseCanonicalLong(byte[] b, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && b[i] == '-') {
            negative = true;
            i++;
        }
        int digits = to - i;
        if (digits <= 0 || digits > 19 || (b[i] == '0' && (digits > 1 || negative))) {
            return NOT_A_NUMBER;
        }
        long v = 0;   // accumulated negatively, so that the full range fits
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_A_NUMBER;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return NOT_A_NUMBER;   // overflow
            }
            v = v * 10 - d;
        }
        if (negative) {
            return v;   // Long.MIN_VALUE lands here and equals NOT_A_NUMBER: hashed, as documented
        }
        return v == Long.MIN_VALUE ? NOT_A_NUMBER : -v;
    }

    /** A 64-bit hash of {@code b[from..to)} (8 bytes at a time, murmur-style mixing). */
    public static long hash(byte[] b, int from, int to) {
        long h = 0x9E3779B97F4A7C15L ^ ((to - from) * 0xC2B2AE3D27D4EB4FL);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long k = (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16
                    | (b[i + 3] & 0xFFL) << 24 | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40
                    | (b[i + 6] & 0xFFL) << 48 | (b[i + 7] & 0xFFL) << 56;
            h = mixIn(h, k);
        }
        long k = 0;
        for (int shift = 0; i < to; i++, shift += 8) {
            k |= (b[i] & 0xFFL) << shift;
        }
        h = mixIn(h, k);
        return fmix(h);
    }

    private static long mixIn(long h, long k) {
        k *= 0x87C37B91114253D5L;
        k = Long.rotateLeft(k, 31);
        k *= 0x4CF5AD432745937FL;
        h ^= k;
        h = Long.rotateLeft(h, 27) * 5 + 0x52DCE729;
        return h;
    }

    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
