package io.dash4j.server.command;

import java.nio.charset.StandardCharsets;

/** Argument parsing with Redis's rules: strict integers, case-insensitive option words. */
public final class Args {

    private Args() {
    }

    /** Redis's {@code string2ll}: a strict decimal long (no spaces, no '+', no leading zeros). */
    public static boolean isLong(byte[] a, int off, int len) {
        return parseLong(a, off, len, null);
    }

    /** Parses a strict decimal long into {@code out[0]}; false when not one (or out of range). */
    public static boolean parseLong(byte[] a, int off, int len, long[] out) {
        long v;
        try {
            v = strictLong(a, off, len);
        } catch (NotALong e) {
            return false;
        }
        if (out != null) {
            out[0] = v;
        }
        return true;
    }

    /** {@code a[off, off+len)} as a strict long, or a NOT_INTEGER error; allocates nothing. */
    public static long longAt(byte[] a, int off, int len) {
        try {
            return strictLong(a, off, len);
        } catch (NotALong e) {
            throw CommandError.NOT_INTEGER.exception();
        }
    }

    /** Thrown (one shared instance, no stack trace) when the bytes are not a strict long. */
    private static final class NotALong extends RuntimeException {
        static final NotALong INSTANCE = new NotALong();

        private NotALong() {
            super(null, null, false, false);
        }
    }

    /** Redis's {@code string2ll}, the one implementation: the value, or {@link NotALong}. */
    private static long strictLong(byte[] a, int off, int len) {
        if (len == 0 || len > 20) {
            throw NotALong.INSTANCE;
        }
        if (len == 1 && a[off] == '0') {
            return 0;
        }
        int p = off;
        int end = off + len;
        boolean neg = false;
        if (a[p] == '-') {
            neg = true;
            p++;
            if (p == end) {
                throw NotALong.INSTANCE;
            }
        }
        if (a[p] < '1' || a[p] > '9') {
            throw NotALong.INSTANCE;
        }
        long v = 0; // accumulated negatively to reach Long.MIN_VALUE
        for (; p < end; p++) {
            int d = a[p] - '0';
            if (d < 0 || d > 9) {
                throw NotALong.INSTANCE;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                throw NotALong.INSTANCE;
            }
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                throw NotALong.INSTANCE;
            }
            v = -v;
        }
        return v;
    }

    /** The whole argument as a strict long, or null. */
    public static Long toLong(byte[] a) {
        try {
            return strictLong(a, 0, a.length);
        } catch (NotALong e) {
            return null;
        }
    }

    /** Digits of {@code v} in decimal (sign included). */
    public static int decimalLength(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int n = v < 0 ? 2 : 1;
        long x = Math.abs(v);
        while (x >= 10) {
            x /= 10;
            n++;
        }
        return n;
    }

    /** Writes {@code v} in decimal into {@code a} ending just before {@code end}; {@link #decimalLength} bytes. */
    public static void writeDecimal(long v, byte[] a, int end) {
        int p = end;
        long x = v > 0 ? -v : v; // digits taken on the negative side: no overflow at MIN_VALUE
        do {
            a[--p] = (byte) ('0' - (int) (x % 10));
            x /= 10;
        } while (x != 0);
        if (v < 0) {
            a[--p] = '-';
        }
    }

    /** The whole argument as a strict long, or a NOT_INTEGER error. */
    public static long longArg(byte[] a) {
        return longAt(a, 0, a.length);
    }

    public static CommandException fail(CommandError e) {
        throw e.exception();
    }

    public static String str(byte[] a) {
        return new String(a, StandardCharsets.UTF_8);
    }

    /** True when {@code arg} is {@code word}, ignoring ASCII case. */
    public static boolean is(byte[] arg, String word) {
        int n = word.length();
        if (arg.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = arg[i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            int w = word.charAt(i);
            if (w >= 'a' && w <= 'z') {
                w -= 32;
            }
            if (c != w) {
                return false;
            }
        }
        return true;
    }
}
