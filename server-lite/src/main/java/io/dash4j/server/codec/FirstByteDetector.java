package io.dash4j.server.codec;

import io.dash4j.server.Call;
import io.dash4j.server.Connection;
import io.dash4j.server.OutBuf;

/**
 * Picks a connection's protocol from the first byte it sends, as memcached does on one port
 * (binary frames start with magic 0x80, text commands with a letter). Until that byte arrives the
 * connection has a placeholder codec; then the chosen codec replaces it and parses from the start.
 * With no alternative registered, {@link #open} returns the default codec directly (no cost).
 */
public final class FirstByteDetector implements CodecFactory {

    private final CodecFactory fallback;
    private final CodecFactory[] byFirstByte = new CodecFactory[256];
    private boolean any;

    public FirstByteDetector(CodecFactory fallback) {
        this.fallback = fallback;
    }

    /** Connections whose first byte is {@code firstByte} get {@code factory}'s codec (null: ignored). */
    public FirstByteDetector on(int firstByte, CodecFactory factory) {
        if (factory != null) {
            byFirstByte[firstByte & 0xFF] = factory;
            any = true;
        }
        return this;
    }

    @Override
    public Codec open(Connection conn) {
        return any ? new Undecided(conn) : fallback.open(conn);
    }

    /** The codec of a connection that has not sent a byte yet. */
    private final class Undecided extends Codec {

        Undecided(Connection conn) {
            super(conn);
        }

        @Override
        public String name() {
            return "undecided";
        }

        @Override
        public boolean parseOne() {
            InputBuffer in = conn.input();
            CodecFactory f = byFirstByte[in.bytes[in.rpos] & 0xFF];
            conn.switchCodec((f != null ? f : fallback).open(conn));
            return true; // the chosen codec parses the same bytes next
        }

        @Override
        public void encode(Call call, OutBuf out) {
            throw new IllegalStateException("no command can finish before the protocol is known");
        }

        @Override
        public void protocolError(String message) {
            Codec c = fallback.open(conn);
            conn.switchCodec(c);
            c.protocolError(message);
        }
    }
}
