package io.dash4j.server.command;

import io.dash4j.server.Call;
import io.dash4j.server.Connection;
import io.dash4j.server.Server;

import java.util.List;
import java.util.Locale;

import static io.dash4j.server.command.Args.is;
import static io.dash4j.server.command.Replies.OK;

/**
 * The connection family: commands that read or change only the client's session (PING, ECHO,
 * QUIT, HELLO with RESP2/RESP3, AUTH, SELECT, CLIENT ..., TIME). None touches a shard.
 */
public final class ConnectionFamily {

    private ConnectionFamily() {
    }

    static void register(CommandTable t) {
        t.add("ping", -1, "fast connection", 0, 0, 0, "connection", "Returns the server's liveliness response.",
                c -> {
                    if (c.argv.length > 2) {
                        throw CommandError.wrongArity("ping").exception();
                    }
                    c.finish(c.argv.length == 1 ? Replies.PONG : c.argv[1]);
                });
        t.add("echo", 2, "fast connection", 0, 0, 0, "connection", "Returns the given string.",
                c -> c.finish(c.argv[1]));
        t.add("quit", -1, "fast connection", 0, 0, 0, "connection", "Closes the connection.", c -> {
            c.client.stopReading();
            c.finish(OK);
        });
        t.add("hello", -1, "fast connection noscript loading stale", 0, 0, 0, "connection",
                "Handshakes with the server: protocol version 2 or 3, optional AUTH and SETNAME.",
                ConnectionFamily::hello);
        t.add("auth", -2, "fast connection noscript loading stale", 0, 0, 0, "connection",
                "Authenticates the connection.", c -> c.finish(CommandError.err("ERR AUTH <password> called without "
                        + "any password configured for the default user. Are you sure your configuration is correct?")));
        t.add("select", 2, "fast connection loading stale", 0, 0, 0, "connection", "Changes the selected database.",
                c -> {
                    long db = Args.longArg(c.argv[1]);
                    c.finish(db == 0 ? OK : CommandError.err("ERR DB index is out of range"));
                });
        t.add("client", -2, "connection noscript loading stale", 0, 0, 0, "connection",
                "Client connection commands (ID, SETNAME, GETNAME, SETINFO, INFO, LIST, HELP).",
                ConnectionFamily::client);
        t.add("time", 1, "fast connection loading stale", 0, 0, 0, "server", "Returns the server time.", c -> {
            long us = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
            c.finish(new Object[] {String.valueOf(us / 1_000_000), String.valueOf(us % 1_000_000)});
        });
    }

    /**
     * HELLO [protover [AUTH user pass] [SETNAME name]]: answers Redis's map (server, version,
     * proto, id, mode, role, modules) in the new protocol version, which applies from this reply on.
     */
    private static void hello(Call c) {
        byte[][] a = c.argv;
        Connection conn = c.client;
        int i = 1;
        int proto = conn.respVersion;
        if (a.length > 1) {
            Long ver = Args.toLong(a[1]);
            if (ver == null) {
                throw CommandError.err("ERR Protocol version is not an integer or out of range").exception();
            }
            if (ver != 2 && ver != 3) {
                throw CommandError.err("NOPROTO unsupported protocol version").exception();
            }
            proto = (int) (long) ver;
            i = 2;
        }
        String setName = null;
        for (; i < a.length; i++) {
            if (is(a[i], "AUTH") && i + 2 < a.length) {
                if (!Args.str(a[i + 1]).equals("default")) {
                    throw CommandError.err("WRONGPASS invalid username-password pair or user is disabled.").exception();
                }
                i += 2; // no password is configured: the default user needs none
            } else if (is(a[i], "SETNAME") && i + 1 < a.length) {
                setName = Args.str(a[++i]);
                if (!validName(setName)) {
                    throw CommandError.err("ERR Client names cannot contain spaces, newlines or special characters.")
                            .exception();
                }
            } else {
                throw CommandError.err("ERR Syntax error in HELLO option '" + Args.str(a[i]) + "'").exception();
            }
        }
        if (setName != null) {
            conn.name = setName.isEmpty() ? null : setName;
        }
        conn.respVersion = proto;
        c.proto = (byte) proto;
        c.finish(new Replies.MapReply(new Object[] {"server", "redis", "version", Server.REDIS_COMPAT_VERSION,
                "proto", (long) proto, "id", conn.id, "mode", "standalone", "role", "master", "modules", new Object[0]}));
    }

    static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    private static void client(Call c) {
        Connection conn = c.client;
        byte[] sub = c.argv[1];
        int argc = c.argv.length;
        if (is(sub, "ID") && argc == 2) {
            c.finish(conn.id);
        } else if (is(sub, "SETNAME") && argc == 3) {
            String name = Args.str(c.argv[2]);
            if (!validName(name)) {
                throw CommandError.err("ERR Client names cannot contain spaces, newlines or special characters.")
                        .exception();
            }
            conn.name = name.isEmpty() ? null : name;
            c.finish(OK);
        } else if (is(sub, "GETNAME") && argc == 2) {
            c.finish(conn.name);
        } else if (is(sub, "SETINFO") && argc == 4) {
            if (is(c.argv[2], "LIB-NAME")) {
                conn.libName = Args.str(c.argv[3]);
            } else if (is(c.argv[2], "LIB-VER")) {
                conn.libVer = Args.str(c.argv[3]);
            } else {
                throw CommandError.err("ERR Unrecognized option '" + Args.str(c.argv[2]) + "'").exception();
            }
            c.finish(OK);
        } else if (is(sub, "INFO") && argc == 2) {
            c.finish(new Replies.Verbatim(conn.describe(System.currentTimeMillis()) + "\n"));
        } else if (is(sub, "LIST") && argc == 2) {
            c.onAllShards((s, call, p) -> s.describeClients(), call -> {
                StringBuilder b = new StringBuilder();
                for (Object r : call.results) {
                    if (r instanceof List<?> lines) {
                        for (Object line : lines) {
                            b.append(line).append('\n');
                        }
                    }
                }
                return new Replies.Verbatim(b.toString());
            });
        } else if (is(sub, "NO-EVICT") || is(sub, "NO-TOUCH") || is(sub, "REPLY") && argc == 3 && is(c.argv[2], "ON")) {
            c.finish(OK);
        } else if (is(sub, "HELP")) {
            c.finish(new Object[] {"CLIENT <subcommand> [<arg> ...]. Subcommands are:", "ID", "GETNAME", "SETNAME <name>",
                    "SETINFO <LIB-NAME|LIB-VER> <value>", "INFO", "LIST", "HELP"});
        } else if (is(sub, "ID") || is(sub, "SETNAME") || is(sub, "GETNAME") || is(sub, "LIST") || is(sub, "INFO")
                || is(sub, "SETINFO")) {
            throw CommandError.wrongArity("client|" + Args.str(sub).toLowerCase(Locale.ROOT)).exception();
        } else {
            throw Dispatcher.unknownSubcommand(sub, "CLIENT").exception();
        }
    }
}
