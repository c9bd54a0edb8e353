package io.dash4j.server.tx;

import io.dash4j.server.Call;
import io.dash4j.server.Connection;
import io.dash4j.server.command.CommandError;
import io.dash4j.server.command.CommandSpec;
import io.dash4j.server.command.CommandTable;
import io.dash4j.server.command.Dispatcher;
import io.dash4j.server.command.Flag;
import io.dash4j.server.command.Replies;
import io.dash4j.server.store.Key;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH with Redis's semantics, and the dispatcher's two hooks:
 * {@link #queueIfInMulti} (inside MULTI a command is checked and queued, not run) and
 * {@link #startIfCrossShard} (a multi-key command over several shards runs as a transaction).
 *
 * <p>Queue time checks what Redis checks then: an unknown command, a wrong arity or a command not
 * allowed in MULTI is answered with its error and marks the transaction, which EXEC then discards
 * (EXECABORT, nothing applied). Everything else (bad options, INCR on text) is a runtime error,
 * one element of EXEC's array, the other commands applying.
 */
public final class TransactionFamily {

    static final CommandError NESTED = CommandError.err("ERR MULTI calls can not be nested");
    static final CommandError EXEC_WITHOUT_MULTI = CommandError.err("ERR EXEC without MULTI");
    static final CommandError DISCARD_WITHOUT_MULTI = CommandError.err("ERR DISCARD without MULTI");
    static final CommandError WATCH_IN_MULTI = CommandError.err("ERR WATCH inside MULTI is not allowed");
    static final CommandError NOT_IN_MULTI = CommandError.err("ERR Command not allowed inside a transaction");
    static final CommandError EXECABORT =
            CommandError.err("EXECABORT Transaction discarded because of previous errors.");

    private TransactionFamily() {
    }

    public static void register(CommandTable t) {
        t.add("multi", 1, "fast connection noscript loading stale", 0, 0, 0, "transactions",
                "Starts a transaction.", TransactionFamily::multi);
        t.add("exec", 1, "noscript loading stale", 0, 0, 0, "transactions",
                "Executes the commands queued since MULTI.", TransactionFamily::exec);
        t.add("discard", 1, "fast connection noscript loading stale", 0, 0, 0, "transactions",
                "Discards the commands queued since MULTI.", TransactionFamily::discard);
        t.add("watch", -2, "fast noscript loading stale", 1, -1, 1, "transactions",
                "Makes the next EXEC conditional on these keys not changing.", TransactionFamily::watch);
        t.add("unwatch", 1, "fast connection noscript loading stale", 0, 0, 0, "transactions",
                "Forgets all watched keys.", c -> {
                    if (c.client.multi != null) {
                        c.client.multi.unwatchAll();
                    }
                    c.finish(Replies.OK);
                });
    }

    /**
     * Inside MULTI, answers and queues (or refuses) the command; false when it is not in MULTI or
     * the command runs now even there (EXEC, DISCARD, MULTI, WATCH, QUIT).
     */
    public static boolean queueIfInMulti(Connection conn, byte[][] argv, CommandSpec spec) {
        MultiState state = conn.multi;
        if (state == null || !state.queuing()) {
            return false;
        }
        if (spec == null) {
            state.aborted = true;
            conn.replyNow(Dispatcher.unknownCommand(argv));
            return true;
        }
        String name = spec.name();
        if (name.equals("exec") || name.equals("discard") || name.equals("multi") || name.equals("watch")
                || name.equals("quit")) {
            return false;
        }
        if (!spec.arityOk(argv.length)) {
            state.aborted = true;
            conn.replyNow(CommandError.wrongArity(name));
            return true;
        }
        if (spec.has(Flag.NO_MULTI)) {
            state.aborted = true;
            conn.replyNow(NOT_IN_MULTI);
            return true;
        }
        state.add(argv, spec);
        conn.replyNow(Replies.QUEUED);
        return true;
    }

    /** See {@link CrossShardCommand}. */
    public static boolean startIfCrossShard(Connection conn, Call call) {
        return CrossShardCommand.startIfCrossShard(conn, call);
    }

    private static void multi(Call c) {
        MultiState state = MultiState.of(c.client);
        if (state.queuing()) {
            c.finish(NESTED);
            return;
        }
        state.begin();
        c.finish(Replies.OK);
    }

    private static void exec(Call c) {
        MultiState state = c.client.multi;
        if (state == null || !state.queuing()) {
            c.finish(EXEC_WITHOUT_MULTI);
            return;
        }
        if (state.aborted) {
            state.end();
            state.unwatchAll();
            c.finish(EXECABORT);
            return;
        }
        Exec.start(c, state);
    }

    private static void discard(Call c) {
        MultiState state = c.client.multi;
        if (state == null || !state.queuing()) {
            c.finish(DISCARD_WITHOUT_MULTI);
            return;
        }
        state.end();
        state.unwatchAll();
        c.finish(Replies.OK);
    }

    /** WATCH key...: each owner remembers the key's entry; the connection keeps the list. */
    private static void watch(Call c) {
        MultiState state = MultiState.of(c.client);
        if (state.queuing()) {
            c.finish(WATCH_IN_MULTI);
            return;
        }
        int n = c.argv.length - 1;
        c.keys = new Key[n];
        for (int i = 0; i < n; i++) {
            c.keys[i] = new Key(c.argv[i + 1]);
        }
        c.onKeys((s, call, part) -> {
            for (int i : call.groups[part]) {
                call.slots[i] = s.watches.watch(s, call.keys[i]);
            }
            return null;
        }, call -> {
            int shards = call.client.server().shardCount();
            java.util.List<MultiState.Watched> added = new java.util.ArrayList<>();
            for (int i = 0; i < call.keys.length; i++) {
                if (call.slots[i] instanceof KeyWatches.Watch w) {
                    added.add(new MultiState.Watched(call.keys[i].shard(shards), w));
                }
            }
            state.watched.addAll(added);
            if (call.client.isClosed()) {
                state.unwatchAll();
            }
            return Replies.OK;
        });
    }
}
