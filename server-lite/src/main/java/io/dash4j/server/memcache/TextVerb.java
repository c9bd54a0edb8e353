package io.dash4j.server.memcache;

import java.nio.charset.StandardCharsets;

/**
 * The memcached text commands by name, matched against a line's first token without making a
 * String of it. Ordered by how often clients send them (get and set first), since the lookup
 * tries them in order; a length mismatch rejects a candidate at once.
 */
enum TextVerb {
    GET, SET, GETS, DELETE, INCR, DECR, ADD, REPLACE, APPEND, PREPEND, CAS, TOUCH, GAT, GATS, FLUSH_ALL, STATS,
    VERSION, VERBOSITY, QUIT, SHUTDOWN;

    /** The command's name on the wire (and in CLIENT LIST's {@code cmd=}). */
    final String wireName = name().toLowerCase(java.util.Locale.ROOT);
    private final byte[] bytes = wireName.getBytes(StandardCharsets.US_ASCII);

    private static final TextVerb[] ALL = values();

    /** The verb named by token 0 of {@code line}, or null when it names none. */
    static TextVerb of(CommandLine line) {
        int n = line.length(0);
        for (TextVerb v : ALL) {
            if (v.bytes.length == n && line.is(0, v.bytes)) {
                return v;
            }
        }
        return null;
    }
}
