package io.dash4j.server.command;

/**
 * A typed error: what went wrong ({@link Kind}), Redis's text for it (code word first, e.g.
 * {@code ERR value is not an integer or out of range}) and, for out-of-memory and size errors, the
 * limit that refused. Operations and handlers produce these; each codec renders them its own way
 * (RESP: {@code -<text>}, memcached: {@code CLIENT_ERROR ...} / {@code SERVER_ERROR ...}).
 */
public final class CommandError {

    /** The classes of error a protocol may render differently. */
    public enum Kind {
        SYNTAX, NOT_INTEGER, NOT_FLOAT, OVERFLOW, OUT_OF_RANGE, INVALID_EXPIRE,
        /** A value would exceed a size limit ({@link #limit()} names it). */
        TOO_BIG,
        /** A write refused for memory ({@link #limit()} names which budget). */
        OOM,
        NO_SUCH_KEY, WRONG_ARITY, UNKNOWN_COMMAND, NOT_SUPPORTED, INTERNAL,
        /** Any other error, rendered as its Redis text. */
        OTHER
    }

    private final Kind kind;
    private final String text;
    private final String limit;

    private CommandError(Kind kind, String text, String limit) {
        this.kind = kind;
        this.text = text;
        this.limit = limit;
    }

    public static CommandError of(Kind kind, String redisText) {
        return new CommandError(kind, redisText, null);
    }

    /** An error that needs no special rendering: {@code text} starts with its code (ERR, NOPROTO, ...). */
    public static CommandError err(String redisText) {
        return new CommandError(Kind.OTHER, redisText, null);
    }

    public static CommandError tooBig(String limit, String redisText) {
        return new CommandError(Kind.TOO_BIG, redisText, limit);
    }

    public static CommandError oom(String limit, String redisText) {
        return new CommandError(Kind.OOM, redisText, limit);
    }

    public Kind kind() {
        return kind;
    }

    /** Redis's error line without the leading '-' (code word first). */
    public String text() {
        return text;
    }

    /** The limit that refused (TOO_BIG, OOM), e.g. {@code proto-max-bulk-len}, or null. */
    public String limit() {
        return limit;
    }

    /** The text after the code word ("value is not ..." for "ERR value is not ..."). */
    public String message() {
        int sp = text.indexOf(' ');
        return sp < 0 ? text : text.substring(sp + 1);
    }

    public CommandException exception() {
        return new CommandException(this);
    }

    @Override
    public String toString() {
        return text;
    }

    // ------------------------------------------------------------------ the common ones

    public static final CommandError SYNTAX = of(Kind.SYNTAX, "ERR syntax error");
    public static final CommandError NOT_INTEGER = of(Kind.NOT_INTEGER, "ERR value is not an integer or out of range");
    public static final CommandError NOT_FLOAT = of(Kind.NOT_FLOAT, "ERR value is not a valid float");
    public static final CommandError OVERFLOW = of(Kind.OVERFLOW, "ERR increment or decrement would overflow");
    public static final CommandError DECREMENT_OVERFLOW = of(Kind.OVERFLOW, "ERR decrement would overflow");
    public static final CommandError NAN_OR_INFINITY = of(Kind.OVERFLOW, "ERR increment would produce NaN or Infinity");
    public static final CommandError OFFSET_OUT_OF_RANGE = of(Kind.OUT_OF_RANGE, "ERR offset is out of range");
    public static final CommandError NO_SUCH_KEY = of(Kind.NO_SUCH_KEY, "ERR no such key");
    public static final CommandError TOO_BIG_BULK = tooBig("proto-max-bulk-len",
            "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    public static final CommandError TOO_BIG_ITEM = tooBig("item-size-max",
            "ERR value exceeds item-size-max");
    public static final CommandError OOM = oom("maxmemory", "OOM command not allowed when used memory > 'maxmemory'.");
    /** The {@link #limit()} of a cache-mode refusal of one value larger than the cache can hold. */
    public static final String VALUE_LARGER_THAN_CACHE = "cache-capacity";

    public static CommandError invalidExpire(String command) {
        return of(Kind.INVALID_EXPIRE, "ERR invalid expire time in '" + command + "' command");
    }

    public static CommandError wrongArity(String command) {
        return of(Kind.WRONG_ARITY, "ERR wrong number of arguments for '" + command + "' command");
    }

    /** The error a failure inside a command becomes (store refusals are OOM, anything else internal). */
    public static CommandError fromThrowable(Throwable t) {
        if (t instanceof CommandException ce) {
            return ce.error();
        }
        if (t instanceof io.dash4j.server.store.StoreFullException full) {
            return oom(full.limit() == io.dash4j.server.store.StoreFullException.Limit.MAXMEMORY ? "maxmemory"
                    : full.limit() == io.dash4j.server.store.StoreFullException.Limit.VALUE_LARGER_THAN_CACHE
                    ? VALUE_LARGER_THAN_CACHE : "pinned", full.getMessage());
        }
        if (t instanceof OutOfMemoryError) {
            return OOM;
        }
        return of(Kind.INTERNAL, "ERR internal error: " + String.valueOf(t).replace('\r', ' ').replace('\n', ' '));
    }
}
