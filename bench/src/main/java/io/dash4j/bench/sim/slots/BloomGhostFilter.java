package io.dash4j.bench.sim.slots;

import io.dash4j.dashtable.Hashing;
import io.dash4j.eviction.GhostFilter;

import java.util.Arrays;

/**
 * The first ghost filter, rejected for {@code FingerprintGhostFilter} (ghost kind {@code bloom} of the simulator's slot policies): a Bloom filter of key hashes in two
 * generations (2Q's A1out, compactly). Additions go to the current generation; when it has taken
 * its share of keys the previous one is dropped and the current becomes previous, so a ghost is
 * remembered for between one and two generations. A lookup asks both.
 *
 * <p>Memory: {@code bitsPerEntry} bits per cached entry in total (both generations), rounded down
 * to a power of two per generation. False positives admit a new key as if it had returned: they
 * cost a little hit ratio, never correctness.
 */
final class BloomGhostFilter implements GhostFilter {
    private static final int PROBES = 3;

    private final int bitsPerEntry;
    private final double generation;
    private long sizedFor;
    private long[] current;
    private long[] previous;
    private int mask;
    private long generationSize;
    private long added;

    BloomGhostFilter(long cachedEntries, int bitsPerEntry, double generation) {
        this.bitsPerEntry = bitsPerEntry;
        this.generation = generation;
        resize(cachedEntries);
    }

    private void resize(long cachedEntries) {
        sizedFor = Math.max(1, cachedEntries);
        long bitsPerGeneration = Math.max(64, sizedFor * bitsPerEntry / 2);
        int bits = (int) Math.min(1 << 30, Long.highestOneBit(bitsPerGeneration));
        current = new long[bits >>> 6];
        previous = new long[bits >>> 6];
        mask = bits - 1;
        generationSize = Math.max(1, (long) (sizedFor * generation));
        added = 0;
    }

    /**
     * Follows a cache whose entry count is not known up front (a weight bound): when it has grown
     * past twice what the filter was sized for, the filter is rebuilt (empty) at the new size.
     */
    @Override
    public void ensureSizedFor(long cachedEntries) {
        if (cachedEntries > 2 * sizedFor) {
            resize(cachedEntries);
        }
    }

    @Override
    public void add(long keyHash) {
        long h = Hashing.mix(keyHash ^ 0x9E3779B97F4A7C15L);
        int a = (int) h;
        int b = (int) (h >>> 32) | 1;
        for (int i = 0; i < PROBES; i++) {
            int bit = (a + i * b) & mask;
            current[bit >>> 6] |= 1L << bit;
        }
        if (++added >= generationSize) {
            long[] dropped = previous;
            previous = current;
            Arrays.fill(dropped, 0);
            current = dropped;
            added = 0;
        }
    }

    @Override
    public boolean mightContain(long keyHash) {
        long h = Hashing.mix(keyHash ^ 0x9E3779B97F4A7C15L);
        int a = (int) h;
        int b = (int) (h >>> 32) | 1;
        return contains(current, a, b) || contains(previous, a, b);
    }

    private boolean contains(long[] bits, int a, int b) {
        for (int i = 0; i < PROBES; i++) {
            int bit = (a + i * b) & mask;
            if ((bits[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void clear() {
        Arrays.fill(current, 0);
        Arrays.fill(previous, 0);
        added = 0;
    }

    /** Bytes of filter state (both generations). */
    @Override
    public long bytes() {
        return 16L * current.length;
    }
}
