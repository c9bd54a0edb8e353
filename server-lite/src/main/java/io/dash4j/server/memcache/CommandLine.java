package io.dash4j.server.memcache;

import io.dash4j.server.Call;
import io.dash4j.server.store.Key;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One memcached text command line, split into its space-separated tokens <em>in place</em>: a
 * token is a pair of offsets into the connection's input buffer, never a copy. Numbers are read
 * from those bytes directly, and a key becomes a {@link Key} (the one copy a key costs, because a
 * shard other than the connection's may run the command after the buffer moved on).
 *
 * <p>One instance per connection, reused for every line: {@link #split} overwrites the offsets, so
 * a parsed line allocates nothing here (the offset arrays grow once for a get of many keys and
 * stay). The offsets are valid only until the input buffer is read into again, that is, while the
 * codec handles this line; {@link #release} drops the reference to the buffer afterwards.
 */
final class CommandLine {

    private byte[] a;
    private int[] start = new int[8];
    private int[] end = new int[8];
    private int count;
    /** Whether the last {@link #unsigned} read a number. */
    private boolean numberOk;

    /** Splits {@code bytes[from, to)} (the line without its line end) at spaces. */
    void split(byte[] bytes, int from, int to) {
        a = bytes;
        count = 0;
        int i = from;
        while (i < to) {
            while (i < to && bytes[i] == ' ') {
                i++;
            }
            int s = i;
            while (i < to && bytes[i] != ' ') {
                i++;
            }
            if (i > s) {
                if (count == start.length) {
                    start = Arrays.copyOf(start, count * 2);
                    end = Arrays.copyOf(end, count * 2);
                }
                start[count] = s;
                end[count++] = i;
            }
        }
    }

    /** Forgets the input buffer (the line is handled). */
    void release() {
        a = null;
    }

    /** Number of tokens. */
    int count() {
        return count;
    }

    int length(int t) {
        return end[t] - start[t];
    }

    /** True when token {@code t} is exactly {@code literal}. */
    boolean is(int t, byte[] literal) {
        return Arrays.equals(a, start[t], end[t], literal, 0, literal.length);
    }

    /** True when the last token is {@code noreply} (and there is a command before it). */
    boolean noreply() {
        return count > 1 && is(count - 1, NOREPLY);
    }

    private static final byte[] NOREPLY = "noreply".getBytes(StandardCharsets.US_ASCII);

    /** Token {@code t} as text (for rare paths: stats groups, unknown command names). */
    String text(int t) {
        return new String(a, start[t], length(t), StandardCharsets.ISO_8859_1);
    }

    /** A copy of token {@code t}. */
    byte[] copy(int t) {
        return Arrays.copyOfRange(a, start[t], end[t]);
    }

    /** Token {@code t} as a key probe (its bytes copied once, hashed once). */
    Key key(int t) {
        return new Key(copy(t));
    }

    /**
     * Tokens {@code first..} as keys viewing one shared copy of their bytes (a get of many keys:
     * one array for all of them, and a view object per key).
     */
    Key[] keys(int first) {
        int total = 0;
        for (int t = first; t < count; t++) {
            total += length(t);
        }
        byte[] all = new byte[total];
        Key[] keys = new Key[count - first];
        int at = 0;
        for (int t = first; t < count; t++) {
            int n = length(t);
            System.arraycopy(a, start[t], all, at, n);
            keys[t - first] = new Key().set(all, at, n);
            at += n;
        }
        return keys;
    }

    /** Token {@code t} copied into {@code call}'s own key buffer, as the call's single key (no allocation). */
    Key ownKey(Call call, int t) {
        return call.ownKey(a, start[t], length(t));
    }

    /**
     * A valid key: 1..{@value McTextCodec#KEY_MAX} bytes. Like memcached itself, any byte but the
     * separators (space and the line end, consumed by {@link #split}) is accepted: memcaslap, for
     * one, sends keys with a binary prefix.
     */
    boolean validKey(int t) {
        int n = length(t);
        return n > 0 && n <= McTextCodec.KEY_MAX;
    }

    /** Marks a signed number that is not one (outside every int, so no valid value collides). */
    static final long NOT_A_NUMBER = Long.MIN_VALUE;

    /**
     * Token {@code t} as an unsigned decimal that fits {@code bits} bits; {@link #numberOk} tells
     * whether it was one (every 64-bit pattern is a valid value, so there is no sentinel).
     */
    long unsigned(int t, int bits) {
        numberOk = false;
        int s = start[t];
        int e = end[t];
        if (e == s || e - s > 20) {
            return 0;
        }
        long v = 0;
        for (int i = s; i < e; i++) {
            long d = a[i] - '0';
            if (d < 0 || d > 9) {
                return 0;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                return 0; // overflows 64 bits
            }
            v = v * 10 + d;
        }
        if (bits < 64 && Long.compareUnsigned(v, (1L << bits) - 1) > 0) {
            return 0;
        }
        numberOk = true;
        return v;
    }

    /** Whether the last {@link #unsigned} read a number. */
    boolean numberOk() {
        return numberOk;
    }

    /** Token {@code t} as a signed 32-bit decimal, or {@link #NOT_A_NUMBER}. */
    long signed(int t) {
        int s = start[t];
        int e = end[t];
        if (e == s || e - s > 11) {
            return NOT_A_NUMBER;
        }
        int i = s;
        boolean neg = false;
        if (a[s] == '-' || a[s] == '+') {
            neg = a[s] == '-';
            i++;
            if (e - s == 1) {
                return NOT_A_NUMBER;
            }
        }
        long v = 0;
        for (; i < e; i++) {
            if (a[i] < '0' || a[i] > '9') {
                return NOT_A_NUMBER;
            }
            v = v * 10 + (a[i] - '0');
        }
        v = neg ? -v : v;
        return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? NOT_A_NUMBER : v;
    }
}
