package io.dash4j.server.command;

import io.dash4j.server.Shard;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import io.dash4j.server.store.ShardStore;
import io.dash4j.server.store.StoreFullException;

import java.nio.charset.StandardCharsets;

/**
 * memcached's commands as operations on the shared string and keyspace families: storage commands
 * become {@link StringOps#set} (add = NX, replace = XX, cas = IF_CAS) or {@link StringOps#concat}
 * (append/prepend), incr/decr an unsigned 64-bit counter, touch/gat an expiry, delete and flush the
 * keyspace ops. The text codec and the binary codec both map onto these, so memcached semantics
 * (exptime rules, CAS uniques, wrap-around counters) are written once. Each runs on the owner of
 * its key.
 */
public final class MemcachedOps {

    private MemcachedOps() {
    }

    /** Exptimes above this many seconds are absolute unix times (memcached's REALTIME_MAXDELTA). */
    public static final long REALTIME_MAXDELTA = 60L * 60 * 24 * 30;

    /** The storage commands. */
    public enum StoreMode { SET, ADD, REPLACE, APPEND, PREPEND, CAS }

    /**
     * The next CAS unique of shard {@code s}: its store's counter, monotonic per shard for the
     * store's life (stats reset and flushes do not touch it; shards interleave).
     */
    public static long nextCas(Shard s) {
        return s.store.nextCas();
    }

    /**
     * memcached's exptime as an {@link Expiry}: 0 = none (null), negative = already expired, up to
     * 30 days = relative seconds, above = an absolute unix time in seconds.
     */
    public static Expiry expiry(long exptime) {
        if (exptime == 0) {
            return null;
        }
        if (exptime < 0) {
            return Expiry.EXPIRED;
        }
        if (exptime <= REALTIME_MAXDELTA) {
            return new Expiry(false, exptime * 1000);
        }
        return new Expiry(true, exptime * 1000); // exptime is at most 64 bits / 1000 by the parsers' limits
    }

    /**
     * memcached's item size rule, for both protocols: a value is refused when it, its key and 48
     * bytes of item header do not fit {@code itemSizeMax}.
     */
    public static boolean valueTooLarge(int keyLength, long valueLength, long itemSizeMax) {
        return valueLength > itemSizeMax - keyLength - 48;
    }

    /**
     * flush_all's delay (seconds, exptime rules: up to 30 days relative, above an absolute unix
     * time) as the epoch millisecond to flush at; 0 = now.
     */
    public static long flushDeadline(long delay, long now) {
        return delay == 0 ? 0 : delay > REALTIME_MAXDELTA ? delay * 1000 : now + delay * 1000;
    }

    /**
     * The binary protocol's CAS on a write that has none in the text protocol (append, prepend,
     * delete, incr/decr): true when {@code expectedCas} is set and the key holds another unique.
     */
    public static boolean casMismatch(ShardStore st, Key k, long expectedCas) {
        if (expectedCas == 0) {
            return false;
        }
        byte[] e = st.peek(k, false);
        return e != null && Entry.cas(e) != expectedCas;
    }

    /**
     * A storage command: writes {@code data[off, off+len)} with {@code flags}, {@code exptime} and
     * the new CAS unique {@code newCas}. {@code cas} is the unique a CAS command expects.
     * Append/prepend keep flags and TTL and refuse a result over {@code itemSizeMax}.
     */
    public static WriteStatus store(ShardStore st, Key k, StoreMode mode, byte[] data, int off, int len, int flags,
                                    long exptime, long cas, long newCas, long itemSizeMax) {
        if (mode == StoreMode.APPEND || mode == StoreMode.PREPEND) {
            long n = StringOps.concat(st, k, data, off, len, mode == StoreMode.PREPEND, false, itemSizeMax,
                    CommandError.TOO_BIG_ITEM, newCas);
            return n < 0 ? WriteStatus.NOT_STORED : WriteStatus.STORED;
        }
        return StringOps.set(st, k, data, off, len, setArgs(mode, flags, exptime, cas), newCas);
    }

    /**
     * {@link #store} of a data block read straight into an entry built on the connection's thread
     * ({@code entry}: key, flags, room for the CAS unique, value), so a set allocates that array
     * and nothing else. set/add/replace/cas store the entry itself with {@code newCas} filled in;
     * append/prepend take its value.
     */
    public static WriteStatus storeEntry(ShardStore st, Key k, StoreMode mode, byte[] entry, long exptime, long cas,
                                         long newCas, long itemSizeMax) {
        if (mode == StoreMode.APPEND || mode == StoreMode.PREPEND) {
            int vo = Entry.valueOffset(entry);
            return store(st, k, mode, entry, vo, entry.length - vo, 0, exptime, cas, newCas, itemSizeMax);
        }
        Entry.putCas(entry, newCas);
        return StringOps.setEntry(st, k, entry, setArgs(mode, 0, exptime, cas)); // the entry carries its flags
    }

    /** The {@link SetArgs} of set/add/replace/cas (a plain set shares {@link SetArgs#PLAIN}). */
    private static SetArgs setArgs(StoreMode mode, int flags, long exptime, long cas) {
        SetArgs.Condition cond = switch (mode) {
            case ADD -> SetArgs.Condition.IF_ABSENT;
            case REPLACE -> SetArgs.Condition.IF_PRESENT;
            case CAS -> SetArgs.Condition.IF_CAS;
            default -> SetArgs.Condition.ALWAYS;
        };
        Expiry when = expiry(exptime);
        return cond == SetArgs.Condition.ALWAYS && flags == 0 && when == null ? SetArgs.PLAIN
                : new SetArgs(cond, cas, false, when, flags);
    }

    /** Marks "key not found" for {@link #arith}. */
    public static final Object MISS = WriteStatus.NOT_FOUND;

    /**
     * incr/decr: the value as an unsigned 64-bit decimal (trailing spaces ignored); incr wraps
     * around, decr stops at 0. Returns the new value ({@link Long}, unsigned) or {@link #MISS}.
     * A value that is not a number is refused with {@link CommandError.Kind#NOT_INTEGER}.
     */
    public static Object arith(ShardStore st, Key k, boolean incr, long delta, long newCas) {
        byte[] e = st.peek(k, false);
        if (e == null) {
            return MISS;
        }
        int vo = Entry.valueOffset(e);
        int end = e.length;
        while (end > vo && e[end - 1] == ' ') {
            end--;
        }
        long cur = parseUnsigned(e, vo, end);
        if (cur == -1 && !isMaxUnsigned(e, vo, end)) {
            throw NON_NUMERIC.exception();
        }
        long next = incr ? cur + delta : (Long.compareUnsigned(delta, cur) > 0 ? 0 : cur - delta);
        if (next >= 0) { // below 2^63: the signed decimal writer writes it into the entry
            byte[] n = st.write(k, Entry.flags(e), newCas, Args.decimalLength(next), ShardStore.KEEP_TTL);
            Args.writeDecimal(next, n, n.length); // the value ends the array
            return next;
        }
        byte[] digits = Long.toUnsignedString(next).getBytes(StandardCharsets.US_ASCII);
        st.put(k, Entry.of(k, digits, 0, digits.length, Entry.flags(e), newCas), ShardStore.KEEP_TTL);
        return next;
    }

    public static final CommandError NON_NUMERIC = CommandError.of(CommandError.Kind.NOT_INTEGER,
            "ERR cannot increment or decrement non-numeric value");

    /** Parses an unsigned 64-bit decimal; -1 (all ones) when it is not one (check {@link #isMaxUnsigned}). */
    private static long parseUnsigned(byte[] a, int from, int to) {
        if (to <= from || to - from > 20) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = a[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static boolean isMaxUnsigned(byte[] a, int from, int to) {
        byte[] max = Long.toUnsignedString(-1L).getBytes(StandardCharsets.US_ASCII);
        return java.util.Arrays.equals(a, from, to, max, 0, max.length);
    }

    /**
     * get/gets/gat/gats on one key: the live entry or null. With {@code touch}, the key's expiry
     * becomes {@code exptime} first (an expired one is removed and misses). With {@code withCas}, an
     * entry written through RESP (no unique yet) is given one now.
     */
    public static byte[] retrieve(Shard s, Key k, boolean withCas, boolean touch, long exptime) {
        ShardStore st = s.store;
        byte[] e = st.get(k, true);
        if (e != null && touch) {
            Expiry when = expiry(exptime);
            KeyOps.setExpiry(st, k, when);
            if (when == Expiry.EXPIRED || (when != null && when.deadline(st.now()) <= st.now())) {
                return null;
            }
        }
        if (e != null && withCas && Entry.cas(e) == 0) {
            byte[] with = Entry.withMeta(e, Entry.flags(e), nextCas(s));
            try {
                st.put(k, with, ShardStore.KEEP_TTL);
                e = Entry.share(with); // returned for the reply, as the one get() shared
            } catch (StoreFullException ex) {
                // keep the old entry; its CAS reads as 0, which no cas command matches
            }
        }
        return e;
    }

    /** touch: sets the expiry; false when the key is absent. */
    public static boolean touch(ShardStore st, Key k, long exptime) {
        return KeyOps.setExpiry(st, k, expiry(exptime));
    }

    /** flush_all [delay]: clears this shard now, or at {@code atMillis} (its tick does it). */
    public static void flush(Shard s, long atMillis) {
        if (atMillis == 0 || atMillis <= s.store.now()) {
            s.store.clear();
            s.flushAt(0);
        } else {
            s.flushAt(atMillis);
        }
    }
}
