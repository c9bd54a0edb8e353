package io.dash4j.eviction;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Exact counters that threads can bump without sharing a cache line: one row of counters per
 * stripe ({@link Stripes}), rows 128 bytes apart, so a thread's increment is an atomic add on a
 * line only its own core holds (no bouncing, no retry loop). A read sums the rows; it is exact
 * once the writers are quiet, and never counts an increment twice.
 *
 * <p>This replaces a {@link java.util.concurrent.atomic.LongAdder} per partition, whose first
 * cell ({@code base}) every thread hit with a CAS until contention was detected, and which sat on
 * the partition lock's cache line.
 */
final class StripedCounters {

    static final int HITS = 0;
    static final int MISSES = 1;
    static final int DROPPED_BUMPS = 2;
    /** Longs between two stripes' rows: 128 bytes. */
    private static final int STRIDE = 16;

    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] cells;
    private final int mask;

    StripedCounters(int stripes) {
        if (Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two: " + stripes);
        }
        this.mask = stripes - 1;
        // row 0 is padding, so the first row does not share a line with the array header
        this.cells = new long[(stripes + 2) * STRIDE];
    }

    /** Adds one to {@code counter} in the calling thread's row. */
    void increment(int counter) {
        CELL.getAndAdd(cells, (Stripes.current(mask) + 1) * STRIDE + counter, 1L);
    }

    long sum(int counter) {
        long sum = 0;
        for (int s = 0; s <= mask; s++) {
            sum += (long) CELL.getVolatile(cells, (s + 1) * STRIDE + counter);
        }
        return sum;
    }
}
