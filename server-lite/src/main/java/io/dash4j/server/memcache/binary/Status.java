package io.dash4j.server.memcache.binary;

/**
 * The response statuses of the memcached binary protocol (the 16-bit field at bytes 6-7 of a
 * response header), and the text memcached puts in the body of an error response.
 *
 * <p>Which status a failure gets follows memcached 1.6's {@code proto_bin.c}: an ADD that finds
 * the key answers {@link #KEY_EXISTS}, a REPLACE that misses answers {@link #KEY_NOT_FOUND}, an
 * APPEND/PREPEND that misses answers {@link #NOT_STORED}, a CAS mismatch answers
 * {@link #KEY_EXISTS}.
 */
public final class Status {

    public static final int OK = 0x0000;
    public static final int KEY_NOT_FOUND = 0x0001;
    public static final int KEY_EXISTS = 0x0002;
    public static final int VALUE_TOO_LARGE = 0x0003;
    public static final int INVALID_ARGUMENTS = 0x0004;
    public static final int NOT_STORED = 0x0005;
    public static final int NON_NUMERIC = 0x0006;
    public static final int UNKNOWN_COMMAND = 0x0081;
    public static final int OUT_OF_MEMORY = 0x0082;
    public static final int INTERNAL_ERROR = 0x0084;

    private Status() {
    }

    /** The body memcached sends with an error status (empty for OK). */
    public static String message(int status) {
        return switch (status) {
            case OK -> "";
            case KEY_NOT_FOUND -> "Not found";
            case KEY_EXISTS -> "Data exists for key.";
            case VALUE_TOO_LARGE -> "Too large.";
            case INVALID_ARGUMENTS -> "Invalid arguments";
            case NOT_STORED -> "Not stored.";
            case NON_NUMERIC -> "Non-numeric server-side value for incr or decr";
            case UNKNOWN_COMMAND -> "Unknown command";
            case OUT_OF_MEMORY -> "Out of memory";
            case INTERNAL_ERROR -> "Internal error";
            default -> throw new IllegalArgumentException("no such status: 0x" + Integer.toHexString(status));
        };
    }
}
