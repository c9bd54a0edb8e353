package io.dash4j.server.store;

import io.dash4j.eviction.SlotPolicy;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * What the commands need from one shard's keyspace. Single owner: every method runs on the
 * shard's thread, so an implementation takes no lock. Values are {@link Entry} arrays (key, value
 * and memcached metadata packed); times are epoch milliseconds, set per command by
 * {@link #setNow(long)}.
 */
public interface ShardStore {

    /** {@link #put}'s TTL argument that keeps the key's current time to live. */
    long KEEP_TTL = -1;

    /** The clock for expiry decisions until the next call. */
    void setNow(long epochMillis);

    long now();

    /**
     * The live entry of {@code key}, or null (an expired entry is removed), for a caller that
     * hands it out: the entry is marked {@link Entry#SHARED} (it becomes immutable: see
     * {@link Entry}). A hit promotes the entry in the 2Q order, as Dragonfly bumps every
     * successful lookup. {@code read} counts the lookup as a keyspace hit or miss.
     */
    byte[] get(Key key, boolean read);

    /**
     * {@link #get} for a look that keeps the array on the shard's thread for the command's own
     * use: the array must not be returned, kept, sent to another thread nor compared by identity
     * later (it may be overwritten in place by the next write). Leaves it private.
     */
    byte[] peek(Key key, boolean read);

    /**
     * Makes {@code entry} the value of {@code key} (replacing any), with a time to live of
     * {@code ttlMillis} (&gt; 0), none (0), or the one it has ({@link #KEEP_TTL}). A STICK'ed key
     * stays sticky.
     *
     * @throws StoreFullException when it cannot be stored within maxmemory (store mode), or is
     *         larger than the cache can hold (cache mode); the keyspace is then unchanged, and the
     *         exception names the limit
     */
    void put(Key key, byte[] entry, long ttlMillis);

    /**
     * {@link #put} of a value the caller writes afterwards: makes {@code key} hold an entry with
     * {@code flags}, {@code cas} and {@code valueLength} value bytes, under {@code ttlMillis} as
     * {@code put} takes it, and returns that entry for the caller to fill its value (from
     * {@link Entry#valueOffset}) before anything else runs on this shard. When the key's live
     * entry is private (not {@link Entry#SHARED}), already has exactly {@code valueLength} value
     * bytes and the FLAGS/CAS layout of {@code flags}/{@code cas}, and no snapshot is running, it
     * is that very array (an overwrite in place: nothing allocated), with everything {@code put}
     * of a new array would leave (TTL, pin, change counter, eviction metadata, memory); otherwise
     * a new entry, stored. The value bytes of the returned array are undefined until filled.
     *
     * @throws StoreFullException as {@link #put} (the keyspace is then unchanged)
     */
    byte[] write(Key key, int flags, long cas, int valueLength, long ttlMillis);

    /**
     * Throws the {@link StoreFullException} {@link #put} would throw for a new entry with
     * {@code entryBytes} bytes of payload (over the budget left in store mode, larger than the
     * cache can hold in cache mode). Commands that build large values on the server (SETRANGE,
     * APPEND) ask before allocating.
     */
    void checkFits(long entryBytes);

    /** {@link #checkFits} as a boolean. */
    default boolean fits(long entryBytes) {
        try {
            checkFits(entryBytes);
            return true;
        } catch (StoreFullException e) {
            return false;
        }
    }

    /**
     * Removes {@code key}; returns the live entry removed, or null. (Out of the store, the array
     * can no longer be overwritten in place: it needs no {@link Entry#SHARED} mark.)
     */
    byte[] remove(Key key);

    /** Remaining time to live in ms; -1 when the key has none, -2 when absent. */
    long ttl(Key key);

    /** Sets ({@code ttlMillis > 0}), clears ({@code < 0}) or expires now ({@code 0}) a TTL; false when absent. */
    boolean expire(Key key, long ttlMillis);

    /** Marks {@code key} never evictable (Dragonfly's STICK); true when it was present and not yet sticky. */
    boolean stick(Key key);

    /**
     * Cursor scan (0 starts, 0 ends): visits at least {@code count} live entries unless it ends.
     * The visitor is handed the entries: they are marked {@link Entry#SHARED}.
     */
    long scan(long cursor, int count, Consumer<byte[]> visitor);

    /** A live entry picked at random (marked {@link Entry#SHARED}), or null when empty. */
    byte[] random(SplittableRandom rnd);

    long size();

    /** Honest estimate of the heap this store holds: entries, TTL holders and tables. */
    long usedMemory();

    /** Bytes one entry costs (MEMORY USAGE): its array, TTL holder, and a share of its slot. */
    long memoryOf(byte[] entry);

    void clear();

    /**
     * Sets the budget in bytes, the mode (evicting in cache mode, refusing writes in store mode)
     * and the eviction order used in cache mode. Keys, TTLs and pins are kept (in cache mode the
     * ones a smaller budget cannot hold are evicted).
     */
    void configure(long budgetBytes, boolean evicting, SlotPolicy policy);

    /**
     * One active-expiry cycle (Redis's activeExpireCycle): samples keys with a TTL and removes the
     * expired ones, repeating while many of a sample had expired, for at most about
     * {@code budgetNanos} of CPU. Returns how many keys it removed.
     */
    int activeExpire(long budgetNanos);

    /**
     * The next memcached CAS unique of this shard: monotonic for the store's whole life (never
     * reset by {@code stats reset} or a flush), so a unique is never handed out twice.
     */
    long nextCas();

    /**
     * Makes every later {@link #nextCas()} larger than {@code unique} (a dump loaded at start-up
     * brings CAS uniques handed out by an earlier process: a new one must not repeat them).
     */
    void casAbove(long unique);

    /** Resets the counters CONFIG RESETSTAT / {@code stats reset} zero (hits, misses). */
    void resetStats();

    StoreStats stats();

    /**
     * Starts a forkless point-in-time snapshot of every key ({@link StoreSnapshot}): {@code sink}
     * receives each entry as it is now, while commands go on; the caller steps it between commands.
     * Configuring or clearing the store while it runs completes it first.
     *
     * @throws UnsupportedOperationException when this store cannot snapshot
     * @throws IllegalStateException when a snapshot is already running
     */
    default StoreSnapshot startSnapshot(StoreSnapshot.Sink sink) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot take snapshots");
    }

    /**
     * Keys changed since the store was made (Redis's dirty counter: writes, deletions, TTL
     * changes, a flush counts its keys); the persistence layer compares it with the count at the
     * last save. 0 for a store that does not count.
     */
    default long changes() {
        return 0;
    }
}
