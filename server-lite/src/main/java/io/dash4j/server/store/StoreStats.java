package io.dash4j.server.store;

/**
 * A snapshot of one shard store's counters, taken on the shard's own thread. {@code largeKeys}
 * and {@code largeBytes} describe the large-value cache (entries and their weight).
 */
public record StoreStats(
        long keys,
        long expires,
        long sticky,
        long usedMemory,
        long entryBytes,
        long tableBytes,
        long hits,
        long misses,
        long evictions,
        long expirations,
        long bumps,
        long segments,
        long capacity,
        long budget,
        boolean evicting,
        long largeKeys,
        long largeBytes) {

    public StoreStats plus(StoreStats o) {
        return new StoreStats(keys + o.keys, expires + o.expires, sticky + o.sticky, usedMemory + o.usedMemory,
                entryBytes + o.entryBytes, tableBytes + o.tableBytes, hits + o.hits, misses + o.misses,
                evictions + o.evictions, expirations + o.expirations, bumps + o.bumps, segments + o.segments,
                capacity + o.capacity, budget + o.budget, evicting && o.evicting, largeKeys + o.largeKeys,
                largeBytes + o.largeBytes);
    }

    public static final StoreStats ZERO = new StoreStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, true, 0, 0);
}
