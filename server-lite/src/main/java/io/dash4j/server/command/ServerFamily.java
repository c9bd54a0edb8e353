package io.dash4j.server.command;

import io.dash4j.server.Call;
import io.dash4j.server.Info;
import io.dash4j.server.Server;
import io.dash4j.server.ShardSnapshot;
import io.dash4j.server.store.Key;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.dash4j.server.command.Args.is;

/**
 * The server family: COMMAND (read from the {@link CommandTable}), CONFIG ({@link ConfigCommand}),
 * INFO, MEMORY and SHUTDOWN. Figures are taken on every shard's own thread and gathered.
 */
public final class ServerFamily {

    private ServerFamily() {
    }

    static void register(CommandTable t) {
        t.add("command", -1, "connection loading stale", 0, 0, 0, "server",
                "Describes commands (COUNT, DOCS, INFO, LIST, GETKEYS, HELP).", ServerFamily::command);
        t.add("config", -2, "admin noscript loading stale", 0, 0, 0, "server",
                "Reads or changes parameters (GET, SET, RESETSTAT, HELP).", ConfigCommand::run);
        t.add("info", -1, "loading stale all_shards", 0, 0, 0, "server", "Returns information and statistics.",
                ServerFamily::info);
        t.add("memory", -2, "readonly", 0, 0, 0, "server", "Memory usage (USAGE, STATS, DOCTOR, HELP).",
                ServerFamily::memory);
        t.add("shutdown", -1, "admin noscript loading stale no_multi", 0, 0, 0, "server", "Stops the server.",
                ServerFamily::shutdown);
    }

    // ------------------------------------------------------------------ COMMAND

    /** COMMAND INFO's ten fields (Redis 7): flags and ACL categories are sets (RESP3 {@code ~}). */
    static Object commandInfo(CommandSpec cmd) {
        List<Object> flags = new ArrayList<>();
        for (Flag f : cmd.flags()) {
            if (f.redisName() != null) {
                flags.add(new Replies.Status(f.redisName()));
            }
        }
        return new Object[] {cmd.name(), (long) cmd.arity(), new Replies.SetReply(flags.toArray()),
                (long) cmd.firstKey(), (long) cmd.lastKey(), (long) cmd.step(),
                new Replies.SetReply(aclCategories(cmd).toArray()), new Object[0], new Object[0], new Object[0]};
    }

    /** Redis-style ACL categories derived from the table row (for clients and a future ACL). */
    static List<Object> aclCategories(CommandSpec cmd) {
        List<Object> cats = new ArrayList<>();
        cats.add(new Replies.Status(cmd.has(Flag.WRITE) ? "@write" : cmd.has(Flag.READONLY) ? "@read" : "@slow"));
        if (cmd.has(Flag.WRITE) || cmd.has(Flag.READONLY)) {
            cats.add(new Replies.Status(cmd.has(Flag.FAST) ? "@fast" : "@slow"));
        }
        cats.add(new Replies.Status("@" + (cmd.group().equals("generic") ? "keyspace" : cmd.group())));
        if (cmd.has(Flag.ADMIN)) {
            cats.add(new Replies.Status("@admin"));
            cats.add(new Replies.Status("@dangerous"));
        }
        return cats;
    }

    static Replies.MapReply commandDocs(CommandSpec cmd) {
        return new Replies.MapReply(new Object[] {"summary", cmd.summary(), "since", "1.0.0", "group", cmd.group()});
    }

    private static void command(Call c) {
        CommandTable table = CommandTable.STANDARD;
        if (c.argv.length == 1) {
            c.finish(table.all().stream().map(ServerFamily::commandInfo).toArray());
            return;
        }
        byte[] sub = c.argv[1];
        if (is(sub, "COUNT")) {
            c.finish((long) table.size());
        } else if (is(sub, "DOCS")) {
            List<Object> docs = new ArrayList<>();
            if (c.argv.length == 2) {
                for (CommandSpec cmd : table.all()) {
                    docs.add(cmd.name());
                    docs.add(commandDocs(cmd));
                }
            }
            for (int i = 2; i < c.argv.length; i++) {
                CommandSpec cmd = table.lookup(c.argv[i]);
                if (cmd != null) {
                    docs.add(cmd.name());
                    docs.add(commandDocs(cmd));
                }
            }
            c.finish(Replies.MapReply.of(docs));
        } else if (is(sub, "INFO")) {
            List<Object> infos = new ArrayList<>();
            if (c.argv.length == 2) {
                table.all().forEach(cmd -> infos.add(commandInfo(cmd)));
            }
            for (int i = 2; i < c.argv.length; i++) {
                CommandSpec cmd = table.lookup(c.argv[i]);
                infos.add(cmd == null ? null : commandInfo(cmd));
            }
            c.finish(infos);
        } else if (is(sub, "LIST")) {
            List<Object> names = new ArrayList<>();
            table.all().forEach(cmd -> names.add(cmd.name()));
            c.finish(names);
        } else if (is(sub, "GETKEYS") && c.argv.length >= 3) {
            c.finish(getKeys(table, Arrays.copyOfRange(c.argv, 2, c.argv.length)));
        } else if (is(sub, "HELP")) {
            c.finish(new Object[] {"COMMAND [<subcommand> [<arg> ...]]. Subcommands are:", "(no subcommand)", "COUNT",
                    "DOCS [<command-name> ...]", "INFO [<command-name> ...]", "LIST",
                    "GETKEYS <full-command>", "HELP"});
        } else {
            throw Dispatcher.unknownSubcommand(sub, "COMMAND").exception();
        }
    }

    /** COMMAND GETKEYS: the keys of a command line, from the table's key positions. */
    private static Object getKeys(CommandTable table, byte[][] line) {
        CommandSpec cmd = table.lookup(line[0]);
        if (cmd == null) {
            return CommandError.err("ERR Invalid command specified");
        }
        if (!cmd.arityOk(line.length)) {
            return CommandError.err("ERR Invalid number of arguments specified for command");
        }
        int[] idx = cmd.keyIndices(line.length);
        if (idx.length == 0) {
            return CommandError.err("ERR The command has no key arguments");
        }
        Object[] keys = new Object[idx.length];
        for (int i = 0; i < idx.length; i++) {
            keys[i] = line[idx[i]];
        }
        return keys;
    }

    // ------------------------------------------------------------------ INFO, MEMORY, SHUTDOWN

    private static ShardSnapshot[] snapshots(Call call) {
        return Arrays.stream(call.results).map(ShardSnapshot.class::cast).toArray(ShardSnapshot[]::new);
    }

    private static void info(Call c) {
        Set<String> wanted = new HashSet<>();
        for (int i = 1; i < c.argv.length; i++) {
            wanted.add(Args.str(c.argv[i]).toLowerCase(Locale.ROOT));
        }
        Server server = c.client.server();
        c.onAllShards((s, call, p) -> s.snapshot(),
                call -> new Replies.Verbatim(Info.render(server, snapshots(call), wanted)));
    }

    private static void memory(Call c) {
        byte[] sub = c.argv[1];
        if (is(sub, "USAGE")) {
            if (c.argv.length != 3 && !(c.argv.length == 5 && is(c.argv[3], "SAMPLES"))) {
                throw (c.argv.length < 3 ? CommandError.wrongArity("memory|usage") : CommandError.SYNTAX).exception();
            }
            if (c.argv.length == 5) {
                Args.longArg(c.argv[4]);
            }
            c.keys = new Key[] {new Key(c.argv[2])};
            c.onKey(c.keys[0], (s, call, p) -> {
                byte[] e = s.store.peek(call.keys[0], false);
                return e == null ? null : (Object) s.store.memoryOf(e);
            });
        } else if (is(sub, "STATS")) {
            c.onAllShards((s, call, p) -> s.snapshot(), call -> {
                ShardSnapshot[] snaps = snapshots(call);
                var t = Info.total(snaps);
                return new Replies.MapReply(new Object[] {"peak.allocated", Info.usedMemory(snaps), "total.allocated",
                        Info.usedMemory(snaps), "clients.normal", Info.clientMemory(snaps), "keys.count", t.keys(),
                        "keys.bytes-per-key", t.keys() == 0 ? 0L : t.usedMemory() / t.keys(), "dataset.bytes",
                        t.entryBytes(), "tables.bytes", t.tableBytes(), "segments", t.segments()});
            });
        } else if (is(sub, "DOCTOR")) {
            c.finish(new Replies.Verbatim(
                    "dash4j: memory looks fine. used_memory is an estimate of entries, tables and client buffers."));
        } else if (is(sub, "HELP")) {
            c.finish(new Object[] {"MEMORY <subcommand> [<arg> ...]. Subcommands are:", "USAGE <key> [SAMPLES <count>]",
                    "STATS", "DOCTOR", "HELP"});
        } else {
            throw Dispatcher.unknownSubcommand(sub, "MEMORY").exception();
        }
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE]: saves first when told to, or when save rules are set
     * and NOSAVE is not given (as Redis); a failed save keeps the server running (unless FORCE).
     */
    private static void shutdown(Call c) {
        boolean nosave = false;
        boolean save = false;
        boolean force = false;
        for (int i = 1; i < c.argv.length; i++) {
            byte[] a = c.argv[i];
            if (is(a, "ABORT")) {
                throw CommandError.err("ERR No shutdown in progress.").exception();
            }
            if (is(a, "NOSAVE")) {
                nosave = true;
            } else if (is(a, "SAVE")) {
                save = true;
            } else if (is(a, "FORCE")) {
                force = true;
            } else if (!is(a, "NOW")) {
                throw CommandError.SYNTAX.exception();
            }
        }
        if (nosave && save) {
            throw CommandError.SYNTAX.exception();
        }
        Server server = c.client.server();
        if (save || (!nosave && !server.config().saveRules().isEmpty())) {
            boolean forced = force;
            server.persistence().saveFresh(outcome -> c.owner.home().postTask(() -> {
                if (outcome.ok() || forced) {
                    stop(c, server);
                } else {
                    c.finish(CommandError.err("ERR Errors trying to SHUTDOWN. Check logs."));
                }
            }));
            return;
        }
        stop(c, server);
    }

    private static void stop(Call c, Server server) {
        c.silent = true; // Redis answers nothing: the connection just closes
        c.finish(null);
        c.client.stopReading();
        new Thread(server::shutdownAsync, "dash4j-shutdown").start();
    }
}
