package io.dash4j.server.store;

import io.dash4j.dashtable.SegmentLayout;
import io.dash4j.dashtable.TableSnapshot;
import io.dash4j.eviction.CacheFullException;
import io.dash4j.eviction.DashCache;
import io.dash4j.eviction.RemovalCause;
import io.dash4j.eviction.SlotPolicy;

import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A shard's keyspace on the eviction module's single-owner {@link DashCache} (the Dashtable 2Q),
 * used only through the cache's public API.
 *
 * <h2>One object per key</h2>
 * The cache's key and value are both the {@link Entry} array (probes are {@link Key}s, matched by
 * {@link EntryKeys}), so a key costs its entry plus its Dashtable slot. An overwrite puts the new
 * entry in the slot it finds (or removes the old one and inserts the new one when it changes cache
 * or must make room), so the slot never keeps a stale array alive; a same-length overwrite of a
 * private entry writes into the stored array instead ({@link #write}: see {@link Entry} for
 * the private/shared rule, kept by {@link #get} marking what it hands out). Only keys with a TTL
 * or a pin pay for the cache's small holder object.
 *
 * <h2>Load factor: split-wave smoothing and two choices</h2>
 * A Dashtable grows by splitting a full segment into two half-full ones; with uniform hashing all
 * segments fill together, so one table's load factor saws between ~0.5 and ~0.9 as it doubles
 * (extendible hashing's mean is about ln 2). A shard therefore keeps {@link #PARTS} caches in
 * {@link #PAIRS} pairs:
 * <ul>
 *   <li>a key's pair is chosen by hash with shares in geometric progression (2^(i/4)), so the pairs'
 *   split waves come at different key counts and the shard never sees one big wave;</li>
 *   <li>within its pair a new key goes to the cache whose target segment is less full (ties by a
 *   hash bit). A segment splits only when the key's segments in both caches are full, and a
 *   fresh half-full segment soaks up inserts while its full twin waits.</li>
 * </ul>
 * Together they keep the load factor between ~0.76 and ~0.84 (one table alone: 0.53 to 0.93).
 * A lookup probes at most the two caches of the key's pair (and the large-value cache when it is
 * not empty).
 *
 * <h2>Large values</h2>
 * An entry heavier than {@link #largeThreshold()} (an eighth of the smallest part's share, ~1.2 %
 * of the shard's budget) lives in a ninth cache, {@code large}, so no single value is bounded by
 * one part's share. In cache mode the large cache may take up to half the shard's budget
 * ({@link #largestValue()}: a bigger value is refused, {@link StoreFullException.Limit#VALUE_LARGER_THAN_CACHE});
 * whatever it holds is lent by the eight parts, whose bounds shrink to their shares of what is left
 * ({@link #rebalance}: they evict their coldest entries) and grow back when large values leave.
 *
 * <h2>Modes</h2>
 * Cache mode: each cache is a weight-bounded evicting {@code DashCache} under the configured
 * {@link SlotPolicy} (the library's default, with its ghost filter, unless told otherwise).
 * Store mode: the caches are unbounded and this class refuses a write that would take
 * {@link #usedMemory()} over the budget ({@link StoreFullException.Limit#MAXMEMORY}), so nothing
 * stored is ever evicted.
 *
 * <h2>Active expiry</h2>
 * {@link #activeExpire} is Redis's cycle: each cache in turn is sampled 20 keys with a TTL at a
 * time ({@link DashCache#expireSample}), again while more than a quarter of a sample had expired,
 * within a CPU budget; removals count as expirations.
 */
public final class CacheShardStore implements ShardStore {

    /** Pairs of caches per shard, and caches (see "Load factor"). */
    public static final int PAIRS = 4;
    public static final int PARTS = 2 * PAIRS;

    /**
     * Segment shape: 60 regular + 16 stash buckets of 16 slots. Sixteen-slot buckets halve the
     * per-slot metadata of the bitmaps and stash pointers, and the larger stash lets a segment
     * fill to ~100% before it must split.
     */
    public static final SegmentLayout LAYOUT = new SegmentLayout(60, 16, 16);
    /** The large-value cache holds few entries: a small segment (64 slots). */
    static final SegmentLayout LARGE_LAYOUT = new SegmentLayout(6, 2, 8);

    /** A {@code DashCache.Held} (value, expiry, pin): 12 + 4 + 8 + 1 bytes, aligned (compressed oops). */
    static final long HOLDER_BYTES = MemoryModel.align(HeapLayout.OBJECT_HEADER + HeapLayout.REF + 8 + 1);
    /** Weight added per entry in cache mode for its slot (two references, fingerprint, metadata). */
    static final int SLOT_WEIGHT = 12;
    /** Unbounded weight in store mode (the budget is checked here, not by the cache). */
    private static final long UNBOUNDED = Long.MAX_VALUE / 4;
    /** Smallest bound of a cache. */
    private static final long MIN_BOUND = 1024;

    /** Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP: keys with a TTL per sample. */
    static final int EXPIRE_SAMPLE = 20;
    /** Non-empty buckets one sample may walk looking for keys with a TTL (bounds a sample's cost). */
    static final int EXPIRE_SAMPLE_BUCKETS = 160;
    /** Samples between two looks at the clock (Redis checks every 16 iterations). */
    private static final int EXPIRE_CLOCK_EVERY = 16;

    private static final long[] THRESHOLDS = new long[PAIRS];
    /** Budget share of each cache (half its pair's share). */
    private static final double[] SHARES = new double[PARTS];

    static {
        double sum = 0;
        for (int i = 0; i < PAIRS; i++) {
            sum += Math.pow(2, (double) i / PAIRS);
        }
        double cum = 0;
        for (int i = 0; i < PAIRS; i++) {
            double share = Math.pow(2, (double) i / PAIRS) / sum;
            SHARES[2 * i] = share / 2;
            SHARES[2 * i + 1] = share / 2;
            cum += share;
            THRESHOLDS[i] = i == PAIRS - 1 ? 1L << 32 : (long) (cum * (1L << 32));
        }
    }

    @SuppressWarnings("unchecked")
    private final DashCache<Object, byte[]>[] parts = new DashCache[PARTS];
    /** Hashing and equality of entries and probes, with the write's hash hint (this store's own). */
    private final EntryKeys entryKeys = new EntryKeys();
    /** Entries heavier than {@link #largeThreshold()}. */
    private DashCache<Object, byte[]> large;
    private long budget;
    private boolean evicting;
    private SlotPolicy slotPolicy;
    private long now;
    /** The last memcached CAS unique handed out: only ever grows. */
    private long casUnique;

    /** Entries with the TTL bit; entries with a holder (TTL or STICKY). */
    private long ttlEntries;
    private long heldEntries;
    private long stickyEntries;

    private long hits;
    private long misses;
    /** Removals seen by the removal listener, by cause (they survive a rebuild). */
    private long evictions;
    private long expirations;
    /** Bumps of caches replaced by {@link #configure} (a rebuilt cache starts from zero). */
    private long retiredBumps;

    /** Keys changed since the store was made ({@link #changes()}). */
    private long changes;
    /** The running point-in-time snapshot, or null. */
    private CacheSnapshot snapshot;

    /** The cache active expiry samples next ({@link #PARTS} = the large cache). */
    private int expireCache;

    /** A store under the library's default slot policy ({@link SlotPolicy#DEFAULT}). */
    public CacheShardStore(long budgetBytes, boolean evicting) {
        this(budgetBytes, evicting, SlotPolicy.DEFAULT);
    }

    public CacheShardStore(long budgetBytes, boolean evicting, SlotPolicy slotPolicy) {
        this.budget = budgetBytes;
        this.evicting = evicting;
        this.slotPolicy = slotPolicy;
        this.now = System.currentTimeMillis();
        buildAll();
    }

    private void buildAll() {
        for (int i = 0; i < PARTS; i++) {
            parts[i] = build((long) (budget * SHARES[i]), LAYOUT, slotPolicy);
        }
        large = build(largestValue(), LARGE_LAYOUT, SlotPolicy.DRAGONFLY);
    }

    private DashCache<Object, byte[]> build(long share, SegmentLayout layout, SlotPolicy policy) {
        long bound = evicting ? Math.max(MIN_BOUND, share) : UNBOUNDED;
        DashCache.Builder<Object, byte[]> b = DashCache.<Object, byte[]>builder();
        if (evicting && policy.hasGhosts()) {
            // the ghost filter is sized for the most segments the part can use: bound it by the
            // budget at a small entry (the filter's bytes count in used_memory)
            long smallest = Entry.heapSize(new byte[8]) + SLOT_WEIGHT;
            b.maximumSegments((int) Math.max(1, Math.min(1 << 20, bound / smallest / layout.capacity() + 1)));
        }
        return b
                .keyStrategy(entryKeys)
                .layout(layout)
                .slotPolicy(evicting ? policy : SlotPolicy.DRAGONFLY)
                .maximumWeight(bound)
                .weigher((k, v) -> (int) Math.min(Integer.MAX_VALUE, Entry.heapSize(v) + SLOT_WEIGHT))
                .evicting(evicting)
                .ticker(() -> now * 1_000_000L)
                .removalListener(this::onRemoval)
                .buildSingleOwner();
    }

    private void onRemoval(Object key, byte[] entry, RemovalCause cause) {
        boolean ttl = Entry.has(entry, Entry.TTL);
        boolean sticky = Entry.has(entry, Entry.STICKY);
        if (ttl) {
            ttlEntries--;
        }
        if (sticky) {
            stickyEntries--;
        }
        if (ttl || sticky) {
            heldEntries--;
        }
        if (cause == RemovalCause.EXPIRED) {
            expirations++;
        } else if (cause == RemovalCause.EVICTED) {
            evictions++;
        }
    }

    /** Routing bits, independent of the bits the tables use. */
    private static long route(long hash) {
        return Key.mix(hash ^ 0x632BE59BD9B4E019L);
    }

    /** The first cache of the key's pair; the second is {@code +1}. */
    private static int pairOf(long hash) {
        long r = route(hash) >>> 32;
        for (int i = 0; i < PAIRS - 1; i++) {
            if (r < THRESHOLDS[i]) {
                return 2 * i;
            }
        }
        return 2 * (PAIRS - 1);
    }

    /** Where a new small key goes: the cache of its pair whose target segment is less full. */
    private DashCache<Object, byte[]> target(Key key) {
        int p = pairOf(key.hash);
        double a = parts[p].segmentLoad(key.hash);
        double b = parts[p + 1].segmentLoad(key.hash);
        boolean first = a < b || (a == b && (route(key.hash) & 1) == 0);
        return parts[first ? p : p + 1];
    }

    // ------------------------------------------------------------------ size rules

    /** Entry weight above which an entry lives in the large cache: an eighth of the smallest part's share. */
    long largeThreshold() {
        return Math.max(4096, (long) (budget * SHARES[0] / 8));
    }

    /** Cache mode: the heaviest entry the store takes (the large cache's bound, half the budget). */
    long largestValue() {
        return Math.max(MIN_BOUND, budget / 2);
    }

    private static long weightOf(byte[] e) {
        return Entry.heapSize(e) + SLOT_WEIGHT;
    }

    /**
     * Cache mode: the parts' bounds are their shares of the budget the large cache does not hold
     * (less {@code reserve}, a large entry about to come in). Shrinking evicts their coldest entries.
     */
    private void rebalance(long reserve) {
        if (!evicting) {
            return;
        }
        long room = Math.max(0, budget - large.weightedSize() - reserve);
        for (int i = 0; i < PARTS; i++) {
            long bound = Math.max(MIN_BOUND, (long) (room * SHARES[i]));
            if (bound != parts[i].maximumWeight()) {
                parts[i].setMaximumWeight(bound);
            }
        }
    }

    @Override
    public void checkFits(long entryBytes) {
        long weight = Entry.align(Entry.ARRAY_HEADER + entryBytes) + SLOT_WEIGHT;
        if (evicting) {
            if (weight > largestValue()) {
                throw tooLarge(weight);
            }
        } else if (usedMemory() + weight > budget) {
            throw storeFull();
        }
    }

    private StoreFullException tooLarge(long weight) {
        return new StoreFullException(StoreFullException.Limit.VALUE_LARGER_THAN_CACHE,
                "OOM value too large for the cache: the entry takes " + weight + " bytes, and one value may take"
                        + " at most half of this shard's maxmemory share (" + largestValue() + " bytes)");
    }

    private static StoreFullException storeFull() {
        // Redis's text: store mode is its noeviction policy
        return new StoreFullException(StoreFullException.Limit.MAXMEMORY,
                "OOM command not allowed when used memory > 'maxmemory'.");
    }

    // ------------------------------------------------------------------ reads and writes

    @Override
    public void setNow(long epochMillis) {
        this.now = epochMillis;
    }

    @Override
    public long now() {
        return now;
    }

    @Override
    public byte[] get(Key key, boolean read) {
        return Entry.share(peek(key, read)); // handed out: immutable from now on
    }

    @Override
    public byte[] peek(Key key, boolean read) {
        int p = pairOf(key.hash); // a live key is in at most one cache of its pair, or in large
        byte[] e = parts[p].getIfPresent(key, key.hash);
        if (e == null) {
            e = parts[p + 1].getIfPresent(key, key.hash);
            if (e == null && large.size() > 0) {
                e = large.getIfPresent(key, key.hash);
            }
        }
        if (read) {
            if (e == null) {
                misses++;
            } else {
                hits++;
            }
        }
        return e;
    }

    /** The cache holding {@code key}'s live entry, or null; no side effect. */
    private DashCache<Object, byte[]> holder(Key key) {
        int p = pairOf(key.hash);
        if (parts[p].getIfPresentQuietly(key, key.hash) != null) {
            return parts[p];
        }
        if (parts[p + 1].getIfPresentQuietly(key, key.hash) != null) {
            return parts[p + 1];
        }
        return large.size() > 0 && large.getIfPresentQuietly(key, key.hash) != null ? large : null;
    }

    /**
     * The live entry of {@code key} looked up without side effects, or null; its cache is left in
     * {@link #locatedIn} (a field, so the write paths allocate nothing to return two things).
     */
    private byte[] locate(Key key) {
        int p = pairOf(key.hash);
        DashCache<Object, byte[]> oc = parts[p];
        byte[] old = oc.getIfPresentQuietly(key, key.hash);
        if (old == null) {
            oc = parts[p + 1];
            old = oc.getIfPresentQuietly(key, key.hash);
            if (old == null) {
                oc = large;
                old = large.size() > 0 ? large.getIfPresentQuietly(key, key.hash) : null;
            }
        }
        locatedIn = oc;
        return old;
    }

    /** {@link #locate}'s cache. */
    private DashCache<Object, byte[]> locatedIn;

    /** A write's TTL in nanos (0: none) from its {@code ttlMillis} argument and the old entry's time left. */
    private static long ttlNanos(long ttlMillis, long oldLeftNanos) {
        return ttlMillis == KEEP_TTL ? Math.max(0, oldLeftNanos) : ttlMillis > 0 ? ttlMillis * 1_000_000L : 0;
    }

    @Override
    public void put(Key key, byte[] entry, long ttlMillis) {
        byte[] old = locate(key);
        store(key, entry, ttlMillis, old, locatedIn);
    }

    /** {@link #put} of {@code entry} where {@code key}'s live entry is {@code old} (or null) in cache {@code oc}. */
    private void store(Key key, byte[] entry, long ttlMillis, byte[] old, DashCache<Object, byte[]> oc) {
        long oldLeft = old != null && Entry.has(old, Entry.TTL) ? oc.expiresInNanos(key) : 0;
        long ttlNanos = ttlNanos(ttlMillis, oldLeft);
        boolean sticky = old != null && Entry.has(old, Entry.STICKY);
        boolean ttl = ttlNanos > 0;
        long weight = weightOf(entry);
        boolean toLarge = weight > largeThreshold();
        if (evicting) {
            if (weight > largestValue()) {
                throw tooLarge(weight);
            }
        } else {
            long delta = weight + (ttl || sticky ? HOLDER_BYTES : 0) - (old == null ? 0 : weightOf(old) + holderOf(old));
            if (delta > 0 && usedMemory() + delta > budget) {
                throw storeFull();
            }
        }
        Entry.mark(entry, Entry.STICKY, sticky);
        if (old != null && !toLarge && oc != large
                && oc.weightedSize() - weightOf(old) + weight <= oc.maximumWeight()) {
            overwriteInPlace(oc, key, entry, ttlNanos, ttl);
            return;
        }
        Entry.mark(entry, Entry.TTL, ttl);
        if (old != null) {
            oc.remove(key);
        }
        // new keys choose their cache of the pair
        DashCache<Object, byte[]> c = toLarge ? large : target(key);
        if (toLarge) {
            rebalance(weight); // the parts make room for what the large cache takes
        }
        try {
            assert Entry.keyHash(entry) == key.hash : "an entry stored under another key";
            entryKeys.hashing(entry, key.hash); // the probe's hash: the table need not hash the entry again
            c.put(entry, entry, ttlNanos);
        } catch (CacheFullException e) {
            // cache mode: every entry that could make room is pinned; store mode: only a
            // degenerate hash gets here. Either way the old value goes back where it was.
            if (old != null) {
                restore(oc, old, oldLeft);
            }
            throw evicting ? new StoreFullException(StoreFullException.Limit.ALL_PINNED,
                    "OOM cannot make room: every entry that could be evicted is pinned (STICK)") : storeFull();
        } finally {
            entryKeys.done();
        }
        onAdded(entry);
        changes++;
        if (sticky) {
            c.stick(entry);
        }
        if (toLarge || (old != null && oc == large)) {
            rebalance(0); // the large cache may have evicted, or given up an old value
        }
    }

    /**
     * An overwrite that stays in its cache (the common SET of an existing key): the cache replaces
     * key and value in the slot it finds, one probe instead of a remove and an insert, and the
     * key keeps its place, so a SCAN in progress still finds it. The cache keeps the pin and
     * reports the old entry REPLACED (its counters go down in {@link #onRemoval}). Taken only
     * when the new weight fits the cache's bound without evicting (always in store mode, whose
     * budget was checked above): an overwrite that must make room goes the remove-and-insert way,
     * which can refuse it and put the old entry back when every other entry is pinned.
     */
    private void overwriteInPlace(DashCache<Object, byte[]> c, Key key, byte[] entry, long ttlNanos, boolean ttl) {
        try {
            entryKeys.hashing(entry, key.hash);
            c.put(entry, entry, ttlNanos);
        } finally {
            entryKeys.done();
        }
        Entry.mark(entry, Entry.TTL, ttl); // after the REPLACED report, which counted the old bits out
        onAdded(entry);
        changes++;
    }

    /**
     * {@link ShardStore#write}: one lookup serves both ways, the overwrite in place of a private
     * entry ({@link #inPlace}) or the store of a new one.
     */
    @Override
    public byte[] write(Key key, int flags, long cas, int valueLength, long ttlMillis) {
        byte[] old = locate(key);
        DashCache<Object, byte[]> oc = locatedIn;
        if (old != null && inPlace(key, old, oc, flags, cas, valueLength, ttlMillis)) {
            return old;
        }
        byte[] entry = Entry.allocate(key, flags, cas, valueLength);
        store(key, entry, ttlMillis, old, oc);
        return entry;
    }

    /**
     * The allocation-free overwrite: true when {@code e}, {@code key}'s live entry in cache
     * {@code c}, now is the entry of the write (its metadata written, its value left to fill),
     * false when the write must store a new array (nothing changed). Invariant (see {@link Entry}):
     * only a private entry is written to — never one marked SHARED (a read handed it out: a reply
     * not yet encoded, a WATCH or RENAME that compares identity) and never while a snapshot runs
     * (its walk, and the pre-write hook that preserves buckets ahead of it, hand references to
     * the dump writer; each is marked SHARED when handed over, so once the walk is over the
     * writer's backlog holds only shared entries). Same length and layout means the same weight,
     * so memory and the cache's bound are unchanged; the bookkeeping is the cache's own replace
     * of the key by the same array ({@link #overwriteInPlace}), so the TTL, the pin, the slot
     * order and every counter end up exactly as after a {@link #put} of a new array.
     */
    private boolean inPlace(Key key, byte[] e, DashCache<Object, byte[]> c, int flags, long cas, int valueLength,
                            long ttlMillis) {
        if (snapshot != null || c == large || Entry.has(e, Entry.SHARED) || !Entry.hasLayout(e, flags, cas)
                || Entry.valueLength(e) != valueLength) {
            return false;
        }
        boolean hadTtl = Entry.has(e, Entry.TTL);
        long ttlNanos = ttlNanos(ttlMillis, hadTtl ? c.expiresInNanos(key) : 0);
        boolean ttl = ttlNanos > 0;
        boolean sticky = Entry.has(e, Entry.STICKY);
        if (!evicting && ttl && !hadTtl && !sticky && usedMemory() + HOLDER_BYTES > budget) {
            return false; // the new TTL holder does not fit: put refuses it, naming the limit
        }
        if (c.weightedSize() > c.maximumWeight()) {
            return false; // as put: an overwrite that must make room takes the remove-and-insert way
        }
        // the cache replaces the array by itself: it reports it REPLACED while the header still
        // shows the old TTL bit (onRemoval counts it out), then the new bits are counted in
        overwriteInPlace(c, key, e, ttlNanos, ttl);
        Entry.putMeta(e, flags, cas);
        return true;
    }

    /**
     * Puts back an entry a refused write had taken out (with its TTL and pin); it fits where it
     * was, since the refused write freed nothing else. A pinned-full cache may still refuse it.
     */
    private void restore(DashCache<Object, byte[]> c, byte[] old, long ttlNanos) {
        try {
            c.put(old, old, Entry.has(old, Entry.TTL) ? Math.max(1, ttlNanos) : 0);
        } catch (CacheFullException stillFull) {
            return;
        }
        onAdded(old);
        if (Entry.has(old, Entry.STICKY)) {
            c.stick(old);
        }
    }

    private void onAdded(byte[] e) {
        boolean ttl = Entry.has(e, Entry.TTL);
        boolean sticky = Entry.has(e, Entry.STICKY);
        if (ttl) {
            ttlEntries++;
        }
        if (sticky) {
            stickyEntries++;
        }
        if (ttl || sticky) {
            heldEntries++;
        }
    }

    private static long holderOf(byte[] e) {
        return Entry.has(e, Entry.TTL) || Entry.has(e, Entry.STICKY) ? HOLDER_BYTES : 0;
    }

    @Override
    public byte[] remove(Key key) {
        DashCache<Object, byte[]> c = holder(key);
        if (c == null) {
            return null;
        }
        byte[] e = c.remove(key);
        if (e != null) {
            changes++;
        }
        if (c == large) {
            rebalance(0);
        }
        return e;
    }

    @Override
    public long ttl(Key key) {
        DashCache<Object, byte[]> c = holder(key);
        long n = c == null ? -2 : c.expiresInNanos(key);
        if (n < 0) {
            return n;
        }
        return Math.max(0, (n + 999_999) / 1_000_000L); // whole ms unless the clock is finer
    }

    @Override
    public boolean expire(Key key, long ttlMillis) {
        DashCache<Object, byte[]> c = holder(key);
        byte[] e = c == null ? null : c.getIfPresent(key, key.hash);
        if (e == null) {
            return false;
        }
        boolean hadTtl = Entry.has(e, Entry.TTL);
        boolean sticky = Entry.has(e, Entry.STICKY);
        changes++;
        if (ttlMillis == 0) {
            c.remove(key);
            return true;
        }
        c.setExpiry(key, ttlMillis > 0 ? ttlMillis * 1_000_000L : -1);
        boolean hasTtl = ttlMillis > 0;
        if (hasTtl != hadTtl) {
            Entry.mark(e, Entry.TTL, hasTtl);
            ttlEntries += hasTtl ? 1 : -1;
            if (!sticky) {
                heldEntries += hasTtl ? 1 : -1;
            }
        }
        return true;
    }

    @Override
    public boolean stick(Key key) {
        DashCache<Object, byte[]> c = holder(key);
        byte[] e = c == null ? null : c.getIfPresent(key, key.hash);
        if (e == null || Entry.has(e, Entry.STICKY)) {
            return false;
        }
        c.stick(key);
        Entry.mark(e, Entry.STICKY, true);
        stickyEntries++;
        if (!Entry.has(e, Entry.TTL)) {
            heldEntries++;
        }
        return true;
    }

    @Override
    public long nextCas() {
        return ++casUnique;
    }

    @Override
    public void casAbove(long unique) {
        casUnique = Math.max(casUnique, unique);
    }

    // ------------------------------------------------------------------ iteration

    private static final long TABLE_CURSOR_BITS = (1L << 40) - 1;

    /** Cache {@code i} in scan order: the parts, then the large cache. */
    private DashCache<Object, byte[]> cacheAt(int i) {
        return i < PARTS ? parts[i] : large;
    }

    @Override
    public long scan(long cursor, int count, Consumer<byte[]> visitor) {
        int p = (int) (cursor >>> 40);
        long tc = cursor & TABLE_CURSOR_BITS;
        int[] seen = {0};
        while (p <= PARTS) {
            tc = cacheAt(p).scan(tc, Math.max(1, count - seen[0]), (k, e) -> {
                seen[0]++;
                visitor.accept(Entry.share(e));
            });
            if (tc == 0) {
                p++;
            }
            if (seen[0] >= count) {
                break;
            }
        }
        return p > PARTS ? 0 : (long) p << 40 | tc;
    }

    @Override
    public byte[] random(SplittableRandom rnd) {
        long n = size();
        if (n == 0) {
            return null;
        }
        long pick = rnd.nextLong(n);
        int p = 0;
        while (p < PARTS && pick >= cacheAt(p).size()) {
            pick -= cacheAt(p).size();
            p++;
        }
        DashCache<Object, byte[]> c = cacheAt(p);
        SegmentLayout layout = p < PARTS ? LAYOUT : LARGE_LAYOUT;
        ArrayList<byte[]> found = new ArrayList<>();
        // a scan cursor is (logical bucket << 32 | directory prefix): start at a random one
        long cursor = (long) rnd.nextInt(layout.regularBuckets()) << 32 | (rnd.nextLong() & 0xFFFFFFFFL);
        // scan(.., 1, ..) walks until it visits an entry or reaches the end; then wrap once
        if (c.scan(cursor, 1, (k, e) -> found.add(e)) == 0 && found.isEmpty()) {
            c.scan(0, 1, (k, e) -> found.add(e));
        }
        return found.isEmpty() ? null : Entry.share(found.get(rnd.nextInt(found.size())));
    }

    // ------------------------------------------------------------------ size and memory

    @Override
    public long size() {
        long n = large.size();
        for (DashCache<Object, byte[]> c : parts) {
            n += c.size();
        }
        return n;
    }

    private long entryBytes() {
        long w = large.weightedSize() - large.size() * SLOT_WEIGHT;
        for (DashCache<Object, byte[]> c : parts) {
            w += c.weightedSize() - c.size() * SLOT_WEIGHT;
        }
        return w + heldEntries * HOLDER_BYTES;
    }

    private long tableBytes() {
        long b = MemoryModel.cacheBytes(large, LARGE_LAYOUT);
        for (DashCache<Object, byte[]> c : parts) {
            b += MemoryModel.cacheBytes(c, LAYOUT);
        }
        return b;
    }

    @Override
    public long usedMemory() {
        return entryBytes() + tableBytes();
    }

    @Override
    public long memoryOf(byte[] entry) {
        SegmentLayout layout = weightOf(entry) > largeThreshold() ? LARGE_LAYOUT : LAYOUT;
        return Entry.heapSize(entry) + holderOf(entry) + MemoryModel.slotBytes(layout);
    }

    @Override
    public void clear() {
        finishSnapshot();
        changes += size();
        for (int i = 0; i <= PARTS; i++) {
            cacheAt(i).invalidateAll();
        }
        ttlEntries = 0;
        heldEntries = 0;
        stickyEntries = 0;
        rebalance(0);
    }

    @Override
    public void configure(long budgetBytes, boolean evict, SlotPolicy policy) {
        boolean rebuild = evict != this.evicting
                || (evict && (budgetBytes != this.budget || !policy.equals(this.slotPolicy)));
        this.budget = budgetBytes;
        this.evicting = evict;
        this.slotPolicy = policy;
        if (!rebuild) {
            return;
        }
        finishSnapshot(); // the image is taken from the caches about to be replaced
        ArrayList<byte[]> live = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, size()));
        ArrayList<Long> ttls = new ArrayList<>();
        for (int i = 0; i <= PARTS; i++) {
            DashCache<Object, byte[]> old = cacheAt(i);
            retiredBumps += old.stats().bumpCount();
            old.forEach((k, e) -> {
                live.add(e);
                ttls.add(Entry.has(e, Entry.TTL) ? old.expiresInNanos(e) : 0L);
            });
        }
        buildAll();
        ttlEntries = 0;
        heldEntries = 0;
        stickyEntries = 0;
        // small entries first, then large ones (the parts shrink to make room for them)
        for (int pass = 0; pass < 2; pass++) {
            for (int j = 0; j < live.size(); j++) {
                byte[] e = live.get(j);
                boolean toLarge = weightOf(e) > largeThreshold();
                if (toLarge != (pass == 1)) {
                    continue;
                }
                if (toLarge && evict && weightOf(e) > largestValue()) {
                    evictions++; // a smaller budget cannot hold it
                    continue;
                }
                DashCache<Object, byte[]> c = toLarge ? large : target(new Key(Entry.key(e)));
                try {
                    if (toLarge) {
                        rebalance(weightOf(e));
                    }
                    c.put(e, e, Math.max(0, ttls.get(j)));
                    onAdded(e);
                    if (Entry.has(e, Entry.STICKY)) {
                        c.stick(e);
                    }
                } catch (CacheFullException ex) {
                    evictions++;
                }
            }
        }
        rebalance(0);
    }

    // ------------------------------------------------------------------ snapshots

    @Override
    public long changes() {
        return changes;
    }

    @Override
    public StoreSnapshot startSnapshot(StoreSnapshot.Sink sink) {
        if (snapshot != null) {
            throw new IllegalStateException("a snapshot of this shard is already running");
        }
        snapshot = new CacheSnapshot(sink);
        return snapshot;
    }

    private void finishSnapshot() {
        if (snapshot != null) {
            snapshot.finishNow();
        }
    }

    /**
     * The store's image: one {@link TableSnapshot} per cache, all started at the same moment (so
     * a key moving between caches, an overwrite that changes size class, is preserved where it
     * was), walked one cache after the other. Deadlines come back from the caches' ticker, which
     * runs on this store's epoch-millisecond clock.
     */
    private final class CacheSnapshot implements StoreSnapshot {
        private final TableSnapshot<?, ?>[] tables = new TableSnapshot<?, ?>[PARTS + 1];
        private final long keys = size();
        private final long expiring = ttlEntries;
        private int current;
        private boolean ended;

        CacheSnapshot(Sink sink) {
            // the dump writer reads the entry on its own thread, maybe long after: never again in place
            DashCache.SnapshotSink<Object, byte[]> bridge =
                    (k, e, at) -> sink.accept(Entry.share(e), at == Long.MAX_VALUE ? -1 : at / 1_000_000L);
            for (int i = 0; i <= PARTS; i++) {
                tables[i] = cacheAt(i).startSnapshot(bridge);
            }
        }

        @Override
        public boolean step(int buckets) {
            while (!ended && current <= PARTS) {
                if (!tables[current].step(buckets)) {
                    return false;
                }
                current++;
            }
            end();
            return true;
        }

        void finishNow() {
            while (!step(Integer.MAX_VALUE)) {
                // each step finishes one cache
            }
        }

        @Override
        public void abort() {
            for (TableSnapshot<?, ?> t : tables) {
                t.abort();
            }
            end();
        }

        private void end() {
            ended = true;
            if (snapshot == this) {
                snapshot = null;
            }
        }

        @Override
        public long keysAtStart() {
            return keys;
        }

        @Override
        public long expiringAtStart() {
            return expiring;
        }
    }

    // ------------------------------------------------------------------ expiry

    @Override
    public int activeExpire(long budgetNanos) {
        if (ttlEntries == 0) {
            return 0;
        }
        long deadline = System.nanoTime() + budgetNanos;
        long before = expirations;
        int samples = 0;
        // every cache once per cycle; a cache again while more than a quarter of its sample expired
        for (int visited = 0; visited <= PARTS && ttlEntries > 0; visited++) {
            DashCache<Object, byte[]> c = cacheAt(expireCache);
            expireCache = expireCache == PARTS ? 0 : expireCache + 1;
            int sampled;
            long expired;
            do {
                long e0 = expirations;
                sampled = c.expireSample(EXPIRE_SAMPLE, EXPIRE_SAMPLE_BUCKETS);
                expired = expirations - e0;
                if (++samples % EXPIRE_CLOCK_EVERY == 0 && System.nanoTime() - deadline > 0) {
                    rebalanceAfterExpiry(c);
                    return (int) (expirations - before);
                }
            } while (sampled > 0 && expired * 4 > sampled);
            rebalanceAfterExpiry(c);
        }
        return (int) (expirations - before);
    }

    private void rebalanceAfterExpiry(DashCache<Object, byte[]> c) {
        if (c == large) {
            rebalance(0);
        }
    }

    // ------------------------------------------------------------------ stats

    @Override
    public StoreStats stats() {
        long bu = retiredBumps;
        long segs = 0;
        long cap = 0;
        for (int i = 0; i <= PARTS; i++) {
            DashCache<Object, byte[]> c = cacheAt(i);
            bu += c.stats().bumpCount();
            segs += c.segmentCount();
            cap += c.capacity();
        }
        long entries = entryBytes();
        long tables = tableBytes();
        return new StoreStats(size(), ttlEntries, stickyEntries, entries + tables, entries, tables, hits, misses,
                evictions, expirations, bu, segs, cap, budget, evicting, large.size(), large.weightedSize());
    }

    @Override
    public void resetStats() {
        hits = 0;
        misses = 0;
    }

    /** The slot policy used in cache mode. */
    public SlotPolicy slotPolicy() {
        return slotPolicy;
    }
}
