package io.dash4j.server.command;

import io.dash4j.server.Call;
import io.dash4j.server.Connection;
import io.dash4j.server.tx.TransactionFamily;

/**
 * From a parsed RESP command to a running call: looks the name up in the {@link CommandTable},
 * checks the arity (both errors are answered at once, keeping order), and starts the command's
 * handler under the connection's reply queue. This is the one place where a command enters the
 * layer, so queueing (MULTI) or intent-locking decisions belong here.
 */
public final class Dispatcher {

    private Dispatcher() {
    }

    /**
     * A RESP command framed in place (its arguments still in the input buffer): runs from the
     * slices when its row has an in-place form of this many words and no MULTI is open (no copy,
     * no argv); otherwise copies the arguments and takes {@link #dispatch(Connection, byte[][])}.
     */
    public static void dispatch(Connection conn, ArgSlices args) {
        CommandSpec spec = CommandTable.STANDARD.lookup(args.buf, args.off(0), args.len(0));
        if (spec == null || conn.multi != null || !spec.runsInPlace(args.count())) {
            dispatch(conn, args.toArgv());
            return;
        }
        conn.setLastCommand(spec.name());
        Call c = conn.obtainCall();
        c.spec = spec;
        conn.dispatch(c, spec.inPlace(), args);
    }

    public static void dispatch(Connection conn, byte[][] argv) {
        CommandSpec spec = CommandTable.STANDARD.lookup(argv[0]);
        if (conn.multi != null && TransactionFamily.queueIfInMulti(conn, argv, spec)) {
            return;
        }
        if (spec == null) {
            conn.replyNow(unknownCommand(argv));
            return;
        }
        conn.setLastCommand(spec.name());
        if (!spec.arityOk(argv.length)) {
            conn.replyNow(CommandError.wrongArity(spec.name()));
            return;
        }
        Call c = conn.obtainCall();
        c.argv = argv;
        c.spec = spec;
        if (spec.has(Flag.MULTI_KEY) && TransactionFamily.startIfCrossShard(conn, c)) {
            return;
        }
        conn.dispatch(c, spec.handler());
    }

    public static CommandError unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            String a = Args.str(argv[i]);
            int room = 128 - args.length();
            args.append('\'').append(a.length() > room ? a.substring(0, room) : a).append("' ");
        }
        String name = Args.str(argv[0]);
        if (name.length() > 128) {
            name = name.substring(0, 128);
        }
        return CommandError.of(CommandError.Kind.UNKNOWN_COMMAND,
                "ERR unknown command '" + name + "', with args beginning with: " + args);
    }

    public static CommandError unknownSubcommand(byte[] sub, String command) {
        return CommandError.of(CommandError.Kind.UNKNOWN_COMMAND,
                "ERR unknown subcommand '" + Args.str(sub) + "'. Try " + command + " HELP.");
    }
}
