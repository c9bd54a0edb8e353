package io.dash4j.server.store;

/**
 * A write was refused and nothing changed. {@link #limit()} says which rule refused it, and the
 * message (a RESP error text starting with {@code OOM}) says it to the client with the numbers.
 */
public final class StoreFullException extends RuntimeException {

    /** The memory rules a write can break. */
    public enum Limit {
        /** Store mode: the write would take the shard's used_memory over its share of maxmemory. */
        MAXMEMORY,
        /** Cache mode: one value larger than the shard's cache can hold, however much it evicts. */
        VALUE_LARGER_THAN_CACHE,
        /** Cache mode: every entry that could make room is pinned (STICK). */
        ALL_PINNED
    }

    private final Limit limit;

    public StoreFullException(Limit limit, String message) {
        super(message, null, false, false);
        this.limit = limit;
    }

    public Limit limit() {
        return limit;
    }
}
