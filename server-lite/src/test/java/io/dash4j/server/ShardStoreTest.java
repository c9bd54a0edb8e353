package io.dash4j.server;

import io.dash4j.eviction.SlotPolicy;
import io.dash4j.server.store.CacheShardStore;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import io.dash4j.server.store.ShardStore;
import io.dash4j.server.store.StoreFullException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shard store against simple models: store mode keeps exactly what a map with expiry times
 * keeps (small and large values, TTLs, active expiry); cache mode never returns a wrong value and
 * stays within its budget; active expiry reclaims expired keys nobody reads.
 */
class ShardStoreTest {

    static Key key(String k) {
        return new Key(k.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] entry(String k, int size, int seed) {
        byte[] v = new byte[size];
        Arrays.fill(v, (byte) seed);
        return Entry.of(k.getBytes(StandardCharsets.US_ASCII), v);
    }

    /** One operation of the model test. */
    record Op(int kind, int key, int size, int ttlMs, int advanceMs) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 64)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(60_000, 240_000))); // large-value cache
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 60), sizes,
                Arbitraries.of(0, 0, 50, 200, 1_000), Arbitraries.integers().between(0, 300))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 150)
    void storeModeKeepsWhatTheModelKeeps(@ForAll("ops") List<Op> ops) {
        // 8 MB: values over ~100 KB go to the large-value cache, and a few of them fill the budget
        CacheShardStore store = new CacheShardStore(8L << 20, false);
        long now = 1_000_000;
        store.setNow(now);
        Map<String, byte[]> values = new HashMap<>();
        Map<String, Long> expiry = new HashMap<>(); // absent = no TTL
        int seed = 0;
        for (Op op : ops) {
            String k = "k" + op.key();
            switch (op.kind()) {
                case 0, 1 -> {
                    byte[] e = entry(k, op.size(), ++seed);
                    try {
                        store.put(key(k), e, op.ttlMs());
                    } catch (StoreFullException full) {
                        assertThat(full.limit()).isEqualTo(StoreFullException.Limit.MAXMEMORY);
                        assertThat(store.usedMemory() + Entry.heapSize(e)).isGreaterThan(8L << 20);
                        break; // refused: nothing changed (checked at the end against the model)
                    }
                    values.put(k, e);
                    if (op.ttlMs() > 0) {
                        expiry.put(k, now + op.ttlMs());
                    } else {
                        expiry.remove(k);
                    }
                }
                case 2 -> {
                    store.remove(key(k));
                    values.remove(k);
                    expiry.remove(k);
                }
                case 3 -> {
                    now += op.advanceMs();
                    store.setNow(now);
                }
                case 4 -> store.activeExpire(1_000_000_000L);
                default -> {
                    if (values.containsKey(k)) {
                        byte[] e = entry(k, op.size(), ++seed);
                        try {
                            store.put(key(k), e, ShardStore.KEEP_TTL);
                            values.put(k, e);
                        } catch (StoreFullException full) {
                            // refused: the old value and its TTL stay
                        }
                    }
                }
            }
            final long t = now;
            expiry.entrySet().removeIf(x -> {
                if (x.getValue() <= t) {
                    values.remove(x.getKey());
                    return true;
                }
                return false;
            });
        }
        for (int i = 0; i <= 60; i++) {
            String k = "k" + i;
            assertThat(store.get(key(k), false)).as(k).isEqualTo(values.get(k));
            long ttl = store.ttl(key(k));
            if (!values.containsKey(k)) {
                assertThat(ttl).isEqualTo(-2);
            } else if (expiry.containsKey(k)) {
                assertThat(ttl).isEqualTo(expiry.get(k) - now);
            } else {
                assertThat(ttl).isEqualTo(-1);
            }
        }
        for (int i = 0; i < 100 && store.size() > values.size(); i++) {
            store.activeExpire(1_000_000_000L);
        }
        assertThat(store.size()).as("active expiry leaves only live keys").isEqualTo(values.size());
        assertThat(store.stats().expires()).isEqualTo(expiry.size());
    }

    @Property(tries = 100)
    void cacheModeNeverAnswersAWrongValueAndStaysInBudget(@ForAll("ops") List<Op> ops) {
        long budget = 1_000_000;
        CacheShardStore store = new CacheShardStore(budget, true);
        long now = 1_000_000;
        store.setNow(now);
        Map<String, byte[]> last = new HashMap<>();
        int seed = 0;
        for (Op op : ops) {
            String k = "k" + op.key();
            switch (op.kind()) {
                case 0, 1, 5 -> {
                    byte[] e = entry(k, op.size() * 2, ++seed);
                    store.put(key(k), e, op.ttlMs());
                    last.put(k, e);
                }
                case 2 -> {
                    store.remove(key(k));
                    last.remove(k);
                }
                case 3 -> {
                    now += op.advanceMs();
                    store.setNow(now);
                }
                default -> store.activeExpire(1_000_000_000L);
            }
            byte[] got = store.get(key(k), false);
            if (got != null) {
                assertThat(got).as("a hit is the last value written").isSameAs(last.get(k));
            }
            // the caches' weights (entry + slot) stay within the budget; holders of TTL keys come on top
            long entries = store.stats().entryBytes() - 32 * store.stats().expires();
            assertThat(entries).as("entry bytes within the budget").isLessThanOrEqualTo(budget);
        }
    }

    @Test
    void activeExpiryReclaimsKeysNobodyReads() {
        CacheShardStore store = new CacheShardStore(1L << 30, true, SlotPolicy.DEFAULT);
        long now = 5_000_000;
        store.setNow(now);
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            String k = "key:" + i;
            store.put(key(k), entry(k, 16, i), i % 10 == 0 ? 0 : 1_000); // 90% expire in 1 s
        }
        assertThat(store.activeExpire(1_000_000_000L)).as("nothing has expired yet").isZero();
        now += 2_000;
        store.setNow(now);
        int cycles = 0;
        while (store.size() > n / 10 && cycles < 10_000) {
            store.activeExpire(25_000_000L);
            cycles++;
        }
        assertThat(store.size()).isEqualTo(n / 10);
        assertThat(store.stats().expirations()).isEqualTo(n - n / 10);
        assertThat(store.stats().expires()).isZero();
        for (int i = 0; i < n; i += 10) {
            assertThat(store.get(key("key:" + i), false)).isNotNull();
        }
    }

    @Test
    void largeValuesAreLimitedByHalfTheBudgetNotByOnePartsShare() {
        long budget = 64L << 20;
        CacheShardStore store = new CacheShardStore(budget, true);
        for (int i = 0; i < 20_000; i++) {
            store.put(key("small:" + i), entry("small:" + i, 100, i), 0);
        }
        long smallBefore = store.size();
        // 30% of the budget: far above any part's share (under 16%)
        store.put(key("big"), entry("big", (int) (budget * 0.3), 1), 0);
        assertThat(store.get(key("big"), false)).isNotNull();
        assertThat(store.size() - 1).as("small keys stay (the budget has room)").isEqualTo(smallBefore);
        store.put(key("big2"), entry("big2", (int) (budget * 0.3), 2), 0);
        assertThat(store.stats().entryBytes()).isLessThanOrEqualTo(budget);
        assertThatThrownBy(() -> store.put(key("huge"), entry("huge", (int) (budget * 0.6), 3), 0))
                .isInstanceOf(StoreFullException.class)
                .hasMessageContaining("value too large for the cache")
                .extracting(e -> ((StoreFullException) e).limit())
                .isEqualTo(StoreFullException.Limit.VALUE_LARGER_THAN_CACHE);
        assertThat(store.get(key("huge"), false)).isNull();
        store.remove(key("big"));
        store.remove(key("big2"));
        for (int i = 0; i < 600_000; i++) {
            store.put(key("more:" + i), entry("more:" + i, 100, i), 0);
        }
        assertThat(store.stats().entryBytes()).as("the parts grew back to the whole budget")
                .isGreaterThan((long) (budget * 0.8)).isLessThanOrEqualTo(budget);
    }

    @Test
    void storeModeRefusesOverTheBudgetAndNamesTheLimit() {
        CacheShardStore store = new CacheShardStore(8L << 20, false);
        store.put(key("a"), entry("a", 5 << 20, 1), 0);
        assertThatThrownBy(() -> store.put(key("b"), entry("b", 5 << 20, 2), 0))
                .isInstanceOf(StoreFullException.class)
                .hasMessage("OOM command not allowed when used memory > 'maxmemory'.")
                .extracting(e -> ((StoreFullException) e).limit()).isEqualTo(StoreFullException.Limit.MAXMEMORY);
        assertThat(store.get(key("a"), false)).isNotNull();
        assertThat(store.get(key("b"), false)).isNull();
        store.put(key("a"), entry("a", 6 << 20, 3), 0); // an overwrite only pays the difference
    }

    @Test
    void whenEverythingIsPinnedAWriteIsRefusedAndLosesNothing() {
        CacheShardStore store = new CacheShardStore(64 * 1024, true); // parts of 6 to 10 KB
        java.util.List<String> pinned = new java.util.ArrayList<>();
        int refusedNew = 0;
        for (int i = 0; i < 2_000; i++) {
            String k = "p" + i;
            try {
                store.put(key(k), entry(k, 100, i), 0);
            } catch (StoreFullException e) {
                assertThat(e.limit()).isEqualTo(StoreFullException.Limit.ALL_PINNED);
                assertThat(store.get(key(k), false)).isNull();
                refusedNew++;
                continue;
            }
            if (store.get(key(k), false) != null) { // written, not evicted on arrival
                assertThat(store.stick(key(k))).isTrue();
                pinned.add(k);
            }
        }
        assertThat(refusedNew).as("full of pins: new keys are refused").isPositive();
        assertThat(store.stats().evictions()).isZero();
        int refusedOverwrites = 0;
        for (String k : pinned) {
            byte[] before = store.get(key(k), false);
            try {
                store.put(key(k), entry(k, 3_000, 7), 0);
            } catch (StoreFullException e) {
                assertThat(e.limit()).isEqualTo(StoreFullException.Limit.ALL_PINNED);
                assertThat(e.getMessage()).contains("pinned");
                assertThat(store.get(key(k), false)).as("the old value of %s stays", k).isSameAs(before);
                refusedOverwrites++;
            }
        }
        assertThat(refusedOverwrites).isPositive();
        assertThat(store.size()).isEqualTo(pinned.size());
        assertThat(store.stats().sticky()).isEqualTo(pinned.size());
    }

    @Test
    void anOverwriteHoldsOnlyTheNewEntry() {
        for (boolean evicting : new boolean[] {false, true}) {
            CacheShardStore store = new CacheShardStore(64L << 20, evicting);
            for (int i = 0; i < 5_000; i++) {
                store.put(key("o" + i), entry("o" + i, 40, 1), i % 3 == 0 ? 60_000 : 0);
            }
            long used = store.usedMemory();
            Map<String, byte[]> latest = new HashMap<>();
            for (int i = 0; i < 5_000; i++) {
                byte[] e = entry("o" + i, 40, 2);
                store.put(key("o" + i), e, ShardStore.KEEP_TTL);
                latest.put("o" + i, e);
            }
            assertThat(store.size()).isEqualTo(5_000);
            assertThat(store.usedMemory()).as("same sizes, same memory (evicting=%s)", evicting).isEqualTo(used);
            int[] seen = {0};
            long cursor = 0;
            do {
                cursor = store.scan(cursor, 500, e -> {
                    String k = new String(e, Entry.keyOffset(e), Entry.keyLength(e), StandardCharsets.US_ASCII);
                    assertThat(e).as("the slot holds the new entry of %s, not the old", k).isSameAs(latest.get(k));
                    seen[0]++;
                });
            } while (cursor != 0);
            assertThat(seen[0]).isEqualTo(5_000);
            assertThat(store.ttl(key("o3"))).as("KEEP_TTL kept the TTL").isPositive();
            assertThat(store.ttl(key("o1"))).isEqualTo(-1);
        }
    }

    @Test
    void casUniquesOnlyGrow() {
        CacheShardStore store = new CacheShardStore(1 << 20, true);
        long a = store.nextCas();
        store.resetStats();
        store.clear();
        store.configure(2 << 20, false, SlotPolicy.DRAGONFLY);
        assertThat(store.nextCas()).isGreaterThan(a);
    }

    @Test
    void reconfiguringKeepsKeysTtlsAndPins() {
        CacheShardStore store = new CacheShardStore(64L << 20, true, SlotPolicy.DRAGONFLY);
        store.setNow(1_000);
        for (int i = 0; i < 5_000; i++) {
            store.put(key("k" + i), entry("k" + i, 32, i), i % 2 == 0 ? 60_000 : 0);
        }
        store.put(key("big"), entry("big", 4 << 20, 1), 30_000);
        store.stick(key("k1"));
        store.configure(64L << 20, true, SlotPolicy.DEFAULT);
        assertThat(store.slotPolicy()).isEqualTo(SlotPolicy.DEFAULT);
        store.configure(64L << 20, false, SlotPolicy.DEFAULT);
        store.configure(32L << 20, true, SlotPolicy.DEFAULT);
        assertThat(store.size()).isEqualTo(5_001);
        assertThat(store.ttl(key("k0"))).isEqualTo(60_000);
        assertThat(store.ttl(key("k1"))).isEqualTo(-1);
        assertThat(store.ttl(key("big"))).isEqualTo(30_000);
        assertThat(store.stats().sticky()).isEqualTo(1);
        assertThat(store.stats().expires()).isEqualTo(2_501);
    }
}
