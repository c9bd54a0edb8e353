package io.dash4j.server.command;

import java.util.Locale;

/**
 * What a command is, for the dispatcher, MULTI, routing and COMMAND INFO. Flags with a Redis name
 * are reported by COMMAND INFO as Redis spells them; the others are dash4j's own scheduling facts.
 */
public enum Flag {
    /** Changes the keyspace. */
    WRITE("write"),
    /** Only reads the keyspace. */
    READONLY("readonly"),
    /** Refused when memory is full (may grow the keyspace). */
    DENYOOM("denyoom"),
    /** Administrative (CONFIG, SHUTDOWN, ...). */
    ADMIN("admin"),
    /** Constant-time or logarithmic. */
    FAST("fast"),
    /** Not allowed inside scripts. */
    NOSCRIPT("noscript"),
    /** Not allowed inside MULTI (answered with an error at queue time). */
    NO_MULTI("no_multi"),
    /** Runs while loading / on stale data (kept for client compatibility). */
    LOADING("loading"),
    STALE("stale"),
    /** Keys are not at fixed positions (key specs cannot describe them). */
    MOVABLEKEYS("movablekeys"),
    /** More than one key: parts may run on several shards (fan-out and gather). */
    MULTI_KEY(null),
    /** Runs once on every shard (DBSIZE, FLUSHALL, KEYS, INFO, ...). */
    ALL_SHARDS(null),
    /** Touches only the connection's state (PING, CLIENT, HELLO, ...): no shard work. */
    CONNECTION(null);

    private final String redisName;

    Flag(String redisName) {
        this.redisName = redisName;
    }

    /** The name COMMAND INFO reports, or null for dash4j-internal flags. */
    public String redisName() {
        return redisName;
    }

    public static Flag parse(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
