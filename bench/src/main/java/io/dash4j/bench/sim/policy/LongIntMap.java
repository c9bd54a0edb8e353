package io.dash4j.bench.sim.policy;

import java.util.Arrays;

/**
 * An open-addressing hash map from {@code long} keys (any value, 0 included) to non-negative
 * {@code int} values, without boxing. Linear probing over one interleaved {@code long[]}
 * (key, value + 1), so a probe touches one cache line; removal shifts the probe run back
 * instead of leaving tombstones, so lookups stay short under the heavy churn of a simulator.
 * The table doubles when more than half full.
 */
public final class LongIntMap {

    /** Returned by {@link #get} and {@link #remove} when the key is absent. */
    public static final int ABSENT = -1;

    private long[] table;   // [2*i] = key, [2*i+1] = value + 1 (0 = empty slot)
    private int mask;       // slots - 1
    private int shift;      // 64 - log2(slots)
    private int size;
    private int resizeAt;

    /** A map sized so that {@code expected} entries fit without growing. */
    public LongIntMap(int expected) {
        int slots = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;   // ≥ 2 × expected
        allocate(Math.max(8, slots));
    }

    private void allocate(int slots) {
        table = new long[slots * 2];
        mask = slots - 1;
        shift = 64 - Integer.numberOfTrailingZeros(slots);
        resizeAt = slots / 2;
    }

    /** A well-mixed home slot (the murmur3 finaliser, top bits). */
    private int home(long key) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) (h >>> shift);
    }

    public int size() {
        return size;
    }

    /** The value for {@code key}, or {@link #ABSENT}. */
    public int get(long key) {
        long[] t = table;
        int m = mask;
        for (int i = home(key); ; i = (i + 1) & m) {
            long v = t[2 * i + 1];
            if (v == 0) {
                return ABSENT;
            }
            if (t[2 * i] == key) {
                return (int) (v - 1);
            }
        }
    }

    public boolean containsKey(long key) {
        return get(key) != ABSENT;
    }

    /** Maps {@code key} to {@code value} (≥ 0); returns the previous value or {@link #ABSENT}. */
    public int put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value);
        }
        long[] t = table;
        int m = mask;
        for (int i = home(key); ; i = (i + 1) & m) {
            long v = t[2 * i + 1];
            if (v == 0) {
                t[2 * i] = key;
                t[2 * i + 1] = value + 1L;
                if (++size > resizeAt) {
                    grow();
                }
                return ABSENT;
            }
            if (t[2 * i] == key) {
                t[2 * i + 1] = value + 1L;
                return (int) (v - 1);
            }
        }
    }

    /** Removes {@code key}; returns its value or {@link #ABSENT}. */
    public int remove(long key) {
        long[] t = table;
        int m = mask;
        int i = home(key);
        while (true) {
            long v = t[2 * i + 1];
            if (v == 0) {
                return ABSENT;
            }
            if (t[2 * i] == key) {
                shiftBack(i);
                size--;
                return (int) (v - 1);
            }
            i = (i + 1) & m;
        }
    }

    /** Fills the hole at {@code hole} with a later entry of the same probe run, repeatedly. */
    private void shiftBack(int hole) {
        long[] t = table;
        int m = mask;
        int j = hole;
        while (true) {
            j = (j + 1) & m;
            long v = t[2 * j + 1];
            if (v == 0) {
                break;
            }
            long k = t[2 * j];
            int h = home(k);
            // The entry at j may move to the hole when the hole lies on its probe path h..j.
            if (((j - h) & m) >= ((j - hole) & m)) {
                t[2 * hole] = k;
                t[2 * hole + 1] = v;
                hole = j;
            }
        }
        t[2 * hole] = 0;
        t[2 * hole + 1] = 0;
    }

    public void clear() {
        Arrays.fill(table, 0L);
        size = 0;
    }

    private void grow() {
        long[] old = table;
        allocate((mask + 1) * 2);
        long[] t = table;
        int m = mask;
        for (int s = 0; s < old.length; s += 2) {
            long v = old[s + 1];
            if (v != 0) {
                long k = old[s];
                int i = home(k);
                while (t[2 * i + 1] != 0) {
                    i = (i + 1) & m;
                }
                t[2 * i] = k;
                t[2 * i + 1] = v;
            }
        }
    }
}
