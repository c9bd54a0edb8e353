package io.dash4j.server.store;

import io.dash4j.dashtable.DashTable;
import io.dash4j.dashtable.SegmentLayout;
import io.dash4j.eviction.CacheFullException;
import io.dash4j.eviction.CacheStats;
import io.dash4j.eviction.DashCache;
import io.dash4j.eviction.RemovalCause;
import io.dash4j.eviction.SlotPolicy;

import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A shard's keyspace on the eviction module's single-owner {@link DashCache} (the Dashtable 2Q).
 *
 * <h2>One object per key</h2>
 * The cache's key and value are both the {@link Entry} array (probes are {@link Key}s, matched by
 * {@link EntryKeys}), so a key costs its entry plus its Dashtable slot. An overwrite removes the old
 * entry and inserts the new one, so the slot never keeps a stale array alive. Only keys with a TTL
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
 * A lookup probes at most the two caches of the key's pair. Each cache gets its share of the budget.
 *
 * <h2>Modes</h2>
 * Cache mode: each part is a weight-bounded evicting {@code DashCache}; Dragonfly's stash-tail
 * eviction makes room. Store mode: the parts are unbounded and this class refuses a write that
 * would take {@link #usedMemory()} over the budget ({@link StoreFullException}), so nothing stored
 * is ever evicted.
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

    /** A {@code DashCache.Held} (value, expiry, pin): 12 + 4 + 8 + 1 bytes, aligned (compressed oops). */
    static final long HOLDER_BYTES = MemoryModel.align(HeapLayout.OBJECT_HEADER + HeapLayout.REF + 8 + 1);
    /** Weight added per entry in cache mode for its slot (two references, fingerprint, metadata). */
    static final int SLOT_WEIGHT = 12;
    /** Unbounded weight in store mode (the budget is checked here, not by the cache). */
    private static final long UNBOUNDED = Long.MAX_VALUE / 4;

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
    private DashCache<Object, byte[]>[] parts = new DashCache[PARTS];
    private long budget;
    private boolean evicting;
    private long now;

    /** Entries with the TTL bit; entries with a holder (TTL or STICKY). */
    private long ttlEntries;
    private long heldEntries;
    private long stickyEntries;

    private long hits;
    private long misses;
    /** Counters of parts replaced by {@link #configure} (a rebuilt cache starts from zero). */
    private long retiredEvictions;
    private long retiredExpirations;
    private long retiredBumps;

    private int expirePart;
    private long expireCursor;
    private final ArrayList<Object> scratch = new ArrayList<>();

    private final SlotPolicy slotPolicy;

    /** A store with Dragonfly's faithful slot policy. */
    public CacheShardStore(long budgetBytes, boolean evicting) {
        this(budgetBytes, evicting, SlotPolicy.DRAGONFLY);
    }

    public CacheShardStore(long budgetBytes, boolean evicting, SlotPolicy slotPolicy) {
        this.budget = budgetBytes;
        this.evicting = evicting;
        this.slotPolicy = slotPolicy;
        this.now = System.currentTimeMillis();
        for (int i = 0; i < PARTS; i++) {
            parts[i] = build(i, budgetBytes, evicting);
        }
    }

    private DashCache<Object, byte[]> build(int part, long budgetBytes, boolean evict) {
        long bound = evict ? Math.max(1024, (long) (budgetBytes * SHARES[part])) : UNBOUNDED;
        DashCache.Builder<Object, byte[]> b = DashCache.<Object, byte[]>builder();
        if (evict && slotPolicy.hasGhosts()) {
            // the ghost filter is sized for the most segments the part can use: bound it by the
            // budget at a small entry (the filter's bytes count in used_memory)
            long smallest = Entry.heapSize(new byte[8]) + SLOT_WEIGHT;
            b.maximumSegments((int) Math.max(1, Math.min(1 << 20, bound / smallest / LAYOUT.capacity() + 1)));
        }
        return b
                .keyStrategy(EntryKeys.INSTANCE)
                .layout(LAYOUT)
                .slotPolicy(evict ? slotPolicy : SlotPolicy.DRAGONFLY)
                .maximumWeight(bound)
                .weigher((k, v) -> (int) Math.min(Integer.MAX_VALUE, Entry.heapSize(v) + SLOT_WEIGHT))
                .evicting(evict)
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

    /** The cache holding {@code key} (expired or not), or null. */
    private DashCache<Object, byte[]> holder(Key key) {
        int p = pairOf(key.hash);
        if (parts[p].table().locate(key, key.hash) >= 0) {
            return parts[p];
        }
        return parts[p + 1].table().locate(key, key.hash) >= 0 ? parts[p + 1] : null;
    }

    /** Where a new key goes: the cache of its pair whose target segment is less full. */
    private DashCache<Object, byte[]> target(Key key) {
        int p = pairOf(key.hash);
        var a = parts[p].table().segmentFor(key.hash);
        var b = parts[p + 1].table().segmentFor(key.hash);
        long fa = (long) a.size() * b.capacity();
        long fb = (long) b.size() * a.capacity();
        boolean first = fa < fb || (fa == fb && (route(key.hash) & 1) == 0);
        return parts[first ? p : p + 1];
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
        int p = pairOf(key.hash); // a key lives in at most one cache of its pair: at most two probes
        byte[] e = parts[p].getIfPresent(key, key.hash);
        if (e == null) {
            e = parts[p + 1].getIfPresent(key, key.hash);
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

    /** The stored entry of {@code key} in {@code c} without side effects (it may be expired), or null. */
    private static byte[] peek(DashCache<Object, byte[]> c, Key key) {
        if (c == null) {
            return null;
        }
        DashTable<Object, Object> t = c.table();
        long pos = t.locate(key, key.hash);
        return pos < 0 ? null : (byte[]) t.keyAt(pos);
    }

    @Override
    public void put(Key key, byte[] entry, long ttlMillis) {
        DashCache<Object, byte[]> oc = holder(key);
        byte[] old = peek(oc, key);
        long oldLeft = 0;
        if (old != null && Entry.has(old, Entry.TTL)) {
            oldLeft = oc.expiresInNanos(key); // removes the old entry when it has expired
            if (oldLeft == -2) {
                old = null;
            }
        }
        long ttlNanos = ttlMillis == KEEP_TTL ? Math.max(0, oldLeft) : ttlMillis > 0 ? ttlMillis * 1_000_000L : 0;
        boolean sticky = old != null && Entry.has(old, Entry.STICKY);
        boolean ttl = ttlNanos > 0;
        long size = Entry.heapSize(entry);
        if (evicting) {
            if (size + SLOT_WEIGHT > parts[pairOf(key.hash)].maximumWeight()) {
                throw new StoreFullException("value is larger than this shard's maxmemory share");
            }
        } else {
            long delta = size + (ttl || sticky ? HOLDER_BYTES : 0)
                    - (old == null ? -SLOT_WEIGHT : Entry.heapSize(old) + holderOf(old));
            if (delta > 0 && usedMemory() + delta > budget) {
                throw new StoreFullException("store mode: maxmemory reached");
            }
        }
        if (old != null) {
            oc.remove(key);
        }
        // an overwrite stays in its cache, so a SCAN in progress still finds the key; new keys choose
        DashCache<Object, byte[]> c = old != null ? oc : target(key);
        Entry.mark(entry, Entry.TTL, ttl);
        Entry.mark(entry, Entry.STICKY, sticky);
        try {
            c.put(entry, entry, ttlNanos);
        } catch (CacheFullException e) {
            if (old != null && !evicting) {
                restore(oc, old, oldLeft); // only a degenerate hash gets here in store mode
            }
            throw new StoreFullException(e.getMessage());
        }
        onAdded(entry);
        if (sticky) {
            c.stick(entry);
        }
    }

    /** Puts back an entry a refused write had taken out (with its TTL and pin). */
    private void restore(DashCache<Object, byte[]> c, byte[] old, long ttlNanos) {
        c.put(old, old, Entry.has(old, Entry.TTL) ? Math.max(1, ttlNanos) : 0);
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

    @Override
    public boolean fits(long entryBytes) {
        long size = Entry.align(Entry.ARRAY_HEADER + entryBytes);
        if (evicting) {
            long largest = 0;
            for (DashCache<Object, byte[]> c : parts) {
                largest = Math.max(largest, c.maximumWeight());
            }
            return size + SLOT_WEIGHT <= largest;
        }
        return usedMemory() + size <= budget;
    }

    private static long holderOf(byte[] e) {
        return Entry.has(e, Entry.TTL) || Entry.has(e, Entry.STICKY) ? HOLDER_BYTES : 0;
    }

    @Override
    public byte[] remove(Key key) {
        DashCache<Object, byte[]> c = holder(key);
        return c == null ? null : c.remove(key);
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

    // ------------------------------------------------------------------ iteration

    private static final long TABLE_CURSOR_BITS = (1L << 40) - 1;

    @Override
    public long scan(long cursor, int count, Consumer<byte[]> visitor) {
        int p = (int) (cursor >>> 40);
        long tc = cursor & TABLE_CURSOR_BITS;
        int[] seen = {0};
        while (p < PARTS) {
            tc = parts[p].scan(tc, Math.max(1, count - seen[0]), (k, e) -> {
                seen[0]++;
                visitor.accept(e);
            });
            if (tc == 0) {
                p++;
            }
            if (seen[0] >= count) {
                break;
            }
        }
        return p >= PARTS ? 0 : (long) p << 40 | tc;
    }

    @Override
    public byte[] random(SplittableRandom rnd) {
        long n = size();
        if (n == 0) {
            return null;
        }
        long pick = rnd.nextLong(n);
        int p = 0;
        while (p < PARTS - 1 && pick >= parts[p].size()) {
            pick -= parts[p].size();
            p++;
        }
        DashCache<Object, byte[]> c = parts[p];
        ArrayList<byte[]> found = new ArrayList<>();
        long cursor = (long) rnd.nextInt(LAYOUT.regularBuckets()) << 32 | (rnd.nextLong() & 0xFFFFFFFFL);
        // scan(.., 1, ..) walks until it visits an entry or reaches the end; then wrap once
        if (c.scan(cursor, 1, (k, e) -> found.add(e)) == 0 && found.isEmpty()) {
            c.scan(0, 1, (k, e) -> found.add(e));
        }
        return found.isEmpty() ? null : found.get(rnd.nextInt(found.size()));
    }

    // ------------------------------------------------------------------ size and memory

    @Override
    public long size() {
        long n = 0;
        for (DashCache<Object, byte[]> c : parts) {
            n += c.size();
        }
        return n;
    }

    private long entryBytes() {
        long w = 0;
        for (DashCache<Object, byte[]> c : parts) {
            w += c.weightedSize() - c.size() * SLOT_WEIGHT;
        }
        return w + heldEntries * HOLDER_BYTES;
    }

    private long tableBytes() {
        long b = 0;
        for (DashCache<Object, byte[]> c : parts) {
            b += MemoryModel.tableBytes(c.table()) + MemoryModel.CACHE_OBJECT_BYTES + c.ghostFilterBytes();
        }
        return b;
    }

    @Override
    public long usedMemory() {
        return entryBytes() + tableBytes();
    }

    @Override
    public long memoryOf(byte[] entry) {
        return Entry.heapSize(entry) + holderOf(entry) + MemoryModel.slotBytes(LAYOUT);
    }

    @Override
    public void clear() {
        for (DashCache<Object, byte[]> c : parts) {
            c.invalidateAll();
        }
        ttlEntries = 0;
        heldEntries = 0;
        stickyEntries = 0;
    }

    @Override
    public void configure(long budgetBytes, boolean evict) {
        boolean rebuild = evict != this.evicting || (evict && budgetBytes != this.budget);
        this.budget = budgetBytes;
        this.evicting = evict;
        if (!rebuild) {
            return;
        }
        for (int i = 0; i < PARTS; i++) {
            DashCache<Object, byte[]> old = parts[i];
            CacheStats s = old.stats();
            retiredEvictions += s.evictionCount();
            retiredExpirations += s.expirationCount();
            retiredBumps += s.bumpCount();
            ArrayList<byte[]> live = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, old.size()));
            old.forEach((k, e) -> live.add(e));
            long[] ttls = new long[live.size()];
            for (int j = 0; j < ttls.length; j++) {
                ttls[j] = old.expiresInNanos(live.get(j));
            }
            DashCache<Object, byte[]> fresh = build(i, budgetBytes, evict);
            parts[i] = fresh;
            for (int j = 0; j < ttls.length; j++) {
                byte[] e = live.get(j);
                try {
                    fresh.put(e, e, ttls[j] > 0 ? ttls[j] : 0);
                    if (Entry.has(e, Entry.STICKY)) {
                        fresh.stick(e);
                    }
                } catch (CacheFullException ex) {
                    onRemoval(e, e, RemovalCause.EVICTED);
                    retiredEvictions++;
                }
            }
        }
    }

    // ------------------------------------------------------------------ expiry

    @Override
    public int expireStep(int maxKeys) {
        if (ttlEntries == 0) {
            return 0;
        }
        int removed = 0;
        int buckets = 0;
        scratch.clear();
        // walk logical buckets of one part at a time, collecting keys that hold a TTL or a pin
        for (int round = 0; round <= PARTS && scratch.size() < maxKeys && buckets < maxKeys; round++) {
            DashCache<Object, byte[]> c = parts[expirePart];
            if (c.size() > 0) {
                do {
                    expireCursor = c.table().scan(expireCursor, holderCollector);
                    buckets++;
                } while (expireCursor != 0 && scratch.size() < maxKeys && buckets < maxKeys);
                for (Object k : scratch) {
                    if (c.expiresInNanos(k) == -2) {
                        removed++;
                    }
                }
                scratch.clear();
            }
            if (expireCursor == 0) {
                expirePart = (expirePart + 1) % PARTS;
            }
        }
        return removed;
    }

    /** Entries whose value slot is not the entry itself hold a TTL/pin holder. */
    private final java.util.function.BiConsumer<Object, Object> holderCollector = (k, stored) -> {
        if (stored != k) {
            scratch.add(k);
        }
    };

    // ------------------------------------------------------------------ stats

    @Override
    public StoreStats stats() {
        long ev = retiredEvictions;
        long ex = retiredExpirations;
        long bu = retiredBumps;
        long segs = 0;
        long cap = 0;
        for (DashCache<Object, byte[]> c : parts) {
            CacheStats s = c.stats();
            ev += s.evictionCount();
            ex += s.expirationCount();
            bu += s.bumpCount();
            segs += c.table().segmentCount();
            cap += c.table().capacity();
        }
        long entries = entryBytes();
        long tables = tableBytes();
        return new StoreStats(size(), ttlEntries, stickyEntries, entries + tables, entries, tables, hits, misses,
                ev, ex, bu, segs, cap, budget, evicting);
    }

    public void resetStats() {
        hits = 0;
        misses = 0;
    }
}
