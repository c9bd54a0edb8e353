package io.dash4j.server.command;

/**
 * When a key should expire: {@code millis} after the command runs ({@code absolute == false}) or
 * at epoch millisecond {@code millis}. Parsed on the connection's thread with every overflow
 * check done there; turned into a deadline on the owning shard, whose clock the store uses.
 */
public record Expiry(boolean absolute, long millis) {

    /** An expiry that is always in the past: the write deletes the key (SET EXAT 1, memcached exptime -1). */
    public static final Expiry EXPIRED = new Expiry(true, Long.MIN_VALUE);

    /**
     * The longest time to live the store is given: 100 years. The cache keeps expiries in
     * nanoseconds, so a TTL of 2^63 ms (which Redis accepts) would overflow there and silently
     * become "no expiry"; a longer TTL is stored as this one (TTL then reports at most 100 years).
     */
    public static final long MAX_TTL_MILLIS = 100L * 365 * 24 * 3600 * 1000;

    /** {@code ttlMillis} (&gt; 0) bounded by {@link #MAX_TTL_MILLIS}. */
    public static long storableTtl(long ttlMillis) {
        return Math.min(ttlMillis, MAX_TTL_MILLIS);
    }

    /** The deadline in epoch milliseconds at {@code now} (saturating, never overflowing). */
    public long deadline(long now) {
        if (absolute) {
            return millis;
        }
        if (millis > 0 && millis > Long.MAX_VALUE - now) {
            return Long.MAX_VALUE;
        }
        return now + millis; // now >= 0, so a negative millis cannot underflow
    }

    /**
     * SET / GETEX / SETEX's {@code EX|PX|EXAT|PXAT n}: Redis refuses n &lt;= 0, seconds that overflow
     * when turned into milliseconds, and relative times that overflow when added to the clock.
     */
    public static Expiry parse(byte[] unit, byte[] arg, String command) {
        long v = Args.longArg(arg);
        boolean seconds = Args.is(unit, "EX") || Args.is(unit, "EXAT");
        boolean absolute = Args.is(unit, "EXAT") || Args.is(unit, "PXAT");
        return of(v, seconds ? 1000 : 1, absolute, command);
    }

    /** {@link #parse}'s checks for a number already read: {@code v} in units of {@code unitMillis}. */
    public static Expiry of(long v, long unitMillis, boolean absolute, String command) {
        if (v <= 0 || (unitMillis == 1000 && v > Long.MAX_VALUE / 1000)) {
            throw CommandError.invalidExpire(command).exception();
        }
        long ms = v * unitMillis;
        if (!absolute && ms > Long.MAX_VALUE - System.currentTimeMillis()) {
            throw CommandError.invalidExpire(command).exception();
        }
        return new Expiry(absolute, ms);
    }

    /**
     * EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT's time: any value, negative or past ones delete the
     * key; only values whose milliseconds overflow are refused, as Redis does.
     */
    public static Expiry forExpire(long v, long unitMillis, boolean absolute, String command) {
        if (unitMillis == 1000 && (v > Long.MAX_VALUE / 1000 || v < Long.MIN_VALUE / 1000)) {
            throw CommandError.invalidExpire(command).exception();
        }
        long ms = v * unitMillis;
        if (!absolute && ms > 0 && ms > Long.MAX_VALUE - System.currentTimeMillis()) {
            throw CommandError.invalidExpire(command).exception();
        }
        return new Expiry(absolute, ms);
    }

    /** SET's {@code EX|PX|EXAT|PXAT} option word. */
    public static boolean isUnit(byte[] a) {
        return Args.is(a, "EX") || Args.is(a, "PX") || Args.is(a, "EXAT") || Args.is(a, "PXAT");
    }
}
