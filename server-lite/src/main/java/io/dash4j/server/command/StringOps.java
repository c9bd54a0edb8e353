package io.dash4j.server.command;

import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import io.dash4j.server.store.ShardStore;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The string family's operations, protocol-free: each is a function of (the owning shard's store,
 * parsed arguments) returning a typed result or throwing {@link CommandException}. RESP's
 * SET/GET/INCRBY/APPEND/SETRANGE... and memcached's set/add/replace/cas/append/prepend/incr/decr
 * all run through these, on the shard that owns the key (so they never lock).
 *
 * <p>Invariant of every write: limits are checked before anything changes, so a refused write
 * (too big, out of memory, not an integer) leaves the key as it was.
 */
public final class StringOps {

    private StringOps() {
    }

    /** The live entry (a read: counts as a keyspace hit or miss), or null. */
    public static byte[] get(ShardStore st, Key k) {
        return st.get(k, true);
    }

    /**
     * Writes {@code src[off, off+len)} as the value of {@code k} under {@code a}'s condition, with
     * {@code newCas} as its CAS unique (0 = none, RESP writes). An expiry already past deletes the
     * key and still reports STORED, as Redis (SET .. EXAT past) and memcached (negative exptime) do.
     * An overwrite with a value of the same length goes into the stored entry when the store
     * allows it ({@link ShardStore#write}: a private entry), allocating nothing; otherwise the
     * new entry is the write's one allocation.
     */
    public static WriteStatus set(ShardStore st, Key k, byte[] src, int off, int len, SetArgs a, long newCas) {
        WriteStatus refused = refused(st, k, a);
        if (refused != null) {
            return refused;
        }
        long ttl = ttlOf(st, a);
        if (ttl == EXPIRED) {
            st.remove(k);
            return WriteStatus.STORED;
        }
        byte[] e = st.write(k, a.flags(), newCas, len, ttl);
        System.arraycopy(src, off, e, Entry.valueOffset(e), len);
        return WriteStatus.STORED;
    }

    /**
     * {@link #set} of an entry built beforehand (a plain SET builds it on the connection's thread,
     * the write's one allocation); {@code entry}'s flags and CAS are kept as built.
     */
    public static WriteStatus setEntry(ShardStore st, Key k, byte[] entry, SetArgs a) {
        WriteStatus refused = refused(st, k, a);
        if (refused != null) {
            return refused;
        }
        return store(st, k, entry, a);
    }

    /** The status of a write {@code a}'s condition refuses, or null when it may go ahead. */
    private static WriteStatus refused(ShardStore st, Key k, SetArgs a) {
        switch (a.condition()) {
            case IF_ABSENT -> {
                if (st.peek(k, false) != null) {
                    return WriteStatus.NOT_STORED;
                }
            }
            case IF_PRESENT -> {
                if (st.peek(k, false) == null) {
                    return WriteStatus.NOT_STORED;
                }
            }
            case IF_CAS -> {
                byte[] old = st.peek(k, false);
                if (old == null) {
                    return WriteStatus.NOT_FOUND;
                }
                if (Entry.cas(old) != a.expectedCas()) {
                    return WriteStatus.EXISTS;
                }
            }
            default -> {
            }
        }
        return null;
    }

    /** Stores {@code entry} under {@code a}'s expiry (a deadline already past deletes the key). */
    private static WriteStatus store(ShardStore st, Key k, byte[] entry, SetArgs a) {
        long ttl = ttlOf(st, a);
        if (ttl == EXPIRED) {
            st.remove(k);
        } else {
            st.put(k, entry, ttl);
        }
        return WriteStatus.STORED;
    }

    /** {@link #ttlOf}'s answer for a deadline already past: the write deletes the key. */
    private static final long EXPIRED = Long.MIN_VALUE;

    /** The {@link ShardStore#put} TTL argument of {@code a}'s expiry, or {@link #EXPIRED}. */
    private static long ttlOf(ShardStore st, SetArgs a) {
        if (a.expiry() != null) {
            long now = st.now();
            long at = a.expiry().deadline(now);
            return at <= now ? EXPIRED : Expiry.storableTtl(at - now);
        }
        return a.keepTtl() ? ShardStore.KEEP_TTL : 0;
    }

    /**
     * INCRBY's arithmetic on a signed 64-bit decimal value (absent = 0); keeps the TTL and flags.
     * The digits are written straight into the entry: the stored one when the new number has as
     * many digits and the entry is private ({@link ShardStore#write}), else a new one (the
     * only allocation).
     */
    public static long incrBy(ShardStore st, Key k, long delta) {
        byte[] e = st.peek(k, false);
        long cur = 0;
        int flags = 0;
        if (e != null) {
            int off = Entry.valueOffset(e);
            cur = Args.longAt(e, off, e.length - off);
            flags = Entry.flags(e);
        }
        long next;
        try {
            next = Math.addExact(cur, delta);
        } catch (ArithmeticException ex) {
            throw CommandError.OVERFLOW.exception();
        }
        byte[] n = st.write(k, flags, 0, Args.decimalLength(next), ShardStore.KEEP_TTL);
        Args.writeDecimal(next, n, n.length); // the value ends the array
        return next;
    }

    /** Largest decimal exponent of a long double (Redis computes INCRBYFLOAT in long double). */
    static final int MAX_EXPONENT = 4932;
    /** Smallest (subnormal) decimal exponent of a long double: below, strtold underflows (ERANGE). */
    static final int MIN_EXPONENT = -4950;

    /**
     * Parses a Redis float ({@code strtold}'s syntax, no NaN), as an exact decimal; null when it is
     * not one or is out of long double's range (as Redis's string2ld refuses ERANGE). {@code inf}
     * and {@code infinity} set {@code infinite[0]} and return zero.
     */
    public static BigDecimal parseFloat(byte[] a, int off, int len, boolean[] infinite) {
        if (len == 0 || len > 5000) {
            return null;
        }
        String s = new String(a, off, len, StandardCharsets.ISO_8859_1);
        if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(len - 1))) {
            return null;
        }
        String t = s.toLowerCase(Locale.ROOT);
        String u = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
        if (u.equals("inf") || u.equals("infinity")) {
            infinite[0] = true;
            return BigDecimal.ZERO;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        if (d.signum() != 0) {
            long exponent = (long) d.precision() - d.scale() - 1; // of the leading digit
            if (exponent > MAX_EXPONENT || exponent < MIN_EXPONENT) {
                return null; // beyond long double: strtold's ERANGE (and no huge BigDecimal work)
            }
        }
        return d;
    }

    /** INCRBYFLOAT: the new value as Redis prints it (up to 17 decimals, no trailing zeros). */
    public static byte[] incrByFloat(ShardStore st, Key k, BigDecimal incr, boolean incrInfinite) {
        byte[] e = st.peek(k, false);
        BigDecimal cur = BigDecimal.ZERO;
        int flags = 0;
        boolean[] curInf = new boolean[1];
        if (e != null) {
            int off = Entry.valueOffset(e);
            cur = parseFloat(e, off, e.length - off, curInf);
            if (cur == null) {
                throw CommandError.NOT_FLOAT.exception();
            }
            flags = Entry.flags(e);
        }
        if (incrInfinite || curInf[0]) {
            throw CommandError.NAN_OR_INFINITY.exception();
        }
        BigDecimal sum = cur.add(incr);
        if (sum.signum() != 0 && (long) sum.precision() - sum.scale() - 1 > MAX_EXPONENT) {
            throw CommandError.NAN_OR_INFINITY.exception();
        }
        String text = sum.setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        if (text.equals("-0")) {
            text = "0";
        }
        byte[] digits = text.getBytes(StandardCharsets.US_ASCII);
        st.put(k, Entry.of(k, digits, 0, digits.length, flags, 0), ShardStore.KEEP_TTL);
        return digits;
    }

    /**
     * APPEND (and memcached append/prepend): adds {@code add[off, off+len)} after (or before) the
     * value, keeping flags and TTL. Returns the new length, or -1 when the key is absent and
     * {@code create} is false. Refuses a result over {@code maxLen} with {@code tooBig}, and one the
     * store could not hold with OOM, before allocating it.
     */
    public static long concat(ShardStore st, Key k, byte[] add, int off, int len, boolean prepend, boolean create,
                              long maxLen, CommandError tooBig, long newCas) {
        byte[] e = st.peek(k, false);
        if (e == null) {
            if (!create) {
                return -1;
            }
            if (len > maxLen) {
                throw tooBig.exception();
            }
            st.put(k, Entry.of(k, add, off, len, 0, newCas), 0);
            return len;
        }
        int eo = Entry.valueOffset(e);
        int olen = e.length - eo;
        long total = (long) olen + len;
        if (total > maxLen) {
            throw tooBig.exception();
        }
        st.checkFits(total + k.len + 8); // refuses before allocating, naming the limit
        byte[] n = Entry.allocate(k, Entry.flags(e), newCas, (int) total);
        int no = Entry.valueOffset(n);
        if (prepend) {
            System.arraycopy(add, off, n, no, len);
            System.arraycopy(e, eo, n, no + len, olen);
        } else {
            System.arraycopy(e, eo, n, no, olen);
            System.arraycopy(add, off, n, no + olen, len);
        }
        st.put(k, n, ShardStore.KEEP_TTL);
        return total;
    }

    /** STRLEN. */
    public static long strlen(ShardStore st, Key k) {
        byte[] e = st.peek(k, true);
        return e == null ? 0 : Entry.valueLength(e);
    }

    /** GETRANGE with Redis's index rules (negative = from the end, clamped); a slice, no copy. */
    public static Object getRange(ShardStore st, Key k, long start, long end) {
        byte[] e = st.get(k, true);
        if (e == null) {
            return Replies.EMPTY;
        }
        int off = Entry.valueOffset(e);
        long len = e.length - off;
        long a = start;
        long b = end;
        if (a < 0 && b < 0 && a > b) {
            return Replies.EMPTY;
        }
        if (a < 0) {
            a = len + a; // len >= 0 and a >= Long.MIN_VALUE: no overflow
        }
        if (b < 0) {
            b = len + b;
        }
        if (a < 0) {
            a = 0;
        }
        if (b < 0) {
            b = 0;
        }
        if (b >= len) {
            b = len - 1;
        }
        if (a > b || len == 0) {
            return Replies.EMPTY;
        }
        return new Replies.Bulk(e, off + (int) a, (int) (b - a + 1));
    }

    /**
     * SETRANGE: overwrites from {@code offset} (&gt;= 0, checked by the caller), zero-padding, and
     * returns the new length. An empty {@code v} changes nothing. A result longer than
     * {@code maxLen} (proto-max-bulk-len) is refused, the comparison written so that no offset can
     * overflow it, and the key is kept.
     */
    public static long setRange(ShardStore st, Key k, long offset, byte[] v, long maxLen) {
        byte[] e = st.peek(k, false);
        long oldLen = e == null ? 0 : Entry.valueLength(e);
        if (v.length == 0) {
            return oldLen;
        }
        if (offset > maxLen - v.length) {
            throw CommandError.TOO_BIG_BULK.exception();
        }
        long len = Math.max(oldLen, offset + v.length);
        if (len > Integer.MAX_VALUE - 64 - k.len) {
            throw CommandError.TOO_BIG_BULK.exception();
        }
        st.checkFits(len + k.len + 8); // refuses before allocating, naming the limit
        byte[] n = Entry.allocate(k, e == null ? 0 : Entry.flags(e), 0, (int) len);
        int no = Entry.valueOffset(n);
        if (e != null) {
            System.arraycopy(e, Entry.valueOffset(e), n, no, (int) oldLen);
        }
        System.arraycopy(v, 0, n, no + (int) offset, v.length);
        st.put(k, n, e == null ? 0 : ShardStore.KEEP_TTL);
        return len;
    }
}
