package io.dash4j.server.memcache;

import io.dash4j.server.Info;
import io.dash4j.server.Server;
import io.dash4j.server.ShardSnapshot;
import io.dash4j.server.store.StoreStats;

import java.util.ArrayList;
import java.util.List;

/**
 * memcached's statistics, shared by the text and binary codecs so both count and report the same
 * way: the indices of the counters in {@code Shard.memcachedStats} (per shard, summed by
 * {@code stats}), and the {@code stats} / {@code stats settings} lists as name/value pairs, which
 * each protocol then frames its own way ({@code STAT name value} lines, or one binary packet per
 * stat).
 */
public final class McStats {

    /** The memcached version both protocols report (clients check it). */
    public static final String VERSION = "1.6.21";

    /** One statistic. */
    public record Stat(String name, String value) {
    }

    private McStats() {
    }

    /** {@code stats} without a group: the general statistics, summed over the shards' snapshots. */
    public static List<Stat> general(Server server, ShardSnapshot[] snaps) {
        long[] mc = new long[32];
        for (ShardSnapshot s : snaps) {
            for (int i = 0; i < mc.length; i++) {
                mc[i] += s.memcached()[i];
            }
        }
        long conns = Info.sum(snaps, ShardSnapshot::connections);
        long netIn = Info.sum(snaps, ShardSnapshot::netInput);
        long netOut = Info.sum(snaps, ShardSnapshot::netOutput);
        StoreStats st = Info.total(snaps);
        var cfg = server.config();
        long now = System.currentTimeMillis();
        List<Stat> l = new ArrayList<>(48);
        add(l, "pid", ProcessHandle.current().pid());
        add(l, "uptime", server.uptimeMillis() / 1000);
        add(l, "time", now / 1000);
        add(l, "version", VERSION);
        add(l, "libevent", "java-nio");
        add(l, "pointer_size", 64);
        add(l, "max_connections", cfg.maxclients);
        add(l, "curr_connections", conns);
        add(l, "total_connections", server.totalConnectionsReceived());
        add(l, "rejected_connections", server.rejectedConnectionCount());
        add(l, "connection_structures", conns);
        add(l, "cmd_get", mc[CMD_GET]);
        add(l, "cmd_set", mc[CMD_SET]);
        add(l, "cmd_flush", mc[CMD_FLUSH]);
        add(l, "cmd_touch", mc[CMD_TOUCH]);
        add(l, "get_hits", mc[GET_HITS]);
        add(l, "get_misses", mc[GET_MISSES]);
        add(l, "get_expired", 0);
        add(l, "get_flushed", 0);
        add(l, "delete_misses", mc[DELETE_MISSES]);
        add(l, "delete_hits", mc[DELETE_HITS]);
        add(l, "incr_misses", mc[INCR_MISSES]);
        add(l, "incr_hits", mc[INCR_HITS]);
        add(l, "decr_misses", mc[DECR_MISSES]);
        add(l, "decr_hits", mc[DECR_HITS]);
        add(l, "cas_misses", mc[CAS_MISSES]);
        add(l, "cas_hits", mc[CAS_HITS]);
        add(l, "cas_badval", mc[CAS_BADVAL]);
        add(l, "touch_hits", mc[TOUCH_HITS]);
        add(l, "touch_misses", mc[TOUCH_MISSES]);
        add(l, "bytes_read", netIn);
        add(l, "bytes_written", netOut);
        add(l, "limit_maxbytes", cfg.maxmemory);
        add(l, "threads", server.shardCount());
        add(l, "bytes", st.usedMemory());
        add(l, "curr_items", st.keys());
        add(l, "total_items", mc[TOTAL_ITEMS]);
        add(l, "expired_unfetched", 0);
        add(l, "evictions", st.evictions());
        add(l, "reclaimed", st.expirations());
        add(l, "bump_ups", st.bumps());
        add(l, "segments", st.segments());
        return l;
    }

    /** {@code stats settings}. */
    public static List<Stat> settings(Server server) {
        var cfg = server.config();
        List<Stat> l = new ArrayList<>(8);
        add(l, "maxbytes", cfg.maxmemory);
        add(l, "maxconns", cfg.maxclients);
        add(l, "tcpport", server.memcachedPort());
        add(l, "num_threads", server.shardCount());
        add(l, "item_size_max", cfg.itemSizeMax);
        add(l, "evictions", cfg.cacheMode ? "on" : "off");
        add(l, "idle_timeout", cfg.timeout);
        return l;
    }

    private static void add(List<Stat> l, String name, Object value) {
        l.add(new Stat(name, String.valueOf(value)));
    }

    // ------------------------------------------------------------------ counter indices

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
