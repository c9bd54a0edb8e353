package io.dash4j.server.tx;

import io.dash4j.server.Call;
import io.dash4j.server.CallOwner;
import io.dash4j.server.Connection;
import io.dash4j.server.Shard;
import io.dash4j.server.command.CommandException;
import io.dash4j.server.command.CommandSpec;
import io.dash4j.server.command.Flag;
import io.dash4j.server.command.Replies;
import io.dash4j.server.store.Key;

import java.util.ArrayList;
import java.util.List;

/**
 * EXEC: runs a connection's queued commands as one isolated transaction.
 *
 * <ol>
 *   <li>The lock set is every key of every queued command (exclusive for commands that are not
 *       read-only) plus the WATCHed keys (shared); a queued command without keys that reaches the
 *       keyspace (DBSIZE, KEYS, FLUSHALL, INFO, ...) asks for every shard whole. Connection-only
 *       commands (PING, ECHO, CLIENT ...) need nothing.</li>
 *   <li>{@link Transaction#lock} takes them shard by shard in id order; as each shard grants, it
 *       checks the watches it keeps for this connection, so the check and the commands see the
 *       same state.</li>
 *   <li>A broken watch: release, answer the null array. Otherwise the commands run one after the
 *       other through their own handlers (a sub-call's parts skip the lock checks), each result
 *       (or runtime error) becomes one element of EXEC's array; then release.</li>
 * </ol>
 * The connection parses nothing after EXEC until its locks are held (until it is done, when it
 * runs on another shard), so a pipelined command cannot overtake the transaction on some shard;
 * afterwards it waits behind EXEC's locks.
 */
final class Exec implements CallOwner {

    private final Call exec;
    private final Connection conn;
    private final List<MultiState.Queued> queue;
    private final List<MultiState.Watched> watched;
    private final Transaction tx;
    /**
     * The thread that runs the transaction: the connection's shard, or, when every key lives on
     * one other shard and no command touches the connection, that shard (one message there, one
     * back, instead of a round trip per command).
     */
    private final Shard runOn;
    private final Object[] results;
    private boolean watchBroken;
    private int next;
    private boolean commandInFlight;
    private boolean pumping;

    private Exec(Call exec, List<MultiState.Queued> queue, List<MultiState.Watched> watched) {
        this.exec = exec;
        this.conn = exec.client;
        this.queue = queue;
        this.watched = watched;
        this.results = new Object[queue.size()];
        this.tx = new Transaction(conn.shard);
        boolean everyShard = false;
        boolean touchesConnection = false;
        for (MultiState.Queued q : queue) {
            CommandSpec spec = q.spec();
            if (spec.has(Flag.CONNECTION)) {
                touchesConnection = true;
                continue;
            }
            int[] keys = spec.keyIndices(q.argv().length);
            if (keys.length == 0) {
                everyShard = true;
            }
            for (int i : keys) {
                tx.add(new Key(q.argv()[i]), !spec.has(Flag.READONLY));
            }
        }
        for (MultiState.Watched w : watched) {
            tx.add(w.watch().key, false);
        }
        if (everyShard) {
            tx.addEveryShard();
        }
        int only = tx.onlyShard();
        if (only >= 0 && only != conn.shard.id() && !touchesConnection) {
            runOn = conn.server().shard(only);
            tx.coordinateFrom(runOn);
        } else {
            runOn = conn.shard;
        }
    }

    /** Runs EXEC for {@code call}'s connection (the MULTI state is checked by the caller). */
    static void start(Call call, MultiState state) {
        List<MultiState.Queued> queue = new ArrayList<>(state.queue);
        List<MultiState.Watched> watched = new ArrayList<>(state.watched);
        state.end();
        Exec e = new Exec(call, queue, watched);
        e.conn.holdInput();
        e.tx.lock(e::checkWatches, e::locked);
    }

    /** On each shard as its locks are granted: is any watch this shard keeps for us broken? */
    private void checkWatches(Shard shard) {
        for (MultiState.Watched w : watched) {
            boolean broken;
            try {
                broken = w.shard() == shard.id() && KeyWatches.broken(shard, w.watch());
            } catch (RuntimeException e) {
                broken = true; // cannot tell: abort rather than run on a changed key
            }
            if (broken) {
                watchBroken = true; // read on the home thread after the hand-offs that follow
            }
        }
    }

    /** Every lock is held (on {@link #runOn}'s thread). */
    private void locked() {
        if (watchBroken) {
            done(Replies.NIL_ARRAY);
        } else {
            pump();
        }
        if (runOn == conn.shard) {
            // every key is held: later commands of the client may go, they queue behind EXEC's locks
            conn.resumeInput();
        }
    }

    /** Starts the queued commands one at a time; a command finishing inline continues the loop. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (!commandInFlight) {
                if (next == queue.size()) {
                    done(results);
                    return;
                }
                commandInFlight = true;
                startCommand(queue.get(next));
            }
        } finally {
            pumping = false;
        }
    }

    private void startCommand(MultiState.Queued q) {
        Call c = new Call(conn, q.argv());
        c.spec = q.spec();
        c.proto = exec.proto;
        c.owner = this;
        try {
            q.spec().handler().start(c);
        } catch (CommandException e) {
            c.finish(e.error());
        } catch (RuntimeException e) {
            c.finish(io.dash4j.server.command.CommandError.fromThrowable(e));
        }
    }

    @Override
    public Shard home() {
        return runOn;
    }

    /** The calls this owner runs have their keys locked by {@link #tx}: their parts skip the checks. */
    @Override
    public boolean holdsLocks() {
        return true;
    }

    /** A queued command finished (home thread). */
    @Override
    public void callDone(Call call) {
        results[next++] = call.result;
        commandInFlight = false;
        pump();
    }

    /** Releases (on {@link #runOn}) and answers on the connection's thread. */
    private void done(Object result) {
        tx.release();
        if (runOn == conn.shard) {
            reply(result);
        } else {
            conn.shard.perform(() -> {
                reply(result);
                conn.resumeInput();
            });
        }
    }

    private void reply(Object result) {
        MultiState state = conn.multi;
        if (state != null) {
            state.unwatch(watched);
        }
        exec.finish(result);
    }
}
