package io.dash4j.eviction;

import io.dash4j.dashtable.Hashing;

import java.util.Arrays;

/**
 * Ghosts as 10-bit fingerprints in small FIFO buckets, the Dashtable's own idea applied to the
 * keys it evicted: a key hashes to one 64-bit word holding the six most recent fingerprints of
 * that bucket; a new ghost shifts the word and the oldest falls off. Aging is per bucket and
 * exact in order, with no generations to drop wholesale, and a returning key's fingerprint is
 * removed so it cannot come back twice.
 *
 * <p>Why not a Bloom filter: at the same 12 bits per cached entry, two Bloom generations holding
 * 0.75 of the entries each answer "seen" for about 6 % of keys never evicted, and each false
 * ghost jumps probation and demotes a protected entry. Here a lookup compares six fingerprints
 * of 10 bits: a false positive rate of at most 6 / 1024 = 0.6 %, while remembering
 * {@code 6 * bitsPerEntry / 64} ghosts per cached entry (1.125 at 12 bits). Measured on the ARC
 * traces (docs/eviction.md): 12-bit fingerprints five to a word remember fewer ghosts and score
 * lower, 8-bit ones eight to a word err too often; 9 and 10 bits tie.
 */
public final class FingerprintGhostFilter implements GhostFilter {
    private static final int BITS = 10;
    private static final int LANES = 6;
    private static final long LANE = (1L << BITS) - 1;
    private static final long WORD = (1L << (LANES * BITS)) - 1;

    private final int bitsPerEntry;
    private long sizedFor;
    private long[] buckets;

    /** A filter of {@code bitsPerEntry} bits per cached entry for {@code cachedEntries} entries. */
    public FingerprintGhostFilter(long cachedEntries, int bitsPerEntry) {
        this.bitsPerEntry = bitsPerEntry;
        resize(cachedEntries);
    }

    private void resize(long cachedEntries) {
        sizedFor = Math.max(1, cachedEntries);
        long words = Math.max(1, sizedFor * bitsPerEntry / 64);
        buckets = new long[(int) Math.min(1 << 28, words)];
    }

    /** Bucket from the high half of a remix, fingerprint (never 0: 0 is an empty lane) from the low bits. */
    private static long remix(long keyHash) {
        return Hashing.mix(keyHash ^ 0x6A09E667F3BCC909L);
    }

    private int bucket(long h) {
        return (int) (((h >>> 32) * buckets.length) >>> 32);
    }

    private static long fingerprint(long h) {
        long fp = h & LANE;
        return fp == 0 ? 1 : fp;
    }

    @Override
    public void add(long keyHash) {
        long h = remix(keyHash);
        int b = bucket(h);
        buckets[b] = ((buckets[b] << BITS) | fingerprint(h)) & WORD;
    }

    @Override
    public boolean mightContain(long keyHash) {
        long h = remix(keyHash);
        return lane(buckets[bucket(h)], fingerprint(h)) >= 0;
    }

    @Override
    public boolean takeBack(long keyHash) {
        long h = remix(keyHash);
        int b = bucket(h);
        int lane = lane(buckets[b], fingerprint(h));
        if (lane < 0) {
            return false;
        }
        buckets[b] &= ~(LANE << (lane * BITS));
        return true;
    }

    private static int lane(long word, long fp) {
        for (int i = 0; i < LANES; i++) {
            if (((word >>> (i * BITS)) & LANE) == fp) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void ensureSizedFor(long cachedEntries) {
        if (cachedEntries > 2 * sizedFor) {
            resize(cachedEntries);
        }
    }

    @Override
    public void clear() {
        Arrays.fill(buckets, 0);
    }

    @Override
    public long bytes() {
        return 8L * buckets.length;
    }
}
