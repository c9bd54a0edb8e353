package io.dash4j.dashtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.BiConsumer;

/**
 * One segment of a {@link DashTable}: a small open-addressing table of {@code R} regular buckets
 * and {@code T} stash buckets, each of {@code S} slots, in flat arrays (no object per entry).
 *
 * <pre>
 *  bucket:   0     1     2    ...  R-1  |  R   ...  R+T-1      (regular | stash)
 *  slot:     [0 1 2 ... S-1]  rank: slot 0 is the highest, slot S-1 the lowest
 *  per slot: fingerprint (8 bits of the hash), busy bit, probe bit, key, value
 *  per regular bucket: 4 stash pointers (fingerprint + stash index + probe bit),
 *                      a "some item of mine is in a stash" bit and an "overflowed" bit,
 *                      all in one long; an overflow counter in one int
 *  per bucket (regular and stash): 2-bit hit counters of its slots, in one int
 * </pre>
 *
 * A key with hash {@code h} lives in its home bucket {@code (h >>> 8) % R} (probe bit 0), in the
 * neighbour {@code home + 1} (probe bit 1: "my home is the previous bucket") or in one of the
 * stash buckets, found through a stash pointer kept on the home bucket (or, when its four are
 * taken, on the neighbour with the probe bit, or else counted as overflow, which makes lookups
 * scan all stash buckets). This is Dragonfly's {@code dash_internal.h}; the comments name its
 * functions where we follow one.
 *
 * <p>Positions inside a segment are packed ints: {@code bucket << 4 | slot}.
 * Not thread-safe; a segment belongs to one table.
 */
public final class Segment<K, V> {

    /** Stash pointers per regular bucket ({@code kStashFpLen}). */
    public static final int STASH_POINTERS = 4;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    // stashMeta layout, one long per regular bucket (one read answers a lookup's stash question)
    private static final int PTR_BUSY_SHIFT = 0;     // 4 bits: pointer i in use
    private static final int PTR_PROBE_SHIFT = 4;    // 4 bits: pointer i belongs to the previous bucket's item
    private static final long PRESENT_BIT = 1L << 8; // some item whose home is this bucket is in a stash
    private static final long OVERFLOW_BIT = 1L << 9; // overflow(bucket) > 0: lookups must scan every stash
    /** The low bit of every 2-bit hit counter (0b01 in each field). */
    private static final int COUNT_LOW_BITS = 0x55555555;
    private static final int PTR_POS_SHIFT = 16;     // 4 x 4 bits: stash bucket index of pointer i
    private static final int PTR_FP_SHIFT = 32;      // 4 x 8 bits: fingerprint of pointer i

    private final DashTable<K, V> owner;
    private final int regular;
    private final int stash;
    private final int slots;
    private final int slotMask;
    /** {@code ceil(2^64 / R)}, for {@link #homeBucket}'s multiply-based modulo. */
    private final long bucketMagic;

    /** Fingerprint per slot, index {@code bucket * S + slot}; padded so 16 bytes can be read at any bucket. */
    private final byte[] fingerprints;
    /** Per bucket: busy mask in the low 16 bits, probe mask in the high 16 bits. */
    private final int[] bitmaps;
    /**
     * Per regular bucket: its four stash pointers (busy and probe bits, stash index and
     * fingerprint each), the PRESENT bit and the OVERFLOW bit, in one long, so that a lookup
     * past the home pair reads one word (and its neighbour's, adjacent) for the whole stash step.
     */
    private final long[] stashMeta;
    /**
     * Per regular bucket, the <b>overflow counter</b>: stash items of this home that have no
     * pointer (lookups then scan every stash). Only inserts and deletes read it; lookups test the
     * OVERFLOW bit of {@link #stashMeta} instead.
     */
    private final int[] overflow;
    /**
     * Per bucket (regular and stash), the owner's <b>hit counters</b>: 2 bits a slot (slot i in
     * bits 2i..2i+1, 0..3), 4 bytes per bucket. The table never reads them; an eviction order
     * counts hits here instead of moving entries ({@link #countHit}) and reads them when something
     * must leave. A counter travels with its entry inside the bucket (rotate, swap, shift) and
     * restarts at 0 whenever an entry arrives in a slot from elsewhere (insert, displacement,
     * promotion out of a stash, split).
     */
    private final int[] hitCounts;
    /**
     * Key and value of slot {@code i} side by side: key at {@code 2*i}, value at {@code 2*i+1}.
     * Interleaved rather than two arrays so a hit reads key and value from one cache line (and
     * one array header), and a rotate or shift moves both with one {@code System.arraycopy}.
     * Same memory as two arrays of {@code n}: one array of {@code 2n} references.
     */
    private final Object[] entries;
    /** The owner's key strategy, kept here so a lookup does not go through {@link #owner}. */
    private final KeyStrategy<K> strategy;

    /**
     * Snapshot version per bucket (regular and stash): the epoch of the last snapshot that has
     * serialized this bucket. A bucket whose version is below the running snapshot's epoch still
     * holds exactly what it held when that snapshot started; {@link #beforeChange} serializes it
     * before any mutator touches it ({@link TableSnapshot}). One int per bucket, not per slot.
     */
    private final int[] versions;

    private int localDepth;
    private int size;

    Segment(DashTable<K, V> owner, SegmentLayout layout, int localDepth) {
        this.owner = owner;
        this.strategy = owner.strategy();
        this.regular = layout.regularBuckets();
        this.stash = layout.stashBuckets();
        this.slots = layout.slots();
        this.slotMask = (1 << slots) - 1;
        this.bucketMagic = Long.divideUnsigned(-1L, regular) + 1;
        int total = layout.capacity();
        // two 8-byte words are read at every bucket: the last one needs 16 - S bytes past the end
        this.fingerprints = new byte[total + Math.max(0, 16 - slots)];
        this.bitmaps = new int[layout.totalBuckets()];
        this.stashMeta = new long[regular];
        this.overflow = new int[regular];
        this.hitCounts = new int[layout.totalBuckets()];
        this.entries = new Object[2 * total];
        this.localDepth = localDepth;
        this.versions = new int[layout.totalBuckets()];
        // a segment born during a snapshot holds only entries already serialized (split moves
        // them out of a preserved segment) or written after the snapshot began
        int epoch = owner.snapshotEpoch;
        if (epoch != 0) {
            java.util.Arrays.fill(versions, epoch);
        }
    }

    // ------------------------------------------------------------------ snapshot pre-write hook

    /**
     * The pre-write hook: before {@code bucket} changes, a running snapshot that has not visited
     * it yet serializes it as it is. Invariant: a bucket with {@code versions[b] < epoch} is
     * untouched since the snapshot began. Without a snapshot the epoch is 0 and no version is
     * below it, so this is one compare.
     */
    private void beforeChange(int bucket) {
        if (versions[bucket] < owner.snapshotEpoch) {
            owner.preserve(this, bucket);
        }
    }

    /** {@link #beforeChange} for every bucket (split, stash unload, clear). */
    private void beforeChangeAll() {
        if (owner.snapshotEpoch != 0) {
            for (int b = 0; b < versions.length; b++) {
                beforeChange(b);
            }
        }
    }

    /**
     * Serializes {@code bucket} into {@code sink} and marks it visited for {@code epoch}, unless
     * it already is. Returns the number of entries emitted (the snapshot walk and the hook).
     */
    int preserveBucket(int bucket, int epoch, BiConsumer<? super K, ? super V> sink) {
        if (versions[bucket] >= epoch) {
            return 0;
        }
        versions[bucket] = epoch;
        return visitMask(bucket, busyMask(bucket), sink);
    }

    /** The snapshot version of {@code bucket} (tests). */
    int versionOf(int bucket) {
        return versions[bucket];
    }

    // ------------------------------------------------------------------ positions and shape

    public static int position(int bucket, int slot) {
        return bucket << 4 | slot;
    }

    public static int bucketOf(int position) {
        return position >>> 4;
    }

    public static int slotOf(int position) {
        return position & 0xF;
    }

    public int regularBuckets() {
        return regular;
    }

    public int stashBuckets() {
        return stash;
    }

    public int slotsPerBucket() {
        return slots;
    }

    public int capacity() {
        return (regular + stash) * slots;
    }

    public int size() {
        return size;
    }

    public int localDepth() {
        return localDepth;
    }

    public boolean isStash(int bucket) {
        return bucket >= regular;
    }

    /**
     * {@code HomeIndex}: the bucket id, {@code ((hash >>> 8) & 0xFFFFFFFF) % R}. Dragonfly takes
     * all 56 bits above the fingerprint modulo R; 32 of them spread keys over at most 255 buckets
     * just as evenly.
     */
    public int homeBucket(long hash) {
        // (hash >>> 8) mod R over the 32 bits above the fingerprint, by Lemire's "fastmod":
        // two multiplications instead of a 64-bit division on every lookup.
        long lowBits = bucketMagic * ((hash >>> 8) & 0xFFFFFFFFL);
        return (int) (Math.multiplyHigh(lowBits, regular) + ((lowBits >> 63) & regular));
    }

    public int nextBucket(int bucket) {
        return bucket + 1 == regular ? 0 : bucket + 1;
    }

    public int prevBucket(int bucket) {
        return bucket == 0 ? regular - 1 : bucket - 1;
    }

    /** Stash bucket chosen by eviction for an incoming key: {@code R + hash % T}. */
    public int stashBucketFor(long hash) {
        return regular + (int) Long.remainderUnsigned(hash, stash);
    }

    /** Regular buckets an insert of {@code hash} touches ({@code HotBuckets}): home-1, home, home+1, home+2. */
    public static final int HOT_REGULAR_BUCKETS = 4;

    /** The {@code i}-th hot regular bucket of {@code hash}, {@code i} in [0, 4): home-1, home, home+1, home+2. */
    public int hotBucket(long hash, int i) {
        int home = homeBucket(hash);
        return Math.floorMod(home - 1 + i, regular);
    }

    public static int fingerprint(long hash) {
        return (int) (hash & 0xFF);
    }

    // ------------------------------------------------------------------ slot state

    public int busyMask(int bucket) {
        return bitmaps[bucket] & 0xFFFF;
    }

    public int probeMask(int bucket) {
        return bitmaps[bucket] >>> 16;
    }

    public int bucketSize(int bucket) {
        return Integer.bitCount(busyMask(bucket));
    }

    public boolean isBusy(int bucket, int slot) {
        return (bitmaps[bucket] & (1 << slot)) != 0;
    }

    public boolean isProbe(int bucket, int slot) {
        return (bitmaps[bucket] & (1 << (slot + 16))) != 0;
    }

    @SuppressWarnings("unchecked")
    public K keyAt(int bucket, int slot) {
        return (K) entries[2 * (bucket * slots + slot)];
    }

    @SuppressWarnings("unchecked")
    public V valueAt(int bucket, int slot) {
        return (V) entries[2 * (bucket * slots + slot) + 1];
    }

    @SuppressWarnings("unchecked")
    public V valueAt(int position) {
        return (V) entries[2 * (bucketOf(position) * slots + slotOf(position)) + 1];
    }

    public void setValueAt(int bucket, int slot, V value) {
        beforeChange(bucket);
        entries[2 * (bucket * slots + slot) + 1] = value;
    }

    /**
     * Replaces the key object and the value of an occupied slot; {@code key} must equal the key it
     * replaces (same hash, same fingerprint), so nothing else in the bucket changes.
     */
    public void setEntryAt(int bucket, int slot, K key, V value) {
        beforeChange(bucket);
        int i = 2 * (bucket * slots + slot);
        entries[i] = key;
        entries[i + 1] = value;
    }

    public int fingerprintAt(int bucket, int slot) {
        return fingerprints[bucket * slots + slot] & 0xFF;
    }

    /** {@code FindEmptySlot}: the lowest free slot, or -1. */
    private int emptySlot(int bucket) {
        int free = ~bitmaps[bucket] & slotMask;
        return free == 0 ? -1 : Integer.numberOfTrailingZeros(free);
    }

    private void place(int bucket, int slot, Object key, Object value, int fp, boolean probe) {
        int i = bucket * slots + slot;
        entries[2 * i] = key;
        entries[2 * i + 1] = value;
        fingerprints[i] = (byte) fp;
        hitCounts[bucket] &= ~(3 << 2 * slot); // a new occupant starts with no hits
        int bits = bitmaps[bucket] | (1 << slot);
        bitmaps[bucket] = probe ? bits | (1 << (slot + 16)) : bits & ~(1 << (slot + 16));
    }

    private void clearSlot(int bucket, int slot) {
        int i = 2 * (bucket * slots + slot);
        entries[i] = null;
        entries[i + 1] = null;
        bitmaps[bucket] &= ~(1 << slot | 1 << (slot + 16));
        hitCounts[bucket] &= ~(3 << 2 * slot);
    }

    /**
     * Slots of {@code bucket} whose fingerprint equals {@code fp}, as a bit mask (busy or not).
     * SWAR over two 8-byte words: a byte is zero after the XOR exactly where it matched.
     */
    int matchFingerprint(int bucket, int fp) {
        int base = bucket * slots;
        long pattern = (fp & 0xFFL) * 0x0101010101010101L;
        long lo = (long) LONGS.get(fingerprints, base) ^ pattern;
        long hi = (long) LONGS.get(fingerprints, base + 8) ^ pattern;
        return (zeroBytes(lo) | zeroBytes(hi) << 8) & slotMask;
    }

    /** Bit i set iff byte i of {@code x} is zero (exact: no false positives from borrows). */
    static int zeroBytes(long x) {
        long y = ~(((x & LOW7) + LOW7) | x | LOW7); // 0x80 exactly in the zero bytes
        // gather the eight 0x80 bits into the top byte (the multiplier has no colliding terms)
        return (int) (((y >>> 7) * 0x0102040810204080L) >>> 56);
    }

    // ------------------------------------------------------------------ lookup

    /** {@code FindIt}: the position of {@code key}, or -1. */
    public int find(K key, long hash) {
        int fp = fingerprint(hash);
        int home = homeBucket(hash);
        // home: its own items only; the neighbour: only items probing from home (skipped, with
        // its fingerprint words, when it has none)
        int own = busyMask(home) & ~probeMask(home);
        int p = own == 0 ? -1 : findIn(home, key, fp, matchFingerprint(home, fp) & own);
        if (p >= 0) {
            return p;
        }
        int next = nextBucket(home);
        int probing = busyMask(next) & probeMask(next);
        p = probing == 0 ? -1 : findIn(next, key, fp, matchFingerprint(next, fp) & probing);
        if (p >= 0) {
            return p;
        }
        // one word says whether home has stash items, whether some lack a pointer, and which
        // pointers carry this fingerprint: a miss usually stops here
        long meta = stashMeta[home];
        if ((meta & PRESENT_BIT) == 0) {
            return -1;
        }
        if ((meta & OVERFLOW_BIT) != 0) {
            for (int s = regular; s < regular + stash; s++) {
                p = findIn(s, key, fp, matchFingerprint(s, fp) & busyMask(s));
                if (p >= 0) {
                    return p;
                }
            }
            return -1;
        }
        p = findViaPointers(meta, ownPointers(meta), key, fp);
        if (p >= 0) {
            return p;
        }
        long nextMeta = stashMeta[next];
        return findViaPointers(nextMeta, spilledPointers(nextMeta), key, fp);
    }

    /** Follows the pointers of {@code meta} among {@code which} whose fingerprint is {@code fp}. */
    private int findViaPointers(long meta, int which, K key, int fp) {
        int ptrs = pointerMatches(meta, fp) & which;
        while (ptrs != 0) {
            int i = Integer.numberOfTrailingZeros(ptrs);
            ptrs &= ptrs - 1;
            int s = regular + pointerStash(meta, i);
            int p = findIn(s, key, fp, matchFingerprint(s, fp) & busyMask(s));
            if (p >= 0) {
                return p;
            }
        }
        return -1;
    }

    /** Pointers of {@code meta} (busy or not) whose fingerprint is {@code fp}: one SWAR compare of four bytes. */
    private static int pointerMatches(long meta, int fp) {
        return zeroBytes((meta >>> PTR_FP_SHIFT) ^ ((fp & 0xFFL) * 0x01010101L)) & 0xF;
    }

    private static int pointerStash(long meta, int i) {
        return (int) (meta >>> (PTR_POS_SHIFT + 4 * i)) & 0xF;
    }

    private static int pointerFingerprint(long meta, int i) {
        return (int) (meta >>> (PTR_FP_SHIFT + 8 * i)) & 0xFF;
    }

    private int findIn(int bucket, K key, int fp, int candidates) {
        int base = 2 * bucket * slots;
        while (candidates != 0) {
            int slot = Integer.numberOfTrailingZeros(candidates);
            candidates &= candidates - 1;
            @SuppressWarnings("unchecked")
            K k = (K) entries[base + 2 * slot];
            if (strategy.equals(key, k)) {
                return position(bucket, slot);
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ traced lookup (work counts)

    private static final int FP_ARRAY = 0;
    private static final int BITMAP_ARRAY = 1;
    private static final int META_ARRAY = 2;
    private static final int ENTRY_ARRAY = 3;
    private static final int KEY_OBJECTS = 4;

    /**
     * {@link #find}, step for step, adding what it reads to {@code work} (not for the hot path:
     * the bench's work counts). Returns the same position as {@code find}; change both together.
     */
    public int traceFind(K key, long hash, ProbeWork work) {
        work.begin();
        try {
            int fp = fingerprint(hash);
            int home = homeBucket(hash);
            int next = nextBucket(home);
            work.touch(BITMAP_ARRAY, home, 4);
            int own = busyMask(home) & ~probeMask(home);
            int p = own == 0 ? -1 : traceIn(home, key, fp, own, work);
            if (p >= 0) {
                return p;
            }
            work.touch(BITMAP_ARRAY, next, 4);
            int probing = busyMask(next) & probeMask(next);
            p = probing == 0 ? -1 : traceIn(next, key, fp, probing, work);
            if (p >= 0) {
                return p;
            }
            work.touch(META_ARRAY, home, 8);
            long meta = stashMeta[home];
            if ((meta & PRESENT_BIT) == 0) {
                return -1;
            }
            if ((meta & OVERFLOW_BIT) != 0) {
                for (int s = regular; s < regular + stash; s++) {
                    work.stashBuckets++;
                    work.touch(BITMAP_ARRAY, s, 4);
                    p = traceIn(s, key, fp, busyMask(s), work);
                    if (p >= 0) {
                        return p;
                    }
                }
                return -1;
            }
            p = tracePointers(meta, ownPointers(meta), key, fp, work);
            if (p >= 0) {
                return p;
            }
            work.touch(META_ARRAY, next, 8);
            long nextMeta = stashMeta[next];
            return tracePointers(nextMeta, spilledPointers(nextMeta), key, fp, work);
        } finally {
            work.end();
        }
    }

    private int tracePointers(long meta, int which, K key, int fp, ProbeWork work) {
        if (which != 0) {
            work.pointerWords++;
        }
        int ptrs = pointerMatches(meta, fp) & which;
        while (ptrs != 0) {
            int i = Integer.numberOfTrailingZeros(ptrs);
            ptrs &= ptrs - 1;
            int s = regular + pointerStash(meta, i);
            work.stashBuckets++;
            work.touch(BITMAP_ARRAY, s, 4);
            int p = traceIn(s, key, fp, busyMask(s), work);
            if (p >= 0) {
                return p;
            }
        }
        return -1;
    }

    /** One bucket's SWAR compare (two fingerprint words) and key tests among {@code mask}. */
    private int traceIn(int bucket, K key, int fp, int mask, ProbeWork work) {
        work.bucketsProbed++;
        work.fingerprintWords += 2;
        work.touch(FP_ARRAY, bucket * slots, 1);
        work.touch(FP_ARRAY, bucket * slots + 15, 1);
        int candidates = matchFingerprint(bucket, fp) & mask;
        while (candidates != 0) {
            int slot = Integer.numberOfTrailingZeros(candidates);
            candidates &= candidates - 1;
            work.keyCompares++;
            work.touch(ENTRY_ARRAY, 2L * (bucket * slots + slot), 4);
            work.touch(KEY_OBJECTS, (long) (bucket * slots + slot) << 6, 1);
            if (strategy.equals(key, keyAt(bucket, slot))) {
                return position(bucket, slot);
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ insert

    /**
     * {@code InsertUniq}: places a key known to be absent, or returns -1 when the segment is full
     * for this key (home, neighbour, both displacements and every stash failed). The caller must
     * pass the key's table hash ({@link DashTable#hash}) and a segment the directory maps that
     * hash to; the table's size goes up with the segment's.
     *
     * @param spread balanced insert (the emptier of home and neighbour first); split uses
     *               {@code false}: home first, which makes a split fail less often (Dragonfly
     *               PR #318; {@link #splitInto} copies slot for slot when even that fails)
     */
    public int insert(K key, V value, long hash, boolean spread) {
        int p = insertUniq(key, value, hash, spread); // its steps preserve the buckets they change
        if (p >= 0) {
            owner.sizeChanged(1);
        }
        return p;
    }

    /**
     * Places a key known to be absent straight into the lowest free slot of stash bucket
     * {@code stashBucket}, with its stash pointer: probation for a newcomer even when its home
     * has room (a cache at its entry bound admits this way). Returns the position or -1.
     */
    public int insertIntoStash(K key, V value, long hash, int stashBucket) {
        if (stashBucket < regular || stashBucket >= regular + stash) {
            throw new IllegalArgumentException("not a stash bucket: " + stashBucket);
        }
        int slot = emptySlot(stashBucket);
        if (slot < 0) {
            return -1;
        }
        beforeChange(stashBucket);
        int fp = fingerprint(hash);
        int home = homeBucket(hash);
        setStashPointer(home, nextBucket(home), stashBucket - regular, fp);
        int p = placeNew(stashBucket, slot, key, value, fp, false);
        owner.sizeChanged(1);
        return p;
    }

    /**
     * {@link #insert} without telling the table: split moves keys between its own segments.
     * Snapshot invariant: each step calls {@link #beforeChange} on exactly the buckets whose
     * entries it is about to change (the bucket that receives the key; both ends of a
     * displacement), so an insert preserves one to three buckets, not every bucket it might use.
     */
    private int insertUniq(K key, V value, long hash, boolean spread) {
        int fp = fingerprint(hash);
        int home = homeBucket(hash);
        int next = nextBucket(home);
        boolean neighbourFirst = spread && bucketSize(next) < bucketSize(home);
        int first = neighbourFirst ? next : home;
        int slot = emptySlot(first);
        if (slot >= 0) {
            return placeNew(first, slot, key, value, fp, neighbourFirst);
        }
        if (!spread) {
            slot = emptySlot(next);
            if (slot >= 0) {
                return placeNew(next, slot, key, value, fp, true);
            }
        }
        // displacement 1: an item owned by the neighbour moves on to the bucket after it
        slot = moveToOther(true, next, nextBucket(next));
        if (slot >= 0) {
            return placeNew(next, slot, key, value, fp, true);
        }
        // displacement 2: an item probing in home goes back to its own home, the previous bucket
        slot = moveToOther(false, home, prevBucket(home));
        if (slot >= 0) {
            return placeNew(home, slot, key, value, fp, false);
        }
        // stash, starting at (home + i) % T so stash buckets fill evenly
        for (int i = 0; i < stash; i++) {
            int pos = (home + i) % stash;
            int s = regular + pos;
            slot = emptySlot(s);
            if (slot >= 0) {
                setStashPointer(home, next, pos, fp);
                return placeNew(s, slot, key, value, fp, false);
            }
        }
        return -1;
    }

    private int placeNew(int bucket, int slot, Object key, Object value, int fp, boolean probe) {
        beforeChange(bucket);
        place(bucket, slot, key, value, fp, probe);
        size++;
        return position(bucket, slot);
    }

    /** {@code MoveToOther}: frees the lowest owned (or probing) slot of {@code from} into {@code to}. */
    private int moveToOther(boolean ownItems, int from, int to) {
        int mask = ownItems ? busyMask(from) & ~probeMask(from) : busyMask(from) & probeMask(from);
        if (mask == 0) {
            return -1;
        }
        int dst = emptySlot(to);
        if (dst < 0) {
            return -1;
        }
        int src = Integer.numberOfTrailingZeros(mask);
        int i = from * slots + src;
        beforeChange(from); // the moved item is emitted once, from where it was
        beforeChange(to);
        // an owned item of `from` probes in from+1; a probing item of `from` returns home to from-1
        place(to, dst, entries[2 * i], entries[2 * i + 1], fingerprints[i] & 0xFF, ownItems);
        clearSlot(from, src);
        return src;
    }

    // ------------------------------------------------------------------ stash pointers

    /** {@code SetStashPtr}: on home, else on the neighbour with the probe bit, else overflow. */
    private void setStashPointer(int home, int next, int stashPos, int fp) {
        if (!addPointer(home, fp, stashPos, false) && !addPointer(next, fp, stashPos, true)) {
            overflow[home]++;
            stashMeta[home] |= OVERFLOW_BIT;
        }
        stashMeta[home] |= PRESENT_BIT;
    }

    private boolean addPointer(int bucket, int fp, int stashPos, boolean probe) {
        long meta = stashMeta[bucket];
        int free = ~(int) (meta >>> PTR_BUSY_SHIFT) & 0xF;
        if (free == 0) {
            return false;
        }
        int i = Integer.numberOfTrailingZeros(free);
        meta |= 1L << (PTR_BUSY_SHIFT + i);
        meta = probe ? meta | 1L << (PTR_PROBE_SHIFT + i) : meta & ~(1L << (PTR_PROBE_SHIFT + i));
        meta = (meta & ~(0xFL << (PTR_POS_SHIFT + 4 * i))) | (long) stashPos << (PTR_POS_SHIFT + 4 * i);
        meta = (meta & ~(0xFFL << (PTR_FP_SHIFT + 8 * i))) | (long) fp << (PTR_FP_SHIFT + 8 * i);
        stashMeta[bucket] = meta;
        return true;
    }

    /**
     * {@code UnsetStashPtr}: forgets one pointer (fingerprint, stash position) of {@code home}'s
     * items. Returns 1 when it was held by the neighbour, 0 when by home or counted as overflow.
     * Pointers with the same fingerprint and position are interchangeable, so the invariant
     * "pointers + overflow = stash items of this home" holds whichever one is removed.
     */
    private int unsetStashPointer(int home, int next, int stashPos, int fp) {
        int offset = 0;
        if (!removePointer(home, fp, stashPos, false)) {
            if (removePointer(next, fp, stashPos, true)) {
                offset = 1;
            } else {
                if (stashOverflow(home) == 0) {
                    throw new IllegalStateException("stash pointer accounting broken in bucket " + home);
                }
                overflow[home]--;
                if (stashOverflow(home) == 0) {
                    stashMeta[home] &= ~OVERFLOW_BIT;
                }
            }
        }
        if (ownPointers(stashMeta[home]) == 0 && spilledPointers(stashMeta[next]) == 0 && stashOverflow(home) == 0) {
            stashMeta[home] &= ~PRESENT_BIT;
        }
        return offset;
    }

    /** Busy pointers of {@code meta} held for the bucket's own stash items. */
    private static int ownPointers(long meta) {
        return (int) ((meta >>> PTR_BUSY_SHIFT) & ~(meta >>> PTR_PROBE_SHIFT)) & 0xF;
    }

    /** Busy pointers of {@code meta} held, with the probe bit, for the previous bucket's items. */
    private static int spilledPointers(long meta) {
        return (int) ((meta >>> PTR_BUSY_SHIFT) & (meta >>> PTR_PROBE_SHIFT)) & 0xF;
    }

    private boolean removePointer(int bucket, int fp, int stashPos, boolean probe) {
        long meta = stashMeta[bucket];
        int candidates = (probe ? spilledPointers(meta) : ownPointers(meta)) & pointerMatches(meta, fp);
        while (candidates != 0) {
            int i = Integer.numberOfTrailingZeros(candidates);
            candidates &= candidates - 1;
            if (pointerStash(meta, i) == stashPos) {
                stashMeta[bucket] = meta & ~(1L << (PTR_BUSY_SHIFT + i) | 1L << (PTR_PROBE_SHIFT + i));
                return true;
            }
        }
        return false;
    }

    /** Pointers {@code bucket} holds for its own stash items (tests check the accounting). */
    int ownStashPointerCount(int bucket) {
        return Integer.bitCount(ownPointers(stashMeta[bucket]));
    }

    /** Pointers {@code bucket} holds, with the probe bit, for its predecessor's stash items. */
    int spilledStashPointerCount(int bucket) {
        return Integer.bitCount(spilledPointers(stashMeta[bucket]));
    }

    /**
     * Pointer {@code i} of {@code bucket} as {@code probe << 12 | stashIndex << 8 | fingerprint},
     * or -1 when unused (tests check that every pointer names a real stash item).
     */
    int stashPointer(int bucket, int i) {
        long meta = stashMeta[bucket];
        if ((meta & (1L << (PTR_BUSY_SHIFT + i))) == 0) {
            return -1;
        }
        int probe = (int) (meta >>> (PTR_PROBE_SHIFT + i)) & 1;
        return probe << 12 | pointerStash(meta, i) << 8 | pointerFingerprint(meta, i);
    }

    /** True when some item whose home is {@code bucket} lives in a stash ({@code HasStash}). */
    public boolean hasStashedItems(int bucket) {
        return (stashMeta[bucket] & PRESENT_BIT) != 0;
    }

    /** The OVERFLOW bit lookups test instead of the counter (tests check it tracks {@link #stashOverflow}). */
    boolean overflowFlag(int bucket) {
        return (stashMeta[bucket] & OVERFLOW_BIT) != 0;
    }

    /** Stash items of {@code bucket}'s home that have no pointer. */
    public int stashOverflow(int bucket) {
        return overflow[bucket];
    }

    /** Stash pointers held by {@code bucket}: its own and, with the probe bit, its predecessor's. */
    public int stashPointerCount(int bucket) {
        return Long.bitCount((stashMeta[bucket] >>> PTR_BUSY_SHIFT) & 0xF);
    }

    // ------------------------------------------------------------------ delete, move, shift

    /**
     * {@code Delete}: frees the slot and, for a stash item, its stash pointer. The owning table's
     * size goes down with it, so this is as safe to call as {@link DashTable#removeAt}.
     */
    public void removeAt(int bucket, int slot) {
        beforeChange(bucket);
        delete(bucket, slot);
        owner.sizeChanged(-1);
    }

    /**
     * {@link #removeAt} for an item whose table hash the caller already has (an evicting cache
     * hashed its victim for the ghost filter): a stash item's pointer is found without hashing
     * the key again.
     */
    public void removeAt(int bucket, int slot, long hash) {
        beforeChange(bucket);
        delete(bucket, slot, hash);
        owner.sizeChanged(-1);
    }

    /** {@link #removeAt} without telling the table (split). */
    private void delete(int bucket, int slot) {
        delete(bucket, slot, bucket >= regular && isBusy(bucket, slot) ? owner.hash(keyAt(bucket, slot)) : 0);
    }

    private void delete(int bucket, int slot, long hash) {
        if (!isBusy(bucket, slot)) {
            throw new IllegalArgumentException("slot is empty: bucket " + bucket + " slot " + slot);
        }
        if (bucket >= regular) {
            int home = homeBucket(hash);
            unsetStashPointer(home, nextBucket(home), bucket - regular, fingerprintAt(bucket, slot));
        }
        clearSlot(bucket, slot);
        size--;
    }

    /**
     * Moves the item at {@code from} up to slot {@code to} ({@code to <= from}) of the same bucket;
     * the items in between shift one slot right. A move-to-front bump: the bucket becomes a
     * small LRU list ordered by slot. Probe bits travel with their items.
     */
    public void rotateUp(int bucket, int from, int to) {
        if (to >= from) {
            return;
        }
        beforeChange(bucket);
        int base = bucket * slots;
        int eFrom = 2 * (base + from);
        int eTo = 2 * (base + to);
        Object[] e = entries;
        Object k = e[eFrom];
        Object v = e[eFrom + 1];
        System.arraycopy(e, eTo, e, eTo + 2, eFrom - eTo); // pairs are interleaved: one copy moves both
        e[eTo] = k;
        e[eTo + 1] = v;
        rotateFingerprints(base, from, to);
        bitmaps[bucket] = rotateField(bitmaps[bucket], from, to);
        hitCounts[bucket] = rotateCounts(hitCounts[bucket], from, to);
    }

    // ------------------------------------------------------------------ per-slot hit counters

    /** The hit counter (0..3) of slot {@code slot} of {@code bucket}. */
    public int hitCount(int bucket, int slot) {
        return (hitCounts[bucket] >>> 2 * slot) & 3;
    }

    /** Sets the hit counter of slot {@code slot} of {@code bucket} to {@code count} (0..3). */
    public void setHitCount(int bucket, int slot, int count) {
        hitCounts[bucket] = (hitCounts[bucket] & ~(3 << 2 * slot)) | (count & 3) << 2 * slot;
    }

    /**
     * CLOCK on one full bucket, S3-FIFO's main-queue eviction: while its last entry has hits
     * counted, it goes round to slot 0 with one count less. Invariant afterwards: the last slot
     * holds an entry with no hit counted, unless every entry of the bucket went round once.
     */
    public void reinsertCounted(int bucket) {
        int last = slots - 1;
        for (int i = 0; i <= last; i++) {
            int c = hitCount(bucket, last);
            if (c == 0) {
                return;
            }
            rotateUp(bucket, last, 0);
            setHitCount(bucket, 0, c - 1);
        }
    }

    /**
     * One hit on slot {@code slot} of {@code bucket}: its counter goes up by one, saturating at 3.
     * The whole cost of a hit for an order that counts: one int read and written, nothing moves.
     */
    public void countHit(int bucket, int slot) {
        int word = hitCounts[bucket];
        int c = (word >>> 2 * slot) & 3;
        if (c < 3) {
            hitCounts[bucket] = word + (1 << 2 * slot); // no carry: the field was below 3
        }
    }

    /** The slots of {@code bucket} whose hit counter is not 0, one bit per slot. */
    public int hitMarks(int bucket) {
        int x = hitCounts[bucket];
        x = (x | x >>> 1) & COUNT_LOW_BITS; // bit 2i: slot i was hit
        // gather the even bits into the low 16
        x = (x | x >>> 1) & 0x33333333;
        x = (x | x >>> 2) & 0x0F0F0F0F;
        x = (x | x >>> 4) & 0x00FF00FF;
        return (x | x >>> 8) & 0xFFFF;
    }

    /**
     * Lazy move-to-front: the hit entries (counter not 0) of {@code bucket} move to its front, in
     * their slot order, the others after them in theirs; the counters are cleared. Afterwards the
     * last slot holds an entry no hit marked since the last call (unless all were marked). Pinned
     * entries are the caller's business (it skips buckets holding any). Returns the entries moved.
     */
    public int promoteMarked(int bucket) {
        int marks = hitMarks(bucket) & busyMask(bucket);
        int moved = 0;
        int front = 0;
        while (marks != 0) {
            int slot = Integer.numberOfTrailingZeros(marks);
            marks &= marks - 1;
            if (slot != front) {
                rotateUp(bucket, slot, front);
                moved++;
            }
            front++;
        }
        hitCounts[bucket] = 0;
        return moved;
    }

    /** Rotates the 2-bit field {@code from} to {@code to} and fields [to, from) up by one. */
    private static int rotateCounts(int counts, int from, int to) {
        long span = ((1L << (2 * from + 2)) - 1) & ~((1L << (2 * to)) - 1); // fields to..from
        long c = counts & 0xFFFFFFFFL;
        long moving = (c >>> 2 * from) & 3;
        long shifted = ((c & span) << 2) & span; // field from falls off the top of the span
        return (int) ((c & ~span) | shifted | moving << 2 * to);
    }

    /**
     * Fingerprint bytes {@code to..from} of the bucket at {@code base} rotate up by one (byte
     * {@code from} lands at {@code to}), as one 128-bit shift of the bucket's two 8-byte words.
     */
    private void rotateFingerprints(int base, int from, int to) {
        long lo = (long) LONGS.get(fingerprints, base);
        long hi = (long) LONGS.get(fingerprints, base + 8);
        long moving = from < 8 ? (lo >>> (8 * from)) & 0xFF : (hi >>> (8 * (from - 8))) & 0xFF;
        // span masks of bytes to..from within each word
        long spanLo = byteSpan(to, Math.min(from, 7));
        long spanHi = from >= 8 ? byteSpan(Math.max(to, 8) - 8, from - 8) : 0;
        // bytes to..from-1 move up one byte; the byte crossing from lo to hi carries over
        long newLo = (lo & ~spanLo) | ((lo << 8) & spanLo);
        long newHi = (hi & ~spanHi) | ((hi << 8) & spanHi);
        if (from >= 8 && to < 8) {
            newHi = (newHi & ~0xFFL) | (lo >>> 56); // byte 7 of lo becomes byte 0 of hi
        }
        if (to < 8) {
            newLo = (newLo & ~(0xFFL << (8 * to))) | (moving << (8 * to));
        } else {
            newHi = (newHi & ~(0xFFL << (8 * (to - 8)))) | (moving << (8 * (to - 8)));
        }
        LONGS.set(fingerprints, base, newLo);
        LONGS.set(fingerprints, base + 8, newHi);
    }

    /** Bytes {@code a..b} (inclusive, 0..7) of a long set to 0xFF; 0 when a > b. */
    private static long byteSpan(int a, int b) {
        if (a > b) {
            return 0;
        }
        long upTo = b == 7 ? -1L : (1L << (8 * (b + 1))) - 1;
        return upTo & ~((1L << (8 * a)) - 1);
    }

    /** Rotates bit {@code from} to {@code to} and bits [to, from) up by one, in both 16-bit halves. */
    private static int rotateField(int bits, int from, int to) {
        int span = ((1 << (from + 1)) - 1) & ~((1 << to) - 1); // bits to..from
        int spanBoth = span | span << 16;
        int moving = bits & (1 << from | 1 << (from + 16));
        int shifted = (bits & spanBoth & ~moving) << 1;
        int landed = (moving >>> (from - to));
        return (bits & ~spanBoth) | shifted | landed;
    }

    /** Swaps two slots of one bucket: busy and probe bits, fingerprint, key and value. */
    public void swap(int bucket, int a, int b) {
        beforeChange(bucket);
        int ia = bucket * slots + a;
        int ib = bucket * slots + b;
        Object k = entries[2 * ia];
        entries[2 * ia] = entries[2 * ib];
        entries[2 * ib] = k;
        Object v = entries[2 * ia + 1];
        entries[2 * ia + 1] = entries[2 * ib + 1];
        entries[2 * ib + 1] = v;
        byte f = fingerprints[ia];
        fingerprints[ia] = fingerprints[ib];
        fingerprints[ib] = f;
        int bits = bitmaps[bucket];
        int fieldA = 1 << a | 1 << (a + 16);
        int fieldB = 1 << b | 1 << (b + 16);
        int movedToB = (a < b ? (bits & fieldA) << (b - a) : (bits & fieldA) >>> (a - b));
        int movedToA = (a < b ? (bits & fieldB) >>> (b - a) : (bits & fieldB) << (a - b));
        bitmaps[bucket] = (bits & ~(fieldA | fieldB)) | movedToA | movedToB;
        int counts = hitCounts[bucket];
        int countA = (counts >>> 2 * a) & 3;
        int countB = (counts >>> 2 * b) & 3;
        hitCounts[bucket] = (counts & ~(3 << 2 * a | 3 << 2 * b)) | countA << 2 * b | countB << 2 * a;
    }

    /**
     * {@code ShiftRight}: every item moves one slot right, slot 0 becomes free. An item in the
     * last slot is removed first (with its stash pointer, and from the table's size). Returns
     * true when one was removed.
     */
    public boolean shiftRight(int bucket) {
        beforeChange(bucket);
        boolean dropped = isBusy(bucket, slots - 1);
        if (dropped) {
            removeAt(bucket, slots - 1);
        }
        int base = bucket * slots;
        System.arraycopy(fingerprints, base, fingerprints, base + 1, slots - 1);
        System.arraycopy(entries, 2 * base, entries, 2 * base + 2, 2 * (slots - 1));
        entries[2 * base] = null;
        entries[2 * base + 1] = null;
        int busy = (busyMask(bucket) << 1) & slotMask;
        int probe = (probeMask(bucket) << 1) & slotMask;
        bitmaps[bucket] = busy | probe << 16;
        hitCounts[bucket] <<= 2; // slot 0 starts at 0; the last slot was emptied above
        return dropped;
    }

    /**
     * {@code TryMoveFromStash}: moves a stash item to a free slot of its home (else of its
     * neighbour, as probing) and drops its stash pointer. Returns the new position or -1.
     */
    public int tryMoveFromStash(int bucket, int slot, long hash) {
        int home = homeBucket(hash);
        int next = nextBucket(home);
        int target = home;
        int dst = emptySlot(home);
        if (dst < 0) {
            target = next;
            dst = emptySlot(next);
            if (dst < 0) {
                return -1;
            }
        }
        beforeChange(bucket);
        beforeChange(target);
        int i = bucket * slots + slot;
        int fp = fingerprints[i] & 0xFF;
        place(target, dst, entries[2 * i], entries[2 * i + 1], fp, target == next);
        unsetStashPointer(home, next, bucket - regular, fp);
        clearSlot(bucket, slot);
        return position(target, dst);
    }

    /** {@code UnloadStash}: moves every stash item that fits back into regular buckets. */
    public int unloadStash() {
        beforeChangeAll();
        int moved = 0;
        for (int s = regular; s < regular + stash; s++) {
            int busy = busyMask(s);
            while (busy != 0) {
                int slot = Integer.numberOfTrailingZeros(busy);
                busy &= busy - 1;
                if (tryMoveFromStash(s, slot, owner.hash(keyAt(s, slot))) >= 0) {
                    moved++;
                }
            }
        }
        return moved;
    }

    /**
     * {@code BumpUp}: promotes the item at ({@code bucket}, {@code slot}) one rank, as Dragonfly's
     * cache does on a hit. In a regular bucket it swaps with slot-1 (slot 0 stays). From a stash
     * it moves to a free home/neighbour slot, or else swaps with the last slot of the bucket that
     * held its stash pointer: the demoted item takes the same stash slot. Items {@code canBump}
     * refuses (sticky) never move and are never demoted. Returns the item's new position.
     */
    public int bumpUp(int bucket, int slot, long hash, TablePolicy<K, V> policy) {
        K key = keyAt(bucket, slot);
        if (!policy.canBump(key, valueAt(bucket, slot))) {
            return position(bucket, slot);
        }
        if (bucket < regular) {
            if (slot > 0) {
                K above = keyAt(bucket, slot - 1);
                if (above == null || policy.canBump(above, valueAt(bucket, slot - 1))) {
                    swap(bucket, slot - 1, slot);
                    return position(bucket, slot - 1);
                }
            }
            return position(bucket, slot);
        }
        int moved = tryMoveFromStash(bucket, slot, hash);
        if (moved >= 0) {
            return moved;
        }
        int fp = fingerprintAt(bucket, slot);
        int home = homeBucket(hash);
        int next = nextBucket(home);
        beforeChange(bucket);
        beforeChange(home);
        beforeChange(next);
        int stashPos = bucket - regular;
        int offset = unsetStashPointer(home, next, stashPos, fp);
        int swapBucket = offset == 0 ? home : next;
        int last = slots - 1;
        K demotedKey = keyAt(swapBucket, last);
        if (!policy.canBump(demotedKey, valueAt(swapBucket, last))) {
            setStashPointer(home, next, stashPos, fp);
            return position(bucket, slot);
        }
        int si = bucket * slots + slot;
        int di = swapBucket * slots + last;
        Object demotedValue = entries[2 * di + 1];
        int demotedFp = fingerprints[di] & 0xFF;
        boolean demotedProbe = isProbe(swapBucket, last);
        place(swapBucket, last, key, entries[2 * si + 1], fp, offset == 1);
        place(bucket, slot, demotedKey, demotedValue, demotedFp, false);
        if (demotedProbe) {
            setStashPointer(prevBucket(swapBucket), swapBucket, stashPos, demotedFp);
        } else {
            setStashPointer(swapBucket, nextBucket(swapBucket), stashPos, demotedFp);
        }
        return position(swapBucket, last);
    }

    // ------------------------------------------------------------------ split and traversal

    /**
     * {@code Segment::Split}: raises the local depth and moves to {@code right} (empty, same
     * shape) every item whose hash has bit {@code 64 - newDepth} set. Stash items that stay are
     * unloaded into regular buckets where they fit. The table's size does not change.
     *
     * <p>Movers are first reinserted home-first into {@code right} (Dragonfly's
     * {@code InsertUniq(spread=false)}), while this segment is still untouched. That repacking can
     * fail: a subset of a segment's items does not always fit when inserted again in another
     * order (seen with small layouts and random keys). Then {@code right} is emptied and every
     * mover is copied to the same bucket, slot and probe bit it had here, which always fits
     * because {@code right} is empty and has the same shape. Only then are the movers dropped
     * here, so a split never loses an item.
     */
    void splitInto(Segment<K, V> right) {
        beforeChangeAll();
        localDepth++;
        right.localDepth = localDepth;
        int shift = 64 - localDepth;
        int total = regular + stash;
        int[] movers = new int[total];
        boolean repacked = true;
        for (int b = 0; b < total; b++) {
            int busy = busyMask(b);
            while (busy != 0) {
                int slot = Integer.numberOfTrailingZeros(busy);
                busy &= busy - 1;
                K key = keyAt(b, slot);
                long hash = owner.hash(key);
                if (((hash >>> shift) & 1) == 0) {
                    continue;
                }
                movers[b] |= 1 << slot;
                if (repacked && right.insertUniq(key, valueAt(b, slot), hash, false) < 0) {
                    repacked = false;
                }
            }
        }
        if (!repacked) {
            right.wipe();
            for (int b = 0; b < total; b++) {
                for (int m = movers[b]; m != 0; m &= m - 1) {
                    right.copySlot(this, b, Integer.numberOfTrailingZeros(m));
                }
            }
            right.unloadStash();
        }
        for (int b = 0; b < regular; b++) {
            for (int m = movers[b]; m != 0; m &= m - 1) {
                clearSlot(b, Integer.numberOfTrailingZeros(m));
                size--;
            }
        }
        for (int s = regular; s < total; s++) {
            for (int m = movers[s]; m != 0; m &= m - 1) {
                delete(s, Integer.numberOfTrailingZeros(m));
            }
            int busy = busyMask(s);
            while (busy != 0) {
                int slot = Integer.numberOfTrailingZeros(busy);
                busy &= busy - 1;
                tryMoveFromStash(s, slot, owner.hash(keyAt(s, slot)));
            }
        }
    }

    /** Copies {@code src}'s item at ({@code bucket}, {@code slot}) to the same place here (split fallback). */
    private void copySlot(Segment<K, V> src, int bucket, int slot) {
        K key = src.keyAt(bucket, slot);
        int fp = src.fingerprintAt(bucket, slot);
        place(bucket, slot, key, src.valueAt(bucket, slot), fp, src.isProbe(bucket, slot));
        size++;
        if (bucket >= regular) {
            int home = homeBucket(owner.hash(key));
            setStashPointer(home, nextBucket(home), bucket - regular, fp);
        }
    }

    /**
     * Visits the items whose home is {@code bucket} ({@code TraverseLogicalBucket}): owned items
     * of the bucket, probing items of its neighbour, and its items kept in a stash. Logical
     * buckets are stable under displacement, bumps and splits, which makes cursor scans stable.
     */
    public int forEachInLogicalBucket(int bucket, BiConsumer<? super K, ? super V> visitor) {
        int visited = visitMask(bucket, busyMask(bucket) & ~probeMask(bucket), visitor);
        int next = nextBucket(bucket);
        visited += visitMask(next, busyMask(next) & probeMask(next), visitor);
        if (hasStashedItems(bucket)) {
            for (int s = regular; s < regular + stash; s++) {
                int busy = busyMask(s);
                while (busy != 0) {
                    int slot = Integer.numberOfTrailingZeros(busy);
                    busy &= busy - 1;
                    if (homeBucket(owner.hash(keyAt(s, slot))) == bucket) {
                        visitor.accept(keyAt(s, slot), valueAt(s, slot));
                        visited++;
                    }
                }
            }
        }
        return visited;
    }

    private int visitMask(int bucket, int mask, BiConsumer<? super K, ? super V> visitor) {
        int n = 0;
        while (mask != 0) {
            int slot = Integer.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            visitor.accept(keyAt(bucket, slot), valueAt(bucket, slot));
            n++;
        }
        return n;
    }

    /** Visits every item, bucket by bucket. */
    public void forEach(BiConsumer<? super K, ? super V> visitor) {
        for (int b = 0; b < regular + stash; b++) {
            visitMask(b, busyMask(b), visitor);
        }
    }

    /**
     * OR of (item hash XOR {@code hash}) over the buckets an insert of {@code hash} may use. A
     * split can only make room for it if this has a set bit among the segment-id bits below the
     * current depth; otherwise every candidate item would follow the key into the same half.
     */
    long hashDifferenceAround(long hash) {
        int home = homeBucket(hash);
        long diff = 0;
        diff |= hashDifference(home, hash);
        diff |= hashDifference(nextBucket(home), hash);
        for (int s = regular; s < regular + stash; s++) {
            diff |= hashDifference(s, hash);
        }
        return diff;
    }

    private long hashDifference(int bucket, long hash) {
        long diff = 0;
        int busy = busyMask(bucket);
        while (busy != 0) {
            int slot = Integer.numberOfTrailingZeros(busy);
            busy &= busy - 1;
            diff |= owner.hash(keyAt(bucket, slot)) ^ hash;
        }
        return diff;
    }

    /** Drops every item (the segment keeps its depth); the table's size goes down with it. */
    void clear() {
        beforeChangeAll();
        int dropped = size;
        wipe();
        owner.sizeChanged(-dropped);
    }

    private void wipe() {
        java.util.Arrays.fill(entries, null);
        java.util.Arrays.fill(bitmaps, 0);
        java.util.Arrays.fill(stashMeta, 0);
        java.util.Arrays.fill(overflow, 0);
        java.util.Arrays.fill(hitCounts, 0);
        size = 0;
    }
}
