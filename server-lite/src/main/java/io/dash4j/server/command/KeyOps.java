package io.dash4j.server.command;

import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import io.dash4j.server.store.ShardStore;

/**
 * The keyspace family's operations, protocol-free, each a function of (the owning shard's store,
 * parsed arguments): existence, deletion, expiry with Redis's NX/XX/GT/LT conditions, TTL reads,
 * and the two halves of a move (RENAME, COPY) whose keys may live on different shards.
 */
public final class KeyOps {

    private KeyOps() {
    }

    public static boolean delete(ShardStore st, Key k) {
        return st.remove(k) != null;
    }

    /** EXISTS and TOUCH (a lookup also refreshes the entry's place in the eviction order). */
    public static boolean exists(ShardStore st, Key k) {
        return st.peek(k, false) != null;
    }

    /** EXPIRE's conditions. */
    public enum ExpireCondition { ALWAYS, NX, XX, GT, LT }

    /**
     * Sets the key's deadline ({@link Expiry#deadline} at the store's clock) under {@code cond}, as
     * Redis's expireGenericCommand: the condition is judged first (no TTL counts as an infinite
     * one), then a deadline not in the future deletes the key. True when applied.
     */
    public static boolean expire(ShardStore st, Key k, Expiry when, ExpireCondition cond) {
        long cur = st.ttl(k);
        if (cur == -2) {
            return false;
        }
        long now = st.now();
        long at = when.deadline(now);
        long curAt = cur < 0 ? Long.MAX_VALUE : now + cur;
        boolean refused = switch (cond) {
            case NX -> cur >= 0;
            case XX -> cur < 0;
            case GT -> cur < 0 || at <= curAt;
            case LT -> cur >= 0 && at >= curAt;
            case ALWAYS -> false;
        };
        if (refused) {
            return false;
        }
        if (at <= now) {
            st.remove(k);
            return true;
        }
        st.expire(k, Expiry.storableTtl(at - now)); // at > now >= 0: no overflow
        return true;
    }

    /** Sets a TTL of {@code when} (null = none) without conditions; false when the key is absent. */
    public static boolean setExpiry(ShardStore st, Key k, Expiry when) {
        if (when == null) {
            return st.expire(k, -1);
        }
        long now = st.now();
        long at = when.deadline(now);
        return st.expire(k, at <= now ? 0 : Expiry.storableTtl(at - now));
    }

    /**
     * TTL / PTTL / EXPIRETIME / PEXPIRETIME: -2 absent, -1 no expiry, else the time left (seconds
     * rounded as Redis rounds) or the deadline.
     */
    public static long ttl(ShardStore st, Key k, boolean millis, boolean absolute) {
        long t = st.ttl(k);
        if (t < 0) {
            return t;
        }
        if (absolute) {
            long at = st.now() + t;
            return millis ? at : at / 1000;
        }
        return millis ? t : (t + 500) / 1000;
    }

    /** PERSIST: true when a TTL was removed. */
    public static boolean persist(ShardStore st, Key k) {
        return st.ttl(k) >= 0 && st.expire(k, -1);
    }

    /** TYPE: every value is a string. */
    public static Replies.Status type(ShardStore st, Key k) {
        return st.peek(k, false) == null ? NONE : STRING;
    }

    private static final Replies.Status NONE = new Replies.Status("none");
    private static final Replies.Status STRING = new Replies.Status("string");

    // ------------------------------------------------------------------ RENAME, COPY

    /** A key's value and remaining TTL, read on its owner to be placed on another key's owner. */
    public record Snapshot(byte[] entry, long ttlMillis) {
    }

    /** The source half of a move: the live entry and its TTL (0 = none), or null when absent. */
    public static Snapshot read(ShardStore st, Key k) {
        byte[] e = st.get(k, false); // shared: it travels to another shard, and removeIfSame compares identity
        if (e == null) {
            return null;
        }
        long ttl = st.ttl(k);
        return new Snapshot(e, ttl > 0 ? ttl : 0);
    }

    /**
     * The destination half: writes {@code s}'s value (and flags, TTL) under {@code dst}. With
     * {@code replace} false an existing destination is left alone and false returned.
     */
    public static boolean place(ShardStore st, Key dst, Snapshot s, boolean replace) {
        if (!replace && st.peek(dst, false) != null) {
            return false;
        }
        byte[] e = s.entry();
        int vo = Entry.valueOffset(e);
        st.put(dst, Entry.of(dst, e, vo, e.length - vo, Entry.flags(e), 0), s.ttlMillis());
        return true;
    }

    /**
     * The last step of a cross-shard RENAME: removes {@code k} only if it still holds the very
     * entry that was moved (entries are immutable, so identity means "not written since").
     */
    public static boolean removeIfSame(ShardStore st, Key k, byte[] entry) {
        if (st.peek(k, false) != entry) { // entry was shared by read: it cannot have changed in place
            return false;
        }
        st.remove(k);
        return true;
    }

    /**
     * OBJECT ENCODING: Redis's names for what Redis would use for this value ({@code int} for a
     * decimal long, {@code embstr} up to 44 bytes, else {@code raw}), so clients that branch on it
     * behave; dash4j stores every value in the key's single entry array regardless.
     */
    public static String encoding(byte[] entry) {
        int vo = Entry.valueOffset(entry);
        int len = entry.length - vo;
        if (len <= 20 && Args.isLong(entry, vo, len)) {
            return "int";
        }
        return len <= 44 ? "embstr" : "raw";
    }
}
