package io.dash4j.eviction;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A manually advanced nanosecond clock for the contract suite's expiry tests (public, for reuse). */
public final class ManualTicker implements LongSupplier {
    private long nanos;

    /** Starts at an arbitrary non-zero reading, as {@link System#nanoTime()} would. */
    public ManualTicker() {
        this(1_000_000_000_000L);
    }

    public ManualTicker(long startNanos) {
        this.nanos = startNanos;
    }

    public ManualTicker advance(Duration duration) {
        return advance(duration.toNanos());
    }

    public ManualTicker advance(long deltaNanos) {
        nanos += deltaNanos;
        return this;
    }

    @Override
    public long getAsLong() {
        return nanos;
    }
}
