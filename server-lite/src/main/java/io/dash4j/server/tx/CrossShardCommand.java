package io.dash4j.server.tx;

import io.dash4j.server.Call;
import io.dash4j.server.CallOwner;
import io.dash4j.server.Connection;
import io.dash4j.server.Shard;
import io.dash4j.server.command.CommandException;
import io.dash4j.server.command.CommandSpec;
import io.dash4j.server.command.Flag;
import io.dash4j.server.store.Key;

/**
 * A multi-key command (MSET, MSETNX, MGET, DEL, UNLINK, EXISTS, TOUCH, STICK, RENAME, RENAMENX,
 * COPY) whose keys live on more than one shard runs as a {@link Transaction}: its keys are locked
 * (shared for read-only commands, exclusive otherwise) in shard order, then the command's own
 * handler runs its parts as it always does, then the locks go. Another client therefore sees all
 * of an MSET or none of it, even with two GETs in a row, and MSETNX's check-then-write and
 * RENAME's read-write-delete steps cannot be interleaved. A multi-key command on one shard needs
 * none of this: its single part runs atomically on that shard (waiting there only if a key is
 * locked).
 */
final class CrossShardCommand implements CallOwner {

    private final Connection conn;
    private final Transaction tx;

    private CrossShardCommand(Connection conn, Transaction tx) {
        this.conn = conn;
        this.tx = tx;
    }

    /**
     * Starts {@code call} as a transaction when its command reads or writes several keys owned
     * by different shards; false (nothing done) otherwise.
     */
    static boolean startIfCrossShard(Connection conn, Call call) {
        CommandSpec spec = call.spec;
        if (!spec.has(Flag.MULTI_KEY) || !(spec.has(Flag.WRITE) || spec.has(Flag.READONLY))) {
            return false;
        }
        int[] idx = spec.keyIndices(call.argv.length);
        int shards = conn.server().shardCount();
        if (idx.length < 2 || shards == 1) {
            return false;
        }
        Key[] keys = new Key[idx.length];
        int first = -1;
        boolean spread = false;
        for (int i = 0; i < idx.length; i++) {
            keys[i] = new Key(call.argv[idx[i]]);
            int owner = keys[i].shard(shards);
            spread |= first >= 0 && owner != first;
            first = first < 0 ? owner : first;
        }
        if (!spread) {
            return false;
        }
        Transaction tx = new Transaction(conn.shard);
        boolean write = !spec.has(Flag.READONLY);
        for (Key k : keys) {
            tx.add(k, write);
        }
        CrossShardCommand owner = new CrossShardCommand(conn, tx);
        conn.holdInput();
        conn.dispatch(call, c -> {
            c.owner = owner;
            tx.lock(null, () -> {
                try {
                    spec.handler().start(c);
                } catch (CommandException e) {
                    c.finish(e.error());
                } catch (RuntimeException e) {
                    c.finish(io.dash4j.server.command.CommandError.fromThrowable(e));
                }
                // every key is held and the parts are posted: what the client sent next may go,
                // it queues behind this command on any key they share
                conn.resumeInput();
            });
        });
        return true;
    }

    @Override
    public Shard home() {
        return conn.shard;
    }

    /** The calls this owner runs have their keys locked by {@link #tx}: their parts skip the checks. */
    @Override
    public boolean holdsLocks() {
        return true;
    }

    @Override
    public void callDone(Call call) {
        tx.release();
        call.owner = conn;
        conn.callDone(call);
    }
}
