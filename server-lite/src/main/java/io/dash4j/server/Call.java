package io.dash4j.server;

import io.dash4j.server.store.Key;

/**
 * One command of one connection, from parse to reply. Its parts run on the shards that own its
 * keys (the connection's own shard inline, the others through their MPSC inboxes); when the last
 * part is back the call is done and the connection writes replies strictly in request order.
 *
 * <p>Per-key results of a fan-out ({@link #slots}) are written by the owning shards at distinct
 * indices and read by the connection's thread only after every part came back through a queue,
 * which orders those writes before the read.
 */
public final class Call {

    public final Connection conn;
    public final byte[][] argv;
    /** What the command parsed out of its arguments (options), for its shard function and reply. */
    public Object opts;
    public Key[] keys;
    /** Key indices per part (fan-out by shard), or null. */
    public int[][] groups;
    public Object result;
    public Object[] results;
    public Object[] slots;
    public Reply reply;
    /** A continuation run on the connection's thread when all parts are back (second phase), or null. */
    public Runnable then;
    int outstanding;
    boolean done;
    /** Argument bytes held while in flight (client memory accounting). */
    long argBytes;

    public Call(Connection conn, byte[][] argv) {
        this.conn = conn;
        this.argv = argv;
    }

    public boolean isDone() {
        return done;
    }

    /** Finishes now with {@code result}, encoded by {@code reply}. */
    public void finish(Object result, Reply reply) {
        this.result = result;
        this.reply = reply;
        this.outstanding = 0;
        markDone();
    }

    private void markDone() {
        if (then != null) {
            Runnable r = then;
            then = null;
            r.run(); // may start another phase (which sets outstanding again) or finish
            if (outstanding > 0 || done) {
                return;
            }
        }
        done = true;
        conn.callDone(this);
    }

    /** Runs {@code fn} on the owner of {@code key}; the result lands in {@link #result}. */
    public void onKey(Key key, ShardFn fn, Reply reply) {
        this.reply = reply;
        this.outstanding = 1;
        this.results = null;
        conn.shard.submit(this, key.shard(conn.shard.server.shardCount()), 0, fn);
    }

    /** Runs {@code fn} once on every shard (part = shard id); results land in {@link #results}. */
    public void onAllShards(ShardFn fn, Reply reply) {
        int n = conn.shard.server.shardCount();
        this.reply = reply;
        this.results = new Object[n];
        this.outstanding = n;
        for (int s = 0; s < n; s++) {
            conn.shard.submit(this, s, s, fn);
        }
    }

    /** Runs {@code fn} once on one given shard (part 0). */
    public void onShard(int shard, ShardFn fn, Reply reply) {
        this.reply = reply;
        this.outstanding = 1;
        this.results = null;
        conn.shard.submit(this, shard, 0, fn);
    }

    /**
     * Groups {@link #keys} by owner and runs {@code fn} once per owner (part = shard id, the key
     * indices in {@code groups[part]}); per-key results go to {@link #slots}.
     */
    public void onKeys(ShardFn fn, Reply reply) {
        int n = conn.shard.server.shardCount();
        int[] count = new int[n];
        int[] owner = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            owner[i] = keys[i].shard(n);
            count[owner[i]]++;
        }
        groups = new int[n][];
        int parts = 0;
        for (int s = 0; s < n; s++) {
            if (count[s] > 0) {
                groups[s] = new int[count[s]];
                parts++;
                count[s] = 0;
            }
        }
        for (int i = 0; i < keys.length; i++) {
            groups[owner[i]][count[owner[i]]++] = i;
        }
        if (slots == null) {
            slots = new Object[keys.length];
        }
        this.reply = reply;
        this.results = new Object[n];
        this.outstanding = parts;
        if (parts == 0) {
            markDone();
            return;
        }
        for (int s = 0; s < n; s++) {
            if (groups[s] != null) {
                conn.shard.submit(this, s, s, fn);
            }
        }
    }

    /** A part's result arrived (on the connection's thread). */
    void complete(int part, Object value) {
        if (results == null) {
            result = value;
        } else {
            results[part] = value;
        }
        if (--outstanding == 0) {
            markDone();
        }
    }

    /** Sum of the parts' {@code Long} results. */
    public long sum() {
        long s = 0;
        if (results == null) {
            return result instanceof Long l ? l : 0;
        }
        for (Object o : results) {
            if (o instanceof Long l) {
                s += l;
            }
        }
        return s;
    }

    /** The first part result that is an error reply ({@code type}), or null. */
    public Object firstOf(Class<?> type) {
        if (results == null) {
            return type.isInstance(result) ? result : null;
        }
        for (Object o : results) {
            if (type.isInstance(o)) {
                return o;
            }
        }
        return null;
    }
}
