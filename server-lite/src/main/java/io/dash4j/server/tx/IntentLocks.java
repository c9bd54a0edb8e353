package io.dash4j.server.tx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;

/**
 * One shard's intent locks: which transactions hold or wait for which of its keys (VLL's lock
 * table, Ren, Thomson and Abadi, VLDB 2012; Dragonfly's {@code IntentLock} per key). Single
 * owner: every method runs on the shard's thread, so nothing here is synchronized.
 *
 * <p>A transaction asks a shard for all its keys on that shard at once ({@link #acquire}), each
 * key shared (a read) or exclusive (a write). Per key, requests are granted strictly in arrival
 * order: a request is granted when every request that arrived before it on that key is granted
 * and compatible (shared with shared), so a waiting exclusive request is never overtaken by later
 * readers (no starvation). Because a shard admits a transaction's keys in one step on one thread,
 * two transactions meet in the same order on every key of a shard: waits on a shard only point
 * from later arrivals to earlier ones, never in a circle. Across shards the coordinator asks the
 * shards in ascending id order and only asks the next one once this one granted (see
 * {@link Transaction}), which makes the whole wait-for graph acyclic: no deadlock.
 *
 * <p>A <em>shard-wide</em> request (a transaction with FLUSHALL, DBSIZE, KEYS... inside EXEC)
 * waits until every request admitted before it is released, and everything arriving after it
 * waits, in order, until it is released.
 *
 * <p>The fast path: a single-key command needs no request at all when {@link #idle()} (no key
 * of this shard is locked or waited for), and otherwise asks {@link #mayRunNow} for its one key;
 * only when that key is busy does it queue, as a one-key request. A one-key command runs to the
 * end in one step on this thread, so it never holds a lock while waiting for anything.
 */
public final class IntentLocks {

    /** A key's lock: granted shared holders or one exclusive holder, and the requests waiting. */
    private static final class KeyLock {
        byte[] key;
        int hash;
        int shared;
        boolean exclusive;
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>(2);

        KeyLock(byte[] key, int hash) {
            this.key = key;
            this.hash = hash;
        }

        boolean admits(boolean wantExclusive) {
            return wantExclusive ? shared == 0 && !exclusive : !exclusive;
        }

        void grant(boolean wantExclusive) {
            if (wantExclusive) {
                exclusive = true;
            } else {
                shared++;
            }
        }

        boolean unused() {
            return shared == 0 && !exclusive && waiting.isEmpty();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyLock k && k.hash == hash && Arrays.equals(k.key, key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record Waiter(LockRequest request, boolean exclusive) {
    }

    /** Key content to its lock; a lock exists only while it is held or waited for. */
    private final HashMap<KeyLock, KeyLock> locks = new HashMap<>();
    /** A reusable probe for lookups (single thread). */
    private final KeyLock probe = new KeyLock(null, 0);
    /** Requests admitted to the key locks and not yet released (granted or waiting). */
    private int admitted;
    /** The shard-wide request waiting or holding, or null; while set, new requests are deferred. */
    private LockRequest barrier;
    private boolean barrierGranted;
    private final ArrayDeque<LockRequest> deferred = new ArrayDeque<>();
    /** Grants found while releasing, announced once the tables are consistent again. */
    private final ArrayList<LockRequest> newlyGranted = new ArrayList<>();
    private boolean announcing;

    /** True when no lock is held or awaited here: a single-key command runs without looking further. */
    public boolean idle() {
        return barrier == null && locks.isEmpty();
    }

    /**
     * True when a single-key command (a read when {@code !write}) on this key may run right now
     * without a request: nothing holds the key in a conflicting mode and nobody waits for it.
     */
    public boolean mayRunNow(byte[] key, long hash, boolean write) {
        if (barrier != null) {
            return false;
        }
        if (locks.isEmpty()) {
            return true;
        }
        KeyLock lock = find(key, hash);
        if (lock == null) {
            return true;
        }
        return !write && lock.waiting.isEmpty() && lock.admits(false);
    }

    /**
     * Admits {@code request}: its keys join their locks' queues in one step. When it is granted
     * (now, or later when earlier holders release) its {@link LockRequest#granted()} runs on this
     * thread. Returns true when it was granted before returning.
     */
    public boolean acquire(LockRequest request) {
        if (request.state != LockRequest.NEW) {
            throw new IllegalStateException("request already admitted");
        }
        request.state = LockRequest.WAITING;
        if (barrier != null) {
            deferred.addLast(request);
            return false;
        }
        admit(request);
        announce();
        return request.state == LockRequest.GRANTED;
    }

    /**
     * Releases every lock {@code request} holds; requests it was blocking are granted (their
     * callbacks run before this returns, or after the outer release when called from one).
     */
    public void release(LockRequest request) {
        if (request.state != LockRequest.GRANTED) {
            throw new IllegalStateException("releasing a request that holds no lock: " + request);
        }
        request.state = LockRequest.RELEASED;
        if (request.wholeShard) {
            barrier = null;
            barrierGranted = false;
            while (barrier == null && !deferred.isEmpty()) {
                admit(deferred.pollFirst());
            }
        } else {
            for (int i = 0; i < request.size(); i++) {
                KeyLock lock = find(request.key(i), request.hash(i));
                if (request.exclusive(i)) {
                    lock.exclusive = false;
                } else {
                    lock.shared--;
                }
                promote(lock);
                if (lock.unused()) {
                    locks.remove(lock);
                }
            }
            admitted--;
            grantBarrierIfClear();
        }
        announce();
    }

    /** Number of keys with a lock state (held or awaited), for tests and INFO. */
    public int lockedKeys() {
        return locks.size();
    }

    /** Requests waiting here (admitted and not granted, or deferred behind a shard-wide one). */
    public int waitingRequests() {
        int n = deferred.size();
        if (barrier != null && !barrierGranted) {
            n++;
        }
        for (KeyLock l : locks.values()) {
            n += l.waiting.size();
        }
        return n;
    }

    private void admit(LockRequest request) {
        if (request.wholeShard) {
            barrier = request;
            barrierGranted = false;
            grantBarrierIfClear();
            return;
        }
        admitted++;
        int pending = 0;
        for (int i = 0; i < request.size(); i++) {
            boolean x = request.exclusive(i);
            KeyLock lock = find(request.key(i), request.hash(i));
            if (lock == null) {
                lock = new KeyLock(request.key(i), (int) request.hash(i));
                locks.put(lock, lock);
            }
            // FIFO per key: a request may pass only when nobody waits ahead of it
            if (lock.waiting.isEmpty() && lock.admits(x)) {
                lock.grant(x);
            } else {
                lock.waiting.addLast(new Waiter(request, x));
                pending++;
            }
        }
        request.pending = pending;
        if (pending == 0) {
            grant(request);
        }
    }

    /** Grants the waiters at the head of {@code lock}'s queue that are compatible with its holders. */
    private void promote(KeyLock lock) {
        while (!lock.waiting.isEmpty()) {
            Waiter w = lock.waiting.peekFirst();
            if (!lock.admits(w.exclusive)) {
                return;
            }
            lock.waiting.pollFirst();
            lock.grant(w.exclusive);
            if (--w.request.pending == 0) {
                grant(w.request);
            }
        }
    }

    private void grantBarrierIfClear() {
        if (barrier != null && !barrierGranted && admitted == 0) {
            barrierGranted = true;
            grant(barrier);
        }
    }

    private void grant(LockRequest request) {
        request.state = LockRequest.GRANTED;
        newlyGranted.add(request);
    }

    /**
     * Runs the granted callbacks; a callback may release (re-entering), which only queues more.
     * A callback that throws does not cost the others their grant: all run, then the first
     * failure is rethrown (the shard closes that client; the locks stay consistent).
     */
    private void announce() {
        if (announcing) {
            return;
        }
        announcing = true;
        RuntimeException failure = null;
        try {
            for (int i = 0; i < newlyGranted.size(); i++) {
                try {
                    newlyGranted.get(i).granted();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        } finally {
            newlyGranted.clear();
            announcing = false;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private KeyLock find(byte[] key, long hash) {
        probe.key = key;
        probe.hash = (int) hash;
        KeyLock found = locks.get(probe);
        probe.key = null;
        return found;
    }
}
