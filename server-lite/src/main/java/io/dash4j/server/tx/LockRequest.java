package io.dash4j.server.tx;

import java.util.Arrays;
import java.util.HashMap;

/**
 * What one transaction asks of one shard's {@link IntentLocks}: a set of distinct keys, each
 * shared (read) or exclusive (written), or the whole shard. A key named twice is asked once, in
 * the stronger mode. {@link #granted()} runs on the shard's thread when every key is granted.
 */
public abstract class LockRequest {

    static final int NEW = 0;
    static final int WAITING = 1;
    static final int GRANTED = 2;
    static final int RELEASED = 3;

    private byte[][] keys = new byte[4][];
    private long[] hashes = new long[4];
    private boolean[] exclusive = new boolean[4];
    private int size;
    /** Index of each key while there are many (duplicates are merged), else null. */
    private HashMap<String, Integer> index;
    final boolean wholeShard;
    int state = NEW;
    /** Keys not granted yet (while waiting). */
    int pending;

    /** A request for keys, added with {@link #add}. */
    protected LockRequest() {
        this(false);
    }

    /** A request for the whole shard when {@code wholeShard}, else for keys added with {@link #add}. */
    protected LockRequest(boolean wholeShard) {
        this.wholeShard = wholeShard;
    }

    /** Adds {@code key} (its 64-bit hash given), exclusive when {@code write}; merges duplicates. */
    public final LockRequest add(byte[] key, long hash, boolean write) {
        if (state != NEW) {
            throw new IllegalStateException("keys are fixed once the request is admitted");
        }
        int at = indexOf(key, hash);
        if (at >= 0) {
            exclusive[at] |= write;
            return this;
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
            exclusive = Arrays.copyOf(exclusive, size * 2);
        }
        keys[size] = key;
        hashes[size] = hash;
        exclusive[size] = write;
        if (index != null) {
            index.put(indexKey(key), size);
        }
        size++;
        return this;
    }

    private int indexOf(byte[] key, long hash) {
        if (index == null && size >= 8) {
            index = new HashMap<>();
            for (int i = 0; i < size; i++) {
                index.put(indexKey(keys[i]), i);
            }
        }
        if (index != null) {
            Integer at = index.get(indexKey(key));
            return at == null ? -1 : at;
        }
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash && Arrays.equals(keys[i], key)) {
                return i;
            }
        }
        return -1;
    }

    private static String indexKey(byte[] key) {
        return new String(key, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public final int size() {
        return size;
    }

    final byte[] key(int i) {
        return keys[i];
    }

    final long hash(int i) {
        return hashes[i];
    }

    final boolean exclusive(int i) {
        return exclusive[i];
    }

    public final boolean isWholeShard() {
        return wholeShard;
    }

    public final boolean isGranted() {
        return state == GRANTED;
    }

    /** Every key is granted (on the shard's thread). */
    protected abstract void granted();

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(wholeShard ? "LockRequest[whole shard" : "LockRequest[");
        for (int i = 0; i < size; i++) {
            b.append(i == 0 ? "" : " ").append(indexKey(keys[i])).append(exclusive[i] ? ":X" : ":S");
        }
        return b.append(" state=").append(state).append(']').toString();
    }
}
