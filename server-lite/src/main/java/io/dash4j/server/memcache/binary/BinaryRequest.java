package io.dash4j.server.memcache.binary;

/**
 * One framed binary request: the header fields a command needs, its extras decoded by opcode, its
 * key and its value.
 *
 * <p>The wire layout (all integers big-endian):
 * <pre>
 *  0 magic 0x80 | 1 opcode | 2-3 key length | 4 extras length | 5 data type | 6-7 vbucket
 *  8-11 total body length | 12-15 opaque | 16-23 CAS
 *  body: extras | key | value        (value length = body - extras - key)
 * </pre>
 * Extras by kind: SET/ADD/REPLACE carry flags (4) and expiration (4); TOUCH and the GATs an
 * expiration (4); FLUSH an optional expiration (4); INCREMENT/DECREMENT a delta (8), an initial
 * value (8) and an expiration (4). The fields a kind does not carry are 0.
 *
 * <p>{@link #opaque} is echoed in the response so a client can match answers to requests;
 * {@link #cas}, when not 0, makes a write conditional on the item's CAS unique.
 */
public final class BinaryRequest {

    /** The expiration of INCREMENT/DECREMENT that means "do not create a missing key". */
    public static final int NO_CREATE = 0xFFFFFFFF;

    public final Opcode opcode;
    public final int opaque;
    public final long cas;
    /** The key, or an empty array (VERSION, NOOP, STAT without a group...). */
    public final byte[] key;
    /** The value (storage commands), or an empty array. */
    public final byte[] value;
    /** Item flags (SET/ADD/REPLACE). */
    public final int flags;
    /** Expiration in memcached's exptime units, as the unsigned 32 bits the client sent. */
    public final int expiration;
    /** INCREMENT/DECREMENT amount, unsigned 64 bits. */
    public final long delta;
    /** INCREMENT/DECREMENT value stored when the key is missing, unsigned 64 bits. */
    public final long initial;
    /**
     * The CAS unique a successful write gave its item: set by the owner shard while it runs the
     * request, read on the connection's thread when the answer is encoded (the hand-off back
     * orders the two), so the result needs no boxed {@code Long}.
     */
    public long storedCas;

    public BinaryRequest(Opcode opcode, int opaque, long cas, byte[] key, byte[] value, int flags, int expiration,
                         long delta, long initial) {
        this.opcode = opcode;
        this.opaque = opaque;
        this.cas = cas;
        this.key = key;
        this.value = value;
        this.flags = flags;
        this.expiration = expiration;
        this.delta = delta;
        this.initial = initial;
    }

    /** Expiration as memcached's signed exptime (0 = never, up to 30 days relative, above absolute). */
    public long exptime() {
        return expiration & 0xFFFFFFFFL;
    }

    @Override
    public String toString() {
        return opcode + " opaque=" + opaque + " cas=" + cas + " key=" + key.length + "B value=" + value.length
                + "B flags=" + flags + " exp=" + Integer.toUnsignedString(expiration) + " delta="
                + Long.toUnsignedString(delta) + " initial=" + Long.toUnsignedString(initial);
    }
}
