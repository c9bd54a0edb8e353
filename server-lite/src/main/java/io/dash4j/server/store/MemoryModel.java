package io.dash4j.server.store;

import io.dash4j.dashtable.SegmentLayout;
import io.dash4j.eviction.DashCache;

/**
 * Heap sizes of the Dashtable's structures, for this JVM's layout ({@link HeapLayout}; with
 * compressed references, the default below 32 GB of heap: 12-byte object headers, 16-byte array
 * headers, 4-byte references), 8-byte alignment. {@code MemoryAccountingTest} checks the figures
 * against the real heap and JOL.
 */
public final class MemoryModel {

    static final long ARRAY_HEADER = HeapLayout.BYTE_ARRAY_HEADER;
    static final long REF_ARRAY_HEADER = HeapLayout.OBJECT_ARRAY_HEADER;
    static final long OBJECT_HEADER = HeapLayout.OBJECT_HEADER;
    static final long REF = HeapLayout.REF;

    /** A {@code DashTable} object (its fields, not its arrays). */
    static final long TABLE_OBJECT_BYTES = align(OBJECT_HEADER + 6 * REF + 8 + 6 * 4 + 3 * 8);
    /** A {@code DashCache} with its policy, sweep scratch list and lambdas. */
    static final long CACHE_OBJECT_BYTES = 256;

    private MemoryModel() {
    }

    static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** One {@code Segment}: its object and its eight flat arrays. */
    public static long segmentBytes(SegmentLayout l) {
        long total = l.capacity();
        long buckets = l.totalBuckets();
        long regular = l.regularBuckets();
        return align(OBJECT_HEADER + 9 * REF + 6 * 4)
                + align(ARRAY_HEADER + total + 16)       // fingerprints (padded by 16)
                + align(ARRAY_HEADER + 4 * buckets)      // busy/probe bitmaps
                + align(ARRAY_HEADER + 4 * buckets)      // snapshot versions (docs/persistence.md)
                + align(ARRAY_HEADER + 4 * regular)      // stash pointer metadata
                + align(ARRAY_HEADER + 4 * regular)      // stash pointer fingerprints
                + align(ARRAY_HEADER + 2 * regular)      // overflow counters
                + 2 * align(REF_ARRAY_HEADER + REF * total); // keys, values
    }

    /** Table bytes per slot (MEMORY USAGE's share of a slot). */
    public static long slotBytes(SegmentLayout l) {
        return (segmentBytes(l) + l.capacity() - 1) / l.capacity();
    }

    /**
     * A cache's structures: its table's segments ({@code layout}, the shape it was built with),
     * directory and object, the cache object and its ghost filter.
     */
    public static long cacheBytes(DashCache<?, ?> c, SegmentLayout layout) {
        return c.segmentCount() * segmentBytes(layout)
                + align(REF_ARRAY_HEADER + REF * (long) c.directorySize())
                + TABLE_OBJECT_BYTES + CACHE_OBJECT_BYTES + c.ghostFilterBytes();
    }
}
