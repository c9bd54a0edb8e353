package io.dash4j.server;

import io.dash4j.server.command.Flag;
import io.dash4j.server.store.Key;
import io.dash4j.server.tx.LockRequest;

/**
 * A command part that found its keys locked on its shard: it waits in the shard's
 * {@link io.dash4j.server.tx.IntentLocks} like a one-shard transaction, runs the moment it is
 * granted, and releases at once. It asks for the part's keys owned by this shard (shared for a
 * read-only command, exclusive otherwise), or for the whole shard when the part names no key
 * (DBSIZE, KEYS, FLUSHALL, SCAN, INFO..., and memcached calls, which carry their key only inside
 * their shard function: they count as writes of the whole shard, correct if coarse),
 * so a keyspace-wide command never runs in the middle of a transaction either.
 *
 * <p>Such a request holds nothing while it waits and releases before anything else can run, so it
 * can never be part of a deadlock; that is why it needs no cross-shard ordering.
 */
final class PartLock extends LockRequest {

    private final Shard shard;
    private final Call call;
    private final int part;
    private final ShardFn fn;
    private final Shard.Remote remote;

    PartLock(Shard shard, Call call, int part, ShardFn fn, Shard.Remote remote) {
        super(keyCount(shard, call) == 0);
        this.shard = shard;
        this.call = call;
        this.part = part;
        this.fn = fn;
        this.remote = remote;
        if (!isWholeShard()) {
            boolean write = writes(call);
            int n = shard.server.shardCount();
            for (Key k : call.keys) {
                if (k.shard(n) == shard.id) {
                    add(k.exact(), k.hash, write);
                }
            }
        }
    }

    /** True when {@code call} may change the keyspace (the lock it needs is exclusive). */
    static boolean writes(Call call) {
        return call.spec == null || !call.spec.has(Flag.READONLY);
    }

    private static int keyCount(Shard shard, Call call) {
        if (call.keys == null) {
            return 0;
        }
        int n = shard.server.shardCount();
        int count = 0;
        for (Key k : call.keys) {
            if (k.shard(n) == shard.id) {
                count++;
            }
        }
        return count;
    }

    /** A single-key part whose key nobody holds in a conflicting mode nor waits for runs without a request. */
    static boolean mayRunNow(Shard shard, Call call) {
        if (call.keys == null || call.keys.length != 1) {
            return false;
        }
        Key k = call.keys[0];
        return shard.locks.mayRunNow(k.exact(), k.hash, writes(call));
    }

    @Override
    protected void granted() {
        Object result;
        try {
            result = shard.execute(call, part, fn);
        } finally {
            shard.locks.release(this); // whatever happens, the key is not left locked
        }
        shard.deliver(call, part, result, remote);
    }
}
