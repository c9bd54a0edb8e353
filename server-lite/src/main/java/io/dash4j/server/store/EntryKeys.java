package io.dash4j.server.store;

import io.dash4j.dashtable.KeyStrategy;

/**
 * Hashing and equality for a table whose stored keys are {@link Entry} arrays and whose probes
 * are {@link Key}s: both hash the key bytes with the same XXH3, so a probe finds its entry and a
 * split re-hashes stored entries to the same value. The table seed is ignored (one fixed seed).
 *
 * <p>One instance per store (single owner): a write first tells it the hash its probe already
 * has ({@link #hashing}), so inserting the entry does not hash the key bytes a second time.
 */
final class EntryKeys implements KeyStrategy<Object> {

    /** The entry being written and its key's hash (from the probe), or null. */
    private byte[] hinted;
    private long hintedHash;

    /** The next {@link #hash} of {@code entry} is {@code hash} (the probe's; the bytes are the same). */
    void hashing(byte[] entry, long hash) {
        this.hinted = entry;
        this.hintedHash = hash;
    }

    /** Forgets the hint (so the store does not keep the entry reachable through it). */
    void done() {
        this.hinted = null;
    }

    @Override
    public long hash(Object key, long seed) {
        if (key instanceof Key k) {
            return k.hash;
        }
        return key == hinted ? hintedHash : Entry.keyHash((byte[]) key);
    }

    @Override
    public boolean equals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a instanceof Key k) {
            return b instanceof Key o ? k.sameBytes(o) : Entry.keyEquals((byte[]) b, k.bytes, k.off, k.len);
        }
        byte[] e = (byte[]) a;
        if (b instanceof Key o) {
            return Entry.keyEquals(e, o.bytes, o.off, o.len);
        }
        return Entry.keyEquals((byte[]) b, e, Entry.keyOffset(e), Entry.keyLength(e));
    }
}
