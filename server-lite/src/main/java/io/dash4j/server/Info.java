package io.dash4j.server;

import io.dash4j.server.store.StoreStats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/** INFO's text, from every shard's snapshot, with Redis's field names plus dash4j's own section. */
public final class Info {

    private Info() {
    }

    public static final List<String> DEFAULT_SECTIONS = List.of("server", "clients", "memory", "persistence", "stats", "dash4j", "keyspace");

    /** Totals over the shards. */
    public static StoreStats total(ShardSnapshot[] snaps) {
        StoreStats t = StoreStats.ZERO;
        for (ShardSnapshot s : snaps) {
            t = t.plus(s.store());
        }
        return t;
    }

    public static long clientMemory(ShardSnapshot[] snaps) {
        return sum(snaps, ShardSnapshot::clientMemory);
    }

    /** One per-shard counter summed over the shards. */
    public static long sum(ShardSnapshot[] snaps, ToLongFunction<ShardSnapshot> counter) {
        long n = 0;
        for (ShardSnapshot s : snaps) {
            n += counter.applyAsLong(s);
        }
        return n;
    }

    /** used_memory: data, tables and client buffers. */
    public static long usedMemory(ShardSnapshot[] snaps) {
        return total(snaps).usedMemory() + clientMemory(snaps);
    }

    public static String render(Server server, ShardSnapshot[] snaps, Set<String> wanted) {
        boolean all = wanted.contains("all") || wanted.contains("everything");
        boolean dflt = wanted.isEmpty() || wanted.contains("default");
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Map<String, Object>> sec : sections(server, snaps).entrySet()) {
            String name = sec.getKey();
            if (!(all || (dflt && DEFAULT_SECTIONS.contains(name)) || wanted.contains(name))) {
                continue;
            }
            if (b.length() > 0) {
                b.append("\r\n");
            }
            b.append("# ").append(Character.toUpperCase(name.charAt(0))).append(name.substring(1)).append("\r\n");
            for (Map.Entry<String, Object> f : sec.getValue().entrySet()) {
                b.append(f.getKey()).append(':').append(f.getValue()).append("\r\n");
            }
        }
        return b.toString();
    }

    private static Map<String, Map<String, Object>> sections(Server server, ShardSnapshot[] snaps) {
        ServerConfig cfg = server.config();
        StoreStats t = total(snaps);
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("redis_version", Server.REDIS_COMPAT_VERSION);
        s.put("dash4j_version", Server.VERSION);
        s.put("redis_mode", "standalone");
        s.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        s.put("arch_bits", 64);
        s.put("multiplexing_api", "java-nio");
        s.put("java_version", System.getProperty("java.version"));
        s.put("process_id", ProcessHandle.current().pid());
        s.put("run_id", server.runId);
        s.put("tcp_port", server.port());
        s.put("memcached_port", server.memcachedPort());
        long up = server.uptimeMillis() / 1000;
        s.put("uptime_in_seconds", up);
        s.put("uptime_in_days", up / 86400);
        s.put("hz", 10);
        s.put("shard_threads", server.shardCount());
        out.put("server", s);

        Map<String, Object> c = new LinkedHashMap<>();
        c.put("connected_clients", server.connectedClients());
        c.put("maxclients", cfg.maxclients);
        c.put("blocked_clients", 0);
        c.put("client_memory", clientMemory(snaps));
        out.put("clients", c);

        Map<String, Object> m = new LinkedHashMap<>();
        long used = t.usedMemory() + clientMemory(snaps);
        m.put("used_memory", used);
        m.put("used_memory_human", human(used));
        m.put("used_memory_dataset", t.entryBytes());
        m.put("used_memory_overhead", t.tableBytes() + clientMemory(snaps));
        m.put("used_memory_tables", t.tableBytes());
        m.put("mem_clients_normal", clientMemory(snaps));
        m.put("maxmemory", cfg.maxmemory);
        m.put("maxmemory_human", human(cfg.maxmemory));
        m.put("maxmemory_policy", cfg.maxmemoryPolicy());
        m.put("cache_mode", cfg.cacheMode ? "cache" : "store");
        m.put("maxmemory_clients", cfg.maxmemoryClients);
        Runtime rt = Runtime.getRuntime();
        m.put("jvm_heap_used", rt.totalMemory() - rt.freeMemory());
        m.put("jvm_heap_max", rt.maxMemory());
        m.put("bytes_per_key", t.keys() == 0 ? "0.00" : String.format(Locale.ROOT, "%.2f", (double) t.usedMemory() / t.keys()));
        out.put("memory", m);
        out.put("persistence", server.persistence().info());

        Map<String, Object> st = new LinkedHashMap<>();
        st.put("total_connections_received", server.totalConnections.get());
        st.put("total_commands_processed", sum(snaps, ShardSnapshot::commands));
        st.put("instantaneous_ops_per_sec", sum(snaps, ShardSnapshot::opsPerSec));
        st.put("total_net_input_bytes", sum(snaps, ShardSnapshot::netInput));
        st.put("total_net_output_bytes", sum(snaps, ShardSnapshot::netOutput));
        st.put("rejected_connections", server.rejectedConnections.get());
        st.put("expired_keys", t.expirations());
        st.put("evicted_keys", t.evictions());
        st.put("keyspace_hits", t.hits());
        st.put("keyspace_misses", t.misses());
        st.put("client_output_buffer_limit_disconnections", sum(snaps, ShardSnapshot::outputLimitDisconnections));
        st.put("client_memory_limit_disconnections", sum(snaps, ShardSnapshot::clientMemoryDisconnections));
        st.put("idle_timeout_disconnections", sum(snaps, ShardSnapshot::idleDisconnections));
        st.put("protocol_errors", sum(snaps, ShardSnapshot::protocolErrors));
        out.put("stats", st);

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("shards", snaps.length);
        d.put("bump_ups", t.bumps());
        long req = t.hits() + t.misses();
        d.put("hit_ratio", String.format(Locale.ROOT, "%.4f", req == 0 ? 0.0 : (double) t.hits() / req));
        d.put("sticky_keys", t.sticky());
        d.put("large_values", t.largeKeys());
        d.put("large_value_bytes", t.largeBytes());
        d.put("segments", t.segments());
        d.put("table_capacity", t.capacity());
        d.put("load_factor", String.format(Locale.ROOT, "%.4f", t.capacity() == 0 ? 0.0 : (double) t.keys() / t.capacity()));
        d.put("shard_hops", sum(snaps, ShardSnapshot::hopsSent));
        d.put("shard_hop_parts", sum(snaps, ShardSnapshot::batchParts));
        d.put("shard_wakeups", sum(snaps, ShardSnapshot::wakeupsSent));
        d.put("shard_owner_replies", sum(snaps, ShardSnapshot::ownerReplies));
        d.put("shard_owner_reply_posts", sum(snaps, ShardSnapshot::ownerReplyPosts));
        for (ShardSnapshot x : snaps) {
            StoreStats ss = x.store();
            d.put("shard_" + x.shard(), "keys=" + ss.keys() + ",expires=" + ss.expires() + ",segments=" + ss.segments()
                    + ",used_memory=" + ss.usedMemory() + ",budget=" + ss.budget() + ",connections=" + x.connections()
                    + ",evicted=" + ss.evictions() + ",bump_ups=" + ss.bumps());
        }
        out.put("dash4j", d);

        Map<String, Object> k = new LinkedHashMap<>();
        if (t.keys() > 0) {
            k.put("db0", "keys=" + t.keys() + ",expires=" + t.expires() + ",avg_ttl=0");
        }
        out.put("keyspace", k);
        return out;
    }

    /** Redis's bytesToHuman: 1.23K, 4.56M, 7.89G. */
    public static String human(long n) {
        if (n < 1024) {
            return n + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, units[u]);
    }
}
