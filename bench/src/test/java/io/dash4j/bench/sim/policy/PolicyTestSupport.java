package io.dash4j.bench.sim.policy;

import java.util.SplittableRandom;

/** Helpers for replaying tiny traces through a policy. */
final class PolicyTestSupport {

    private PolicyTestSupport() {
    }

    /** The hit/miss pattern as a string of 'H' and '.', one per request. */
    static String pattern(Policy p, long... trace) {
        if (p instanceof OfflinePolicy o) {
            o.prepare(NextUse.of(trace, trace.length));
        }
        StringBuilder b = new StringBuilder();
        for (long k : trace) {
            b.append(p.access(k) ? 'H' : '.');
        }
        return b.toString();
    }

    static long hits(Policy p, long[] trace) {
        if (p instanceof OfflinePolicy o) {
            o.prepare(NextUse.of(trace, trace.length));
        }
        long h = 0;
        for (long k : trace) {
            if (p.access(k)) {
                h++;
            }
        }
        return h;
    }

    /** A skewed random trace over {@code keys} keys. */
    static long[] randomTrace(long seed, int length, int keys) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] t = new long[length];
        for (int i = 0; i < length; i++) {
            // a mix of a small hot set and a wide tail, so every policy has work to do
            t[i] = r.nextInt(4) == 0 ? r.nextInt(keys) : r.nextInt(Math.max(1, keys / 8));
        }
        return t;
    }
}
