package io.dash4j.bench.sim;

import io.dash4j.bench.sim.policy.NextUse;
import io.dash4j.bench.sim.policy.OfflinePolicy;
import io.dash4j.bench.sim.trace.KeySource;
import io.dash4j.bench.sim.trace.TraceSource;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Replays one trace through many policy runs in a single pass: the trace is read in batches and
 * every run consumes each batch in turn, so a trace is parsed (or decompressed) once however many
 * policies and sizes are compared. When a run needs the future ({@link OfflinePolicy}), the trace
 * is first read whole into a {@code long[]} and its {@link NextUse} index built once for all runs.
 */
public final class Simulator {

    static final int BATCH = 1 << 16;

    /** What a pass cost. */
    public record Pass(long requests, long readNanos, long totalNanos, boolean heldInMemory) {
    }

    private Simulator() {
    }

    /** Replays {@code trace} through every run and calls {@code finish} on each; returns the request count. */
    public static Pass run(TraceSource trace, List<SimRun> runs) throws IOException {
        long start = System.nanoTime();
        boolean offline = runs.stream().anyMatch(r -> r.policy() instanceof OfflinePolicy);
        long requests = 0;
        long readNanos;
        if (offline) {
            long[] keys = readAll(trace);
            NextUse future = NextUse.of(keys, keys.length);
            readNanos = System.nanoTime() - start;
            for (SimRun r : runs) {
                if (r.policy() instanceof OfflinePolicy o) {
                    o.prepare(future);
                }
            }
            for (int from = 0; from < keys.length; from += BATCH) {
                int to = Math.min(keys.length, from + BATCH);
                for (SimRun r : runs) {
                    r.feed(keys, from, to);
                }
            }
            requests = keys.length;
        } else {
            long[] buf = new long[BATCH];
            long policyNanos = 0;
            try (KeySource in = trace.open()) {
                int n;
                while ((n = fill(in, buf)) > 0) {
                    long t0 = System.nanoTime();
                    for (SimRun r : runs) {
                        r.feed(buf, 0, n);
                    }
                    policyNanos += System.nanoTime() - t0;
                    requests += n;
                }
            }
            readNanos = System.nanoTime() - start - policyNanos;
        }
        for (SimRun r : runs) {
            r.finish();
        }
        return new Pass(requests, readNanos, System.nanoTime() - start, offline);
    }

    /** Fills {@code buf} as far as the trace allows; returns the count, 0 at the end. */
    private static int fill(KeySource in, long[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    /** The whole trace as one array (for offline policies). */
    public static long[] readAll(TraceSource trace) throws IOException {
        long known = trace.knownLength();
        int max = Integer.MAX_VALUE - 8;
        if (known > max) {
            throw new IOException(trace.name() + ": " + known + " requests are too many to hold in memory for an offline policy");
        }
        long[] keys = new long[known >= 0 ? (int) known : 1 << 20];
        int n = 0;
        try (KeySource in = trace.open()) {
            while (true) {
                if (n == keys.length) {
                    if (known >= 0 && n == known) {
                        if (in.read(new long[1], 0, 1) < 0) {
                            break;
                        }
                        throw new IOException(trace.name() + ": more requests than the " + known + " announced");
                    }
                    if (n == max) {
                        throw new IOException(trace.name() + ": too many requests to hold in memory for an offline policy");
                    }
                    keys = Arrays.copyOf(keys, (int) Math.min(max, n + (long) (n >> 1) + 16));
                }
                int r = in.read(keys, n, keys.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        return n == keys.length ? keys : Arrays.copyOf(keys, n);
    }
}
