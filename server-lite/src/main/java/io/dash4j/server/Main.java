package io.dash4j.server;

import java.util.Locale;

/**
 * {@code java -jar dash-server.jar [--port 6379] [--memcached-port 11211] [--bind 127.0.0.1]
 * [--threads N] [--maxmemory 512mb] [--cache-mode true|false]}: starts the server, prints a
 * banner, and serves until SIGTERM (or Ctrl-C) or a SHUTDOWN command, then exits with status 0.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config;
        try {
            config = ServerConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Server server;
        try {
            server = new Server(config); // loads the dump, if there is one
        } catch (java.io.IOException e) {
            System.err.println("dash4j: " + Persistence.describe(e));
            System.err.println("dash4j: not starting: move or repair the file, or start with another --dir/--dbfilename");
            System.exit(1);
            return;
        }
        try {
            server.start();
        } catch (java.io.IOException e) {
            System.err.println("dash4j: cannot listen on " + config.bind + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean said = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!server.isStopping()) {
                System.out.println("dash4j: SIGTERM received, shutting down");
            }
            if (!server.isStopping() && !config.saveRules().isEmpty()) {
                var saved = server.persistence().saveAndWait(); // Redis saves on SIGTERM when save rules are set
                System.out.println("dash4j: " + (saved.ok() ? "saved " + saved.keys() + " keys to "
                        + server.persistence().dumpPath() : "save before exit failed: " + saved.error()));
            }
            server.close();
            if (said.compareAndSet(false, true)) {
                System.out.println("dash4j: stopped");
            }
            System.out.flush();
            Runtime.getRuntime().halt(0); // a clean stop on SIGTERM exits with status 0, not 143
        }, "dash4j-signal"));
        System.out.println(banner(server));
        System.out.flush();
        server.awaitTermination(); // returns after SHUTDOWN
        if (said.compareAndSet(false, true)) {
            System.out.println("dash4j: stopped");
        }
        System.out.flush();
        System.exit(0);
    }

    static String banner(Server server) {
        ServerConfig c = server.config();
        long heap = Runtime.getRuntime().maxMemory();
        return String.format(Locale.ROOT, """
                dash4j server-lite %s — Dragonfly-style Dashtable store, RESP2/RESP3 + memcached text and binary
                  resp        %s:%d
                  memcached   %s
                  threads     %d shards (one keyspace partition and one event loop each)
                  mode        %s
                  maxmemory   %s (JVM max heap %s)
                  maxclients  %d
                ready to accept connections""",
                Server.VERSION, c.bind, server.port(),
                server.memcachedPort() == 0 ? "disabled" : c.bind + ":" + server.memcachedPort(),
                server.shardCount(),
                c.cacheMode ? "cache (evicts at maxmemory; maxmemory-policy " + c.maxmemoryPolicy() + ")"
                        : "store (maxmemory-policy noeviction: OOM errors at maxmemory)",
                Info.human(c.maxmemory), Info.human(heap), c.maxclients);
    }
}
