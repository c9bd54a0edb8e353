package io.dash4j.server.store;

import net.openhft.hashing.LongHashFunction;

import java.util.Arrays;

/**
 * A key as the server handles it: a view of the key bytes ({@code bytes[off, off+len)}) and their
 * 64-bit hash, computed once on the connection's thread and reused by routing (shard, sub-table)
 * and by the Dashtable lookup. A {@code Key} is only ever a probe; stored entries carry their key
 * inside their {@link Entry}.
 *
 * <p>A key made with {@link #Key(byte[])} owns its array. A pooled call reuses one {@code Key}
 * across commands ({@link #set}): it then views the call's own key buffer, so the hot path makes
 * no object per key. Whoever keeps a key beyond its command (locks, watches) keeps
 * {@link #exact()}, never the view.
 */
public final class Key {

    /** XXH3, the hash Dragonfly uses, under a fixed seed shared by probes and stored entries. */
    static final LongHashFunction XXH3 = LongHashFunction.xx3(0x64617368346aL);

    private static final byte[] NONE = new byte[0];

    /** The array holding the key at {@link #off}, {@link #len} bytes long. */
    public byte[] bytes;
    public int off;
    public int len;
    public long hash;

    public Key(byte[] bytes) {
        set(bytes, 0, bytes.length);
    }

    /** An empty key to be {@link #set} later (a pooled call's). */
    public Key() {
        this.bytes = NONE;
    }

    /** Makes this key view {@code a[off, off+len)} and hashes it. */
    public Key set(byte[] a, int off, int len) {
        this.bytes = a;
        this.off = off;
        this.len = len;
        this.hash = XXH3.hashBytes(a, off, len);
        return this;
    }

    static long hash(byte[] a, int off, int len) {
        return XXH3.hashBytes(a, off, len);
    }

    /** The key bytes in an array of their own (the backing array itself when it is exactly the key). */
    public byte[] exact() {
        return off == 0 && len == bytes.length ? bytes : Arrays.copyOfRange(bytes, off, off + len);
    }

    /** True when both keys have the same bytes. */
    public boolean sameBytes(Key o) {
        return len == o.len && Arrays.equals(bytes, off, off + len, o.bytes, o.off, o.off + o.len);
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
        return new String(bytes, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
