package io.dash4j.bench.work;

import io.dash4j.bench.Cli;
import io.dash4j.bench.sim.slots.SlotPolicySpec;
import io.dash4j.dashtable.KeyStrategy;
import io.dash4j.dashtable.ProbeWork;
import io.dash4j.dashtable.Segment;
import io.dash4j.eviction.CacheStats;
import io.dash4j.eviction.DashCache;
import io.dash4j.eviction.SlotPolicy;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code dash-bench work}: the work of a DashCache miss and of an evicting put, counted rather than
 * timed (timings on a shared machine are noise; counts are exact and deterministic).
 *
 * <p>Two sources, cross-checked: a {@link KeyStrategy} that counts every key hash and key
 * equality test the real code makes, and {@link Segment#traceFind}, which replays a lookup and
 * counts buckets, fingerprint words, stash buckets, stash pointers and cache lines (its key
 * compares must equal the counted ones, or the command fails).
 *
 * <p>Workload: a cache of {@code --capacity} Long keys filled, then warmed with 4 x capacity
 * requests over a universe of twice the capacity (get, put on a miss), so probation, the stash
 * and the ghost filter are in their steady state. Then {@code --ops} misses (keys never stored)
 * and {@code --ops} evicting puts (absent keys of the universe: some return as ghosts), then
 * {@code --ops} hits (present keys of the universe, drawn uniformly).
 */
public final class WorkCommand {

    private WorkCommand() {
    }

    /** Counts hashes and equality tests of Long keys, hashing as {@link KeyStrategy#natural()}. */
    static final class CountingKeys implements KeyStrategy<Long> {
        long hashes;
        long compares;

        @Override
        public long hash(Long key, long seed) {
            hashes++;
            return KeyStrategy.<Long>natural().hash(key, seed);
        }

        @Override
        public boolean equals(Long a, Long b) {
            compares++;
            return a.equals(b);
        }
    }

    /** Standalone entry point, to count against another build's classes (put them first on the class path). */
    public static void main(String[] args) {
        Cli.exit(WorkCommand::run, args);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        int capacity = 65_536;
        int ops = 200_000;
        boolean trace = true;
        String[] policies = {"default", "dragonfly"};
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--capacity" -> capacity = Integer.parseInt(args[++i]);
                    case "--ops" -> ops = Integer.parseInt(args[++i]);
                    case "--policies" -> policies = args[++i].split(",");
                    case "--no-trace" -> trace = false;
                    case "-h", "--help" -> {
                        out.println(usage());
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            err.println("work: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        out.println("| policy | operation | key hashes | key compares | entries moved | evictions | ghost admissions | lookup: buckets | fp words | stash buckets | pointer words | cache lines |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String name : policies) {
            String failure = measure(SlotPolicySpec.policy(name), capacity, ops, trace, out);
            if (failure != null) {
                err.println("work: " + failure);
                return 1;
            }
        }
        return 0;
    }

    static String usage() {
        return """
                usage: dash-bench work [--capacity 65536] [--ops 200000] [--policies default,dragonfly] [--no-trace]
                  counts the work of a DashCache hit, miss and evicting put (a markdown table on stdout);
                  policies are slot-policy presets or specs as in sim (without the dash- prefix);
                  entries moved = hits (puts) after which the entry is elsewhere (CacheStats bumps);
                  --no-trace leaves out the lookup trace (for running against builds without Segment.traceFind)""";
    }

    private static String measure(SlotPolicy policy, int capacity, int ops, boolean trace, PrintStream out) {
        CountingKeys keys = new CountingKeys();
        DashCache<Long, Long> cache = DashCache.<Long, Long>builder().maximumSize(capacity).keyStrategy(keys)
                .slotPolicy(policy).buildSingleOwner();
        SplittableRandom r = new SplittableRandom(15);
        long universe = 2L * capacity;
        for (long i = 0; i < 4L * capacity; i++) {
            Long k = r.nextLong(universe);
            if (cache.getIfPresent(k) == null) {
                cache.put(k, k);
            }
        }
        // misses: keys never stored (negative), each a real getIfPresent plus a traced lookup
        ProbeWork missWork = new ProbeWork();
        long hashes = 0;
        long compares = 0;
        for (int i = 0; i < ops; i++) {
            Long k = -1 - r.nextLong(Long.MAX_VALUE);
            long h0 = keys.hashes;
            long c0 = keys.compares;
            cache.getIfPresent(k);
            hashes += keys.hashes - h0;
            compares += keys.compares - c0;
            if (trace) {
                long hash = cache.hash(k);
                long before = missWork.keyCompares;
                c0 = keys.compares;
                cache.table().segmentFor(hash).traceFind(k, hash, missWork);
                if (missWork.keyCompares - before != keys.compares - c0) {
                    return "traceFind and find disagree on key compares";
                }
            }
        }
        if (trace && missWork.keyCompares != compares) {
            return "traced key compares " + missWork.keyCompares + " != counted " + compares;
        }
        row(out, policy, "miss (getIfPresent)", ops, hashes, compares, 0, 0, 0, trace ? missWork : null);
        // evicting puts: absent keys of the universe (checked without side effects)
        ProbeWork putWork = new ProbeWork();
        hashes = 0;
        compares = 0;
        CacheStats s0 = cache.stats();
        long ghosts0 = cache.ghostAdmissions();
        int done = 0;
        while (done < ops) {
            Long k = r.nextLong(universe);
            long hash = cache.hash(k);
            if (cache.table().locate(k, hash) >= 0) {
                continue;
            }
            if (trace) {
                cache.table().segmentFor(hash).traceFind(k, hash, putWork);
            }
            long h0 = keys.hashes;
            long c0 = keys.compares;
            cache.put(k, k);
            hashes += keys.hashes - h0;
            compares += keys.compares - c0;
            done++;
        }
        CacheStats s1 = cache.stats();
        row(out, policy, "evicting put", ops, hashes, compares, s1.bumpCount() - s0.bumpCount(),
                s1.evictionCount() - s0.evictionCount(),
                cache.ghostAdmissions() - ghosts0, trace ? putWork : null);
        // hits (last, so misses and puts see the same warm cache as in runs without this row):
        // uniformly drawn present keys of the universe
        hashes = 0;
        compares = 0;
        CacheStats h0s = cache.stats();
        ProbeWork hitWork = new ProbeWork();
        for (int i = 0; i < ops; ) {
            Long k = r.nextLong(universe);
            long hash = cache.hash(k);
            if (cache.table().locate(k, hash) < 0) {
                continue;
            }
            if (trace) {
                cache.table().segmentFor(hash).traceFind(k, hash, hitWork);
            }
            long h0 = keys.hashes;
            long c0 = keys.compares;
            cache.getIfPresent(k);
            hashes += keys.hashes - h0;
            compares += keys.compares - c0;
            i++;
        }
        CacheStats h1s = cache.stats();
        row(out, policy, "hit (getIfPresent)", ops, hashes, compares, h1s.bumpCount() - h0s.bumpCount(), 0, 0,
                trace ? hitWork : null);
        return null;
    }

    private static void row(PrintStream out, SlotPolicy policy, String op, int ops, long hashes, long compares,
                            long moved, long evictions, long ghostAdmissions, ProbeWork w) {
        double n = ops;
        String lookup = w == null ? "| | | | | "
                : String.format(Locale.ROOT, "| %.3f | %.3f | %.3f | %.3f | %.3f ", w.bucketsProbed / n,
                        w.fingerprintWords / n, w.stashBuckets / n, w.pointerWords / n, w.cacheLines / n);
        out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f %s|%n", policy.name(), op, hashes / n,
                compares / n, moved / n, evictions / n, ghostAdmissions / n, lookup);
    }
}
