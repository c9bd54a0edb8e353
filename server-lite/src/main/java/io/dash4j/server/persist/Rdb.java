package io.dash4j.server.persist;

/**
 * The constants of Redis's RDB format that dash4j reads and writes (Redis's {@code rdb.h}).
 *
 * <pre>
 *  "REDIS" + 4-digit version
 *  AUX (0xFA) name value        ... redis-ver, redis-bits, ctime, used-mem, aof-base
 *  SELECTDB (0xFE) db
 *  RESIZEDB (0xFB) keys expires
 *  [AUX "dash4j-mc" "flags cas"] [EXPIRETIME_MS (0xFC) 8-byte LE ms] type key value   ... per key
 *  EOF (0xFF) 8-byte LE CRC-64/Jones of everything before it
 * </pre>
 *
 * A length is 1, 2, 5 or 9 bytes (two top bits: 6-bit, 14-bit, then 32/64-bit big-endian); with
 * the top bits {@code 11} the byte announces a special string encoding instead: an 8/16/32-bit
 * little-endian integer, or an LZF block ({@code clen}, {@code len}, data).
 */
public final class Rdb {

    /** What dash4j writes: Redis 7.0's version (Redis 7.2 writes 11, and reads 10). */
    public static final int VERSION = 10;
    /** The newest version dash4j reads (the string encodings are the same up to 11). */
    public static final int MAX_VERSION = 11;

    public static final int OP_FUNCTION2 = 245;
    public static final int OP_FUNCTION = 246;
    public static final int OP_MODULE_AUX = 247;
    public static final int OP_IDLE = 248;
    public static final int OP_FREQ = 249;
    public static final int OP_AUX = 250;
    public static final int OP_RESIZEDB = 251;
    public static final int OP_EXPIRETIME_MS = 252;
    public static final int OP_EXPIRETIME = 253;
    public static final int OP_SELECTDB = 254;
    public static final int OP_EOF = 255;

    public static final int TYPE_STRING = 0;

    /**
     * dash4j's AUX field carrying the memcached client flags and CAS unique of the key record
     * that follows it ({@code "<flags> <cas>"}, unsigned decimal); written only for keys that have
     * them. Redis ignores AUX fields it does not know, so such a dump still loads there.
     */
    public static final String AUX_MEMCACHED = "dash4j-mc";

    static final int LEN_6BIT = 0;
    static final int LEN_14BIT = 1;
    static final int LEN_32BIT = 0x80;
    static final int LEN_64BIT = 0x81;
    static final int ENC_VALUE = 3;
    static final int ENC_INT8 = 0;
    static final int ENC_INT16 = 1;
    static final int ENC_INT32 = 2;
    static final int ENC_LZF = 3;

    private static final String[] TYPE_NAMES = {
        "string", "list", "set", "zset", "hash", "zset (zset2)", "module", "module (module2)", "type 8",
        "hash (zipmap)", "list (ziplist)", "set (intset)", "zset (ziplist)", "hash (ziplist)",
        "list (quicklist)", "stream", "hash (listpack)", "zset (listpack)", "list (quicklist2)",
        "stream (listpacks2)", "set (listpack)", "stream (listpacks3)"};

    private Rdb() {
    }

    /** A value type's name for messages ("hash (listpack)"), or "unknown type N". */
    public static String typeName(int type) {
        return type >= 0 && type < TYPE_NAMES.length ? TYPE_NAMES[type] : "unknown type " + type;
    }
}
