package io.dash4j.server.codec;

/**
 * A listening port and the protocol(s) its connections speak: {@code codecs} opens each new
 * connection's codec (possibly a {@link FirstByteDetector}); {@code maxClientsReply} is what a
 * connection over maxclients is told before it is closed.
 */
public record Listener(String name, int port, CodecFactory codecs, byte[] maxClientsReply) {
}
