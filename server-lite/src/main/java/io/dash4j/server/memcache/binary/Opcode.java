package io.dash4j.server.memcache.binary;

/**
 * The opcodes of the memcached binary protocol this server answers, each tied to the command
 * ({@link Kind}) it runs and to how it answers.
 *
 * <p>A <em>quiet</em> opcode is its loud twin with fewer replies: a quiet get answers only hits,
 * every other quiet opcode answers only errors. {@code ...K} gets echo the key in their response.
 * Opcodes absent here (VERBOSITY, the SASL family, the range and vbucket commands) are answered
 * {@link Status#UNKNOWN_COMMAND}, as a memcached 1.6 without SASL answers them.
 */
public enum Opcode {
    GET(0x00, Kind.GET, false, false),
    SET(0x01, Kind.SET, false, false),
    ADD(0x02, Kind.ADD, false, false),
    REPLACE(0x03, Kind.REPLACE, false, false),
    DELETE(0x04, Kind.DELETE, false, false),
    INCREMENT(0x05, Kind.INCREMENT, false, false),
    DECREMENT(0x06, Kind.DECREMENT, false, false),
    QUIT(0x07, Kind.QUIT, false, false),
    FLUSH(0x08, Kind.FLUSH, false, false),
    GETQ(0x09, Kind.GET, true, false),
    NOOP(0x0a, Kind.NOOP, false, false),
    VERSION(0x0b, Kind.VERSION, false, false),
    GETK(0x0c, Kind.GET, false, true),
    GETKQ(0x0d, Kind.GET, true, true),
    APPEND(0x0e, Kind.APPEND, false, false),
    PREPEND(0x0f, Kind.PREPEND, false, false),
    STAT(0x10, Kind.STAT, false, false),
    SETQ(0x11, Kind.SET, true, false),
    ADDQ(0x12, Kind.ADD, true, false),
    REPLACEQ(0x13, Kind.REPLACE, true, false),
    DELETEQ(0x14, Kind.DELETE, true, false),
    INCREMENTQ(0x15, Kind.INCREMENT, true, false),
    DECREMENTQ(0x16, Kind.DECREMENT, true, false),
    QUITQ(0x17, Kind.QUIT, true, false),
    FLUSHQ(0x18, Kind.FLUSH, true, false),
    APPENDQ(0x19, Kind.APPEND, true, false),
    PREPENDQ(0x1a, Kind.PREPEND, true, false),
    TOUCH(0x1c, Kind.TOUCH, false, false),
    GAT(0x1d, Kind.GAT, false, false),
    GATQ(0x1e, Kind.GAT, true, false),
    GATK(0x23, Kind.GAT, false, true),
    GATKQ(0x24, Kind.GAT, true, true);

    /**
     * What a request does, and the shape (extras, key and body lengths) its header must have.
     * The shapes are memcached's, except that every kind without a value must also carry no
     * value bytes: a surplus could not be framed otherwise.
     */
    public enum Kind {
        GET(0, true), GAT(4, true), TOUCH(4, true),
        SET(8, true), ADD(8, true), REPLACE(8, true), APPEND(0, true), PREPEND(0, true),
        DELETE(0, true), INCREMENT(20, true), DECREMENT(20, true),
        QUIT(0, false), FLUSH(-1, false), NOOP(0, false), VERSION(0, false), STAT(0, false);

        /** Required extras length; -1 for FLUSH, which takes 0 or 4. */
        private final int extras;
        /** True when a key is required; otherwise a key is refused (STAT: optional). */
        private final boolean keyed;

        Kind(int extras, boolean keyed) {
            this.extras = extras;
            this.keyed = keyed;
        }

        /** True for the kinds whose body carries a value after extras and key. */
        public boolean hasValue() {
            return this == SET || this == ADD || this == REPLACE || this == APPEND || this == PREPEND;
        }

        /** The extras length this kind carries (FLUSH: 0 or 4, pass what the request has). */
        public boolean acceptsExtras(int extrasLength) {
            return extras < 0 ? extrasLength == 0 || extrasLength == 4 : extrasLength == extras;
        }

        /**
         * True when a header with these lengths is well formed for this kind. {@code bodyLength}
         * is at least {@code extrasLength + keyLength} (checked before).
         */
        public boolean accepts(int extrasLength, int keyLength, long bodyLength) {
            if (!acceptsExtras(extrasLength)) {
                return false;
            }
            if (this == STAT) {
                // the key names a stats group; optional
            } else if (keyed != (keyLength > 0)) {
                return false;
            }
            return hasValue() || bodyLength == extrasLength + keyLength;
        }
    }

    public final int code;
    public final Kind kind;
    /** Quiet: a get answers only hits, anything else answers only errors. */
    public final boolean quiet;
    /** The response carries the key (GETK, GETKQ, GATK, GATKQ). */
    public final boolean returnsKey;
    /** The opcode's name in lower case (CLIENT LIST's {@code cmd=}), made once. */
    public final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    private static final Opcode[] BY_CODE = new Opcode[256];

    static {
        for (Opcode o : values()) {
            BY_CODE[o.code] = o;
        }
    }

    Opcode(int code, Kind kind, boolean quiet, boolean returnsKey) {
        this.code = code;
        this.kind = kind;
        this.quiet = quiet;
        this.returnsKey = returnsKey;
    }

    /** The opcode with this code (0-255), or null when this server does not serve it. */
    public static Opcode of(int code) {
        return BY_CODE[code & 0xFF];
    }
}
