package io.dash4j.bench.sim.policy;

import io.dash4j.eviction.DashCache;
import io.dash4j.bench.sim.slots.SlotPolicySpec;
import io.dash4j.eviction.SlotPolicy;
import io.dash4j.eviction.baseline.ArenaLruCache;
import io.dash4j.eviction.baseline.LinkedLruCache;
import io.dash4j.eviction.baseline.SampledLruCache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The table of simulator policies: name → factory of a policy bounded to a number of entries.
 * Adding a policy is one {@link #register} line below.
 */
public final class Policies {

    /** A named policy: {@code factory} builds one instance bounded to the given number of entries. */
    public record Entry(String name, String description, IntFunction<Policy> factory) {

        public Policy create(int size) {
            return factory.apply(size);
        }
    }

    private static final Map<String, Entry> TABLE = new LinkedHashMap<>();

    static {
        // reference policies, written here
        register("lru", "exact LRU (reference)", LruPolicy::new);
        register("arc", "ARC, Megiddo & Modha FAST'03: T1/T2, ghosts B1/B2, adaptive p", ArcPolicy::new);
        register("2q", "full 2Q, Johnson & Shasha VLDB'94: A1in FIFO 25%, A1out ghosts 50%, Am LRU", TwoQueuePolicy::new);
        register("s3fifo", "S3-FIFO, Yang et al. SOSP'23 (libCacheSim): S 10%, M 90% 2-bit CLOCK, ghost 90%, promote after 2 hits", S3FifoPolicy::new);
        register("sieve", "SIEVE, Zhang et al. NSDI'24: FIFO + visited bit + a hand that does not move survivors", SievePolicy::new);
        register("clock", "CLOCK (second chance), 1-bit: a referenced tail goes back to the head", ClockPolicy::new);
        register("lirs", "LIRS, Jiang & Zhang SIGMETRICS'02 (Caffeine's simulator): 1% HIR, 2x non-resident", LirsPolicy::new);
        register("caffeine", "the Caffeine library (W-TinyLFU), maximumSize = size", CaffeinePolicy::new);
        register("opt", "Belady's optimal (offline; holds the trace in memory)", OptPolicy::new);
        // the eviction module's caches, driven through the Cache<Long, Long> contract
        register("arena-lru", "io.dash4j.eviction.baseline.ArenaLruCache", n ->
                new CachePolicy(ArenaLruCache.<Long, Long>builder().maximumSize(n).build()));
        register("sampled-lru", "io.dash4j.eviction.baseline.SampledLruCache (Redis-style sampled LRU)", n ->
                new CachePolicy(SampledLruCache.<Long, Long>builder().maximumSize(n).build()));
        register("linked-lru", "io.dash4j.eviction.baseline.LinkedLruCache", n ->
                new CachePolicy(LinkedLruCache.<Long, Long>builder().maximumSize(n).build()));
        register("dash2q", "io.dash4j.eviction.DashCache with its default slot policy, single owner", n ->
                new CachePolicy(DashCache.<Long, Long>builder().maximumSize(n).buildSingleOwner()));
        register("dash2q-concurrent", "io.dash4j.eviction.ConcurrentDashCache, default policy (bumps recorded, applied in batches up to 16 hits late), one thread", n ->
                new CachePolicy(DashCache.<Long, Long>builder().maximumSize(n).build()));
        // every slot-policy preset, side by side: dash-dragonfly is Dragonfly's own policy and
        // dash-mark-lazy-fpghost-s8-w16 the default (both the production orders); the others
        // are the simulator's interpreter of the rejected variants (SlotPolicySpec)
        for (SlotPolicySpec spec : SlotPolicySpec.presets()) {
            register("dash-" + spec.name(), slotPolicy(SlotPolicySpec.policy(spec.name())));
        }
    }

    private Policies() {
    }

    private static Entry slotPolicy(SlotPolicy p) {
        return new Entry(null, "DashCache with SlotPolicy " + p, n ->
                new CachePolicy(DashCache.<Long, Long>builder().maximumSize(n).slotPolicy(p).buildSingleOwner()));
    }

    private static void register(String name, Entry e) {
        register(name, e.description(), e.factory());
    }

    private static void register(String name, String description, IntFunction<Policy> factory) {
        if (TABLE.putIfAbsent(name, new Entry(name, description, factory)) != null) {
            throw new IllegalStateException("duplicate policy " + name);
        }
    }

    /**
     * The policy called {@code name}, or null. Besides the table, {@code dash-default} and
     * {@code dash-<preset>:key=value...} are DashCache with that preset's parameters changed
     * ({@link SlotPolicySpec#parse}, which rejects an unknown preset or key).
     */
    public static Entry get(String name) {
        Entry e = TABLE.get(name);
        if (e == null && name.startsWith("dash-")) {
            Entry spec = slotPolicy(SlotPolicySpec.policy(name.substring("dash-".length())));
            e = new Entry(name, spec.description(), spec.factory());
        }
        return e;
    }

    /** Every policy, in registration order. */
    public static Map<String, Entry> all() {
        return Collections.unmodifiableMap(TABLE);
    }
}
