package io.dash4j.server.command;

import io.dash4j.server.Call;
import io.dash4j.server.ShardFn;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import io.dash4j.server.store.ShardStore;

import java.math.BigDecimal;

import static io.dash4j.server.command.Args.is;
import static io.dash4j.server.command.Families.keysFrom;
import static io.dash4j.server.command.Families.onKey;
import static io.dash4j.server.command.Replies.OK;

/**
 * The string family on RESP: parses each command's options on the connection's thread, then runs
 * the matching {@link StringOps} operation on the key's owner (MGET/MSET/MSETNX fan out per
 * owner). The memcached codecs reach the same operations through {@link MemcachedOps}.
 */
public final class StringFamily {

    private StringFamily() {
    }

    /** GET: a single-key read on the fast path (no capture, so the lambda is a shared constant). */
    private static final ShardFn GET = (s, call, p) -> call.valueOrNull(StringOps.get(s.store, call.keys[0]));

    static void register(CommandTable t) {
        t.add("get", 2, "readonly fast", 1, 1, 1, "string", "Returns the value of a key.", c -> onKey(c, GET));
        t.inPlace("get", 2, (c, a) -> c.onKey(c.ownKey(a.buf, a.off(1), a.len(1)), GET));
        t.add("set", -3, "write denyoom", 1, 1, 1, "string",
                "Sets a key's value [NX|XX] [GET] [EX|PX|EXAT|PXAT t|KEEPTTL].", StringFamily::set);
        t.add("setnx", 3, "write denyoom fast", 1, 1, 1, "string", "Sets a key's value only when it is absent.",
                c -> onKey(c, (s, call, p) -> Replies.bool(write(s.store, call, 2, SETNX) == WriteStatus.STORED)));
        t.add("setex", 4, "write denyoom", 1, 1, 1, "string", "Sets a value with a TTL in seconds.",
                c -> setex(c, "setex", 1000));
        t.add("psetex", 4, "write denyoom", 1, 1, 1, "string", "Sets a value with a TTL in milliseconds.",
                c -> setex(c, "psetex", 1));
        t.add("getset", 3, "write denyoom fast", 1, 1, 1, "string", "Sets a value and returns the old one.",
                c -> onKey(c, (s, call, p) -> {
                    byte[] old = s.store.get(call.keys[0], false);
                    write(s.store, call, 2, SetArgs.PLAIN);
                    return Replies.valueOrNull(old);
                }));
        t.add("getdel", 2, "write fast", 1, 1, 1, "string", "Returns a value and deletes the key.",
                c -> onKey(c, (s, call, p) -> {
                    byte[] e = s.store.get(call.keys[0], true);
                    if (e != null) {
                        s.store.remove(call.keys[0]);
                    }
                    return Replies.valueOrNull(e);
                }));
        t.add("getex", -2, "write fast", 1, 1, 1, "string", "Returns a value and sets or clears its TTL.",
                StringFamily::getex);
        t.add("mget", -2, "readonly fast", 1, -1, 1, "string", "Returns the values of keys.", StringFamily::mget);
        t.add("mset", -3, "write denyoom", 1, -1, 2, "string", "Sets several keys.", c -> mset(c, false));
        t.add("msetnx", -3, "write denyoom", 1, -1, 2, "string", "Sets several keys only when none exists.",
                c -> mset(c, true));
        t.add("incr", 2, "write denyoom fast", 1, 1, 1, "string", "Adds 1 to an integer value.", c -> incr(c, 1));
        t.add("decr", 2, "write denyoom fast", 1, 1, 1, "string", "Subtracts 1 from an integer value.",
                c -> incr(c, -1));
        t.add("incrby", 3, "write denyoom fast", 1, 1, 1, "string", "Adds to an integer value.",
                c -> incr(c, Args.longArg(c.argv[2])));
        t.add("decrby", 3, "write denyoom fast", 1, 1, 1, "string", "Subtracts from an integer value.",
                c -> incr(c, negated(Args.longArg(c.argv[2]))));
        t.inPlace("incr", 2, (c, a) -> incr(c, a, 1));
        t.inPlace("decr", 2, (c, a) -> incr(c, a, -1));
        t.inPlace("incrby", 3, (c, a) -> incr(c, a, Args.longAt(a.buf, a.off(2), a.len(2))));
        t.inPlace("decrby", 3, (c, a) -> incr(c, a, negated(Args.longAt(a.buf, a.off(2), a.len(2)))));
        t.inPlace("set", 3, StringFamily::setInPlace);
        t.add("incrbyfloat", 3, "write denyoom fast", 1, 1, 1, "string", "Adds a decimal to a number value.",
                StringFamily::incrbyfloat);
        t.add("append", 3, "write denyoom fast", 1, 1, 1, "string", "Appends to a value.", StringFamily::append);
        t.add("strlen", 2, "readonly fast", 1, 1, 1, "string", "Returns the length of a value.",
                c -> onKey(c, (s, call, p) -> StringOps.strlen(s.store, call.keys[0])));
        t.add("getrange", 4, "readonly", 1, 1, 1, "string", "Returns a substring.", StringFamily::getrange);
        t.add("substr", 4, "readonly", 1, 1, 1, "string", "Returns a substring (old name of GETRANGE).",
                StringFamily::getrange);
        t.add("setrange", 4, "write denyoom", 1, 1, 1, "string", "Overwrites part of a value from an offset.",
                StringFamily::setrange);
    }

    private static final SetArgs SETNX = SetArgs.of(SetArgs.Condition.IF_ABSENT, false, null);

    /** Writes argv[valueIndex] as the value of call.keys[0] under {@code a}. */
    private static WriteStatus write(ShardStore st, Call call, int valueIndex, SetArgs a) {
        byte[] v = call.argv[valueIndex];
        return StringOps.set(st, call.keys[0], v, 0, v.length, a, 0);
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT t|PXAT t|KEEPTTL]. */
    private static void set(Call c) {
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
            } else if (Expiry.isUnit(o) && exp == null && !keep && i + 1 < a.length) {
                exp = Expiry.parse(o, a[++i], "set");
            } else {
                throw CommandError.SYNTAX.exception();
            }
        }
        SetArgs args = SetArgs.of(nx ? SetArgs.Condition.IF_ABSENT : xx ? SetArgs.Condition.IF_PRESENT
                : SetArgs.Condition.ALWAYS, keep, exp);
        if (!get) {
            onKey(c, args == SetArgs.PLAIN ? SET_PLAIN
                    : (s, call, p) -> write(s.store, call, 2, args) == WriteStatus.STORED ? OK : null);
            return;
        }
        onKey(c, (s, call, p) -> {
            byte[] old = s.store.get(call.keys[0], false);
            write(s.store, call, 2, args);
            return Replies.valueOrNull(old);
        });
    }

    private static final ShardFn SET_PLAIN = (s, call, p) -> {
        write(s.store, call, 2, SetArgs.PLAIN);
        return OK;
    };

    private static void setex(Call c, String name, long unit) {
        Expiry exp = Expiry.of(Args.longArg(c.argv[2]), unit, false, name);
        SetArgs args = SetArgs.of(SetArgs.Condition.ALWAYS, false, exp);
        onKey(c, (s, call, p) -> {
            write(s.store, call, 3, args);
            return OK;
        });
    }

    /**
     * GETEX key [EX|PX|EXAT|PXAT t|PERSIST]. As in Redis, the option words are checked first, then
     * the key is looked up (absent: null), and only then is the time validated.
     */
    private static void getex(Call c) {
        byte[] unit = null;
        byte[] time = null;
        boolean persist = false;
        byte[][] a = c.argv;
        for (int i = 2; i < a.length; i++) {
            byte[] o = a[i];
            if (Expiry.isUnit(o) && unit == null && !persist && i + 1 < a.length) {
                unit = o;
                time = a[++i];
            } else if (is(o, "PERSIST") && unit == null && !persist) {
                persist = true;
            } else {
                throw CommandError.SYNTAX.exception();
            }
        }
        byte[] u = unit;
        byte[] t = time;
        boolean clear = persist;
        onKey(c, (s, call, p) -> {
            ShardStore st = s.store;
            byte[] e = st.get(call.keys[0], true);
            if (e == null) {
                return null;
            }
            if (u != null || clear) {
                KeyOps.setExpiry(st, call.keys[0], u == null ? null : Expiry.parse(u, t, "getex"));
            }
            return Replies.value(e);
        });
    }

    private static void mget(Call c) {
        c.keys = keysFrom(c, 1, 1);
        c.onKeys((s, call, part) -> {
            ShardStore st = s.store;
            for (int i : call.groups[part]) {
                call.slots[i] = Replies.valueOrNull(st.get(call.keys[i], true));
            }
            return null;
        }, call -> call.slots);
    }

    /** MSET, and MSETNX (check every owner, then write if no key existed: two phases across shards). */
    private static void mset(Call c, boolean nx) {
        if (c.argv.length % 2 != 1) {
            throw CommandError.wrongArity(nx ? "msetnx" : "mset").exception();
        }
        c.keys = keysFrom(c, 1, 2);
        ShardFn write = (s, call, part) -> {
            ShardStore st = s.store;
            for (int i : call.groups[part]) {
                Key k = call.keys[i];
                byte[] v = call.argv[2 + 2 * i];
                StringOps.set(st, k, v, 0, v.length, SetArgs.PLAIN, 0);
            }
            return OK;
        };
        Call.Gather done = call -> {
            Object e = call.firstOf(CommandError.class);
            return e != null ? e : nx ? Replies.ONE : OK;
        };
        if (!nx) {
            c.onKeys(write, done);
            return;
        }
        c.then = () -> {
            if (c.sum() > 0) {
                c.finish(Replies.ZERO);
            } else {
                c.onKeys(write, done);
            }
        };
        c.onKeys((s, call, part) -> {
            long n = 0;
            for (int i : call.groups[part]) {
                if (KeyOps.exists(s.store, call.keys[i])) {
                    n++;
                }
            }
            return n;
        }, null);
    }

    /** INCR, DECR, INCRBY, DECRBY: the delta travels in the call, so the shard function is a constant. */
    private static void incr(Call c, long delta) {
        c.number = delta;
        onKey(c, INCR_BY);
    }

    /** The in-place form: the key is argument 1 of the slices. */
    private static void incr(Call c, ArgSlices a, long delta) {
        c.number = delta;
        c.onKey(c.ownKey(a.buf, a.off(1), a.len(1)), INCR_BY);
    }

    /** DECRBY's delta as INCRBY's (Redis refuses to negate the smallest long). */
    private static long negated(long d) {
        if (d == Long.MIN_VALUE) {
            throw CommandError.DECREMENT_OVERFLOW.exception();
        }
        return -d;
    }

    /**
     * {@code SET key value} framed in place. A value of at most {@link Call#MAX_OWN_VALUE} bytes
     * is copied into the call's own value buffer, and the key's owner writes it into the stored
     * entry when it can ({@link StringOps#set}: same length, private), so an overwrite allocates
     * nothing; it builds the entry there otherwise. The input buffer cannot be read from the
     * owner: it is reused once this returns, and even the home shard may run the part later
     * (while a transaction holds the key). A bigger value builds its entry here, from the input
     * buffer (the command's one allocation), as the copy would cost as much.
     */
    private static void setInPlace(Call c, ArgSlices a) {
        Key k = c.ownKey(a.buf, a.off(1), a.len(1));
        if (a.len(2) <= Call.MAX_OWN_VALUE) {
            c.ownValue(a.buf, a.off(2), a.len(2));
            c.onKey(k, SET_CARRIED);
            return;
        }
        c.entry = Entry.of(k, a.buf, a.off(2), a.len(2), 0, 0);
        c.onKey(k, SET_BUILT);
    }

    private static final ShardFn SET_CARRIED = (s, call, p) -> {
        StringOps.set(s.store, call.keys[0], call.value, 0, call.valueLength, SetArgs.PLAIN, 0);
        return OK;
    };

    private static final ShardFn SET_BUILT = (s, call, p) -> {
        StringOps.setEntry(s.store, call.keys[0], call.entry, SetArgs.PLAIN);
        return OK;
    };

    private static final ShardFn INCR_BY = (s, call, p) -> call.integer(StringOps.incrBy(s.store, call.keys[0], call.number));

    private static void incrbyfloat(Call c) {
        boolean[] inf = new boolean[1];
        BigDecimal incr = StringOps.parseFloat(c.argv[2], 0, c.argv[2].length, inf);
        if (incr == null) {
            throw CommandError.NOT_FLOAT.exception();
        }
        boolean infinite = inf[0];
        onKey(c, (s, call, p) -> StringOps.incrByFloat(s.store, call.keys[0], incr, infinite));
    }

    private static void append(Call c) {
        long max = c.client.config().protoMaxBulkLen;
        onKey(c, (s, call, p) -> {
            byte[] add = call.argv[2];
            return StringOps.concat(s.store, call.keys[0], add, 0, add.length, false, true, max,
                    CommandError.TOO_BIG_BULK, 0);
        });
    }

    private static void getrange(Call c) {
        long start = Args.longArg(c.argv[2]);
        long end = Args.longArg(c.argv[3]);
        onKey(c, (s, call, p) -> StringOps.getRange(s.store, call.keys[0], start, end));
    }

    private static void setrange(Call c) {
        long offset = Args.longArg(c.argv[2]);
        if (offset < 0) {
            throw CommandError.OFFSET_OUT_OF_RANGE.exception();
        }
        long max = c.client.config().protoMaxBulkLen;
        onKey(c, (s, call, p) -> StringOps.setRange(s.store, call.keys[0], offset, call.argv[3], max));
    }
}
