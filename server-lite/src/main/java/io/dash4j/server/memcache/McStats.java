package io.dash4j.server.memcache;

/**
 * Indices of the memcached counters in {@code Shard.memcachedStats} (per shard, summed by
 * {@code stats}); shared by the text and binary codecs so both count the same way.
 */
public final class McStats {

    private McStats() {
    }

    public static final int CMD_GET = 0;
    public static final int CMD_SET = 1;
    public static final int GET_HITS = 2;
    public static final int GET_MISSES = 3;
    public static final int CMD_TOUCH = 4;
    public static final int TOUCH_HITS = 5;
    public static final int TOUCH_MISSES = 6;
    public static final int DELETE_HITS = 7;
    public static final int DELETE_MISSES = 8;
    public static final int INCR_HITS = 9;
    public static final int INCR_MISSES = 10;
    public static final int DECR_HITS = 11;
    public static final int DECR_MISSES = 12;
    public static final int CAS_HITS = 13;
    public static final int CAS_MISSES = 14;
    public static final int CAS_BADVAL = 15;
    public static final int CMD_FLUSH = 16;
    public static final int TOTAL_ITEMS = 17;
}
