package io.dash4j.server;

import net.spy.memcached.BinaryConnectionFactory;
import net.spy.memcached.MemcachedClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * spymemcached clients for the tests, on loopback. spymemcached logs every reconnect and timeout at
 * INFO/WARNING through its own logger unless told to use java.util.logging; {@link #quietLogs()}
 * routes it there and keeps only SEVERE, so the tests that stop servers on purpose stay readable.
 */
final class SpyClients {

    /** Held so that the level set on it sticks (JUL keeps loggers weakly). */
    private static final Logger SPY_LOG = Logger.getLogger("net.spy.memcached");

    private SpyClients() {
    }

    /** spymemcached logs through java.util.logging, SEVERE only. Call before creating a client. */
    static void quietLogs() {
        System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SunLogger");
        SPY_LOG.setLevel(Level.SEVERE);
    }

    /** A text-protocol client of one server. */
    static MemcachedClient text(int port) throws IOException {
        quietLogs();
        return new MemcachedClient(new InetSocketAddress("127.0.0.1", port));
    }

    /** A binary-protocol client of one server; operations time out after {@code opTimeoutMillis}. */
    static MemcachedClient binary(int port, long opTimeoutMillis) throws IOException {
        quietLogs();
        return new MemcachedClient(new BinaryConnectionFactory() {
            @Override
            public long getOperationTimeout() {
                return opTimeoutMillis;
            }
        }, List.of(new InetSocketAddress("127.0.0.1", port)));
    }
}
