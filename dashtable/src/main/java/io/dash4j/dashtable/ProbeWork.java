package io.dash4j.dashtable;

/**
 * The work of lookups, counted rather than timed: what {@link Segment#find} reads, as replayed by
 * {@link Segment#traceFind} (which mirrors it, and is checked against it by tests). The bench
 * command {@code work} prints these per operation for docs/eviction.md.
 *
 * <p>Cache lines are counted by a simple address model: each array starts on a line boundary
 * after a 16-byte header, so element {@code i} of an array of {@code w}-byte elements is on line
 * {@code (16 + i * w) / 64}; a compared key object is one more line. Distinct lines per lookup are
 * summed.
 */
public final class ProbeWork {
    /** Lookups traced. */
    public long lookups;
    /** Buckets whose fingerprints were compared (regular and stash). */
    public long bucketsProbed;
    /** 8-byte fingerprint words compared (SWAR). */
    public long fingerprintWords;
    /** Stash buckets searched. */
    public long stashBuckets;
    /** Stash-pointer words compared (each holds four pointers' fingerprints: one SWAR compare). */
    public long pointerWords;
    /** Key equality tests (the only reads of key objects). */
    public long keyCompares;
    /** Distinct cache lines touched, summed over lookups. */
    public long cacheLines;

    private final long[] lines = new long[64];
    private int lineCount;

    void begin() {
        lookups++;
        lineCount = 0;
    }

    void end() {
        cacheLines += lineCount;
    }

    /** Notes a read of element {@code index} ({@code width} bytes each) of the array tagged {@code array}. */
    void touch(int array, long index, int width) {
        long line = (long) array << 48 | (16 + index * width) >>> 6;
        for (int i = 0; i < lineCount; i++) {
            if (lines[i] == line) {
                return;
            }
        }
        if (lineCount < lines.length) {
            lines[lineCount++] = line;
        }
    }

    /** Per-lookup averages, e.g. for a table row. */
    public String perLookup() {
        double n = Math.max(1, lookups);
        return String.format(java.util.Locale.ROOT,
                "buckets %.2f, fingerprint words %.2f, stash buckets %.2f, pointer words %.2f, key compares %.2f, cache lines %.2f",
                bucketsProbed / n, fingerprintWords / n, stashBuckets / n, pointerWords / n, keyCompares / n,
                cacheLines / n);
    }
}
