package io.dash4j.eviction;

/**
 * Remembers keys evicted from probation without storing them (2Q's A1out, compactly), within a
 * budget of bits per cached entry. A false positive admits a new key as if it had returned: it
 * costs a little hit ratio, never correctness. Keys are given by their table hash.
 */
public interface GhostFilter {

    /** Remembers an evicted key. */
    void add(long keyHash);

    /** Whether the key might have been evicted recently (false: it certainly was not). */
    boolean mightContain(long keyHash);

    /**
     * For a key being admitted: whether it was remembered ({@link #mightContain}); a filter that
     * can forget one key forgets it, so it cannot come back twice.
     */
    default boolean takeBack(long keyHash) {
        return mightContain(keyHash);
    }

    /**
     * Follows a cache whose entry count is not known up front (a weight bound): when it has grown
     * past twice what the filter was sized for, the filter is rebuilt (empty) at the new size.
     */
    void ensureSizedFor(long cachedEntries);

    void clear();

    /** Bytes of filter state. */
    long bytes();
}
