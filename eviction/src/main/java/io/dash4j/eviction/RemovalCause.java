package io.dash4j.eviction;

/** Why an entry left the cache. */
public enum RemovalCause {
    /** {@code remove}, {@code invalidateAll}. */
    EXPLICIT,
    /** A {@code put} overwrote the value. */
    REPLACED,
    /** Its time to live passed. */
    EXPIRED,
    /** The policy chose it to respect the entry or weight bound. */
    EVICTED;

    /** True when the cache, not the caller, decided to remove the entry. */
    public boolean wasEvicted() {
        return this == EXPIRED || this == EVICTED;
    }
}
