package io.dash4j.server.tx;

import io.dash4j.server.Connection;
import io.dash4j.server.Shard;
import io.dash4j.server.command.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * A connection's transaction state: whether it is inside MULTI, the commands queued since, whether
 * one of them was refused at queue time (EXEC then aborts with EXECABORT), and the keys it WATCHes
 * with the shard each watch lives on. Lives on the connection's thread; the watches themselves are
 * only touched on their shards' threads.
 */
public final class MultiState {

    /** A queued command: its words and its table row (already checked for arity). */
    record Queued(byte[][] argv, CommandSpec spec) {
    }

    /** A watch and the shard that keeps it. */
    record Watched(int shard, KeyWatches.Watch watch) {
    }

    private final Connection conn;
    boolean active;
    boolean aborted;
    final ArrayList<Queued> queue = new ArrayList<>();
    /** Bytes of the queued commands, counted in the connection's client memory. */
    private long queuedBytes;
    final ArrayList<Watched> watched = new ArrayList<>();

    private MultiState(Connection conn) {
        this.conn = conn;
    }

    /** The connection's state, created on first use. */
    static MultiState of(Connection conn) {
        if (conn.multi == null) {
            conn.multi = new MultiState(conn);
        }
        return conn.multi;
    }

    /** True while commands are queued instead of run. */
    public boolean queuing() {
        return active;
    }

    void begin() {
        active = true;
        aborted = false;
        queue.clear();
    }

    /** Leaves MULTI: drops the queue (EXEC took it already, or DISCARD). */
    void end() {
        active = false;
        aborted = false;
        queue.clear();
        conn.account(-queuedBytes);
        queuedBytes = 0;
    }

    /** Queues a command (its words count in the client's memory until EXEC or DISCARD). */
    void add(byte[][] argv, CommandSpec spec) {
        long bytes = 16 + 4L * argv.length;
        for (byte[] a : argv) {
            bytes += 16 + a.length;
        }
        queuedBytes += bytes;
        conn.account(bytes);
        queue.add(new Queued(argv, spec));
    }

    /** Forgets every watch: each shard drops its own (inline for the connection's shard). */
    void unwatchAll() {
        unwatch(new ArrayList<>(watched));
    }

    /** Forgets {@code which} (watches EXEC took), on the shards that keep them. */
    void unwatch(List<Watched> which) {
        if (which.isEmpty()) {
            return;
        }
        watched.removeAll(which);
        Shard home = conn.shard;
        int shards = home.server().shardCount();
        for (int s = 0; s < shards; s++) {
            List<KeyWatches.Watch> mine = new ArrayList<>();
            for (Watched w : which) {
                if (w.shard() == s) {
                    mine.add(w.watch());
                }
            }
            if (!mine.isEmpty()) {
                Shard owner = home.server().shard(s);
                owner.perform(() -> mine.forEach(owner.watches::unwatch));
            }
        }
    }

    /** The connection closed: its watches go (a transaction in flight still finishes and releases). */
    public void connectionClosed() {
        end();
        unwatchAll();
    }
}
