package io.dash4j.dashtable;

import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Dragonfly's Dashtable in Java: a directory of {@link Segment}s under extendible hashing.
 *
 * <p>The top {@code globalDepth} bits of a key's 64-bit hash index the directory; a segment of
 * local depth {@code d} appears {@code 2^(globalDepth-d)} consecutive times in it. When an insert
 * finds its segment full, {@link TablePolicy} decides between growing (splitting that one segment
 * on its next hash bit: only two segments are touched, no global rehash) and evicting. With the
 * default {@link TablePolicy#alwaysGrow()} policy this is a plain, memory-lean hash map.
 *
 * <p>Storage is flat arrays per segment: a fingerprint byte, two bitmap bits and two references
 * per slot, no object per entry, nothing boxed. Null keys and values are rejected.
 *
 * <p>Not thread-safe: one owner at a time (wrap it, or partition keys over several tables).
 *
 * <p>Table positions are {@code long}s: {@code directoryIndex << 16 | segmentPosition}; they stay
 * valid until the next insert, removal or bump.
 */
public final class DashTable<K, V> {

    /** Deepest directory we allow: 2^30 segment references. Deeper means degenerate hashing. */
    public static final int MAX_GLOBAL_DEPTH = 30;

    private final SegmentLayout layout;
    private final KeyStrategy<K> strategy;
    private final long seed;
    private final TablePolicy<K, V> policy;
    private final int initialDepth;

    @SuppressWarnings("rawtypes")
    private Segment[] directory;
    private int globalDepth;
    private int uniqueSegments;
    private long size;

    private long splits;
    private long stashUnloads;

    /** The running snapshot's epoch, 0 when none runs (read by every segment's pre-write hook). */
    int snapshotEpoch;
    /** The epoch of the last snapshot started: the next one takes {@code lastEpoch + 1}. */
    private int lastEpoch;
    /** The running snapshot, or null. */
    private TableSnapshot<K, V> snapshot;

    private DashTable(Builder<K, V> b) {
        this.layout = b.layout;
        this.strategy = b.strategy;
        this.seed = b.seed;
        this.policy = b.policy;
        this.initialDepth = b.initialDepth;
        reset();
    }

    /** A table with Dragonfly's layout, natural key hashing and the always-grow policy. */
    public DashTable() {
        this(new Builder<>());
    }

    public static <K, V> Builder<K, V> builder() {
        return new Builder<>();
    }

    private void reset() {
        if (snapshot != null) {
            snapshot.finish(); // the image keeps what the table held before it was cleared
        }
        globalDepth = initialDepth;
        directory = new Segment[1 << initialDepth];
        for (int i = 0; i < directory.length; i++) {
            directory[i] = new Segment<>(this, layout, initialDepth);
        }
        uniqueSegments = directory.length;
        size = 0;
    }

    // ------------------------------------------------------------------ hashing and lookup

    public long hash(K key) {
        return strategy.hash(key, seed);
    }

    KeyStrategy<K> strategy() {
        return strategy;
    }

    /**
     * Every change of a segment's size goes through here, so {@link #size()} is always the sum of
     * the segments' sizes, whichever public mutator ({@link Segment#insert},
     * {@link Segment#removeAt}, {@link Segment#shiftRight}, ...) a policy calls.
     */
    void sizeChanged(int delta) {
        size += delta;
    }

    private int directoryIndex(long hash) {
        return globalDepth == 0 ? 0 : (int) (hash >>> (64 - globalDepth));
    }

    @SuppressWarnings("unchecked")
    public Segment<K, V> segmentFor(long hash) {
        return directory[directoryIndex(hash)];
    }

    /** The position of {@code key} (hashed as {@code hash}), or -1 when absent. */
    @SuppressWarnings("unchecked")
    public long locate(K key, long hash) {
        int index = directoryIndex(hash);
        int p = ((Segment<K, V>) directory[index]).find(key, hash);
        return p < 0 ? -1 : (long) index << 16 | p;
    }

    @SuppressWarnings("unchecked")
    public Segment<K, V> segmentAt(long position) {
        return directory[(int) (position >>> 16)];
    }

    public static int bucketAt(long position) {
        return Segment.bucketOf((int) position & 0xFFFF);
    }

    public static int slotAt(long position) {
        return Segment.slotOf((int) position & 0xFFFF);
    }

    private static long withSegmentPosition(long position, int segmentPosition) {
        return (position & ~0xFFFFL) | segmentPosition;
    }

    public V get(K key) {
        Objects.requireNonNull(key, "key");
        long hash = hash(key);
        Segment<K, V> seg = segmentFor(hash);
        int p = seg.find(key, hash);
        return p < 0 ? null : seg.valueAt(p);
    }

    public boolean containsKey(K key) {
        Objects.requireNonNull(key, "key");
        long hash = hash(key);
        return segmentFor(hash).find(key, hash) >= 0;
    }

    public V valueAt(long position) {
        return segmentAt(position).valueAt((int) position & 0xFFFF);
    }

    public K keyAt(long position) {
        return segmentAt(position).keyAt(bucketAt(position), slotAt(position));
    }

    public void setValueAt(long position, V value) {
        Objects.requireNonNull(value, "value");
        segmentAt(position).setValueAt(bucketAt(position), slotAt(position), value);
    }

    /**
     * Replaces the key object and the value at {@code position}; {@code key} must equal the key
     * stored there (an overwrite that keeps the caller's newest key object, e.g. a key that lives
     * inside its value).
     */
    public void setEntryAt(long position, K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        segmentAt(position).setEntryAt(bucketAt(position), slotAt(position), key, value);
    }

    // ------------------------------------------------------------------ updates

    /** Insert or replace; returns the previous value or null. */
    public V put(K key, V value) {
        return insertOrGet(key, value, true);
    }

    /** Insert when absent; returns the present value (table unchanged) or null when inserted. */
    public V putIfAbsent(K key, V value) {
        return insertOrGet(key, value, false);
    }

    /** Inserts an absent key; for a present one returns its value, replacing it if asked. */
    private V insertOrGet(K key, V value, boolean replace) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long hash = hash(key);
        Segment<K, V> seg = segmentFor(hash);
        int p = seg.find(key, hash);
        if (p >= 0) {
            V old = seg.valueAt(p);
            if (replace) {
                seg.setValueAt(Segment.bucketOf(p), Segment.slotOf(p), value);
            }
            return old;
        }
        insertNew(key, value, hash);
        return null;
    }

    /** Unique insert ({@code Insert}): true when inserted, false when the key was present. */
    public boolean insert(K key, V value) {
        return putIfAbsent(key, value) == null;
    }

    public V remove(K key) {
        Objects.requireNonNull(key, "key");
        long hash = hash(key);
        Segment<K, V> seg = segmentFor(hash);
        int p = seg.find(key, hash);
        if (p < 0) {
            return null;
        }
        V old = seg.valueAt(p);
        seg.removeAt(Segment.bucketOf(p), Segment.slotOf(p));
        return old;
    }

    /**
     * Places a key known to be absent in the lowest free slot of stash bucket {@code stashBucket}
     * of its segment ({@link Segment#insertIntoStash}); returns its position, or -1 when that
     * bucket is full.
     */
    @SuppressWarnings("unchecked")
    public long insertIntoStash(K key, V value, long hash, int stashBucket) {
        int index = directoryIndex(hash);
        int p = ((Segment<K, V>) directory[index]).insertIntoStash(key, value, hash, stashBucket);
        return p < 0 ? -1 : (long) index << 16 | p;
    }

    /** Removes the entry at {@code position} (policies evict with this). */
    public void removeAt(Segment<K, V> segment, int bucket, int slot) {
        segment.removeAt(bucket, slot);
    }

    /** Removes the entry at a table position. */
    public void removeAt(long position) {
        removeAt(segmentAt(position), bucketAt(position), slotAt(position));
    }

    /**
     * Inserts a key the caller knows is absent, running Dragonfly's insert loop:
     * insert → garbage-collect → unload stash → (grow ? split : evict) → retry.
     *
     * @return the new entry's position
     * @throws TableFullException when no room can be made; the table is unchanged
     */
    @SuppressWarnings("unchecked")
    public long insertNew(K key, V value, long hash) {
        for (;;) {
            int index = directoryIndex(hash);
            Segment<K, V> seg = directory[index];
            int p = seg.insert(key, value, hash, true);
            if (p >= 0) {
                return (long) index << 16 | p;
            }
            if (policy.garbageCollect(this, seg, hash) > 0) {
                continue;
            }
            // A segment with every slot taken has nowhere to unload to: skip the stash walk (it
            // rehashes every stash item), which a warm cache would otherwise pay on every miss.
            int unloaded = seg.size() < seg.capacity() ? seg.unloadStash() : 0;
            if (unloaded > 0) {
                stashUnloads += unloaded;
                continue;
            }
            boolean grow = policy.canGrow(this, seg);
            if (!grow) {
                if (policy.evict(this, seg, hash) > 0) {
                    continue;
                }
                throw new TableFullException("segment full and the policy allows neither growth nor eviction ("
                        + size + " entries in " + uniqueSegments + " segments)");
            }
            split(seg, hash);
        }
    }

    private void split(Segment<K, V> seg, long hash) {
        int depth = seg.localDepth();
        // Bits the coming splits can still separate on: [64 - MAX, 64 - depth).
        long separable = depth >= MAX_GLOBAL_DEPTH ? 0
                : (-1L >>> depth) & ~(-1L >>> MAX_GLOBAL_DEPTH);
        if ((seg.hashDifferenceAround(hash) & separable) == 0) {
            throw new TableFullException("too many keys share the hash of this key: "
                    + "no split can separate them (a segment holds at most 6 buckets of one hash)");
        }
        splitAt(directoryIndex(hash));
    }

    /**
     * {@code Split}: splits the segment at directory index {@code index} into itself and a new
     * segment; the upper half of its directory range then refers to the new one. Only these two
     * segments are touched. The directory doubles first when the segment is as deep as it.
     */
    @SuppressWarnings("unchecked")
    private void splitAt(int index) {
        Segment<K, V> seg = directory[index];
        if (seg.localDepth() == globalDepth) {
            increaseDepth();
            index *= 2;
        }
        int chunk = 1 << (globalDepth - seg.localDepth());
        int start = index & ~(chunk - 1);
        Segment<K, V> right = new Segment<>(this, layout, seg.localDepth());
        seg.splitInto(right);
        for (int i = start + chunk / 2; i < start + chunk; i++) {
            directory[i] = right;
        }
        uniqueSegments++;
        splits++;
        policy.onSplit(this, seg, right);
    }

    /** {@code IncreaseDepth}: doubles the directory, each reference replicated twice. */
    @SuppressWarnings("rawtypes")
    private void increaseDepth() {
        if (globalDepth >= MAX_GLOBAL_DEPTH) {
            throw new TableFullException("directory depth limit reached (" + MAX_GLOBAL_DEPTH + ")");
        }
        Segment[] bigger = new Segment[directory.length * 2];
        for (int i = 0; i < directory.length; i++) {
            bigger[2 * i] = directory[i];
            bigger[2 * i + 1] = directory[i];
        }
        directory = bigger;
        globalDepth++;
    }

    /**
     * The share of a segment's slots {@link #reserve} plans for. A segment fills to 91-100% of its
     * capacity before its first failed insert with random keys, and the keys spread over equally
     * deep segments binomially, so planning for 80% leaves room for both.
     */
    public static final double RESERVE_FILL = 0.8;

    /**
     * Pre-splits so that {@code n} entries with well-mixed hashes fit without growing: every
     * segment is split to the same depth {@code d}, the smallest with
     * {@code 2^d * RESERVE_FILL * capacity >= n}. Afterwards
     * {@code segmentCount() * layout().capacity() >= n} and {@code 2^globalDepth() * capacity >= n}.
     *
     * <p>The depth is uniform on purpose: a segment of depth {@code d} receives {@code 1/2^d} of
     * the keys, so a shallower one would fill (and split) before the others, whatever the total
     * capacity. Works on a populated table too; segments already deep enough are left alone.
     *
     * @throws IllegalArgumentException when {@code n} needs more than {@link #MAX_GLOBAL_DEPTH}
     */
    @SuppressWarnings("unchecked")
    public void reserve(long n) {
        if (n <= 0) {
            return;
        }
        long perSegment = Math.max(1, (long) (layout.capacity() * RESERVE_FILL));
        long segments = (n + perSegment - 1) / perSegment;
        int depth = 64 - Long.numberOfLeadingZeros(segments - 1); // ceil(log2(segments))
        if (depth > MAX_GLOBAL_DEPTH) {
            throw new IllegalArgumentException("cannot reserve " + n + " entries: needs 2^" + depth
                    + " segments, more than 2^" + MAX_GLOBAL_DEPTH);
        }
        while (globalDepth < depth) {
            increaseDepth();
        }
        for (int i = 0; i < directory.length; ) {
            Segment<K, V> seg = directory[i];
            while (seg.localDepth() < depth) {
                splitAt(i); // seg keeps the lower half of its range, which starts at i
            }
            i += 1 << (globalDepth - seg.localDepth());
        }
    }

    /** Removes every entry and returns to the initial directory. */
    public void clear() {
        reset();
    }

    // ------------------------------------------------------------------ bump primitives

    /**
     * Promotes the entry at {@code position} one rank ({@link Segment#bumpUp}), honouring the
     * policy's {@link TablePolicy#canBump}. Returns its new position.
     */
    public long bumpUp(long position, long hash) {
        Segment<K, V> seg = segmentAt(position);
        int p = seg.bumpUp(bucketAt(position), slotAt(position), hash, policy);
        return withSegmentPosition(position, p);
    }

    public TablePolicy<K, V> policy() {
        return policy;
    }

    // ------------------------------------------------------------------ traversal

    /**
     * Stable cursor scan ({@code Traverse}). Visits the entries of the next non-empty logical
     * bucket of one segment and returns the cursor to pass next; 0 starts and 0 means done.
     *
     * <p>The cursor is {@code bucket << 32 | segmentPrefix}: the logical bucket (home bucket id)
     * and the segment's hash prefix left-aligned in 32 bits. Splits only subdivide prefix ranges
     * and never change an entry's logical bucket, so every entry present for the whole scan is
     * visited (exactly once, even if the table grows between calls).
     */
    @SuppressWarnings("unchecked")
    public long scan(long cursor, BiConsumer<? super K, ? super V> visitor) {
        int bucket = (int) (cursor >>> 32);
        long prefix = cursor & 0xFFFFFFFFL;
        while (bucket < layout.regularBuckets()) {
            int index = globalDepth == 0 ? 0 : (int) (prefix >>> (32 - globalDepth));
            Segment<K, V> seg = directory[index];
            int visited = seg.forEachInLogicalBucket(bucket, visitor);
            int chunk = 1 << (globalDepth - seg.localDepth());
            long nextIndex = (index & ~(chunk - 1)) + chunk;
            if (nextIndex >= directory.length) {
                bucket++;
                prefix = 0;
            } else {
                prefix = nextIndex << (32 - globalDepth);
            }
            if (visited > 0) {
                break;
            }
        }
        return bucket >= layout.regularBuckets() ? 0 : (long) bucket << 32 | prefix;
    }

    /** Scans until at least {@code count} entries were visited or the scan ended (Redis SCAN COUNT). */
    public long scan(long cursor, int count, BiConsumer<? super K, ? super V> visitor) {
        int[] seen = {0};
        BiConsumer<K, V> counting = (k, v) -> {
            seen[0]++;
            visitor.accept(k, v);
        };
        do {
            cursor = scan(cursor, counting);
        } while (cursor != 0 && seen[0] < count);
        return cursor;
    }

    /** Visits every entry once (segments in directory order). */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> visitor) {
        for (int i = 0; i < directory.length; ) {
            Segment<K, V> seg = directory[i];
            seg.forEach(visitor);
            i += 1 << (globalDepth - seg.localDepth());
        }
    }

    /** Visits every unique segment once, with the first directory index that refers to it. */
    @SuppressWarnings("unchecked")
    public void forEachSegment(SegmentVisitor<K, V> visitor) {
        for (int i = 0; i < directory.length; ) {
            Segment<K, V> seg = directory[i];
            visitor.visit(i, seg);
            i += 1 << (globalDepth - seg.localDepth());
        }
    }

    /** Receives each unique segment. */
    @FunctionalInterface
    public interface SegmentVisitor<K, V> {
        void visit(int directoryIndex, Segment<K, V> segment);
    }

    /** The segment at directory index {@code index} (aliases included). */
    @SuppressWarnings("unchecked")
    public Segment<K, V> segment(int index) {
        return directory[index];
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Starts a point-in-time snapshot: {@code sink} will receive every entry the table holds now,
     * each exactly once, as it is now, while the table keeps changing. Call
     * {@link TableSnapshot#step} between writes to advance the walk (or {@link TableSnapshot#finish}).
     * Writers that touch a bucket the walk has not reached first serialize it into {@code sink}, so
     * the sink may be called from inside {@code put}, {@code remove}, a split or an eviction: it must
     * not modify this table. One snapshot runs at a time; {@link #clear()} finishes it first.
     *
     * @throws IllegalStateException when a snapshot is already running
     */
    @SuppressWarnings("unchecked")
    public TableSnapshot<K, V> startSnapshot(BiConsumer<? super K, ? super V> sink) {
        Objects.requireNonNull(sink, "sink");
        if (snapshot != null) {
            throw new IllegalStateException("a snapshot of this table is already running");
        }
        if (lastEpoch == Integer.MAX_VALUE) {
            throw new IllegalStateException("snapshot epochs exhausted");
        }
        Segment<K, V>[] segments = new Segment[uniqueSegments];
        int n = 0;
        for (int i = 0; i < directory.length; ) {
            Segment<K, V> seg = directory[i];
            segments[n++] = seg;
            i += 1 << (globalDepth - seg.localDepth());
        }
        int epoch = ++lastEpoch;
        snapshot = new TableSnapshot<>(this, segments, epoch, sink);
        snapshotEpoch = epoch;
        return snapshot;
    }

    /** A whole snapshot at once: {@link #startSnapshot} then {@link TableSnapshot#finish}. */
    public long snapshot(BiConsumer<? super K, ? super V> sink) {
        TableSnapshot<K, V> s = startSnapshot(sink);
        s.finish();
        return s.emitted();
    }

    /** The running snapshot, or null. */
    public TableSnapshot<K, V> runningSnapshot() {
        return snapshot;
    }

    /** The pre-write hook's slow path: {@code segment}'s unvisited {@code bucket} is about to change. */
    void preserve(Segment<K, V> segment, int bucket) {
        snapshot.preserve(segment, bucket);
    }

    /** Called by the snapshot when it is done or aborted: writers stop preserving buckets. */
    void snapshotEnded(TableSnapshot<K, V> s) {
        if (snapshot == s) {
            snapshot = null;
            snapshotEpoch = 0;
        }
    }

    // ------------------------------------------------------------------ size and shape

    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int globalDepth() {
        return globalDepth;
    }

    public int directorySize() {
        return directory.length;
    }

    public int segmentCount() {
        return uniqueSegments;
    }

    public SegmentLayout layout() {
        return layout;
    }

    /** Slots in all segments: the table's capacity before its next split. */
    public long capacity() {
        return (long) uniqueSegments * layout.capacity();
    }

    /** Buckets in all segments ({@code bucket_count}). */
    public long bucketCount() {
        return (long) uniqueSegments * layout.totalBuckets();
    }

    public double loadFactor() {
        return (double) size / capacity();
    }

    public long splitCount() {
        return splits;
    }

    /** Items moved from stash back to regular buckets by the insert loop. */
    public long stashUnloadCount() {
        return stashUnloads;
    }

    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "DashTable{size=" + size + ", segments=" + uniqueSegments + ", globalDepth=" + globalDepth
                + ", layout=" + layout + "}";
    }

    // ------------------------------------------------------------------ builder

    public static final class Builder<K, V> {
        private SegmentLayout layout = SegmentLayout.DRAGONFLY;
        private KeyStrategy<K> strategy = KeyStrategy.natural();
        private long seed = Hashing.DEFAULT_SEED;
        private TablePolicy<K, V> policy = TablePolicy.alwaysGrow();
        private int initialDepth = 0;

        public Builder<K, V> layout(SegmentLayout layout) {
            this.layout = Objects.requireNonNull(layout);
            return this;
        }

        public Builder<K, V> keyStrategy(KeyStrategy<K> strategy) {
            this.strategy = Objects.requireNonNull(strategy);
            return this;
        }

        public Builder<K, V> seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder<K, V> policy(TablePolicy<K, V> policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        /** Start with {@code 2^depth} segments (Dragonfly's prime table starts at 3). */
        public Builder<K, V> initialDepth(int depth) {
            if (depth < 0 || depth > 20) {
                throw new IllegalArgumentException("initial depth must be in [0, 20]: " + depth);
            }
            this.initialDepth = depth;
            return this;
        }

        public DashTable<K, V> build() {
            return new DashTable<>(this);
        }
    }
}
