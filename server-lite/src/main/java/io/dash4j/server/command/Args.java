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
        if (len == 0 || len > 20) {
            return false;
        }
        if (len == 1 && a[off] == '0') {
            if (out != null) {
                out[0] = 0;
            }
            return true;
        }
        int p = off;
        int end = off + len;
        boolean neg = false;
        if (a[p] == '-') {
            neg = true;
            p++;
            if (p == end) {
                return false;
            }
        }
        if (a[p] < '1' || a[p] > '9') {
            return false;
        }
        long v = 0; // accumulated negatively to reach Long.MIN_VALUE
        for (; p < end; p++) {
            int d = a[p] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                return false;
            }
            v = -v;
        }
        if (out != null) {
            out[0] = v;
        }
        return true;
    }

    /** The whole argument as a strict long, or null. */
    public static Long toLong(byte[] a) {
        long[] v = new long[1];
        return parseLong(a, 0, a.length, v) ? v[0] : null;
    }

    /** The whole argument as a strict long, or a NOT_INTEGER error. */
    public static long longArg(byte[] a) {
        long[] v = new long[1];
        if (!parseLong(a, 0, a.length, v)) {
            throw CommandError.NOT_INTEGER.exception();
        }
        return v[0];
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
