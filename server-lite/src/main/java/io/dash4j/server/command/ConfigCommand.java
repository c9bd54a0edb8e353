package io.dash4j.server.command;

import io.dash4j.server.Call;
import io.dash4j.server.Glob;
import io.dash4j.server.Server;
import io.dash4j.server.ServerConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CONFIG GET / SET / RESETSTAT / REWRITE / HELP. {@link #parameters} is the one list of every
 * parameter CONFIG GET reports (dash4j's options under their command-line names, the Redis names
 * clients ask for, and fixed answers for Redis features we do not have); GET matches any number of
 * glob patterns (Redis 7), each parameter answered once, as a map in RESP3.
 */
final class ConfigCommand {

    private ConfigCommand() {
    }

    /** Every parameter and its current value, in a stable order. */
    static Map<String, String> parameters(ServerConfig cfg, Server server) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("maxmemory", String.valueOf(cfg.maxmemory));
        m.put("cache_mode", cfg.cacheMode ? "true" : "false");
        m.put("maxmemory-policy", cfg.maxmemoryPolicy());
        m.put("slot-policy", cfg.slotPolicy);
        m.put("maxclients", String.valueOf(cfg.maxclients));
        m.put("timeout", String.valueOf(cfg.timeout));
        m.put("proto-max-bulk-len", String.valueOf(cfg.protoMaxBulkLen));
        m.put("client-output-buffer-limit", "normal " + cfg.clientOutputBufferLimit + " 0 0");
        m.put("maxmemory-clients", String.valueOf(cfg.maxmemoryClients));
        m.put("item-size-max", String.valueOf(cfg.itemSizeMax));
        m.put("max-inline-len", String.valueOf(cfg.maxInlineLen));
        m.put("max-multibulk-len", String.valueOf(cfg.maxMultibulkLen));
        m.put("max-inflight", String.valueOf(cfg.maxInflight));
        m.put("port", String.valueOf(server.port()));
        m.put("memcached_port", String.valueOf(server.memcachedPort()));
        m.put("bind", cfg.bind);
        m.put("threads", String.valueOf(server.shardCount()));
        m.put("io-threads", String.valueOf(server.shardCount()));
        m.put("databases", "1");
        m.put("save", cfg.saveRules().toString());
        m.put("dir", cfg.dir == null ? "" : java.nio.file.Path.of(cfg.dir).toAbsolutePath().normalize().toString());
        m.put("dbfilename", cfg.dbfilename);
        m.put("rdbcompression", cfg.rdbcompression ? "yes" : "no");
        m.put("appendonly", "no");
        m.put("cluster-enabled", "no");
        m.put("notify-keyspace-events", "");
        m.put("requirepass", "");
        m.put("protected-mode", "no");
        m.put("verbose", cfg.verbose ? "yes" : "no");
        m.put("owner-replies", cfg.ownerReplies ? "yes" : "no");
        return m;
    }

    static void run(Call c) {
        byte[] sub = c.argv[1];
        ServerConfig cfg = c.client.config();
        Server server = c.client.server();
        if (Args.is(sub, "GET")) {
            if (c.argv.length < 3) {
                throw CommandError.wrongArity("config|get").exception();
            }
            c.finish(get(parameters(cfg, server), c.argv));
        } else if (Args.is(sub, "SET")) {
            set(c, cfg, server);
        } else if (Args.is(sub, "RESETSTAT") && c.argv.length == 2) {
            c.onAllShards((s, call, p) -> {
                s.resetStats();
                return Replies.OK;
            }, call -> Replies.OK);
        } else if (Args.is(sub, "REWRITE")) {
            throw CommandError.err("ERR The server is running without a config file").exception();
        } else if (Args.is(sub, "HELP")) {
            c.finish(new Object[] {"CONFIG <subcommand> [<arg> ...]. Subcommands are:", "GET <pattern> [<pattern> ...]",
                    "SET <directive> <value> [<directive> <value> ...]", "RESETSTAT", "HELP"});
        } else {
            throw Dispatcher.unknownSubcommand(sub, "CONFIG").exception();
        }
    }

    /** The parameters matching any of argv[2..] (globs, case-insensitive), each once, in table order. */
    static Replies.MapReply get(Map<String, String> values, byte[][] argv) {
        Set<String> matched = new LinkedHashSet<>();
        for (int i = 2; i < argv.length; i++) {
            byte[] pattern = Args.str(argv[i]).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            for (String name : values.keySet()) {
                if (Glob.match(pattern, name.getBytes(StandardCharsets.UTF_8))) {
                    matched.add(name);
                }
            }
        }
        List<Object> out = new ArrayList<>();
        for (String name : matched) {
            out.add(name);
            out.add(values.get(name));
        }
        return Replies.MapReply.of(out);
    }

    private static void set(Call c, ServerConfig cfg, Server server) {
        if (c.argv.length < 4 || c.argv.length % 2 != 0) {
            throw CommandError.wrongArity("config|set").exception();
        }
        boolean storeChange = false;
        for (int i = 2; i < c.argv.length; i += 2) {
            String name = Args.str(c.argv[i]).toLowerCase(Locale.ROOT).replace('_', '-');
            String v = Args.str(c.argv[i + 1]);
            switch (name) {
                case "maxmemory", "cache-mode", "maxclients", "timeout", "proto-max-bulk-len", "maxmemory-clients",
                        "item-size-max", "maxmemory-policy", "slot-policy" -> {
                    boolean policy = name.endsWith("-policy");
                    try {
                        cfg.set(name, v);
                    } catch (IllegalArgumentException e) {
                        throw CommandError.err("ERR CONFIG SET failed (possibly related to argument '"
                                + Args.str(c.argv[i]) + "') - "
                                + (policy ? e.getMessage() : "argument couldn't be parsed into an integer")).exception();
                    }
                    storeChange |= policy || name.equals("maxmemory") || name.equals("cache-mode");
                }
                case "save", "dir", "dbfilename", "rdbcompression", "owner-replies" -> {
                    if (name.equals("dir") && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(v))) {
                        throw CommandError.err("ERR CONFIG SET failed (possibly related to argument 'dir') - "
                                + "No such file or directory").exception();
                    }
                    try {
                        cfg.set(name, v);
                    } catch (IllegalArgumentException e) {
                        throw CommandError.err("ERR CONFIG SET failed (possibly related to argument '"
                                + Args.str(c.argv[i]) + "') - " + e.getMessage()).exception();
                    }
                }
                case "client-output-buffer-limit" -> {
                    String[] parts = v.trim().split("\\s+");
                    try {
                        cfg.set(name, parts.length >= 2 ? parts[1] : parts[0]);
                    } catch (IllegalArgumentException e) {
                        throw CommandError.err("ERR CONFIG SET failed (possibly related to argument "
                                + "'client-output-buffer-limit') - Wrong format").exception();
                    }
                }
                default -> throw CommandError.err("ERR Unknown option or number of arguments for CONFIG SET - '"
                        + Args.str(c.argv[i]) + "'").exception();
            }
        }
        if (!storeChange) {
            c.finish(Replies.OK);
            return;
        }
        long perShard = cfg.maxmemory / server.shardCount();
        boolean cache = cfg.cacheMode;
        io.dash4j.eviction.SlotPolicy policy = cfg.slotPolicy();
        c.onAllShards((s, call, p) -> {
            s.store.configure(perShard, cache, policy);
            return Replies.OK;
        }, call -> Replies.OK);
    }
}
