package io.dash4j.server.resp;

import io.dash4j.server.Call;
import io.dash4j.server.Glob;
import io.dash4j.server.Info;
import io.dash4j.server.Reply;
import io.dash4j.server.Server;
import io.dash4j.server.ServerConfig;
import io.dash4j.server.Shard;
import io.dash4j.server.ShardFn;
import io.dash4j.server.ShardSnapshot;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import io.dash4j.server.store.ShardStore;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.dash4j.server.resp.Resp.NOT_INTEGER;
import static io.dash4j.server.resp.Resp.OK;
import static io.dash4j.server.resp.Resp.RESULT;
import static io.dash4j.server.resp.Resp.SYNTAX;
import static io.dash4j.server.resp.Resp.err;
import static io.dash4j.server.resp.Resp.is;
import static io.dash4j.server.resp.Resp.value;

/**
 * The RESP command table. Each command checks its arguments on the connection's thread (errors
 * are answered there, without touching a shard), then runs its store work on the shard that owns
 * each key: single-key commands on one owner, multi-key commands (MGET, MSET, DEL, EXISTS, ...)
 * fanned out per owner and gathered, keyspace-wide ones (DBSIZE, KEYS, INFO, ...) on every shard.
 */
public final class RespCommands {

    private RespCommands() {
    }

    /** Thrown by argument checks: the call is answered with {@link #error}. */
    static final class Fail extends RuntimeException {
        final Resp.Err error;

        Fail(Resp.Err error) {
            super(error.text(), null, false, false);
            this.error = error;
        }
    }

    interface Handler {
        void start(RespConnection conn, Call c);
    }

    /** A command: Redis arity (negative = at least), COMMAND flags and key positions. */
    record Cmd(String name, int arity, List<String> flags, int firstKey, int lastKey, int step, Handler handler) {
    }

    static final Map<String, Cmd> TABLE = new TreeMap<>();

    private static void reg(String name, int arity, String flags, int first, int last, int step, Handler h) {
        TABLE.put(name, new Cmd(name, arity, flags.isEmpty() ? List.of() : List.of(flags.split(" ")), first, last, step, h));
    }

    /** Entry point from the parser: one complete command. */
    static void execute(RespConnection conn, byte[][] argv) {
        String name = new String(argv[0], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        Cmd cmd = TABLE.get(name);
        if (cmd == null) {
            conn.replyNow(unknownCommand(argv), RESULT);
            return;
        }
        conn.setLastCommand(name);
        if ((cmd.arity > 0 && argv.length != cmd.arity) || argv.length < -cmd.arity) {
            conn.replyNow(wrongArity(name), RESULT);
            return;
        }
        Call c = new Call(conn, argv);
        conn.dispatch(c, () -> {
            try {
                cmd.handler.start(conn, c);
            } catch (Fail f) {
                c.finish(f.error, RESULT);
            }
        });
    }

    static Resp.Err wrongArity(String name) {
        return err("ERR wrong number of arguments for '" + name + "' command");
    }

    static Resp.Err unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            String a = Resp.str(argv[i]);
            int room = 128 - args.length();
            args.append('\'').append(a.length() > room ? a.substring(0, room) : a).append("' ");
        }
        String name = Resp.str(argv[0]);
        if (name.length() > 128) {
            name = name.substring(0, 128);
        }
        return err("ERR unknown command '" + name + "', with args beginning with: " + args);
    }

    static Resp.Err unknownSubcommand(byte[] sub, String cmd) {
        return err("ERR unknown subcommand '" + Resp.str(sub) + "'. Try " + cmd + " HELP.");
    }

    // ------------------------------------------------------------------ argument helpers

    static long longArg(byte[] a) {
        Long v = Resp.toLong(a);
        if (v == null) {
            throw new Fail(NOT_INTEGER);
        }
        return v;
    }

    static void fail(Resp.Err e) {
        throw new Fail(e);
    }

    private static Key key(Call c, int i) {
        return new Key(c.argv[i]);
    }

    /** Runs {@code fn} on the owner of argv[1]. */
    private static void onKey(Call c, ShardFn fn) {
        c.keys = new Key[] {key(c, 1)};
        c.onKey(c.keys[0], fn, RESULT);
    }

    private static Key k0(Call c) {
        return c.keys[0];
    }

    private static ShardStore store(Shard s) {
        return s.store;
    }

    /** Keys at argv[first], argv[first+step], ... */
    private static Key[] keysFrom(Call c, int first, int step) {
        int n = (c.argv.length - first + step - 1) / step;
        Key[] keys = new Key[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key(c, first + i * step);
        }
        return keys;
    }

    // ------------------------------------------------------------------ expiry arguments

    /** A relative (ms) or absolute (epoch ms) expiry parsed from EX/PX/EXAT/PXAT. */
    record Expiry(boolean absolute, long millis) {
        /** Milliseconds left at {@code now}; &lt;= 0 means already expired. */
        long ttlAt(long now) {
            if (!absolute) {
                return millis;
            }
            return millis - now;
        }
    }

    /** Parses the number after EX/PX/EXAT/PXAT with Redis's checks. */
    static Expiry expiry(byte[] unit, byte[] arg, String cmd) {
        long v = longArg(arg);
        boolean seconds = is(unit, "EX") || is(unit, "EXAT");
        boolean absolute = is(unit, "EXAT") || is(unit, "PXAT");
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) {
            fail(Resp.invalidExpire(cmd));
        }
        long ms = seconds ? v * 1000 : v;
        if (!absolute && ms > Long.MAX_VALUE - System.currentTimeMillis()) {
            fail(Resp.invalidExpire(cmd));
        }
        return new Expiry(absolute, ms);
    }

    static boolean isExpiryUnit(byte[] a) {
        return is(a, "EX") || is(a, "PX") || is(a, "EXAT") || is(a, "PXAT");
    }

    // ------------------------------------------------------------------ the table

    static {
        // connection
        reg("ping", -1, "fast", 0, 0, 0, (conn, c) -> {
            if (c.argv.length > 2) {
                fail(wrongArity("ping"));
            }
            c.finish(c.argv.length == 1 ? Resp.PONG : c.argv[1], RESULT);
        });
        reg("echo", 2, "fast", 0, 0, 0, (conn, c) -> c.finish(c.argv[1], RESULT));
        reg("quit", -1, "fast", 0, 0, 0, (conn, c) -> {
            conn.stopReading();
            c.finish(OK, RESULT);
        });
        reg("hello", -1, "fast", 0, 0, 0, RespCommands::hello);
        reg("auth", -2, "fast", 0, 0, 0, (conn, c) -> c.finish(err("ERR AUTH <password> called without any password "
                + "configured for the default user. Are you sure your configuration is correct?"), RESULT));
        reg("select", 2, "fast", 0, 0, 0, (conn, c) -> {
            long db = longArg(c.argv[1]);
            c.finish(db == 0 ? OK : err("ERR DB index is out of range"), RESULT);
        });
        reg("client", -2, "", 0, 0, 0, RespCommands::client);
        reg("command", -1, "", 0, 0, 0, RespCommands::command);
        reg("time", 1, "fast", 0, 0, 0, (conn, c) -> {
            long us = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
            c.finish(new Object[] {String.valueOf(us / 1_000_000), String.valueOf(us % 1_000_000)}, RESULT);
        });
        reg("shutdown", -1, "admin", 0, 0, 0, RespCommands::shutdown);
        reg("config", -2, "admin", 0, 0, 0, RespCommands::config);
        reg("info", -1, "", 0, 0, 0, RespCommands::info);
        reg("memory", -2, "", 0, 0, 0, RespCommands::memory);

        // keyspace
        reg("dbsize", 1, "readonly fast", 0, 0, 0, (conn, c) -> c.onAllShards((s, call, p) -> store(s).size(),
                (call, out) -> Resp.write(out, call.sum())));
        reg("flushdb", -1, "write", 0, 0, 0, RespCommands::flush);
        reg("flushall", -1, "write", 0, 0, 0, RespCommands::flush);
        reg("keys", 2, "readonly", 0, 0, 0, RespCommands::keys);
        reg("scan", -2, "readonly", 0, 0, 0, RespCommands::scan);
        reg("randomkey", 1, "readonly", 0, 0, 0, RespCommands::randomkey);
        reg("del", -2, "write", 1, -1, 1, (conn, c) -> countKeys(c, (st, k) -> st.remove(k) != null));
        reg("unlink", -2, "write fast", 1, -1, 1, (conn, c) -> countKeys(c, (st, k) -> st.remove(k) != null));
        reg("exists", -2, "readonly fast", 1, -1, 1, (conn, c) -> countKeys(c, (st, k) -> st.get(k, false) != null));
        reg("touch", -2, "readonly fast", 1, -1, 1, (conn, c) -> countKeys(c, (st, k) -> st.get(k, false) != null));
        reg("stick", -2, "write", 1, -1, 1, (conn, c) -> countKeys(c, ShardStore::stick));
        reg("type", 2, "readonly fast", 1, 1, 1, (conn, c) -> onKey(c,
                (s, call, p) -> new Resp.Simple(store(s).get(k0(call), false) == null ? "none" : "string")));

        // expiry
        reg("expire", -3, "write fast", 1, 1, 1, (conn, c) -> expire(c, "expire", 1000, false));
        reg("pexpire", -3, "write fast", 1, 1, 1, (conn, c) -> expire(c, "pexpire", 1, false));
        reg("expireat", -3, "write fast", 1, 1, 1, (conn, c) -> expire(c, "expireat", 1000, true));
        reg("pexpireat", -3, "write fast", 1, 1, 1, (conn, c) -> expire(c, "pexpireat", 1, true));
        reg("ttl", 2, "readonly fast", 1, 1, 1, (conn, c) -> ttl(c, false, false));
        reg("pttl", 2, "readonly fast", 1, 1, 1, (conn, c) -> ttl(c, true, false));
        reg("expiretime", 2, "readonly fast", 1, 1, 1, (conn, c) -> ttl(c, false, true));
        reg("pexpiretime", 2, "readonly fast", 1, 1, 1, (conn, c) -> ttl(c, true, true));
        reg("persist", 2, "write fast", 1, 1, 1, (conn, c) -> onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            return st.ttl(k0(call)) >= 0 && st.expire(k0(call), -1) ? 1L : 0L;
        }));

        // strings
        reg("get", 2, "readonly fast", 1, 1, 1, (conn, c) -> onKey(c, (s, call, p) -> {
            byte[] e = store(s).get(k0(call), true);
            return e == null ? null : value(e);
        }));
        reg("set", -3, "write denyoom", 1, 1, 1, RespCommands::set);
        reg("setnx", 3, "write denyoom fast", 1, 1, 1, (conn, c) -> onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            if (st.get(k0(call), false) != null) {
                return 0L;
            }
            st.put(k0(call), Entry.of(call.argv[1], call.argv[2]), 0);
            return 1L;
        }));
        reg("setex", 4, "write denyoom", 1, 1, 1, (conn, c) -> setex(c, "setex", 1000));
        reg("psetex", 4, "write denyoom", 1, 1, 1, (conn, c) -> setex(c, "psetex", 1));
        reg("getset", 3, "write denyoom fast", 1, 1, 1, (conn, c) -> onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            byte[] old = st.get(k0(call), false);
            st.put(k0(call), Entry.of(call.argv[1], call.argv[2]), 0);
            return old == null ? null : value(old);
        }));
        reg("getdel", 2, "write fast", 1, 1, 1, (conn, c) -> onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            byte[] e = st.get(k0(call), true);
            if (e != null) {
                st.remove(k0(call));
            }
            return e == null ? null : value(e);
        }));
        reg("getex", -2, "write fast", 1, 1, 1, RespCommands::getex);
        reg("mget", -2, "readonly fast", 1, -1, 1, RespCommands::mget);
        reg("mset", -3, "write denyoom", 1, -1, 2, (conn, c) -> mset(c, false));
        reg("msetnx", -3, "write denyoom", 1, -1, 2, (conn, c) -> mset(c, true));
        reg("incr", 2, "write denyoom fast", 1, 1, 1, (conn, c) -> incr(c, 1));
        reg("decr", 2, "write denyoom fast", 1, 1, 1, (conn, c) -> incr(c, -1));
        reg("incrby", 3, "write denyoom fast", 1, 1, 1, (conn, c) -> incr(c, longArg(c.argv[2])));
        reg("decrby", 3, "write denyoom fast", 1, 1, 1, (conn, c) -> {
            long d = longArg(c.argv[2]);
            if (d == Long.MIN_VALUE) {
                fail(err("ERR decrement would overflow"));
            }
            incr(c, -d);
        });
        reg("incrbyfloat", 3, "write denyoom fast", 1, 1, 1, RespCommands::incrbyfloat);
        reg("append", 3, "write denyoom fast", 1, 1, 1, RespCommands::append);
        reg("strlen", 2, "readonly fast", 1, 1, 1, (conn, c) -> onKey(c, (s, call, p) -> {
            byte[] e = store(s).get(k0(call), true);
            return e == null ? 0L : (long) Entry.valueLength(e);
        }));
        reg("getrange", 4, "readonly", 1, 1, 1, RespCommands::getrange);
        reg("substr", 4, "readonly", 1, 1, 1, RespCommands::getrange);
        reg("setrange", 4, "write denyoom", 1, 1, 1, RespCommands::setrange);
    }

    // ------------------------------------------------------------------ connection commands

    private static void hello(RespConnection conn, Call c) {
        byte[][] a = c.argv;
        int i = 1;
        if (a.length > 1) {
            Long ver = Resp.toLong(a[1]);
            if (ver == null) {
                fail(err("ERR Protocol version is not an integer or out of range"));
            }
            if (ver != 2) {
                fail(err("NOPROTO unsupported protocol version"));
            }
            i = 2;
        }
        String setName = null;
        for (; i < a.length; i++) {
            if (is(a[i], "AUTH") && i + 2 < a.length) {
                i += 2;
            } else if (is(a[i], "SETNAME") && i + 1 < a.length) {
                setName = Resp.str(a[++i]);
                if (!validName(setName)) {
                    fail(err("ERR Client names cannot contain spaces, newlines or special characters."));
                }
            } else {
                fail(err("ERR Syntax error in HELLO option '" + Resp.str(a[i]) + "'"));
            }
        }
        if (setName != null) {
            conn.name = setName.isEmpty() ? null : setName;
        }
        c.finish(new Object[] {"server", "redis", "version", Server.REDIS_COMPAT_VERSION, "proto", 2L, "id", conn.id,
                "mode", "standalone", "role", "master", "modules", new Object[0]}, RESULT);
    }

    private static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    private static void client(RespConnection conn, Call c) {
        byte[] sub = c.argv[1];
        int argc = c.argv.length;
        if (is(sub, "ID") && argc == 2) {
            c.finish(conn.id, RESULT);
        } else if (is(sub, "SETNAME") && argc == 3) {
            String name = Resp.str(c.argv[2]);
            if (!validName(name)) {
                fail(err("ERR Client names cannot contain spaces, newlines or special characters."));
            }
            conn.name = name.isEmpty() ? null : name;
            c.finish(OK, RESULT);
        } else if (is(sub, "GETNAME") && argc == 2) {
            c.finish(conn.name, RESULT);
        } else if (is(sub, "SETINFO") && argc == 4) {
            if (is(c.argv[2], "LIB-NAME")) {
                conn.libName = Resp.str(c.argv[3]);
            } else if (is(c.argv[2], "LIB-VER")) {
                conn.libVer = Resp.str(c.argv[3]);
            } else {
                fail(err("ERR Unrecognized option '" + Resp.str(c.argv[2]) + "'"));
            }
            c.finish(OK, RESULT);
        } else if (is(sub, "INFO") && argc == 2) {
            c.finish(conn.describe(System.currentTimeMillis()) + "\n", RESULT);
        } else if (is(sub, "LIST") && argc == 2) {
            c.onAllShards((s, call, p) -> s.describeClients(), (call, out) -> {
                StringBuilder b = new StringBuilder();
                for (Object r : call.results) {
                    if (r instanceof List<?> lines) {
                        for (Object line : lines) {
                            b.append(line).append('\n');
                        }
                    }
                }
                Resp.write(out, b.toString());
            });
        } else if (is(sub, "NO-EVICT") || is(sub, "NO-TOUCH") || is(sub, "REPLY") && argc == 3 && is(c.argv[2], "ON")) {
            c.finish(OK, RESULT);
        } else if (is(sub, "HELP")) {
            c.finish(new Object[] {"CLIENT <subcommand> [<arg> ...]. Subcommands are:", "ID", "GETNAME", "SETNAME <name>",
                    "SETINFO <LIB-NAME|LIB-VER> <value>", "INFO", "LIST", "HELP"}, RESULT);
        } else if (is(sub, "ID") || is(sub, "SETNAME") || is(sub, "GETNAME") || is(sub, "LIST") || is(sub, "INFO")
                || is(sub, "SETINFO")) {
            fail(wrongArity("client|" + Resp.str(sub).toLowerCase(Locale.ROOT)));
        } else {
            fail(unknownSubcommand(sub, "CLIENT"));
        }
    }

    private static Object commandInfo(Cmd cmd) {
        return new Object[] {cmd.name, (long) cmd.arity, cmd.flags.stream().map(Resp.Simple::new).toArray(),
                (long) cmd.firstKey, (long) cmd.lastKey, (long) cmd.step, new Object[0], new Object[0], new Object[0],
                new Object[0]};
    }

    private static void command(RespConnection conn, Call c) {
        if (c.argv.length == 1) {
            c.finish(TABLE.values().stream().map(RespCommands::commandInfo).toArray(), RESULT);
            return;
        }
        byte[] sub = c.argv[1];
        if (is(sub, "COUNT")) {
            c.finish((long) TABLE.size(), RESULT);
        } else if (is(sub, "DOCS")) {
            List<Object> docs = new ArrayList<>();
            for (int i = 2; i < c.argv.length; i++) {
                Cmd cmd = TABLE.get(Resp.str(c.argv[i]).toLowerCase(Locale.ROOT));
                if (cmd != null) {
                    docs.add(cmd.name);
                    docs.add(new Object[] {"summary", cmd.name + " (dash4j)", "since", "1.0.0", "group", "generic"});
                }
            }
            c.finish(docs, RESULT);
        } else if (is(sub, "INFO")) {
            List<Object> infos = new ArrayList<>();
            for (int i = 2; i < c.argv.length; i++) {
                Cmd cmd = TABLE.get(Resp.str(c.argv[i]).toLowerCase(Locale.ROOT));
                infos.add(cmd == null ? null : commandInfo(cmd));
            }
            c.finish(infos, RESULT);
        } else if (is(sub, "LIST")) {
            c.finish(new ArrayList<>(TABLE.keySet()), RESULT);
        } else if (is(sub, "HELP")) {
            c.finish(new Object[] {"COMMAND [<subcommand> [<arg> ...]]. Subcommands are:", "(no subcommand)", "COUNT",
                    "DOCS [<command-name> ...]", "INFO [<command-name> ...]", "LIST", "HELP"}, RESULT);
        } else {
            fail(unknownSubcommand(sub, "COMMAND"));
        }
    }

    private static void shutdown(RespConnection conn, Call c) {
        for (int i = 1; i < c.argv.length; i++) {
            byte[] a = c.argv[i];
            if (is(a, "ABORT")) {
                fail(err("ERR No shutdown in progress."));
            }
            if (!(is(a, "NOSAVE") || is(a, "SAVE") || is(a, "NOW") || is(a, "FORCE"))) {
                fail(SYNTAX);
            }
        }
        Server server = conn.server();
        c.finish(null, null); // Redis answers nothing: the connection just closes
        conn.stopReading();
        new Thread(server::shutdownAsync, "dash4j-shutdown").start();
    }

    // ------------------------------------------------------------------ CONFIG

    /** Names CONFIG GET knows, mapped to their current values. */
    private static Map<String, String> configValues(ServerConfig cfg, Server server) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("maxmemory", String.valueOf(cfg.maxmemory));
        m.put("cache_mode", cfg.cacheMode ? "true" : "false");
        m.put("maxmemory-policy", cfg.maxmemoryPolicy());
        m.put("maxclients", String.valueOf(cfg.maxclients));
        m.put("timeout", String.valueOf(cfg.timeout));
        m.put("proto-max-bulk-len", String.valueOf(cfg.protoMaxBulkLen));
        m.put("client-output-buffer-limit", "normal " + cfg.clientOutputBufferLimit + " 0 0");
        m.put("maxmemory-clients", String.valueOf(cfg.maxmemoryClients));
        m.put("item-size-max", String.valueOf(cfg.itemSizeMax));
        m.put("port", String.valueOf(server.port()));
        m.put("memcached_port", String.valueOf(server.memcachedPort()));
        m.put("bind", cfg.bind);
        m.put("threads", String.valueOf(server.shardCount()));
        m.put("databases", "1");
        m.put("save", "");
        m.put("appendonly", "no");
        return m;
    }

    private static void config(RespConnection conn, Call c) {
        byte[] sub = c.argv[1];
        ServerConfig cfg = conn.config();
        Server server = conn.server();
        if (is(sub, "GET")) {
            if (c.argv.length < 3) {
                fail(wrongArity("config|get"));
            }
            Map<String, String> values = configValues(cfg, server);
            List<Object> out = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 2; i < c.argv.length; i++) {
                byte[] pattern = Resp.str(c.argv[i]).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
                for (Map.Entry<String, String> e : values.entrySet()) {
                    if (Glob.match(pattern, e.getKey().getBytes(StandardCharsets.UTF_8)) && seen.add(e.getKey())) {
                        out.add(e.getKey());
                        out.add(e.getValue());
                    }
                }
            }
            c.finish(out, RESULT);
        } else if (is(sub, "SET")) {
            if (c.argv.length < 4 || c.argv.length % 2 != 0) {
                fail(wrongArity("config|set"));
            }
            boolean storeChange = false;
            for (int i = 2; i < c.argv.length; i += 2) {
                String name = Resp.str(c.argv[i]).toLowerCase(Locale.ROOT).replace('_', '-');
                String v = Resp.str(c.argv[i + 1]);
                switch (name) {
                    case "maxmemory", "cache-mode", "maxclients", "timeout", "proto-max-bulk-len", "maxmemory-clients",
                            "item-size-max", "maxmemory-policy", "slot-policy" -> {
                        try {
                            cfg.set(name, v);
                        } catch (IllegalArgumentException e) {
                            boolean policy = name.endsWith("policy");
                            fail(err("ERR CONFIG SET failed (possibly related to argument '" + Resp.str(c.argv[i])
                                    + "') - " + (policy ? e.getMessage() : "argument couldn't be parsed into an integer")));
                        }
                        storeChange |= name.equals("maxmemory") || name.equals("cache-mode") || name.endsWith("policy");
                    }
                    case "client-output-buffer-limit" -> {
                        String[] parts = v.trim().split("\\s+");
                        try {
                            cfg.set(name, parts.length >= 2 ? parts[1] : parts[0]);
                        } catch (IllegalArgumentException e) {
                            fail(err("ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit')"
                                    + " - Wrong format"));
                        }
                    }
                    default -> fail(err("ERR Unknown option or number of arguments for CONFIG SET - '"
                            + Resp.str(c.argv[i]) + "'"));
                }
            }
            if (!storeChange) {
                c.finish(OK, RESULT);
                return;
            }
            long perShard = cfg.maxmemory / server.shardCount();
            boolean cache = cfg.cacheMode;
            io.dash4j.eviction.SlotPolicy policy = cfg.slotPolicy();
            c.onAllShards((s, call, p) -> {
                store(s).configure(perShard, cache, policy);
                return OK;
            }, (call, out) -> Resp.write(out, OK));
        } else if (is(sub, "RESETSTAT") && c.argv.length == 2) {
            c.onAllShards((s, call, p) -> {
                s.resetStats();
                return OK;
            }, (call, out) -> Resp.write(out, OK));
        } else if (is(sub, "REWRITE")) {
            fail(err("ERR The server is running without a config file"));
        } else if (is(sub, "HELP")) {
            c.finish(new Object[] {"CONFIG <subcommand> [<arg> ...]. Subcommands are:", "GET <pattern>",
                    "SET <directive> <value>", "RESETSTAT", "HELP"}, RESULT);
        } else {
            fail(unknownSubcommand(sub, "CONFIG"));
        }
    }

    // ------------------------------------------------------------------ INFO, MEMORY

    private static void info(RespConnection conn, Call c) {
        Set<String> wanted = new HashSet<>();
        for (int i = 1; i < c.argv.length; i++) {
            wanted.add(Resp.str(c.argv[i]).toLowerCase(Locale.ROOT));
        }
        Server server = conn.server();
        c.onAllShards((s, call, p) -> s.snapshot(), (call, out) -> {
            ShardSnapshot[] snaps = Arrays.stream(call.results).map(ShardSnapshot.class::cast).toArray(ShardSnapshot[]::new);
            Resp.write(out, Info.render(server, snaps, wanted));
        });
    }

    private static void memory(RespConnection conn, Call c) {
        byte[] sub = c.argv[1];
        if (is(sub, "USAGE")) {
            if (c.argv.length != 3 && !(c.argv.length == 5 && is(c.argv[3], "SAMPLES"))) {
                fail(c.argv.length < 3 ? wrongArity("memory|usage") : SYNTAX);
            }
            if (c.argv.length == 5) {
                longArg(c.argv[4]);
            }
            c.keys = new Key[] {key(c, 2)};
            c.onKey(c.keys[0], (s, call, p) -> {
                byte[] e = store(s).get(k0(call), false);
                return e == null ? null : (Object) store(s).memoryOf(e);
            }, RESULT);
        } else if (is(sub, "STATS")) {
            Server server = conn.server();
            c.onAllShards((s, call, p) -> s.snapshot(), (call, out) -> {
                ShardSnapshot[] snaps = Arrays.stream(call.results).map(ShardSnapshot.class::cast).toArray(ShardSnapshot[]::new);
                var t = Info.total(snaps);
                Resp.write(out, new Object[] {"peak.allocated", Info.usedMemory(snaps), "total.allocated",
                        Info.usedMemory(snaps), "clients.normal", Info.clientMemory(snaps), "keys.count", t.keys(),
                        "keys.bytes-per-key", t.keys() == 0 ? 0L : t.usedMemory() / t.keys(), "dataset.bytes",
                        t.entryBytes(), "tables.bytes", t.tableBytes(), "segments", t.segments()});
            });
        } else if (is(sub, "DOCTOR")) {
            c.finish("dash4j: memory looks fine. used_memory is an estimate of entries, tables and client buffers.", RESULT);
        } else if (is(sub, "HELP")) {
            c.finish(new Object[] {"MEMORY <subcommand> [<arg> ...]. Subcommands are:", "USAGE <key> [SAMPLES <count>]",
                    "STATS", "DOCTOR", "HELP"}, RESULT);
        } else {
            fail(unknownSubcommand(sub, "MEMORY"));
        }
    }

    // ------------------------------------------------------------------ keyspace commands

    private static void flush(RespConnection conn, Call c) {
        if (c.argv.length > 2 || (c.argv.length == 2 && !is(c.argv[1], "ASYNC") && !is(c.argv[1], "SYNC"))) {
            fail(SYNTAX);
        }
        c.onAllShards((s, call, p) -> {
            store(s).clear();
            return OK;
        }, (call, out) -> Resp.write(out, OK));
    }

    private static void keys(RespConnection conn, Call c) {
        byte[] pattern = c.argv[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        c.onAllShards((s, call, p) -> {
            List<byte[]> found = new ArrayList<>();
            ShardStore st = store(s);
            long cursor = 0;
            do {
                cursor = st.scan(cursor, 1024, e -> {
                    int off = Entry.keyOffset(e);
                    int len = Entry.keyLength(e);
                    if (all || Glob.match(pattern, e, off, len, false)) {
                        found.add(Entry.key(e));
                    }
                });
            } while (cursor != 0);
            return found;
        }, (call, out) -> {
            int n = 0;
            for (Object r : call.results) {
                n += ((List<?>) r).size();
            }
            Resp.arrayHeader(out, n);
            for (Object r : call.results) {
                for (Object k : (List<?>) r) {
                    Resp.write(out, k);
                }
            }
        });
    }

    /** SCAN cursors: the shard in the bits above the store's own 43-bit cursor. */
    static final int SHARD_SHIFT = 43;

    private static void scan(RespConnection conn, Call c) {
        byte[] cur = c.argv[1];
        long cursor;
        try {
            cursor = Long.parseUnsignedLong(Resp.str(cur));
        } catch (NumberFormatException e) {
            throw new Fail(err("ERR invalid cursor"));
        }
        byte[] pattern = null;
        long count = 10;
        boolean typeOk = true;
        for (int i = 2; i < c.argv.length; i++) {
            byte[] a = c.argv[i];
            if (i + 1 >= c.argv.length) {
                fail(SYNTAX);
            }
            if (is(a, "MATCH")) {
                pattern = c.argv[++i];
            } else if (is(a, "COUNT")) {
                count = longArg(c.argv[++i]);
                if (count < 1) {
                    fail(SYNTAX);
                }
            } else if (is(a, "TYPE")) {
                typeOk = is(c.argv[++i], "string");
            } else {
                fail(SYNTAX);
            }
        }
        int shards = conn.server().shardCount();
        int shard = (int) (cursor >>> SHARD_SHIFT);
        if (shard >= shards || cursor < 0) {
            c.finish(new Object[] {"0", new Object[0]}, RESULT);
            return;
        }
        long storeCursor = cursor & ((1L << SHARD_SHIFT) - 1);
        byte[] match = pattern != null && !(pattern.length == 1 && pattern[0] == '*') ? pattern : null;
        boolean wantType = typeOk;
        int want = (int) Math.min(count, 1 << 20);
        c.onShard(shard, (s, call, p) -> {
            List<byte[]> found = new ArrayList<>();
            long next = store(s).scan(storeCursor, want, e -> {
                if (wantType && (match == null || Glob.match(match, e, Entry.keyOffset(e), Entry.keyLength(e), false))) {
                    found.add(Entry.key(e));
                }
            });
            long reply;
            if (next != 0) {
                reply = (long) shard << SHARD_SHIFT | next;
            } else {
                reply = shard + 1 < shards ? (long) (shard + 1) << SHARD_SHIFT : 0;
            }
            return new Object[] {Long.toUnsignedString(reply), found};
        }, RESULT);
    }

    private static void randomkey(RespConnection conn, Call c) {
        c.onAllShards((s, call, p) -> {
            byte[] e = store(s).random(s.random());
            return new Object[] {store(s).size(), e == null ? null : Entry.key(e)};
        }, (call, out) -> {
            long total = 0;
            for (Object r : call.results) {
                Object[] x = (Object[]) r;
                if (x[1] != null) {
                    total += (Long) x[0];
                }
            }
            if (total == 0) {
                Resp.write(out, null);
                return;
            }
            long pick = conn.shard.random().nextLong(total);
            for (Object r : call.results) {
                Object[] x = (Object[]) r;
                if (x[1] == null) {
                    continue;
                }
                if (pick < (Long) x[0]) {
                    Resp.write(out, x[1]);
                    return;
                }
                pick -= (Long) x[0];
            }
            Resp.write(out, null);
        });
    }

    interface KeyPredicate {
        boolean test(ShardStore store, Key key);
    }

    /** DEL, UNLINK, EXISTS, TOUCH, STICK: the number of keys for which {@code p} holds. */
    private static void countKeys(Call c, KeyPredicate pred) {
        c.keys = keysFrom(c, 1, 1);
        c.onKeys((s, call, part) -> {
            long n = 0;
            ShardStore st = store(s);
            for (int i : call.groups[part]) {
                if (pred.test(st, call.keys[i])) {
                    n++;
                }
            }
            return n;
        }, (call, out) -> Resp.write(out, call.sum()));
    }

    // ------------------------------------------------------------------ expiry commands

    /** EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT with NX, XX, GT, LT. */
    private static void expire(Call c, String name, long unit, boolean absolute) {
        long v = longArg(c.argv[2]);
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < c.argv.length; i++) {
            byte[] a = c.argv[i];
            if (is(a, "NX")) {
                nx = true;
            } else if (is(a, "XX")) {
                xx = true;
            } else if (is(a, "GT")) {
                gt = true;
            } else if (is(a, "LT")) {
                lt = true;
            } else {
                fail(err("ERR Unsupported option " + Resp.str(a)));
            }
        }
        if (nx && (xx || gt || lt)) {
            fail(err("ERR NX and XX, GT or LT options at the same time are not compatible"));
        }
        if (gt && lt) {
            fail(err("ERR GT and LT options at the same time are not compatible"));
        }
        if (unit == 1000 && (v > Long.MAX_VALUE / 1000 || v < Long.MIN_VALUE / 1000)) {
            fail(Resp.invalidExpire(name));
        }
        long ms = v * unit;
        if (!absolute && ms > 0 && ms > Long.MAX_VALUE - System.currentTimeMillis()) {
            fail(Resp.invalidExpire(name));
        }
        boolean fnx = nx;
        boolean fxx = xx;
        boolean fgt = gt;
        boolean flt = lt;
        onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            Key k = k0(call);
            long now = st.now();
            long cur = st.ttl(k);
            if (cur == -2) {
                return 0L;
            }
            long ttl = absolute ? ms - now : ms;
            long when = absolute ? ms : now + ms;
            long curWhen = cur < 0 ? Long.MAX_VALUE : now + cur;
            if ((fnx && cur >= 0) || (fxx && cur < 0) || (fgt && (cur < 0 || when <= curWhen))
                    || (flt && cur >= 0 && when >= curWhen)) {
                return 0L;
            }
            st.expire(k, ttl <= 0 ? 0 : ttl);
            return 1L;
        });
    }

    private static void ttl(Call c, boolean millis, boolean absolute) {
        onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            long t = st.ttl(k0(call));
            if (t < 0) {
                return t;
            }
            if (absolute) {
                long at = st.now() + t;
                return millis ? at : at / 1000;
            }
            return millis ? t : (t + 500) / 1000;
        });
    }

    // ------------------------------------------------------------------ string commands

    /** SET options. */
    record SetOpts(boolean nx, boolean xx, boolean get, boolean keepTtl, Expiry expiry) {
    }

    private static void set(RespConnection conn, Call c) {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        boolean keep = false;
        Expiry exp = null;
        byte[][] a = c.argv;
        for (int i = 3; i < a.length; i++) {
            byte[] o = a[i];
            if (is(o, "NX") && !xx) {
                nx = true;
            } else if (is(o, "XX") && !nx) {
                xx = true;
            } else if (is(o, "GET")) {
                get = true;
            } else if (is(o, "KEEPTTL") && exp == null) {
                keep = true;
            } else if (isExpiryUnit(o) && exp == null && !keep && i + 1 < a.length) {
                exp = expiry(o, a[++i], "set");
            } else {
                fail(SYNTAX);
            }
        }
        SetOpts opts = new SetOpts(nx, xx, get, keep, exp);
        onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            Key k = k0(call);
            byte[] old = opts.nx || opts.xx || opts.get ? st.get(k, false) : null;
            Object prev = old == null ? null : value(old);
            if ((opts.nx && old != null) || (opts.xx && old == null)) {
                return opts.get ? prev : null;
            }
            long ttl = 0;
            if (opts.expiry != null) {
                ttl = opts.expiry.ttlAt(st.now());
                if (ttl <= 0) {
                    st.remove(k); // already expired: the key is gone, as in Redis
                    return opts.get ? prev : OK;
                }
            } else if (opts.keepTtl) {
                ttl = ShardStore.KEEP_TTL;
            }
            st.put(k, Entry.of(k.bytes, call.argv[2]), ttl);
            return opts.get ? prev : OK;
        });
    }

    private static void setex(Call c, String name, long unit) {
        long v = longArg(c.argv[2]);
        if (v <= 0 || (unit == 1000 && v > Long.MAX_VALUE / 1000)) {
            fail(Resp.invalidExpire(name));
        }
        long ms = v * unit;
        onKey(c, (s, call, p) -> {
            store(s).put(k0(call), Entry.of(call.argv[1], call.argv[3]), ms);
            return OK;
        });
    }

    private static void getex(RespConnection conn, Call c) {
        Expiry exp = null;
        boolean persist = false;
        byte[][] a = c.argv;
        for (int i = 2; i < a.length; i++) {
            byte[] o = a[i];
            if (isExpiryUnit(o) && exp == null && !persist && i + 1 < a.length) {
                exp = expiry(o, a[++i], "getex");
            } else if (is(o, "PERSIST") && exp == null && !persist) {
                persist = true;
            } else {
                fail(SYNTAX);
            }
        }
        Expiry fexp = exp;
        boolean fpersist = persist;
        onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            Key k = k0(call);
            byte[] e = st.get(k, true);
            if (e == null) {
                return null;
            }
            if (fexp != null) {
                long ttl = fexp.ttlAt(st.now());
                st.expire(k, ttl <= 0 ? 0 : ttl);
            } else if (fpersist) {
                st.expire(k, -1);
            }
            return value(e);
        });
    }

    private static void mget(RespConnection conn, Call c) {
        c.keys = keysFrom(c, 1, 1);
        c.onKeys((s, call, part) -> {
            ShardStore st = store(s);
            for (int i : call.groups[part]) {
                byte[] e = st.get(call.keys[i], true);
                call.slots[i] = e == null ? null : value(e);
            }
            return null;
        }, (call, out) -> Resp.write(out, call.slots));
    }

    private static void mset(Call c, boolean nx) {
        if (c.argv.length % 2 != 1) {
            fail(wrongArity(nx ? "msetnx" : "mset"));
        }
        c.keys = keysFrom(c, 1, 2);
        ShardFn write = (s, call, part) -> {
            ShardStore st = store(s);
            try {
                for (int i : call.groups[part]) {
                    Key k = call.keys[i];
                    st.put(k, Entry.of(k.bytes, call.argv[2 + 2 * i]), 0);
                }
            } catch (io.dash4j.server.store.StoreFullException e) {
                return Resp.err(e.getMessage());
            }
            return OK;
        };
        Reply done = (call, out) -> {
            Object e = call.firstOf(Resp.Err.class);
            Resp.write(out, e != null ? e : nx ? (Object) 1L : OK);
        };
        if (!nx) {
            c.onKeys(write, done);
            return;
        }
        // MSETNX: check every owner, then write if none had the key (not isolated across shards)
        c.then = () -> {
            if (c.sum() > 0) {
                c.finish(0L, RESULT);
            } else {
                c.onKeys(write, done);
            }
        };
        c.onKeys((s, call, part) -> {
            long n = 0;
            for (int i : call.groups[part]) {
                if (store(s).get(call.keys[i], false) != null) {
                    n++;
                }
            }
            return n;
        }, null);
    }

    /** INCR, DECR, INCRBY, DECRBY. */
    private static void incr(Call c, long delta) {
        onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            Key k = k0(call);
            byte[] e = st.get(k, false);
            long cur = 0;
            int flags = 0;
            if (e != null) {
                long[] v = new long[1];
                int off = Entry.valueOffset(e);
                if (!Resp.parseLong(e, off, e.length - off, v)) {
                    return NOT_INTEGER;
                }
                cur = v[0];
                flags = Entry.flags(e);
            }
            long next;
            try {
                next = Math.addExact(cur, delta);
            } catch (ArithmeticException ex) {
                return Resp.OVERFLOW;
            }
            byte[] digits = Long.toString(next).getBytes(StandardCharsets.US_ASCII);
            st.put(k, Entry.of(k.bytes, digits, 0, digits.length, flags, 0), ShardStore.KEEP_TTL);
            return next;
        });
    }

    /** Parses a Redis float argument ({@code strtold} rules, no NaN); null when not one. "inf" is infinity. */
    static BigDecimal parseFloat(byte[] a, int off, int len, boolean[] infinite) {
        if (len == 0 || len > 5000) {
            return null;
        }
        String s = new String(a, off, len, StandardCharsets.ISO_8859_1);
        if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(len - 1))) {
            return null;
        }
        String t = s.toLowerCase(Locale.ROOT);
        String u = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
        if (u.equals("inf") || u.equals("infinity")) {
            infinite[0] = true;
            return BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static void incrbyfloat(RespConnection conn, Call c) {
        boolean[] inf = new boolean[1];
        BigDecimal incr = parseFloat(c.argv[2], 0, c.argv[2].length, inf);
        if (incr == null) {
            fail(Resp.NOT_FLOAT);
        }
        boolean incrInf = inf[0];
        onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            Key k = k0(call);
            byte[] e = st.get(k, false);
            BigDecimal cur = BigDecimal.ZERO;
            int flags = 0;
            boolean[] curInf = new boolean[1];
            if (e != null) {
                int off = Entry.valueOffset(e);
                cur = parseFloat(e, off, e.length - off, curInf);
                if (cur == null) {
                    return Resp.NOT_FLOAT;
                }
                flags = Entry.flags(e);
            }
            if (incrInf || curInf[0]) {
                return err("ERR increment would produce NaN or Infinity");
            }
            BigDecimal sum = cur.add(incr);
            if (sum.signum() != 0 && sum.precision() - sum.scale() > 4932) {
                return err("ERR increment would produce NaN or Infinity");
            }
            String text = sum.setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
            if (text.equals("-0")) {
                text = "0";
            }
            byte[] digits = text.getBytes(StandardCharsets.US_ASCII);
            st.put(k, Entry.of(k.bytes, digits, 0, digits.length, flags, 0), ShardStore.KEEP_TTL);
            return digits;
        });
    }

    private static void append(RespConnection conn, Call c) {
        long max = conn.config().protoMaxBulkLen;
        onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            Key k = k0(call);
            byte[] add = call.argv[2];
            byte[] e = st.get(k, false);
            if (e == null) {
                st.put(k, Entry.of(k.bytes, add), 0);
                return (long) add.length;
            }
            int off = Entry.valueOffset(e);
            long len = (long) e.length - off + add.length;
            if (len > max) {
                return Resp.TOO_BIG;
            }
            st.checkFits(len + k.bytes.length + 8); // an OOM naming the limit, before allocating
            byte[] n = Entry.allocate(k.bytes, Entry.flags(e), 0, (int) len);
            int no = Entry.valueOffset(n);
            System.arraycopy(e, off, n, no, e.length - off);
            System.arraycopy(add, 0, n, no + e.length - off, add.length);
            st.put(k, n, ShardStore.KEEP_TTL);
            return len;
        });
    }

    private static void getrange(RespConnection conn, Call c) {
        long start = longArg(c.argv[2]);
        long end = longArg(c.argv[3]);
        onKey(c, (s, call, p) -> {
            byte[] e = store(s).get(k0(call), true);
            if (e == null) {
                return new byte[0];
            }
            int off = Entry.valueOffset(e);
            long len = e.length - off;
            long a = start;
            long b = end;
            if (a < 0 && b < 0 && a > b) {
                return new byte[0];
            }
            if (a < 0) {
                a = len + a;
            }
            if (b < 0) {
                b = len + b;
            }
            if (a < 0) {
                a = 0;
            }
            if (b < 0) {
                b = 0;
            }
            if (b >= len) {
                b = len - 1;
            }
            if (a > b || len == 0) {
                return new byte[0];
            }
            return new Resp.Bulk(e, off + (int) a, (int) (b - a + 1));
        });
    }

    private static void setrange(RespConnection conn, Call c) {
        long offset = longArg(c.argv[2]);
        if (offset < 0) {
            fail(err("ERR offset is out of range"));
        }
        long max = conn.config().protoMaxBulkLen;
        onKey(c, (s, call, p) -> {
            ShardStore st = store(s);
            Key k = k0(call);
            byte[] v = call.argv[3];
            byte[] e = st.get(k, false);
            long oldLen = e == null ? 0 : Entry.valueLength(e);
            if (v.length == 0) {
                return oldLen;
            }
            if (offset + v.length > max) {
                return Resp.TOO_BIG;
            }
            int len = (int) Math.max(oldLen, offset + v.length);
            st.checkFits(len + k.bytes.length + 8); // an OOM naming the limit, before allocating
            byte[] n = Entry.allocate(k.bytes, e == null ? 0 : Entry.flags(e), 0, len);
            int no = Entry.valueOffset(n);
            if (e != null) {
                System.arraycopy(e, Entry.valueOffset(e), n, no, (int) oldLen);
            }
            System.arraycopy(v, 0, n, no + (int) offset, v.length);
            st.put(k, n, e == null ? 0 : ShardStore.KEEP_TTL);
            return (long) len;
        });
    }
}
