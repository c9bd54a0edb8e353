package io.dash4j.server;

import io.dash4j.server.command.CommandError;
import io.dash4j.server.command.CommandException;
import io.dash4j.server.command.Expiry;
import io.dash4j.server.command.KeyOps;
import io.dash4j.server.command.Replies;
import io.dash4j.server.command.SetArgs;
import io.dash4j.server.command.StringOps;
import io.dash4j.server.command.WriteStatus;
import io.dash4j.server.store.CacheShardStore;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import io.dash4j.server.store.ShardStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The typed string and keyspace operations, run directly on a shard's store under a controlled
 * clock, against a model written from Redis's documented semantics (a map of value and deadline):
 * conditional SET with every expiry form, APPEND/prepend, SETRANGE and GETRANGE with limits,
 * INCRBY with overflow, EXPIRE with NX/XX/GT/LT and past deadlines, TTL, PERSIST, DEL, and the
 * read/place/remove steps of RENAME. After every operation the result and every key's value and
 * TTL must match the model; refused operations must change nothing.
 */
class CommandLayerTest {

    static final int KEYS = 4;
    static final long MAX_LEN = 64;

    record Op(int kind, int key, int a, long b, String value) {
    }

    @Provide
    Arbitrary<Op> op() {
        Arbitrary<Long> numbers = Arbitraries.oneOf(Arbitraries.longs().between(-6000, 6000),
                Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, Long.MAX_VALUE - 1, Long.MAX_VALUE));
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().withChars("abcxyz").ofMaxLength(8),
                Arbitraries.of("0", "7", "-5", "12", "007", "-0", "+1", "9223372036854775807", "-9223372036854775808",
                        "9223372036854775808", ""));
        return Combinators.combine(Arbitraries.integers().between(0, 11), Arbitraries.integers().between(0, KEYS - 1),
                Arbitraries.integers().between(-20, 40), numbers, values).as(Op::new);
    }

    /** What the model knows of one key. */
    record Item(String value, Long deadline) {
    }

    static final class Model {
        final Map<Integer, Item> items = new HashMap<>();
        long now = 1_000_000;

        Item live(int k) {
            Item i = items.get(k);
            if (i != null && i.deadline != null && i.deadline <= now) {
                items.remove(k);
                return null;
            }
            return i;
        }
    }

    static Key key(int k) {
        return new Key(("k" + k).getBytes(StandardCharsets.UTF_8));
    }

    static String value(byte[] entry) {
        return new String(entry, Entry.valueOffset(entry), Entry.valueLength(entry), StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE) // the numbers' edges are in the generator
    void operationsMatchTheModel(@ForAll @Size(max = 60) List<@net.jqwik.api.From("op") Op> ops) {
        ShardStore st = new CacheShardStore(64L << 20, false);
        Model m = new Model();
        st.setNow(m.now);
        for (Op op : ops) {
            Object got;
            Object want;
            try {
                got = run(st, op);
            } catch (CommandException e) {
                got = e.error();
            }
            want = model(m, op);
            assertEquals(want, got, () -> "result of " + op);
            for (int k = 0; k < KEYS; k++) {
                Item i = m.live(k);
                byte[] e = st.get(key(k), false);
                assertEquals(i == null ? null : i.value, e == null ? null : value(e), "value of k" + k + " after " + op);
                long ttl = st.ttl(key(k));
                long wantTtl = i == null ? -2 : i.deadline == null ? -1 : i.deadline - m.now;
                assertEquals(wantTtl, ttl, "ttl of k" + k + " after " + op);
            }
        }
    }

    static SetArgs.Condition condition(int a) {
        return SetArgs.Condition.values()[Math.floorMod(a, 3)];
    }

    /** The operation under test. */
    static Object run(ShardStore st, Op op) {
        Key k = key(op.key);
        byte[] v = bytes(op.value);
        return switch (op.kind) {
            case 0 -> {
                int form = Math.floorMod(op.a / 3, 4);
                Expiry exp = form == 2 ? new Expiry(false, 100 + Math.floorMod(op.b, 10) * 100)
                        : form == 3 ? new Expiry(true, st.now() + op.b % 10 * 100) : null;
                yield StringOps.set(st, k, v, 0, v.length, SetArgs.of(condition(op.a), form == 1, exp), 0);
            }
            case 1 -> StringOps.concat(st, k, v, 0, v.length, op.a % 2 != 0, op.b % 2 == 0, MAX_LEN,
                    CommandError.TOO_BIG_BULK, 0);
            case 2 -> StringOps.setRange(st, k, op.b == Long.MAX_VALUE ? op.b : Math.floorMod(op.b, 80), v, MAX_LEN);
            case 3 -> {
                Object r = StringOps.getRange(st, k, op.a, op.b);
                yield r instanceof Replies.Bulk b ? new String(b.a(), b.off(), b.len(), StandardCharsets.ISO_8859_1)
                        : new String((byte[]) r, StandardCharsets.ISO_8859_1);
            }
            case 4 -> StringOps.incrBy(st, k, op.b);
            case 5 -> KeyOps.expire(st, k, Math.floorMod(op.a, 2) == 0 ? new Expiry(false, op.b % 10 * 100)
                    : new Expiry(true, st.now() + op.b % 10 * 100), KeyOps.ExpireCondition.values()[Math.floorMod(op.a, 5)]);
            case 6 -> st.ttl(k);
            case 7 -> KeyOps.delete(st, k);
            case 8 -> KeyOps.persist(st, k);
            case 9 -> {
                st.setNow(st.now() + Math.floorMod(op.a, 8) * 100L);
                yield null;
            }
            case 10 -> {
                Key dst = key(Math.floorMod(op.b, KEYS));
                KeyOps.Snapshot s = KeyOps.read(st, k);
                if (s == null) {
                    yield "no such key";
                }
                if (dst.toString().equals(k.toString())) {
                    yield true;
                }
                boolean placed = KeyOps.place(st, dst, s, op.a % 2 == 0);
                yield placed && KeyOps.removeIfSame(st, k, s.entry());
            }
            default -> KeyOps.exists(st, k);
        };
    }

    /** The same operation on the model (Redis semantics, written independently). */
    static Object model(Model m, Op op) {
        Item cur = m.live(op.key);
        String v = op.value;
        switch (op.kind) {
            case 0 -> {
                SetArgs.Condition c = condition(op.a);
                if ((c == SetArgs.Condition.IF_ABSENT && cur != null) || (c == SetArgs.Condition.IF_PRESENT && cur == null)) {
                    return WriteStatus.NOT_STORED;
                }
                int form = Math.floorMod(op.a / 3, 4);
                Long deadline = switch (form) {
                    case 1 -> cur == null ? null : cur.deadline;
                    case 2 -> m.now + 100 + Math.floorMod(op.b, 10) * 100;
                    case 3 -> m.now + op.b % 10 * 100;
                    default -> null;
                };
                if (deadline != null && deadline <= m.now) {
                    m.items.remove(op.key);
                } else {
                    m.items.put(op.key, new Item(v, deadline));
                }
                return WriteStatus.STORED;
            }
            case 1 -> {
                boolean prepend = op.a % 2 != 0;
                if (cur == null && op.b % 2 != 0) {
                    return -1L;
                }
                String next = cur == null ? v : prepend ? v + cur.value : cur.value + v;
                if (next.length() > MAX_LEN) {
                    return CommandError.TOO_BIG_BULK;
                }
                m.items.put(op.key, new Item(next, cur == null ? null : cur.deadline));
                return (long) next.length();
            }
            case 2 -> {
                long offset = op.b == Long.MAX_VALUE ? op.b : Math.floorMod(op.b, 80);
                String old = cur == null ? "" : cur.value;
                if (v.isEmpty()) {
                    return (long) old.length();
                }
                if (BigInteger.valueOf(offset).add(BigInteger.valueOf(v.length())).compareTo(BigInteger.valueOf(MAX_LEN)) > 0) {
                    return CommandError.TOO_BIG_BULK;
                }
                StringBuilder b = new StringBuilder(old);
                while (b.length() < offset + v.length()) {
                    b.append('\0');
                }
                b.replace((int) offset, (int) offset + v.length(), v);
                m.items.put(op.key, new Item(b.toString(), cur == null ? null : cur.deadline));
                return (long) b.length();
            }
            case 3 -> {
                String s = cur == null ? "" : cur.value;
                long n = s.length();
                long start = op.a;
                long end = op.b;
                if (start < 0 && end < 0 && start > end) {
                    return "";
                }
                long from = Math.max(0, start < 0 ? n + start : start);
                long to = Math.min(n - 1, Math.max(0, end < 0 ? n + end : end));
                return n == 0 || from > to ? "" : s.substring((int) from, (int) to + 1);
            }
            case 4 -> {
                String s = cur == null ? "0" : cur.value;
                if (!s.matches("0|-?[1-9][0-9]{0,18}") || new BigInteger(s).bitLength() > 63) {
                    return CommandError.NOT_INTEGER;
                }
                BigInteger r = new BigInteger(s).add(BigInteger.valueOf(op.b));
                if (r.bitLength() > 63) {
                    return CommandError.OVERFLOW;
                }
                m.items.put(op.key, new Item(r.toString(), cur == null ? null : cur.deadline));
                return r.longValueExact();
            }
            case 5 -> {
                if (cur == null) {
                    return false;
                }
                long at = m.now + op.b % 10 * 100; // coarse, so equal deadlines (GT/LT edges) occur
                long curAt = cur.deadline == null ? Long.MAX_VALUE : cur.deadline;
                boolean refused = switch (Math.floorMod(op.a, 5)) {
                    case 1 -> cur.deadline != null;
                    case 2 -> cur.deadline == null;
                    case 3 -> cur.deadline == null || at <= curAt;
                    case 4 -> cur.deadline != null && at >= curAt;
                    default -> false;
                };
                if (refused) {
                    return false;
                }
                if (at <= m.now) {
                    m.items.remove(op.key);
                } else {
                    m.items.put(op.key, new Item(cur.value, at));
                }
                return true;
            }
            case 6 -> {
                return cur == null ? -2L : cur.deadline == null ? -1L : cur.deadline - m.now;
            }
            case 7 -> {
                return m.items.remove(op.key) != null && cur != null;
            }
            case 8 -> {
                if (cur == null || cur.deadline == null) {
                    return false;
                }
                m.items.put(op.key, new Item(cur.value, null));
                return true;
            }
            case 9 -> {
                m.now += Math.floorMod(op.a, 8) * 100L;
                return null;
            }
            case 10 -> {
                int dst = (int) Math.floorMod(op.b, KEYS);
                if (cur == null) {
                    return "no such key";
                }
                if (dst == op.key) {
                    return true;
                }
                boolean replace = op.a % 2 == 0;
                if (!replace && m.live(dst) != null) {
                    return false;
                }
                m.items.put(dst, cur);
                m.items.remove(op.key);
                return true;
            }
            default -> {
                return cur != null;
            }
        }
    }
}
