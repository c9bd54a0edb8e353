package io.dash4j.server.store;

import io.dash4j.dashtable.KeyStrategy;

/**
 * Hashing and equality for a table whose stored keys are {@link Entry} arrays and whose probes
 * are {@link Key}s: both hash the key bytes with the same XXH3, so a probe finds its entry and a
 * split re-hashes stored entries to the same value. The table seed is ignored (one fixed seed).
 */
final class EntryKeys implements KeyStrategy<Object> {

    static final EntryKeys INSTANCE = new EntryKeys();

    private EntryKeys() {
    }

    @Override
    public long hash(Object key, long seed) {
        return key instanceof Key k ? k.hash : Entry.keyHash((byte[]) key);
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
