package io.dash4j.server;

import io.dash4j.server.store.StoreStats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
        long n = 0;
        for (ShardSnapshot s : snaps) {
            n += s.clientMemory();
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
        long commands = 0;
        long ops = 0;
        long netIn = 0;
        long netOut = 0;
        long protoErr = 0;
        long outDisc = 0;
        long memDisc = 0;
        long idleDisc = 0;
        for (ShardSnapshot x : snaps) {
            commands += x.commands();
            ops += x.opsPerSec();
            netIn += x.netInput();
            netOut += x.netOutput();
            protoErr += x.protocolErrors();
            outDisc += x.outputLimitDisconnections();
            memDisc += x.clientMemoryDisconnections();
            idleDisc += x.idleDisconnections();
        }
        st.put("total_connections_received", server.totalConnections.get());
        st.put("total_commands_processed", commands);
        st.put("instantaneous_ops_per_sec", ops);
        st.put("total_net_input_bytes", netIn);
        st.put("total_net_output_bytes", netOut);
        st.put("rejected_connections", server.rejectedConnections.get());
        st.put("expired_keys", t.expirations());
        st.put("evicted_keys", t.evictions());
        st.put("keyspace_hits", t.hits());
        st.put("keyspace_misses", t.misses());
        st.put("client_output_buffer_limit_disconnections", outDisc);
        st.put("client_memory_limit_disconnections", memDisc);
        st.put("idle_timeout_disconnections", idleDisc);
        st.put("protocol_errors", protoErr);
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
        long hops = 0;
        long parts = 0;
        long wakeups = 0;
        long ownerReplies = 0;
        long ownerReplyPosts = 0;
        for (ShardSnapshot x : snaps) {
            ownerReplies += x.ownerReplies();
            ownerReplyPosts += x.ownerReplyPosts();
            hops += x.hopsSent();
            parts += x.batchParts();
            wakeups += x.wakeupsSent();
        }
        d.put("shard_hops", hops);
        d.put("shard_hop_parts", parts);
        d.put("shard_wakeups", wakeups);
        d.put("shard_owner_replies", ownerReplies);
        d.put("shard_owner_reply_posts", ownerReplyPosts);
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
