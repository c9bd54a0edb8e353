package io.dash4j.eviction;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A manually advanced nanosecond clock for expiry tests. */
final class FakeTicker implements LongSupplier {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    void advance(java.time.Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
