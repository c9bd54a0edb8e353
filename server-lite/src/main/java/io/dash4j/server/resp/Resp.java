package io.dash4j.server.resp;

import io.dash4j.server.OutBuf;
import io.dash4j.server.Reply;
import io.dash4j.server.store.Entry;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** RESP2 reply values and their encoding. */
public final class Resp {

    private Resp() {
    }

    /** A simple string reply ({@code +OK}). */
    public record Simple(String text) {
    }

    /** An error reply; {@code text} starts with the error code ({@code ERR ...}). */
    public record Err(String text) {
    }

    /** A bulk string that is a slice of an array (usually a stored entry's value). */
    public record Bulk(byte[] a, int off, int len) {
    }

    /** A RESP array of nulls: {@code *-1}. */
    public static final Object NIL_ARRAY = new Object();

    public static final Simple OK = new Simple("OK");
    public static final Simple PONG = new Simple("PONG");
    public static final Long ZERO = 0L;
    public static final Long ONE = 1L;

    public static Err err(String text) {
        return new Err(text);
    }

    public static final Err SYNTAX = err("ERR syntax error");
    public static final Err NOT_INTEGER = err("ERR value is not an integer or out of range");
    public static final Err NOT_FLOAT = err("ERR value is not a valid float");
    public static final Err OVERFLOW = err("ERR increment or decrement would overflow");
    public static final Err OOM = err("OOM command not allowed when used memory > 'maxmemory'.");
    public static final Err TOO_BIG = err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");

    public static Err invalidExpire(String cmd) {
        return err("ERR invalid expire time in '" + cmd + "' command");
    }

    /** The value of a stored entry, as a bulk string (no copy). */
    public static Bulk value(byte[] entry) {
        int off = Entry.valueOffset(entry);
        return new Bulk(entry, off, entry.length - off);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Encodes the call's {@code result}: the reply used by most commands. */
    public static final Reply RESULT = (c, out) -> write(out, c.result);

    private static final byte[] NIL = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NIL_ARR = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK_BYTES = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO_BYTES = ":0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ONE_BYTES = ":1\r\n".getBytes(StandardCharsets.US_ASCII);

    public static void write(OutBuf out, Object o) {
        if (o == null) {
            out.write(NIL);
        } else if (o instanceof Bulk b) {
            bulk(out, b.a, b.off, b.len);
        } else if (o instanceof Long l) {
            if (l == 0) {
                out.write(ZERO_BYTES);
            } else if (l == 1) {
                out.write(ONE_BYTES);
            } else {
                out.write(':');
                out.decimal(l);
                out.crlf();
            }
        } else if (o instanceof Integer i) {
            write(out, (long) i);
        } else if (o == OK) {
            out.write(OK_BYTES);
        } else if (o instanceof Simple s) {
            out.write('+');
            out.utf8(s.text);
            out.crlf();
        } else if (o instanceof Err e) {
            out.write('-');
            out.utf8(e.text);
            out.crlf();
        } else if (o instanceof byte[] b) {
            bulk(out, b, 0, b.length);
        } else if (o instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            bulk(out, b, 0, b.length);
        } else if (o == NIL_ARRAY) {
            out.write(NIL_ARR);
        } else if (o instanceof Object[] arr) {
            arrayHeader(out, arr.length);
            for (Object x : arr) {
                write(out, x);
            }
        } else if (o instanceof List<?> list) {
            arrayHeader(out, list.size());
            for (Object x : list) {
                write(out, x);
            }
        } else {
            throw new IllegalArgumentException("cannot encode " + o.getClass());
        }
    }

    public static void bulk(OutBuf out, byte[] a, int off, int len) {
        out.write('$');
        out.decimal(len);
        out.crlf();
        out.write(a, off, len);
        out.crlf();
    }

    public static void arrayHeader(OutBuf out, int n) {
        out.write('*');
        out.decimal(n);
        out.crlf();
    }

    /** Redis's {@code string2ll}: a strict decimal long (no spaces, no '+', no leading zeros). */
    public static boolean isLong(byte[] a, int off, int len) {
        return parseLong(a, off, len, null);
    }

    /** Parses a strict decimal long into {@code out[0]}; false when not one. */
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

    /** Parses a whole argument as a strict long, or returns null. */
    public static Long toLong(byte[] a) {
        long[] v = new long[1];
        return parseLong(a, 0, a.length, v) ? v[0] : null;
    }

    public static String str(byte[] a) {
        return new String(a, StandardCharsets.UTF_8);
    }

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
