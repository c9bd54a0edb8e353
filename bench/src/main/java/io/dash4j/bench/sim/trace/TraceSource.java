package io.dash4j.bench.sim.trace;

import java.io.IOException;

/** A trace that can be opened (each {@link #open} replays it from the start, identically). */
public interface TraceSource {

    /** The name for reports: a file's base name or a synthetic spec as given. */
    String name();

    /** A new reader positioned at the first request. */
    KeySource open() throws IOException;

    /** The number of requests when known without reading the trace, else -1. */
    default long knownLength() {
        return -1;
    }
}
