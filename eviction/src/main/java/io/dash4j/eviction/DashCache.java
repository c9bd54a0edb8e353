package io.dash4j.eviction;

import io.dash4j.dashtable.DashTable;
import io.dash4j.dashtable.KeyStrategy;
import io.dash4j.dashtable.Segment;
import io.dash4j.dashtable.SegmentLayout;
import io.dash4j.dashtable.TableFullException;
import io.dash4j.dashtable.TablePolicy;
import io.dash4j.dashtable.TableSnapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The Dashtable cache: a bounded cache whose only eviction order is the slot order inside the
 * buckets of a {@link DashTable} — stash buckets are the probationary FIFOs, regular buckets the
 * protected region (Dragonfly's 2Q). It keeps no per-entry metadata: an entry costs its slot (two
 * references, a fingerprint byte and two bitmap bits).
 *
 * <h2>Order</h2>
 * What a hit does, where a new or returning key lands and what leaves probation are the
 * {@link SlotOrder} of the cache's {@link SlotPolicy} ({@link SlotPolicy#DEFAULT} or Dragonfly's
 * own, {@link SlotPolicy#DRAGONFLY}); this class keeps the bounds, expiry, pins, weights,
 * listener and statistics, and lends the order a few accounted primitives ({@link Slots}).
 *
 * <h2>Bounds</h2>
 * A maximum entry count and/or a maximum weight. The segment-full eviction of Dragonfly only
 * acts when a segment fills, and segments hold 840 slots; so the cache (1) sizes its segments and
 * their number from the bound, (2) lets the table grow only up to that many segments, and (3)
 * before admitting an entry that would cross the bound, evicts by slot rank from the incoming
 * key's segment: the last slot of its stash bucket first (the FIFO tail), else the lowest-rank
 * unpinned slot, stash before regular — the size-aware step Dragonfly added for skewed sizes
 * (its issues #224, #1936). The bound is therefore never exceeded.
 *
 * <h2>Expiry</h2>
 * Expire-after-write and per-put TTLs. Only entries with a TTL pay for it (their value slot holds
 * a small holder). Expired entries are never returned; they are removed lazily on access, by the
 * table's garbage-collect hook on the hot buckets before any eviction, and by an incremental sweep
 * over the scan cursor that runs a step per write.
 *
 * <p><b>Not thread-safe</b>: this is the single-owner form (a server shard thread, a simulator).
 * {@link ConcurrentDashCache} partitions keys over several of these for shared use.
 * The removal listener runs synchronously and must not call back into the cache.
 */
public final class DashCache<K, V> implements Cache<K, V> {

    /** A weight-bounded table grows while its weight is under this share of the budget. */
    static final double GROW_BELOW = 0.97;

    private final DashTable<K, Object> table;
    private final long maximumSize;
    /** Final except through {@link #setMaximumWeight} (an owner lending budget between caches). */
    private long maximumWeight;
    private final Weigher<? super K, ? super V> weigher;
    private final int maximumSegments;
    /**
     * For an entry bound: segments split only up to this local depth, so the table ends with
     * 2^depth segments of equal key share (-1 = no depth limit).
     */
    private final int maximumDepth;
    private final boolean evicting;
    private final long expireAfterWriteNanos;
    private final LongSupplier ticker;
    private final RemovalListener<? super K, ? super V> listener;
    private final SlotPolicy slotPolicy;
    /** This cache's eviction order: hits, admissions, what leaves. */
    private final SlotOrder<K> order;
    private long ghostAdmissions;

    private long weightedSize;
    /** Set while an insert must split despite the segment budget (its segment is all pinned). */
    private boolean growthOverride;
    /** Entries whose value slot holds a {@link Held} (TTL or pinned): the sweep runs only if > 0. */
    private long heldEntries;
    /** Pinned entries: a bump scans for pins only when there are any. */
    private long pinnedEntries;
    private long sweepCursor;
    private final ArrayList<K> sweepScratch = new ArrayList<>();
    /** Collects expired keys during a sweep step (a field: no lambda allocation per step). */
    private final BiConsumer<K, Object> sweepCollector = (k, stored) -> {
        if (isExpired(stored)) {
            sweepScratch.add(k);
        }
    };

    private long hits;
    private long misses;
    private long evictions;
    private long bumps;
    private long expirations;
    private long loadSuccesses;
    private long loadFailures;

    /** The value slot of an entry with a TTL or a pin; plain entries store the value itself. */
    static final class Held {
        final Object value;
        final long expiresAt; // ticker nanos; Long.MAX_VALUE = never
        final boolean sticky;

        Held(Object value, long expiresAt, boolean sticky) {
            this.value = value;
            this.expiresAt = expiresAt;
            this.sticky = sticky;
        }
    }

    private DashCache(Builder<K, V> b) {
        this.maximumSize = b.maximumSize;
        this.maximumWeight = b.maximumWeight;
        this.weigher = b.weigher;
        this.evicting = b.evicting;
        this.expireAfterWriteNanos = b.expireAfterWriteNanos;
        this.ticker = b.ticker;
        this.listener = b.listener;
        this.slotPolicy = b.slotPolicy;
        SegmentLayout layout = b.layout;
        int segments = b.maximumSegments;
        int depth = -1;
        if (layout == null) {
            layout = SegmentLayout.DRAGONFLY;
            if (maximumSize != Long.MAX_VALUE && segments == 0) {
                depth = depthFor(maximumSize);
                layout = layoutFor(maximumSize, 1 << depth, b.slotPolicy.stashPer60(), b.slotPolicy.bucketSlots());
            }
        }
        this.maximumDepth = evicting ? depth : -1;
        // Store mode never evicts, so its table must be free to grow up to the entry bound.
        this.maximumSegments = segments == 0 || !evicting ? Integer.MAX_VALUE : segments;
        // Sized for the entry bound; a weight-bounded cache starts at one segment and the filter
        // follows the table as it grows (onSplit).
        long expectedEntries = maximumSize != Long.MAX_VALUE ? maximumSize : layout.capacity();
        this.order = slotPolicy.newOrder(new Slots(), expectedEntries);
        this.table = DashTable.<K, Object>builder()
                .layout(layout)
                .keyStrategy(b.keyStrategy)
                .seed(b.seed)
                .policy(new Policy())
                .build();
    }

    /**
     * Directory depth for an entry bound: the fewest segments, a power of two, of at most
     * Dragonfly's 840 slots each that together reach the bound. A power of two keeps every
     * segment at the same depth, so each takes the same share of keys for the same capacity
     * (unequal depths would make some segments a cache twice as small for their keys).
     */
    static int depthFor(long maximumSize) {
        long perSegment = SegmentLayout.DRAGONFLY.capacity();
        int depth = 0;
        while (depth < 24 && (perSegment << depth) < maximumSize) {
            depth++;
        }
        return depth;
    }

    /**
     * The segment shape for an entry bound spread over {@code segments} segments: the fullest grid
     * of 10..16-slot buckets (at most Dragonfly's 60) whose slots together hold <b>at most</b> the
     * bound — among grids within 1 % of the fullest, the slot count closest to the policy's
     * {@link SlotPolicy#bucketSlots} (Dragonfly's 14; the default's 16) —
     * with the policy's stash share (Dragonfly: 4 of 60 buckets). The table can then fill every
     * slot, so every promotion demotes someone and the 2Q does all the evicting. (A table with
     * spare slots under an exact entry cap was measured worse: promotions into free slots demote
     * nobody and starve probation — OLTP at 1000: 35.1 % instead of 38.5 %.) The price is that a
     * warm cache holds 98-100 % of the bound rather than all of it.
     */
    static SegmentLayout layoutFor(long maximumSize, int segments, int stashPer60, int preferredSlots) {
        long perSegment = maximumSize / segments;
        if (perSegment >= SegmentLayout.DRAGONFLY.capacity()) {
            int total = SegmentLayout.DRAGONFLY.totalBuckets();
            return new SegmentLayout(total - stashPer60, stashPer60, SegmentLayout.DRAGONFLY.slots());
        }
        // The best fit of 10..16-slot buckets under the share; among fits within 1 % of the best,
        // the slot count closest to the preferred width. Rounding then loses at most ~1 % of the bound.
        long bestFit = 0;
        for (int slots = 10; slots <= 16; slots++) {
            bestFit = Math.max(bestFit, Math.min(SegmentLayout.DRAGONFLY.totalBuckets(), perSegment / slots) * slots);
        }
        int bestBuckets = 0;
        int bestSlots = 0;
        for (int slots = 10; slots <= 16; slots++) {
            int buckets = (int) Math.min(SegmentLayout.DRAGONFLY.totalBuckets(), perSegment / slots);
            if ((long) buckets * slots >= 0.99 * bestFit
                    && (bestSlots == 0 || Math.abs(slots - preferredSlots) < Math.abs(bestSlots - preferredSlots))) {
                bestBuckets = buckets;
                bestSlots = slots;
            }
        }
        if (bestBuckets < 4) {
            // tiny bounds: a minimal segment (the entry cap keeps the bound exact)
            return new SegmentLayout(3, 1, (int) Math.max(2, Math.min(16, perSegment / 4)));
        }
        int stash = (int) Math.max(1, Math.round(bestBuckets * stashPer60 / 60.0));
        return new SegmentLayout(Math.max(3, bestBuckets - stash), stash, bestSlots);
    }

    public static <K, V> Builder<K, V> builder() {
        return new Builder<>();
    }

    // ------------------------------------------------------------------ reads

    @Override
    public V getIfPresent(K key) {
        Objects.requireNonNull(key, "key");
        return getIfPresent(key, table.hash(key));
    }

    /** {@link #getIfPresent(Object)} with the key's hash already computed ({@link #hash}). */
    public V getIfPresent(K key, long hash) {
        long pos = table.locate(key, hash);
        if (pos < 0) {
            misses++;
            return null;
        }
        Object stored = table.valueAt(pos);
        if (isExpired(stored)) {
            remove(pos, RemovalCause.EXPIRED);
            misses++;
            return null;
        }
        hits++;
        bump(pos, hash);
        return unwrap(stored);
    }

    /** The key's hash under this cache's strategy and seed. */
    public long hash(K key) {
        return table.hash(key);
    }

    // ---- the side-effect-free pieces ConcurrentDashCache composes under its locks ----

    /** Where {@code key} is (live or expired), or -1; no side effect (safe for optimistic readers). */
    long locate(K key, long hash) {
        return table.locate(key, hash);
    }

    /** The raw slot content at a position from {@link #locate}. */
    Object storedAt(long pos) {
        return table.valueAt(pos);
    }

    /** The live value of a raw slot content, or null when it has expired. */
    V liveValue(Object stored) {
        return isExpired(stored) ? null : unwrap(stored);
    }

    /**
     * False when a hit at {@code pos} would change nothing in the order (Dragonfly's: already
     * first in its bucket; the default's: its hit counter is already 3).
     */
    boolean wouldBump(long pos) {
        return order.wouldChange(pos);
    }

    /** True when {@code pos} is in the back half of its bucket: next in line to be demoted. */
    boolean isInBackHalf(long pos) {
        return 2 * DashTable.slotAt(pos) >= table.segmentAt(pos).slotsPerBucket();
    }

    /** True when {@code pos} is in a stash bucket: probation, where a hit decides promotion. */
    boolean isProbation(long pos) {
        return table.segmentAt(pos).isStash(DashTable.bucketAt(pos));
    }

    /** The bump of a hit at {@code pos}, which must still be current (write lock held since the read). */
    void bumpAt(long pos, long hash) {
        bump(pos, hash);
    }

    /** Removes {@code key} if it is present and expired, reporting it EXPIRED. */
    void removeIfExpired(K key, long hash) {
        liveLocate(key, hash);
    }

    /**
     * Where {@code key} is, or -1 when it is absent or expired; an expired entry is removed on the
     * way and reported EXPIRED. (The hit path, {@link #getIfPresent(Object, long)}, inlines this to
     * read the slot once.)
     */
    private long liveLocate(K key, long hash) {
        long pos = table.locate(key, hash);
        if (pos >= 0 && isExpired(table.valueAt(pos))) {
            remove(pos, RemovalCause.EXPIRED);
            return -1;
        }
        return pos;
    }

    private void bump(long pos, long hash) {
        if (order.onHit(pos, hash) != pos) {
            bumps++;
        }
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> loader) {
        Objects.requireNonNull(loader, "loader");
        V v = getIfPresent(key);
        if (v != null) {
            return v;
        }
        V loaded;
        try {
            loaded = loader.apply(key);
        } catch (RuntimeException | Error e) {
            loadFailures++;
            throw e;
        }
        if (loaded == null) {
            loadFailures++;
            return null;
        }
        loadSuccesses++;
        V raced = putIfAbsent(key, loaded);
        return raced != null ? raced : loaded;
    }

    /** Remaining time to live in nanos: -1 when the entry has no TTL, -2 when absent. */
    public long expiresInNanos(K key) {
        long pos = liveLocate(key, table.hash(key));
        if (pos < 0) {
            return -2;
        }
        Object stored = table.valueAt(pos);
        if (stored instanceof Held h && h.expiresAt != Long.MAX_VALUE) {
            return h.expiresAt - ticker.getAsLong();
        }
        return -1;
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void put(K key, V value) {
        put(key, value, expireAfterWriteNanos);
    }

    /**
     * Stores {@code value} with its own time to live: {@code ttlNanos > 0}, or no TTL when
     * {@code ttlNanos <= 0} ({@link #put(Object, Object)} applies the expire-after-write setting).
     */
    public void put(K key, V value, long ttlNanos) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long hash = table.hash(key);
        long pos = liveLocate(key, hash);
        if (pos >= 0) {
            replace(pos, key, table.valueAt(pos), value, ttlNanos, hash);
            return;
        }
        insert(key, value, hash, ttlNanos);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long hash = table.hash(key);
        long pos = liveLocate(key, hash);
        if (pos >= 0) {
            return unwrap(table.valueAt(pos));
        }
        insert(key, value, hash, expireAfterWriteNanos);
        return null;
    }

    private void replace(long pos, K key, Object old, V value, long ttlNanos, long hash) {
        V oldValue = unwrap(old);
        int w = weigh(key, value);
        boolean sticky = old instanceof Held h && h.sticky;
        if (w > maximumWeight) {
            remove(pos, RemovalCause.REPLACED);
            notify(key, value, RemovalCause.EVICTED);
            evictions++;
            return;
        }
        int oldW = weigh(key, oldValue);
        if (weightedSize - oldW + w > maximumWeight) {
            if (!evicting) {
                throw new CacheFullException("store is full: replacing would exceed the weight bound " + maximumWeight);
            }
            // make room before writing (never this key): a heavier value that cannot fit because
            // every other entry is pinned is refused and the old one stays
            while (weightedSize - oldW + w > maximumWeight) {
                if (evictOneFor(hash, key) == 0) {
                    throw new CacheFullException("cache is full and every evictable entry is pinned");
                }
            }
            pos = liveLocate(key, hash); // evictions may have moved the key within its segment
            if (pos < 0) { // making room took the old entry too (a heavy one, its segment's last)
                insert(key, value, hash, ttlNanos);
                return;
            }
        }
        Object stored = wrap(value, ttlNanos, sticky);
        heldEntries += (stored instanceof Held ? 1 : 0) - (old instanceof Held ? 1 : 0);
        // the newest key object is kept with the value: a key that lives inside its value (the
        // server's entries) must not pin the value it replaced
        table.setEntryAt(pos, key, stored);
        weightedSize += w - oldW;
        notify(key, oldValue, RemovalCause.REPLACED);
    }

    private void insert(K key, V value, long hash, long ttlNanos) {
        int w = weigh(key, value);
        int probationBucket = -1;
        if (w > maximumWeight) {
            notify(key, value, RemovalCause.EVICTED);
            evictions++;
            return;
        }
        if (table.size() + 1 > maximumSize || weightedSize + w > maximumWeight) {
            if (!evicting) {
                throw new CacheFullException("store is full: " + table.size() + " entries, weight "
                        + weightedSize + " of " + maximumWeight);
            }
            // The first victim is the tail of the newcomer's stash FIFO, exactly as when a full
            // segment evicts; the newcomer then takes that FIFO's head (probation), not a free
            // regular slot that would let it skip probation.
            Segment<K, Object> seg = table.segmentFor(hash);
            probationBucket = seg.stashBucketFor(hash);
            if (!order.retireTail(seg, probationBucket, null)) {
                probationBucket = -1;
            }
            while (table.size() + 1 > maximumSize || weightedSize + w > maximumWeight) {
                if (evictOneFor(hash, null) == 0) {
                    throw new CacheFullException("cache is full and every evictable entry is pinned");
                }
            }
        }
        Object stored = wrap(value, ttlNanos, false);
        boolean returning = order.admitting(hash);
        long pos = -1;
        try {
            if (probationBucket >= 0) {
                pos = table.insertIntoStash(key, stored, hash, probationBucket);
            }
            if (pos < 0) {
                pos = table.insertNew(key, stored, hash);
            }
        } catch (TableFullException full) {
            // The key's segment is full and every entry there is pinned. The bound has room (we
            // checked above), so grow past the segment budget rather than refuse.
            growthOverride = true;
            try {
                pos = table.insertNew(key, stored, hash);
            } catch (TableFullException stillFull) {
                throw new CacheFullException(stillFull.getMessage());
            } finally {
                growthOverride = false;
            }
        }
        if (stored instanceof Held) {
            heldEntries++;
        }
        weightedSize += w;
        // the insert's own position: no second lookup for where the order places a new key
        if (order.admitted(pos, hash, returning)) {
            ghostAdmissions++;
        }
        sweepStep();
    }

    @Override
    public V remove(K key) {
        Objects.requireNonNull(key, "key");
        long pos = liveLocate(key, table.hash(key));
        if (pos < 0) {
            return null;
        }
        V v = unwrap(table.valueAt(pos));
        remove(pos, RemovalCause.EXPLICIT);
        return v;
    }

    @Override
    public void invalidateAll() {
        table.forEach((k, stored) -> {
            boolean expired = isExpired(stored);
            if (expired) {
                expirations++;
            }
            notify(k, unwrap(stored), expired ? RemovalCause.EXPIRED : RemovalCause.EXPLICIT);
        });
        table.clear();
        order.clear();
        weightedSize = 0;
        heldEntries = 0;
        pinnedEntries = 0;
        sweepCursor = 0;
    }

    /**
     * Pins {@code key} (Dragonfly's STICK): it is never evicted and never moves. Returns false
     * when the key is absent.
     */
    public boolean stick(K key) {
        long hash = table.hash(key);
        long pos = table.locate(key, hash);
        if (pos < 0 || isExpired(table.valueAt(pos))) {
            return false;
        }
        Object stored = table.valueAt(pos);
        if (stored instanceof Held h) {
            if (!h.sticky) {
                table.setValueAt(pos, new Held(h.value, h.expiresAt, true));
                pinnedEntries++;
            }
        } else {
            table.setValueAt(pos, new Held(stored, Long.MAX_VALUE, true));
            heldEntries++;
            pinnedEntries++;
        }
        return true;
    }

    public boolean isSticky(K key) {
        long pos = table.locate(key, table.hash(key));
        return pos >= 0 && table.valueAt(pos) instanceof Held h && h.sticky;
    }

    /**
     * Sets (ttlNanos &gt; 0), or clears (ttlNanos &lt; 0, "persist") the key's time to live;
     * 0 expires it now. Returns false when the key is absent.
     */
    public boolean setExpiry(K key, long ttlNanos) {
        long pos = liveLocate(key, table.hash(key));
        if (pos < 0) {
            return false;
        }
        Object stored = table.valueAt(pos);
        if (ttlNanos == 0) {
            remove(pos, RemovalCause.EXPIRED);
            return true;
        }
        boolean sticky = stored instanceof Held h && h.sticky;
        Object now = wrap(unwrap(stored), Math.max(ttlNanos, 0), sticky);
        heldEntries += (now instanceof Held ? 1 : 0) - (stored instanceof Held ? 1 : 0);
        table.setValueAt(pos, now);
        return true;
    }

    // ------------------------------------------------------------------ eviction

    /**
     * Frees one entry for an incoming key of {@code hash}: the tail of its stash FIFO first (as the
     * order retires it), else the lowest-rank unpinned slot of its segment (stash buckets before
     * regular ones), else of the other segments. {@code keep} (an entry just written) is never chosen.
     */
    private int evictOneFor(long hash, K keep) {
        Segment<K, Object> seg = table.segmentFor(hash);
        if (order.retireTail(seg, seg.stashBucketFor(hash), keep)) {
            return 1;
        }
        if (evictByRank(seg, keep)) {
            return 1;
        }
        for (int i = 0; i < table.directorySize(); i++) {
            Segment<K, Object> other = table.segment(i);
            if (other != seg && other.size() > 0 && evictByRank(other, keep)) {
                return 1;
            }
        }
        return 0;
    }

    /** Heartbeat-style step: lowest rank first, stash buckets before regular buckets. */
    private boolean evictByRank(Segment<K, Object> seg, K keep) {
        int buckets = seg.regularBuckets() + seg.stashBuckets();
        for (int slot = seg.slotsPerBucket() - 1; slot >= 0; slot--) {
            for (int b = buckets - 1; b >= 0; b--) {
                if (seg.isBusy(b, slot) && !isPinned(seg.valueAt(b, slot)) && seg.keyAt(b, slot) != keep) {
                    evictAt(seg, b, slot, table.hash(seg.keyAt(b, slot)));
                    return true;
                }
            }
        }
        return false;
    }

    /** Removes the entry at a slot whose table hash is known, reporting it EVICTED (or EXPIRED). */
    private void evictAt(Segment<K, Object> seg, int bucket, int slot, long hash) {
        K k = seg.keyAt(bucket, slot);
        Object stored = seg.valueAt(bucket, slot);
        boolean expired = isExpired(stored);
        seg.removeAt(bucket, slot, hash);
        accountRemoval(k, stored, expired ? RemovalCause.EXPIRED : RemovalCause.EVICTED);
    }

    /** The primitives this cache lends its {@link SlotOrder}. */
    private final class Slots implements SlotOrder.Host<K> {
        @Override
        public DashTable<K, Object> table() {
            return table;
        }

        @Override
        public boolean hasPins() {
            return pinnedEntries > 0;
        }

        @Override
        public boolean isPinned(Object stored) {
            return DashCache.isPinned(stored);
        }

        @Override
        public void evict(Segment<K, Object> segment, int bucket, int slot, long hash) {
            evictAt(segment, bucket, slot, hash);
        }

        @Override
        public boolean evictLowestRank(Segment<K, Object> segment, K keep) {
            return evictByRank(segment, keep);
        }
    }

    private void remove(long pos, RemovalCause cause) {
        Object stored = table.valueAt(pos);
        K k = table.keyAt(pos);
        table.removeAt(pos);
        accountRemoval(k, stored, cause);
    }

    private void accountRemoval(K key, Object stored, RemovalCause cause) {
        V v = unwrap(stored);
        weightedSize -= weigh(key, v);
        if (stored instanceof Held h) {
            heldEntries--;
            if (h.sticky) {
                pinnedEntries--;
            }
        }
        if (cause == RemovalCause.EVICTED) {
            evictions++;
        } else if (cause == RemovalCause.EXPIRED) {
            expirations++;
        }
        notify(key, v, cause);
    }

    private void notify(K key, V value, RemovalCause cause) {
        if (listener != null) {
            listener.onRemoval(key, value, cause);
        }
    }

    /** The Dashtable's hook: Dragonfly's insert loop asks it on a full segment. */
    private final class Policy implements TablePolicy<K, Object> {
        @Override
        public boolean canGrow(DashTable<K, Object> t, Segment<K, Object> full) {
            if (growthOverride) {
                return true;
            }
            if (maximumDepth >= 0) {
                return full.localDepth() < maximumDepth;
            }
            if (t.segmentCount() >= maximumSegments) {
                return false;
            }
            if (maximumWeight == Long.MAX_VALUE || !evicting) {
                return true;
            }
            // Weight bound: segment count cannot be derived from the bound, so grow while the
            // budget has room; the size-aware step keeps the weight under it once it is reached.
            return weightedSize < GROW_BELOW * maximumWeight;
        }

        @Override
        public void onSplit(DashTable<K, Object> t, Segment<K, Object> left, Segment<K, Object> right) {
            if (maximumSize == Long.MAX_VALUE) {
                order.onGrow(t.capacity());
            }
        }

        @Override
        public int garbageCollect(DashTable<K, Object> t, Segment<K, Object> seg, long hash) {
            if (heldEntries == 0) {
                return 0;
            }
            int freed = 0;
            for (int i = 0; i < Segment.HOT_REGULAR_BUCKETS; i++) {
                int b = seg.hotBucket(hash, i);
                int busy = seg.busyMask(b);
                while (busy != 0) {
                    int slot = Integer.numberOfTrailingZeros(busy);
                    busy &= busy - 1;
                    if (isExpired(seg.valueAt(b, slot))) {
                        evictAt(seg, b, slot, table.hash(seg.keyAt(b, slot)));
                        freed++;
                    }
                }
            }
            return freed;
        }

        @Override
        public int evict(DashTable<K, Object> t, Segment<K, Object> seg, long hash) {
            if (!evicting) {
                return 0;
            }
            return order.evictFromFullSegment(seg, hash) ? 1 : 0;
        }

        @Override
        public boolean canBump(K key, Object value) {
            return !isPinned(value);
        }
    }

    // ------------------------------------------------------------------ expiry sweep

    /** One step of the incremental sweep: the next logical bucket of one segment. */
    private void sweepStep() {
        if (heldEntries == 0) {
            return;
        }
        sweepScratch.clear();
        sweepCursor = table.scan(sweepCursor, sweepCollector);
        removeSwept();
    }

    /** Removes the expired keys a scan collected into {@code sweepScratch} (after the scan: no removal mid-walk). */
    private void removeSwept() {
        for (int i = 0; i < sweepScratch.size(); i++) {
            K k = sweepScratch.get(i);
            long pos = table.locate(k, table.hash(k));
            if (pos >= 0) {
                remove(pos, RemovalCause.EXPIRED);
            }
        }
        sweepScratch.clear();
    }

    /** Removes every expired entry now. */
    public void cleanUp() {
        if (heldEntries == 0) {
            return;
        }
        long cursor = sweepCursor;
        do {
            sweepStep();
        } while (sweepCursor != cursor && sweepCursor != 0);
        do {
            sweepStep();
        } while (sweepCursor != 0 && heldEntries > 0);
    }

    // ------------------------------------------------------------------ iteration

    /**
     * Stable cursor scan over live entries (Redis SCAN semantics): visits at least {@code count}
     * entries unless the scan ends, returns the next cursor, 0 when done.
     */
    public long scan(long cursor, int count, BiConsumer<? super K, ? super V> visitor) {
        return table.scan(cursor, count, (k, stored) -> {
            if (!isExpired(stored)) {
                visitor.accept(k, unwrap(stored));
            }
        });
    }

    /** Visits every live entry. */
    public void forEach(BiConsumer<? super K, ? super V> visitor) {
        table.forEach((k, stored) -> {
            if (!isExpired(stored)) {
                visitor.accept(k, unwrap(stored));
            }
        });
    }

    // ------------------------------------------------------------------ point-in-time snapshot

    /** Receives one entry of a {@link #startSnapshot snapshot}. */
    @FunctionalInterface
    public interface SnapshotSink<K, V> {
        /**
         * @param expiresAtNanos the entry's deadline on this cache's ticker, {@link Long#MAX_VALUE}
         *                       when it has none (an entry already expired is still passed: the
         *                       reader of the image decides, as Redis's loader does)
         */
        void accept(K key, V value, long expiresAtNanos);
    }

    /**
     * Starts a forkless point-in-time snapshot of the cache ({@link TableSnapshot}): {@code sink}
     * receives every entry present now, once, with its value and deadline as they are now, while
     * reads, writes, bumps and evictions go on. Advance it between operations with
     * {@link TableSnapshot#step} (or {@link TableSnapshot#finish}); the sink may also be called from
     * inside a write, which first preserves the buckets it is about to change, and must not use
     * this cache. {@link #invalidateAll()} finishes a running snapshot first.
     *
     * @throws IllegalStateException when a snapshot of this cache is already running
     */
    public TableSnapshot<K, Object> startSnapshot(SnapshotSink<? super K, ? super V> sink) {
        java.util.Objects.requireNonNull(sink, "sink");
        return table.startSnapshot((k, stored) -> sink.accept(k, unwrap(stored),
                stored instanceof Held h ? h.expiresAt : Long.MAX_VALUE));
    }

    /** The running snapshot, or null. */
    public TableSnapshot<K, Object> runningSnapshot() {
        return table.runningSnapshot();
    }

    // ------------------------------------------------------------------ size and stats

    @Override
    public long size() {
        return table.size();
    }

    @Override
    public long weightedSize() {
        return weigher == null ? table.size() : weightedSize;
    }

    @Override
    public CacheStats stats() {
        return new CacheStats(hits, misses, evictions, bumps, expirations, loadSuccesses, loadFailures);
    }

    void recordLoad(boolean success) {
        if (success) {
            loadSuccesses++;
        } else {
            loadFailures++;
        }
    }

    public long maximumSize() {
        return maximumSize;
    }

    public long maximumWeight() {
        return maximumWeight;
    }

    public SlotPolicy slotPolicy() {
        return slotPolicy;
    }

    /** New keys admitted straight past probation because the ghost filter remembered them. */
    public long ghostAdmissions() {
        return ghostAdmissions;
    }

    /** Bytes of the ghost filter (0 without one): the policy's only per-cache memory. */
    public long ghostFilterBytes() {
        return order.bytes();
    }

    /** The table underneath (for inspection: segments, layout, load). */
    public DashTable<K, Object> table() {
        return table;
    }

    @Override
    public String toString() {
        return "DashCache{size=" + size() + ", weight=" + weightedSize() + ", table=" + table + "}";
    }

    // ------------------------------------------------------------------ helpers

    private int weigh(K key, V value) {
        if (weigher == null) {
            return 1;
        }
        int w = weigher.weigh(key, value);
        if (w < 0) {
            throw new IllegalArgumentException("negative weight " + w + " for key " + key);
        }
        return w;
    }

    private Object wrap(V value, long ttlNanos, boolean sticky) {
        if (ttlNanos <= 0 && !sticky) {
            return value;
        }
        long expiresAt = ttlNanos <= 0 ? Long.MAX_VALUE : saturatedAdd(ticker.getAsLong(), ttlNanos);
        return new Held(value, expiresAt, sticky);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @SuppressWarnings("unchecked")
    private static <V> V unwrap(Object stored) {
        return stored instanceof Held h ? (V) h.value : (V) stored;
    }

    private boolean isExpired(Object stored) {
        return stored instanceof Held h && h.expiresAt != Long.MAX_VALUE && ticker.getAsLong() - h.expiresAt >= 0;
    }

    private static boolean isPinned(Object stored) {
        return stored instanceof Held h && h.sticky;
    }

    // ------------------------------------------------------------------ hooks for an owner of several caches
    // (the server's shard store keeps eight caches and a large-value cache per shard, and must not
    // reach into the table; these read or act through the cache's own rules)

    /**
     * The live value of {@code key} with no side effect: no bump, no hit or miss counted, and an
     * expired entry is neither returned nor removed. For an owner that looks before it writes.
     */
    public V getIfPresentQuietly(K key, long hash) {
        long pos = table.locate(key, hash);
        if (pos < 0) {
            return null;
        }
        Object stored = table.valueAt(pos);
        return isExpired(stored) ? null : unwrap(stored);
    }

    /**
     * Fill (0 to 1) of the segment a new key of {@code hash} would be inserted into: an owner
     * spreading keys over two caches puts a new key where its segment is emptier (two choices).
     */
    public double segmentLoad(long hash) {
        Segment<K, Object> seg = table.segmentFor(hash);
        return (double) seg.size() / seg.capacity();
    }

    /** Segments of the table (memory accounting). */
    public int segmentCount() {
        return table.segmentCount();
    }

    /** Directory entries of the table (memory accounting). */
    public int directorySize() {
        return table.directorySize();
    }

    /** Slots of the table. */
    public long capacity() {
        return table.capacity();
    }

    /** Entries with a TTL looked at by the running {@link #expireSample} (a field: no capture). */
    private int sampledWithTtl;
    private final BiConsumer<K, Object> expirySampler = (k, stored) -> {
        if (stored instanceof Held h && h.expiresAt != Long.MAX_VALUE) {
            sampledWithTtl++;
            if (isExpired(h)) {
                sweepScratch.add(k);
            }
        }
    };

    /**
     * One sample of active expiry (Redis's activeExpireCycle looks at 20 keys with a TTL per
     * loop): walks the non-empty buckets after the sweep cursor until it has looked at
     * {@code sample} entries that carry a time to live, walked {@code maxBuckets} buckets, or
     * reached the end of a pass; removes the expired ones (reported {@link RemovalCause#EXPIRED}).
     * Returns how many entries with a TTL it looked at; the removals show in {@link #stats()} and
     * the removal listener. Costs at most {@code maxBuckets} bucket visits.
     */
    public int expireSample(int sample, int maxBuckets) {
        if (heldEntries == 0) {
            return 0;
        }
        sampledWithTtl = 0;
        sweepScratch.clear();
        int buckets = 0;
        do {
            sweepCursor = table.scan(sweepCursor, expirySampler);
            buckets++;
        } while (sweepCursor != 0 && sampledWithTtl < sample && buckets < maxBuckets);
        removeSwept();
        return sampledWithTtl;
    }

    private long shrinkVictimHash = 0x5DEECE66DL;

    /**
     * Changes the weight bound at run time (as Caffeine's {@code Policy.Eviction.setMaximum}):
     * the owner of several caches lends budget from one to another. Growing takes effect at once
     * (the table may grow again); shrinking an evicting cache evicts by the usual rule (stash tail of
     * a segment, else its lowest-rank unpinned slot) from segments picked by a pseudo-random hash
     * until the weight fits or only pinned entries are left. A non-evicting cache only refuses
     * further writes. Requires a weigher.
     */
    public void setMaximumWeight(long w) {
        if (weigher == null) {
            throw new IllegalStateException("setMaximumWeight needs a weigher");
        }
        maximumWeight = Builder.positive(w, "maximum weight");
        while (evicting && weightedSize > maximumWeight) {
            shrinkVictimHash = io.dash4j.dashtable.Hashing.mix(shrinkVictimHash + 0x9E3779B97F4A7C15L);
            if (evictOneFor(shrinkVictimHash, null) == 0) {
                break;
            }
        }
    }

    // ------------------------------------------------------------------ builder

    /** Configures a {@link DashCache} (single owner) or a {@link ConcurrentDashCache}. */
    public static final class Builder<K, V> {
        long maximumSize = Long.MAX_VALUE;
        long maximumWeight = Long.MAX_VALUE;
        Weigher<? super K, ? super V> weigher;
        int maximumSegments;
        SegmentLayout layout;
        KeyStrategy<K> keyStrategy = KeyStrategy.natural();
        long seed = io.dash4j.dashtable.Hashing.DEFAULT_SEED;
        boolean evicting = true;
        long expireAfterWriteNanos;
        LongSupplier ticker = System::nanoTime;
        RemovalListener<? super K, ? super V> listener;
        SlotPolicy slotPolicy = SlotPolicy.DEFAULT;
        int partitions;

        private static long positive(long n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be positive: " + n);
            }
            return n;
        }

        /** At most {@code n} entries. */
        public Builder<K, V> maximumSize(long n) {
            this.maximumSize = positive(n, "maximum size");
            return this;
        }

        /** At most {@code w} total weight, as measured by {@link #weigher}. */
        public Builder<K, V> maximumWeight(long w) {
            this.maximumWeight = positive(w, "maximum weight");
            return this;
        }

        public Builder<K, V> weigher(Weigher<? super K, ? super V> weigher) {
            this.weigher = Objects.requireNonNull(weigher);
            return this;
        }

        /**
         * Bound the table by segments instead of entries: it grows to {@code n} segments, then
         * only Dragonfly's segment-full eviction acts (the setup of Dragonfly's own tests).
         */
        public Builder<K, V> maximumSegments(int n) {
            this.maximumSegments = (int) positive(n, "maximum segments");
            return this;
        }

        /** Segment shape; by default derived from the bound (Dragonfly's 56+4 x 14 when large). */
        public Builder<K, V> layout(SegmentLayout layout) {
            this.layout = Objects.requireNonNull(layout);
            return this;
        }

        public Builder<K, V> keyStrategy(KeyStrategy<K> strategy) {
            this.keyStrategy = Objects.requireNonNull(strategy);
            return this;
        }

        public Builder<K, V> seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** False = store mode: a put that would cross the bound throws {@link CacheFullException}. */
        public Builder<K, V> evicting(boolean evicting) {
            this.evicting = evicting;
            return this;
        }

        public Builder<K, V> expireAfterWrite(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("expire-after-write must be positive: " + ttl);
            }
            this.expireAfterWriteNanos = ttl.toNanos();
            return this;
        }

        /** Time source in nanoseconds (tests pass a fake one). */
        public Builder<K, V> ticker(LongSupplier nanos) {
            this.ticker = Objects.requireNonNull(nanos);
            return this;
        }

        public Builder<K, V> removalListener(RemovalListener<? super K, ? super V> listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        public Builder<K, V> slotPolicy(SlotPolicy policy) {
            this.slotPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /** Partitions of a {@link ConcurrentDashCache} (a power of two; default from the bound and cores). */
        public Builder<K, V> partitions(int n) {
            if (n < 1 || Integer.bitCount(n) != 1) {
                throw new IllegalArgumentException("partitions must be a power of two: " + n);
            }
            this.partitions = n;
            return this;
        }

        /** The single-owner cache: fastest, not thread-safe. */
        public DashCache<K, V> buildSingleOwner() {
            if (weigher != null && maximumWeight == Long.MAX_VALUE) {
                throw new IllegalStateException("a weigher needs maximumWeight");
            }
            if (weigher == null && maximumWeight != Long.MAX_VALUE && maximumSize == Long.MAX_VALUE) {
                // weight without a weigher: every entry weighs one
                maximumSize = maximumWeight;
            }
            return new DashCache<>(this);
        }

        /** The thread-safe cache: keys partitioned over independently locked single-owner caches. */
        public ConcurrentDashCache<K, V> build() {
            return new ConcurrentDashCache<>(this);
        }

        Builder<K, V> copyForPartition(int parts) {
            Builder<K, V> b = new Builder<>();
            b.maximumSize = maximumSize == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, maximumSize / parts);
            b.maximumWeight = maximumWeight == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, maximumWeight / parts);
            b.weigher = weigher;
            b.maximumSegments = maximumSegments == 0 ? 0 : Math.max(1, maximumSegments / parts);
            b.layout = layout;
            b.keyStrategy = keyStrategy;
            b.seed = seed;
            b.evicting = evicting;
            b.expireAfterWriteNanos = expireAfterWriteNanos;
            b.ticker = ticker;
            b.listener = listener;
            b.slotPolicy = slotPolicy;
            return b;
        }
    }
}
