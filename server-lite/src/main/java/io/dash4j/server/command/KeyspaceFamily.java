package io.dash4j.server.command;

import io.dash4j.server.Call;
import io.dash4j.server.Glob;
import io.dash4j.server.ShardFn;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import io.dash4j.server.store.ShardStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.dash4j.server.command.Args.is;
import static io.dash4j.server.command.Families.keysFrom;
import static io.dash4j.server.command.Families.onKey;
import static io.dash4j.server.command.Replies.OK;

/**
 * The keyspace family: existence and deletion (fanned out per owner), expiry, TTL reads, RENAME,
 * RENAMENX and COPY (one step when both keys share an owner, else two steps across shards),
 * OBJECT, and the keyspace-wide DBSIZE, FLUSHDB/FLUSHALL, KEYS, SCAN and RANDOMKEY.
 */
public final class KeyspaceFamily {

    private KeyspaceFamily() {
    }

    static void register(CommandTable t) {
        t.add("dbsize", 1, "readonly fast all_shards", 0, 0, 0, "server", "Returns the number of keys.",
                c -> c.onAllShards((s, call, p) -> s.store.size(), Call::sum));
        t.add("flushdb", -1, "write all_shards", 0, 0, 0, "server", "Removes every key.", KeyspaceFamily::flush);
        t.add("flushall", -1, "write all_shards", 0, 0, 0, "server", "Removes every key.", KeyspaceFamily::flush);
        t.add("keys", 2, "readonly all_shards", 0, 0, 0, "generic", "Returns the keys matching a glob pattern.",
                KeyspaceFamily::keys);
        t.add("scan", -2, "readonly", 0, 0, 0, "generic", "Iterates over the keys with a cursor.",
                KeyspaceFamily::scan);
        t.add("randomkey", 1, "readonly all_shards", 0, 0, 0, "generic", "Returns a random key.",
                KeyspaceFamily::randomkey);
        t.add("del", -2, "write", 1, -1, 1, "generic", "Deletes keys.", c -> countKeys(c, KeyOps::delete));
        t.add("unlink", -2, "write fast", 1, -1, 1, "generic", "Deletes keys.", c -> countKeys(c, KeyOps::delete));
        t.add("exists", -2, "readonly fast", 1, -1, 1, "generic", "Counts the keys that exist.",
                c -> countKeys(c, KeyOps::exists));
        t.add("touch", -2, "readonly fast", 1, -1, 1, "generic", "Counts the keys that exist, refreshing them.",
                c -> countKeys(c, KeyOps::exists));
        t.add("stick", -2, "write", 1, -1, 1, "generic", "Pins keys: never evicted (Dragonfly's STICK).",
                c -> countKeys(c, ShardStore::stick));
        t.add("type", 2, "readonly fast", 1, 1, 1, "generic", "Returns the type of a key.",
                c -> onKey(c, (s, call, p) -> KeyOps.type(s.store, call.keys[0])));

        t.add("expire", -3, "write fast", 1, 1, 1, "generic", "Sets a key's time to live in seconds.",
                c -> expire(c, "expire", 1000, false));
        t.add("pexpire", -3, "write fast", 1, 1, 1, "generic", "Sets a key's time to live in milliseconds.",
                c -> expire(c, "pexpire", 1, false));
        t.add("expireat", -3, "write fast", 1, 1, 1, "generic", "Sets a key's expiry as a unix time in seconds.",
                c -> expire(c, "expireat", 1000, true));
        t.add("pexpireat", -3, "write fast", 1, 1, 1, "generic", "Sets a key's expiry as a unix time in ms.",
                c -> expire(c, "pexpireat", 1, true));
        t.add("ttl", 2, "readonly fast", 1, 1, 1, "generic", "Returns a key's time to live in seconds.",
                c -> ttl(c, false, false));
        t.add("pttl", 2, "readonly fast", 1, 1, 1, "generic", "Returns a key's time to live in milliseconds.",
                c -> ttl(c, true, false));
        t.add("expiretime", 2, "readonly fast", 1, 1, 1, "generic", "Returns a key's expiry as a unix time in s.",
                c -> ttl(c, false, true));
        t.add("pexpiretime", 2, "readonly fast", 1, 1, 1, "generic", "Returns a key's expiry as a unix time in ms.",
                c -> ttl(c, true, true));
        t.add("persist", 2, "write fast", 1, 1, 1, "generic", "Removes a key's expiry.",
                c -> onKey(c, (s, call, p) -> Replies.bool(KeyOps.persist(s.store, call.keys[0]))));

        t.add("rename", 3, "write", 1, 2, 1, "generic", "Renames a key, overwriting the destination.",
                c -> move(c, Move.RENAME, true));
        t.add("renamenx", 3, "write fast", 1, 2, 1, "generic", "Renames a key only when the destination is absent.",
                c -> move(c, Move.RENAME, false));
        t.add("copy", -3, "write denyoom", 1, 2, 1, "generic", "Copies a key's value and TTL to another key.",
                KeyspaceFamily::copy);
        t.add("object", -2, "readonly", 2, 2, 1, "generic",
                "Inspects a key's value (ENCODING, FREQ, IDLETIME, REFCOUNT, HELP).", KeyspaceFamily::object);
    }

    // ------------------------------------------------------------------ multi-key counts

    interface KeyPredicate {
        boolean test(ShardStore store, Key key);
    }

    /** DEL, UNLINK, EXISTS, TOUCH, STICK: the number of keys for which {@code p} holds, over all owners. */
    private static void countKeys(Call c, KeyPredicate pred) {
        c.keys = keysFrom(c, 1, 1);
        c.onKeys((s, call, part) -> {
            long n = 0;
            ShardStore st = s.store;
            for (int i : call.groups[part]) {
                if (pred.test(st, call.keys[i])) {
                    n++;
                }
            }
            return n;
        }, Call::sum);
    }

    // ------------------------------------------------------------------ expiry

    /** EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT key time [NX|XX|GT|LT]. */
    private static void expire(Call c, String name, long unit, boolean absolute) {
        long v = Args.longArg(c.argv[2]);
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
                throw CommandError.err("ERR Unsupported option " + Args.str(a)).exception();
            }
        }
        if (nx && (xx || gt || lt)) {
            throw CommandError.err("ERR NX and XX, GT or LT options at the same time are not compatible").exception();
        }
        if (gt && lt) {
            throw CommandError.err("ERR GT and LT options at the same time are not compatible").exception();
        }
        Expiry when = Expiry.forExpire(v, unit, absolute, name);
        KeyOps.ExpireCondition cond = nx ? KeyOps.ExpireCondition.NX : xx ? KeyOps.ExpireCondition.XX
                : gt ? KeyOps.ExpireCondition.GT : lt ? KeyOps.ExpireCondition.LT : KeyOps.ExpireCondition.ALWAYS;
        onKey(c, (s, call, p) -> Replies.bool(KeyOps.expire(s.store, call.keys[0], when, cond)));
    }

    private static void ttl(Call c, boolean millis, boolean absolute) {
        onKey(c, (s, call, p) -> KeyOps.ttl(s.store, call.keys[0], millis, absolute));
    }

    // ------------------------------------------------------------------ RENAME, RENAMENX, COPY

    private enum Move { RENAME, COPY }

    /** COPY source destination [DB 0] [REPLACE]. */
    private static void copy(Call c) {
        boolean replace = false;
        for (int i = 3; i < c.argv.length; i++) {
            if (is(c.argv[i], "REPLACE")) {
                replace = true;
            } else if (is(c.argv[i], "DB") && i + 1 < c.argv.length) {
                if (Args.longArg(c.argv[++i]) != 0) {
                    throw CommandError.err("ERR DB index is out of range").exception();
                }
            } else {
                throw CommandError.SYNTAX.exception();
            }
        }
        if (Arrays.equals(c.argv[1], c.argv[2])) {
            throw CommandError.err("ERR source and destination objects are the same").exception();
        }
        move(c, Move.COPY, replace);
    }

    /**
     * RENAME (replace), RENAMENX (!replace) and COPY. When both keys have one owner the whole move
     * runs there at once. Otherwise it takes steps across shards: read the source on its owner,
     * write the destination on its owner, then (RENAME) remove the source only if it still holds
     * the entry that was moved. Between steps another client may see both keys or neither is
     * touched twice; the transaction layer makes the steps atomic.
     */
    private static void move(Call c, Move kind, boolean replace) {
        Key src = new Key(c.argv[1]);
        Key dst = new Key(c.argv[2]);
        c.keys = new Key[] {src, dst};
        int n = c.client.server().shardCount();
        int from = src.shard(n);
        int to = dst.shard(n);
        if (from == to) {
            c.onShard(from, (s, call, p) -> moveLocal(s.store, call.keys[0], call.keys[1], kind, replace));
            return;
        }
        c.then = () -> {
            if (!(c.result instanceof KeyOps.Snapshot snap)) {
                c.finish(kind == Move.COPY ? Replies.ZERO : CommandError.NO_SUCH_KEY);
                return;
            }
            c.then = () -> {
                if (!(c.result instanceof Boolean placed) || !placed) {
                    c.finish(c.result instanceof CommandError ? c.result : Replies.ZERO);
                    return;
                }
                if (kind == Move.COPY) {
                    c.finish(Replies.ONE);
                    return;
                }
                c.then = () -> c.finish(replace ? OK : Replies.ONE);
                c.onShard(from, (s, call, p) -> KeyOps.removeIfSame(s.store, call.keys[0], snap.entry()));
            };
            c.onShard(to, (s, call, p) -> KeyOps.place(s.store, call.keys[1], snap, replace));
        };
        c.onShard(from, (s, call, p) -> KeyOps.read(s.store, call.keys[0]));
    }

    private static Object moveLocal(ShardStore st, Key src, Key dst, Move kind, boolean replace) {
        KeyOps.Snapshot snap = KeyOps.read(st, src);
        if (snap == null) {
            return kind == Move.COPY ? Replies.ZERO : CommandError.NO_SUCH_KEY;
        }
        if (kind == Move.RENAME && src.sameBytes(dst)) {
            return replace ? OK : Replies.ZERO;
        }
        if (!KeyOps.place(st, dst, snap, replace)) {
            return Replies.ZERO;
        }
        if (kind == Move.COPY) {
            return Replies.ONE;
        }
        st.remove(src);
        return replace ? OK : Replies.ONE;
    }

    // ------------------------------------------------------------------ OBJECT

    private static final String NO_LFU = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
            + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    private static final String NO_IDLE = "ERR idle time not tracked: dash4j evicts by slot order inside Dashtable "
            + "buckets, not by access time";

    /** OBJECT ENCODING|FREQ|IDLETIME|REFCOUNT key, OBJECT HELP. */
    private static void object(Call c) {
        byte[] sub = c.argv[1];
        if (is(sub, "HELP") && c.argv.length == 2) {
            c.finish(new Object[] {"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                    "ENCODING <key>", "    Return the kind of internal representation Redis would use for the value:",
                    "    int, embstr or raw (dash4j keeps every value in its key's single entry array).",
                    "FREQ <key>", "    Not tracked: dash4j's eviction is not LFU (an error, as Redis without LFU).",
                    "IDLETIME <key>", "    Not tracked: eviction follows slot order, not access time (an error).",
                    "REFCOUNT <key>", "    Always 1: each value is referenced once, by its Dashtable slot.",
                    "HELP", "    Print this help."});
            return;
        }
        boolean known = is(sub, "ENCODING") || is(sub, "FREQ") || is(sub, "IDLETIME") || is(sub, "REFCOUNT");
        if (!known) {
            throw Dispatcher.unknownSubcommand(sub, "OBJECT").exception();
        }
        if (c.argv.length != 3) {
            throw CommandError.wrongArity("object|" + Args.str(sub).toLowerCase(java.util.Locale.ROOT)).exception();
        }
        String what = Args.str(sub).toUpperCase(java.util.Locale.ROOT);
        Families.onKeyAt(c, 2, (s, call, p) -> {
            byte[] e = s.store.peek(call.keys[0], false);
            if (e == null) {
                return null;
            }
            return switch (what) {
                case "ENCODING" -> KeyOps.encoding(e);
                case "REFCOUNT" -> Replies.ONE;
                case "FREQ" -> CommandError.err(NO_LFU);
                default -> CommandError.err(NO_IDLE);
            };
        });
    }

    // ------------------------------------------------------------------ keyspace-wide

    private static void flush(Call c) {
        if (c.argv.length > 2 || (c.argv.length == 2 && !is(c.argv[1], "ASYNC") && !is(c.argv[1], "SYNC"))) {
            throw CommandError.SYNTAX.exception();
        }
        c.onAllShards((s, call, p) -> {
            s.store.clear();
            return OK;
        }, call -> OK);
    }

    private static void keys(Call c) {
        byte[] pattern = c.argv[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        c.onAllShards((s, call, p) -> {
            List<byte[]> found = new ArrayList<>();
            ShardStore st = s.store;
            long cursor = 0;
            do {
                cursor = st.scan(cursor, 1024, e -> {
                    if (all || Glob.match(pattern, e, Entry.keyOffset(e), Entry.keyLength(e), false)) {
                        found.add(Entry.key(e));
                    }
                });
            } while (cursor != 0);
            return found;
        }, call -> {
            List<Object> keys = new ArrayList<>();
            for (Object r : call.results) {
                keys.addAll((List<?>) r);
            }
            return keys;
        });
    }

    /** SCAN cursors: the shard in the bits above the store's own 43-bit cursor. */
    static final int SHARD_SHIFT = 43;

    private static void scan(Call c) {
        long cursor = cursor(c.argv[1]);
        byte[] pattern = null;
        long count = 10;
        boolean typeOk = true;
        for (int i = 2; i < c.argv.length; i++) {
            byte[] a = c.argv[i];
            if (i + 1 >= c.argv.length) {
                throw CommandError.SYNTAX.exception();
            }
            if (is(a, "MATCH")) {
                pattern = c.argv[++i];
            } else if (is(a, "COUNT")) {
                count = Args.longArg(c.argv[++i]);
                if (count < 1) {
                    throw CommandError.SYNTAX.exception();
                }
            } else if (is(a, "TYPE")) {
                typeOk = is(c.argv[++i], "string");
            } else {
                throw CommandError.SYNTAX.exception();
            }
        }
        int shards = c.client.server().shardCount();
        int shard = (int) (cursor >>> SHARD_SHIFT);
        if (shard >= shards || cursor < 0) {
            c.finish(new Object[] {"0", new Object[0]});
            return;
        }
        long storeCursor = cursor & ((1L << SHARD_SHIFT) - 1);
        byte[] match = pattern != null && !(pattern.length == 1 && pattern[0] == '*') ? pattern : null;
        boolean wantType = typeOk;
        int want = (int) Math.min(count, 1 << 20);
        c.onShard(shard, (s, call, p) -> {
            List<byte[]> found = new ArrayList<>();
            long next = s.store.scan(storeCursor, want, e -> {
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
        });
    }

    /**
     * A SCAN cursor as Redis's strtoul reads it: an unsigned 64-bit decimal, optionally negated
     * ("-1" is 2^64-1, which ends the scan); anything else, or beyond 64 bits, is invalid.
     */
    static long cursor(byte[] a) {
        String s = Args.str(a);
        boolean neg = s.startsWith("-");
        try {
            long v = Long.parseUnsignedLong(neg || s.startsWith("+") ? s.substring(1) : s);
            return neg ? -v : v;
        } catch (NumberFormatException e) {
            throw CommandError.err("ERR invalid cursor").exception();
        }
    }

    private static void randomkey(Call c) {
        ShardFn pick = (s, call, p) -> {
            byte[] e = s.store.random(s.random());
            return new Object[] {s.store.size(), e == null ? null : Entry.key(e)};
        };
        c.onAllShards(pick, call -> {
            long total = 0;
            for (Object r : call.results) {
                Object[] x = (Object[]) r;
                if (x[1] != null) {
                    total += (Long) x[0];
                }
            }
            if (total <= 0) {
                return null;
            }
            long at = call.client.shard.random().nextLong(total);
            for (Object r : call.results) {
                Object[] x = (Object[]) r;
                if (x[1] == null) {
                    continue;
                }
                if (at < (Long) x[0]) {
                    return x[1];
                }
                at -= (Long) x[0];
            }
            return null;
        });
    }
}
