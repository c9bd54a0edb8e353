package io.dash4j.server.command;

/**
 * How {@link StringOps#set} writes: its condition, the CAS unique it expects ({@link Condition#IF_CAS}),
 * the expiry (null = none) or keeping the current one, and the memcached client flags to store.
 * RESP's SET NX/XX/KEEPTTL/EX.. and memcached's set/add/replace/cas all parse into one of these.
 */
public record SetArgs(Condition condition, long expectedCas, boolean keepTtl, Expiry expiry, int flags) {

    public enum Condition {
        ALWAYS,
        /** NX, memcached add. */
        IF_ABSENT,
        /** XX, memcached replace. */
        IF_PRESENT,
        /** memcached cas: the key exists and its unique is {@code expectedCas}. */
        IF_CAS
    }

    /** A plain {@code SET k v}: always, no TTL, flags 0 (shared, so the common case allocates nothing). */
    public static final SetArgs PLAIN = new SetArgs(Condition.ALWAYS, 0, false, null, 0);

    public static SetArgs of(Condition condition, boolean keepTtl, Expiry expiry) {
        if (condition == Condition.ALWAYS && !keepTtl && expiry == null) {
            return PLAIN;
        }
        return new SetArgs(condition, 0, keepTtl, expiry, 0);
    }
}
