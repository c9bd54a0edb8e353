package io.dash4j.server;

import io.dash4j.server.command.Expiry;
import io.dash4j.server.command.SetArgs;
import io.dash4j.server.command.StringOps;
import io.dash4j.server.store.CacheShardStore;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import io.dash4j.server.store.ShardStore;
import io.dash4j.server.store.StoreSnapshot;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-place overwrite ({@link ShardStore#write}, through {@link StringOps#set} and
 * {@link StringOps#incrBy}) against two references: a map model of the values and TTLs, and a
 * second store fed the same writes as new arrays only (today's allocating path), whose memory,
 * key count, TTL count and change counter it must match exactly. Every reference a read handed
 * out, and every entry a snapshot took, must still show the value it had when it was taken.
 */
class InPlaceOverwriteTest {

    static final int KEYS = 6;
    static final long BUDGET = 8L << 20;

    enum Kind { SET, SET_KEEPTTL, SET_EX, INCR, GET_HOLD, DEL, ADVANCE, SNAP_START, SNAP_STEP }

    /** One step: {@code len} digits for a SET, {@code n} ms of TTL or clock, or buckets for a snapshot step. */
    record Op(Kind kind, int key, int len, int n) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.SET)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.SET_KEEPTTL)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.SET_EX)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.INCR)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.GET_HOLD)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.DEL)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.ADVANCE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.SNAP_START)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.SNAP_STEP)));
        Arbitrary<Op> op = Combinators.combine(kinds, Arbitraries.integers().between(0, KEYS - 1),
                Arbitraries.of(1, 2, 2, 3, 9), Arbitraries.integers().between(1, 400)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(200);
    }

    /** What a snapshot must show: the values at its start, and what it handed over so far. */
    static final class Image {
        final Map<String, byte[]> atStart;
        final List<byte[]> taken = new ArrayList<>();
        final List<byte[]> takenValues = new ArrayList<>();
        StoreSnapshot snapshot;

        Image(Map<String, byte[]> values) {
            atStart = new HashMap<>();
            values.forEach((k, v) -> atStart.put(k, v.clone()));
        }
    }

    static Key key(int i) {
        return new Key(("key:" + i).getBytes(StandardCharsets.US_ASCII));
    }

    static String name(byte[] e) {
        return new String(Entry.key(e), StandardCharsets.US_ASCII);
    }

    /** A canonical decimal of {@code len} digits (INCR can parse it), from {@code seed}. */
    static byte[] digits(int len, long seed) {
        long low = len == 1 ? 0 : (long) Math.pow(10, len - 1);
        long span = (long) Math.pow(10, len) - low;
        return Long.toString(low + Math.floorMod(seed * 0x9E3779B97F4A7C15L, span)).getBytes(StandardCharsets.US_ASCII);
    }

    @Property(tries = 200)
    void anOverwriteInPlaceIsInvisibleToEveryHolderAndToTheCounters(@ForAll("ops") List<Op> ops,
                                                                    @ForAll boolean evicting) {
        CacheShardStore store = new CacheShardStore(BUDGET, evicting);
        CacheShardStore allocating = new CacheShardStore(BUDGET, evicting);
        long now = 1_000_000;
        store.setNow(now);
        allocating.setNow(now);
        Map<String, byte[]> values = new HashMap<>();
        Map<String, Long> deadlines = new HashMap<>();
        List<byte[]> held = new ArrayList<>();
        List<byte[]> heldValues = new ArrayList<>();
        List<Image> images = new ArrayList<>();
        Image running = null;
        long seed = 0;
        for (Op op : ops) {
            Key k = key(op.key());
            String name = "key:" + op.key();
            switch (op.kind()) {
                case SET, SET_KEEPTTL, SET_EX -> {
                    byte[] v = digits(op.len(), ++seed);
                    SetArgs a = switch (op.kind()) {
                        case SET -> SetArgs.PLAIN;
                        case SET_KEEPTTL -> SetArgs.of(SetArgs.Condition.ALWAYS, true, null);
                        default -> SetArgs.of(SetArgs.Condition.ALWAYS, false, Expiry.of(op.n(), 1, false, "set"));
                    };
                    StringOps.set(store, k, v, 0, v.length, a, 0);
                    long ttl = op.kind() == Kind.SET ? 0 : op.kind() == Kind.SET_KEEPTTL ? ShardStore.KEEP_TTL : op.n();
                    allocating.put(k, Entry.of(k.exact(), v), ttl);
                    values.put(name, v);
                    if (op.kind() == Kind.SET) {
                        deadlines.remove(name);
                    } else if (op.kind() == Kind.SET_EX) {
                        deadlines.put(name, now + op.n());
                    }
                }
                case INCR -> {
                    long before = values.containsKey(name) ? Long.parseLong(new String(values.get(name),
                            StandardCharsets.US_ASCII)) : 0;
                    assertThat(StringOps.incrBy(store, k, 1)).isEqualTo(before + 1);
                    byte[] v = Long.toString(before + 1).getBytes(StandardCharsets.US_ASCII);
                    allocating.put(k, Entry.of(k.exact(), v), values.containsKey(name) ? ShardStore.KEEP_TTL : 0);
                    values.put(name, v);
                }
                case GET_HOLD -> {
                    byte[] e = store.get(k, true);
                    allocating.get(k, true);
                    if (e != null) {
                        held.add(e);
                        heldValues.add(Entry.value(e));
                    }
                }
                case DEL -> {
                    store.remove(k);
                    allocating.remove(k);
                    values.remove(name);
                    deadlines.remove(name);
                }
                case ADVANCE -> {
                    now += op.n();
                    store.setNow(now);
                    allocating.setNow(now);
                }
                case SNAP_START -> {
                    if (running == null) {
                        Image img = new Image(values);
                        img.snapshot = store.startSnapshot((e, at) -> {
                            img.taken.add(e);
                            img.takenValues.add(Entry.value(e));
                        });
                        images.add(img);
                        running = img;
                    }
                }
                case SNAP_STEP -> {
                    if (running != null && running.snapshot.step(op.n())) {
                        running = null;
                    }
                }
            }
            long t = now;
            deadlines.entrySet().removeIf(d -> {
                if (d.getValue() <= t) {
                    values.remove(d.getKey());
                    return true;
                }
                return false;
            });

            for (int i = 0; i < KEYS; i++) {
                Key ki = key(i);
                String ni = "key:" + i;
                byte[] e = store.peek(ki, false);
                allocating.peek(ki, false);
                assertThat(e == null ? null : Entry.value(e)).as("value of %s after %s", ni, op).isEqualTo(values.get(ni));
                long ttl = store.ttl(ki);
                assertThat(ttl).as("ttl of %s after %s", ni, op).isEqualTo(allocating.ttl(ki))
                        .isEqualTo(!values.containsKey(ni) ? -2 : deadlines.containsKey(ni) ? deadlines.get(ni) - now : -1);
            }
            assertThat(store.size()).isEqualTo(values.size()).isEqualTo(allocating.size());
            assertThat(store.usedMemory()).as("used memory after %s", op).isEqualTo(allocating.usedMemory());
            assertThat(store.stats().expires()).isEqualTo(allocating.stats().expires()).isEqualTo(deadlines.size());
            assertThat(store.changes()).as("changes after %s", op).isEqualTo(allocating.changes());
            for (int i = 0; i < held.size(); i++) {
                assertThat(Entry.value(held.get(i))).as("a value read before %s", op).isEqualTo(heldValues.get(i));
            }
            for (Image img : images) {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < img.taken.size(); i++) {
                    byte[] e = img.taken.get(i);
                    String n = name(e);
                    assertThat(seen.add(n)).as("%s taken once", n).isTrue();
                    assertThat(img.takenValues.get(i)).as("snapshot value of %s", n).isEqualTo(img.atStart.get(n));
                    assertThat(Entry.value(e)).as("snapshot entry of %s, read later by the writer", n)
                            .isEqualTo(img.takenValues.get(i));
                }
            }
        }
    }

    /** The plain case the server's SET path relies on: same length, private, no TTL: the very array is reused. */
    @Test
    void aSameLengthOverwriteReusesThePrivateArrayAndASharedOneIsNeverWritten() {
        CacheShardStore store = new CacheShardStore(BUDGET, false);
        Key k = key(1);
        byte[] a = "aaaa".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "bbbb".getBytes(StandardCharsets.US_ASCII);
        byte[] c = "cccc".getBytes(StandardCharsets.US_ASCII);
        StringOps.set(store, k, a, 0, 4, SetArgs.PLAIN, 0);
        byte[] first = store.peek(k, false);
        StringOps.set(store, k, b, 0, 4, SetArgs.PLAIN, 0);
        assertThat(store.peek(k, false)).as("private: overwritten in place").isSameAs(first);
        assertThat(Entry.value(first)).isEqualTo(b);

        byte[] read = store.get(k, true); // handed out
        assertThat(Entry.has(read, Entry.SHARED)).isTrue();
        StringOps.set(store, k, c, 0, 4, SetArgs.PLAIN, 0);
        assertThat(Entry.value(read)).as("the reader's value").isEqualTo(b);
        byte[] now = store.peek(k, false);
        assertThat(now).isNotSameAs(read);
        assertThat(Entry.value(now)).isEqualTo(c);
        assertThat(Entry.has(now, Entry.SHARED)).as("the new array is private again").isFalse();

        StringOps.set(store, k, a, 0, 3, SetArgs.PLAIN, 0); // another length: a new array
        assertThat(store.peek(k, false)).isNotSameAs(now);
        assertThat(Arrays.equals(Entry.value(now), c)).isTrue();
    }

    /** INCR keeps the array while the number keeps its digit count, and allocates when it grows. */
    @Test
    void incrWritesTheDigitsInPlaceUntilTheyGrow() {
        CacheShardStore store = new CacheShardStore(BUDGET, false);
        Key k = key(2);
        byte[] v = "97".getBytes(StandardCharsets.US_ASCII);
        StringOps.set(store, k, v, 0, 2, SetArgs.PLAIN, 0);
        store.expire(k, 60_000);
        byte[] e = store.peek(k, false);
        StringOps.incrBy(store, k, 1);
        StringOps.incrBy(store, k, 1);
        assertThat(store.peek(k, false)).isSameAs(e);
        assertThat(new String(Entry.value(e), StandardCharsets.US_ASCII)).isEqualTo("99");
        assertThat(store.ttl(k)).as("INCR keeps the TTL").isEqualTo(60_000);
        StringOps.incrBy(store, k, 1);
        byte[] grown = store.peek(k, false);
        assertThat(grown).isNotSameAs(e);
        assertThat(new String(Entry.value(grown), StandardCharsets.US_ASCII)).isEqualTo("100");
        assertThat(store.ttl(k)).isEqualTo(60_000);
    }
}
