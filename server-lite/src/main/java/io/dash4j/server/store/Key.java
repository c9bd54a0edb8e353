package io.dash4j.server.store;

import net.openhft.hashing.LongHashFunction;

/**
 * A key as the server handles it: the bytes as received and their 64-bit hash, computed once on
 * the connection's thread and reused by routing (shard, sub-table) and by the Dashtable lookup.
 * A {@code Key} is only ever a probe; stored entries carry their key inside their {@link Entry}.
 */
public final class Key {

    /** XXH3, the hash Dragonfly uses, under a fixed seed shared by probes and stored entries. */
    static final LongHashFunction XXH3 = LongHashFunction.xx3(0x64617368346aL);

    public final byte[] bytes;
    public final long hash;

    public Key(byte[] bytes) {
        this.bytes = bytes;
        this.hash = XXH3.hashBytes(bytes);
    }

    static long hash(byte[] a, int off, int len) {
        return XXH3.hashBytes(a, off, len);
    }

    /** The shard that owns this key among {@code shards}: bits the Dashtable does not use. */
    public int shard(int shards) {
        return shards == 1 ? 0 : route(hash, 0x9E3779B97F4A7C15L, shards);
    }

    /** Maps {@code hash} to {@code [0, n)} through a second mixer, independent of table bits. */
    static int route(long hash, long salt, int n) {
        long z = mix(hash ^ salt);
        return (int) Math.multiplyHigh(z >>> 1, (long) n << 1);
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
