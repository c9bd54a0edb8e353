package io.dash4j.server.tx;

import io.dash4j.server.Shard;
import io.dash4j.server.store.Key;

/**
 * The intent locks of one transaction (an EXEC, or a multi-key command whose keys live on several
 * shards), coordinated from the connection's shard (its <em>home</em>).
 *
 * <p><b>Locking in one global order.</b> The keys are grouped by owner into one
 * {@link LockRequest} per shard. The home asks the lowest shard first; when that shard has granted
 * every key of its request, it passes the baton to the next shard itself (no trip back home), and
 * the last one tells the home that everything is held. A transaction thus waits on a shard only
 * while it holds locks on lower shards, never on higher ones: with each shard granting in arrival
 * order ({@link IntentLocks}), every wait goes from a later arrival to an earlier one on the same
 * shard, or up the shard order, so no cycle (deadlock) can form. No lock is global: transactions on
 * disjoint keys proceed side by side, and single-key commands on unlocked keys never notice.
 *
 * <p><b>Running and releasing.</b> Once locked, the owner of the transaction runs its commands
 * (their parts skip the lock checks: the owner of their calls {@code holdsLocks()}), then calls
 * {@link #release()}: each shard drops its request and grants whoever waited. Nothing is released
 * before everything was acquired (two-phase locking), so the transaction is isolated.
 *
 * <p>A transaction whose keys all live on the home shard takes its locks inline, without a message.
 */
public final class Transaction {

    /** What a shard does for the transaction when its locks there are granted (on that shard's thread). */
    @FunctionalInterface
    public interface OnShardLocked {
        void locked(Shard shard);
    }

    private Shard home;
    private final ShardRequest[] requests;
    private int[] order;
    private OnShardLocked onShardLocked;
    private Runnable whenLocked;
    private boolean released;

    /** One shard's part of the lock set; granted on that shard's thread. */
    private final class ShardRequest extends LockRequest {
        final int shard;
        int position;

        ShardRequest(int shard, boolean wholeShard) {
            super(wholeShard);
            this.shard = shard;
        }

        @Override
        protected void granted() {
            Shard here = home.server().shard(shard);
            if (onShardLocked != null) {
                onShardLocked.locked(here);
            }
            if (position + 1 < order.length) {
                acquireAt(position + 1);
            } else {
                home.perform(whenLocked);
            }
        }
    }

    public Transaction(Shard home) {
        this.home = home;
        this.requests = new ShardRequest[home.server().shardCount()];
    }

    /** Adds {@code key}, exclusive when {@code write} (before {@link #lock}). */
    public Transaction add(Key key, boolean write) {
        int s = key.shard(requests.length);
        if (requests[s] == null) {
            requests[s] = new ShardRequest(s, false);
        }
        if (!requests[s].isWholeShard()) {
            requests[s].add(key.exact(), key.hash, write);
        }
        return this;
    }

    /** Asks for every shard whole (a keyspace-wide command inside EXEC). */
    public Transaction addEveryShard() {
        for (int s = 0; s < requests.length; s++) {
            requests[s] = new ShardRequest(s, true);
        }
        return this;
    }

    /** Number of shards the transaction locks. */
    public int shardCount() {
        int n = 0;
        for (ShardRequest r : requests) {
            if (r != null) {
                n++;
            }
        }
        return n;
    }

    /** The one shard the transaction locks whole or in part, or -1 when it locks none or several. */
    public int onlyShard() {
        int only = -1;
        for (ShardRequest r : requests) {
            if (r != null) {
                if (only >= 0) {
                    return -1;
                }
                only = r.shard;
            }
        }
        return only;
    }

    /**
     * Coordinates from {@code shard} instead (before {@link #lock}): a transaction on one shard
     * that is run entirely there, so its locking, commands and release need no message.
     */
    public void coordinateFrom(Shard shard) {
        if (order != null) {
            throw new IllegalStateException("already locking");
        }
        this.home = shard;
    }

    /**
     * Takes the locks, shard by shard in ascending id order; {@code onShard} runs on each shard's
     * thread as its locks are granted (EXEC checks its WATCHes there), and {@code whenLocked} runs
     * on the home thread once all are held. With no key at all, {@code whenLocked} runs at once.
     */
    public void lock(OnShardLocked onShard, Runnable whenLocked) {
        this.onShardLocked = onShard;
        this.whenLocked = whenLocked;
        order = new int[shardCount()];
        int i = 0;
        for (ShardRequest r : requests) {
            if (r != null) {
                r.position = i;
                order[i++] = r.shard;
            }
        }
        if (order.length == 0) {
            whenLocked.run();
            return;
        }
        acquireAt(0);
    }

    private void acquireAt(int position) {
        ShardRequest r = requests[order[position]];
        Shard target = home.server().shard(r.shard);
        target.perform(() -> target.locks.acquire(r));
    }

    /** Releases every lock (after {@link #lock}'s callback); idempotent. Call on the home thread. */
    public void release() {
        if (released || order == null) {
            return;
        }
        released = true;
        for (int s : order) {
            ShardRequest r = requests[s];
            Shard target = home.server().shard(s);
            target.perform(() -> target.locks.release(r));
        }
    }
}
