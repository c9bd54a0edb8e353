package io.dash4j.server.codec;

import io.dash4j.server.Connection;

/** Opens a codec for a new connection of a listener. */
@FunctionalInterface
public interface CodecFactory {
    Codec open(Connection conn);
}
