package io.dash4j.server.store;

import java.util.Arrays;

/**
 * The one object a stored key costs: a single {@code byte[]} holding the key, the value and their
 * metadata, so the Dashtable slot (key and value references both point at it) is the only other
 * per-entry cost.
 *
 * <pre>
 *  [0]      header: bit 0 FLAGS (4 bytes follow the key), bit 1 CAS (8 bytes), bit 2 TTL (the
 *           store holds an expiry for it), bit 3 STICKY (STICK'ed: never evicted), bit 4 SHARED
 *           (the array was handed out: it never changes again, see below)
 *  [1]      key length when &lt; 128; else 4 bytes big-endian with the top bit set
 *  key      the key bytes
 *  flags    memcached client flags (only when FLAGS)
 *  cas      memcached CAS unique (only when CAS)
 *  value    the value bytes, to the end of the array
 * </pre>
 *
 * A 12-byte key with a 16-byte value costs 1 + 1 + 12 + 16 = 30 bytes of payload: a 48-byte array.
 *
 * <h2>Private and shared entries</h2>
 * An overwrite of a key with a value of the same length (and the same FLAGS/CAS layout) writes the
 * new value into the stored array instead of allocating a new one, so a SET/INCR-heavy workload
 * allocates nothing per command. That is safe only while nobody else can read the array later. A
 * reference escapes when a store read hands the entry to a caller (a GET's reply is encoded later,
 * perhaps on another thread, perhaps after later commands of the same pipeline ran; WATCH and a
 * cross-shard RENAME compare entries by identity) or when a snapshot takes it (the dump writer
 * reads it on its own thread). Every such path sets {@link #SHARED} first, on the owning shard's
 * thread, before the reference leaves it. Invariant: <em>a SHARED entry never changes again</em>
 * (its next overwrite stores a new, private array), and a private entry is read only by its
 * shard's thread, so no other thread ever sees an array that is still written to. The TTL,
 * STICKY and SHARED header bits are the exception: the owning shard flips them in place (they only
 * mirror what the store knows; nothing off the shard reads them).
 */
public final class Entry {

    public static final int FLAGS = 1;
    public static final int CAS = 2;
    public static final int TTL = 4;
    public static final int STICKY = 8;
    /** Handed out (a read's result, a snapshot's reference): immutable from now on. */
    public static final int SHARED = 16;

    /** Array header of a {@code byte[]}: 16 bytes with compressed class pointers (mark, klass, length). */
    public static final int ARRAY_HEADER = (int) HeapLayout.BYTE_ARRAY_HEADER;

    private Entry() {
    }

    public static int keyLength(byte[] e) {
        int b = e[1];
        if (b >= 0) {
            return b;
        }
        return (b & 0x7F) << 24 | (e[2] & 0xFF) << 16 | (e[3] & 0xFF) << 8 | (e[4] & 0xFF);
    }

    public static int keyOffset(byte[] e) {
        return e[1] >= 0 ? 2 : 5;
    }

    private static int metaOffset(byte[] e) {
        return keyOffset(e) + keyLength(e);
    }

    public static int valueOffset(byte[] e) {
        int h = e[0];
        return metaOffset(e) + ((h & FLAGS) != 0 ? 4 : 0) + ((h & CAS) != 0 ? 8 : 0);
    }

    public static int valueLength(byte[] e) {
        return e.length - valueOffset(e);
    }

    public static byte[] key(byte[] e) {
        int off = keyOffset(e);
        return Arrays.copyOfRange(e, off, off + keyLength(e));
    }

    public static byte[] value(byte[] e) {
        return Arrays.copyOfRange(e, valueOffset(e), e.length);
    }

    public static int flags(byte[] e) {
        if ((e[0] & FLAGS) == 0) {
            return 0;
        }
        int o = metaOffset(e);
        return (e[o] & 0xFF) << 24 | (e[o + 1] & 0xFF) << 16 | (e[o + 2] & 0xFF) << 8 | (e[o + 3] & 0xFF);
    }

    /** The CAS unique, 0 when the entry never had one (written through RESP). */
    public static long cas(byte[] e) {
        if ((e[0] & CAS) == 0) {
            return 0;
        }
        int o = metaOffset(e) + ((e[0] & FLAGS) != 0 ? 4 : 0);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (e[o + i] & 0xFF);
        }
        return v;
    }

    /**
     * Writes the CAS unique of an entry built with room for one ({@link #CAS} set) but not yet
     * stored: a memcached write builds its entry on the connection's thread and its owner shard,
     * which hands out the uniques, fills it in just before storing it.
     */
    public static void putCas(byte[] e, long cas) {
        if ((e[0] & CAS) == 0) {
            throw new IllegalArgumentException("entry has no CAS field");
        }
        int o = metaOffset(e) + ((e[0] & FLAGS) != 0 ? 4 : 0);
        for (int i = 7; i >= 0; i--) {
            e[o++] = (byte) (cas >>> (8 * i));
        }
    }

    public static boolean has(byte[] e, int bit) {
        return (e[0] & bit) != 0;
    }

    /** Sets or clears a mutable header bit ({@link #TTL}, {@link #STICKY}, {@link #SHARED}) in place. */
    public static void mark(byte[] e, int bit, boolean on) {
        e[0] = (byte) (on ? e[0] | bit : e[0] & ~bit);
    }

    /**
     * Marks {@code e} {@link #SHARED} (on its owning shard's thread, before the reference leaves
     * it) and returns it. Writes the header only when the bit is not set yet, so repeated reads of
     * a hot key do not dirty its cache line.
     */
    public static byte[] share(byte[] e) {
        if (e != null && (e[0] & SHARED) == 0) {
            e[0] |= SHARED;
        }
        return e;
    }

    /** True when the entry's FLAGS and CAS fields are exactly those {@link #allocate} lays out for {@code flags}, {@code cas}. */
    public static boolean hasLayout(byte[] e, int flags, long cas) {
        return (e[0] & (FLAGS | CAS)) == ((flags != 0 ? FLAGS : 0) | (cas != 0 ? CAS : 0));
    }

    /**
     * Rewrites the FLAGS and CAS fields of {@code e}, which must already have their layout
     * ({@link #hasLayout}); the in-place overwrite's metadata.
     */
    static void putMeta(byte[] e, int flags, long cas) {
        int o = metaOffset(e);
        if (flags != 0) {
            e[o++] = (byte) (flags >>> 24);
            e[o++] = (byte) (flags >>> 16);
            e[o++] = (byte) (flags >>> 8);
            e[o] = (byte) flags;
        }
        if (cas != 0) {
            putCas(e, cas);
        }
    }

    /** Bytes the entry occupies on the heap: header plus payload, 8-byte aligned. */
    public static long heapSize(byte[] e) {
        return align(ARRAY_HEADER + (long) e.length);
    }

    public static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** True when the entry's key equals {@code a[off, off+len)}. */
    public static boolean keyEquals(byte[] e, byte[] a, int off, int len) {
        int ko = keyOffset(e);
        return keyLength(e) == len && Arrays.equals(e, ko, ko + len, a, off, off + len);
    }

    public static long keyHash(byte[] e) {
        return Key.hash(e, keyOffset(e), keyLength(e));
    }

    /**
     * A new entry with {@code valueLength} value bytes left for the caller to fill from
     * {@link #valueOffset}. {@code flags} is stored only when non-zero, {@code cas} only when
     * non-zero.
     */
    public static byte[] allocate(byte[] key, int flags, long cas, int valueLength) {
        return allocate(key, 0, key.length, flags, cas, valueLength);
    }

    /** {@link #allocate(byte[], int, long, int)} for the key {@code k} (a view). */
    public static byte[] allocate(Key k, int flags, long cas, int valueLength) {
        return allocate(k.bytes, k.off, k.len, flags, cas, valueLength);
    }

    /** {@link #allocate(byte[], int, long, int)} for the key {@code key[koff, koff+klen)}. */
    public static byte[] allocate(byte[] key, int koff, int klen, int flags, long cas, int valueLength) {
        int kh = klen < 128 ? 1 : 4;
        int header = (flags != 0 ? FLAGS : 0) | (cas != 0 ? CAS : 0);
        long size = 1L + kh + klen + (flags != 0 ? 4 : 0) + (cas != 0 ? 8 : 0) + valueLength;
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("entry too large: " + size);
        }
        byte[] e = new byte[(int) size];
        e[0] = (byte) header;
        int p = 1;
        if (kh == 1) {
            e[p++] = (byte) klen;
        } else {
            e[p++] = (byte) (0x80 | klen >>> 24);
            e[p++] = (byte) (klen >>> 16);
            e[p++] = (byte) (klen >>> 8);
            e[p++] = (byte) klen;
        }
        System.arraycopy(key, koff, e, p, klen);
        p += klen;
        if (flags != 0) {
            e[p++] = (byte) (flags >>> 24);
            e[p++] = (byte) (flags >>> 16);
            e[p++] = (byte) (flags >>> 8);
            e[p++] = (byte) flags;
        }
        if (cas != 0) {
            for (int i = 7; i >= 0; i--) {
                e[p++] = (byte) (cas >>> (8 * i));
            }
        }
        return e;
    }

    /** An entry holding {@code value[off, off+len)}. */
    public static byte[] of(byte[] key, byte[] value, int off, int len, int flags, long cas) {
        byte[] e = allocate(key, flags, cas, len);
        System.arraycopy(value, off, e, valueOffset(e), len);
        return e;
    }

    /** An entry of key {@code k} holding {@code value[off, off+len)}: the one allocation of a write. */
    public static byte[] of(Key k, byte[] value, int off, int len, int flags, long cas) {
        byte[] e = allocate(k, flags, cas, len);
        System.arraycopy(value, off, e, valueOffset(e), len);
        return e;
    }

    public static byte[] of(byte[] key, byte[] value) {
        return of(key, value, 0, value.length, 0, 0);
    }

    /** The same key and value with other memcached metadata (flags, CAS). */
    public static byte[] withMeta(byte[] e, int flags, long cas) {
        byte[] key = key(e);
        int vo = valueOffset(e);
        return of(key, e, vo, e.length - vo, flags, cas);
    }
}
