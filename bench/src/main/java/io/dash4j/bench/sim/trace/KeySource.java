package io.dash4j.bench.sim.trace;

import java.io.Closeable;
import java.io.IOException;

/** A trace being read: a stream of {@code long} keys, delivered in batches. */
public interface KeySource extends Closeable {

    /**
     * Copies up to {@code len} next keys into {@code buf[off..]}; returns how many, or -1 at the
     * end of the trace. Returns at least one key unless the trace has ended.
     */
    int read(long[] buf, int off, int len) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
