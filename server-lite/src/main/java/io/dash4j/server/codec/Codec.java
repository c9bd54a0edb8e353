package io.dash4j.server.codec;

import io.dash4j.server.Call;
import io.dash4j.server.Connection;
import io.dash4j.server.OutBuf;

/**
 * A wire protocol on one connection: it frames commands out of the connection's
 * {@link InputBuffer}, maps each onto the command layer (a table command for RESP, typed
 * operations for memcached) through {@link Connection#dispatch}, and encodes each finished call's
 * typed result when its turn comes. The connection does everything else: reply order, pipelining
 * limits, client memory, socket I/O, half-close.
 *
 * <p>A codec holds per-connection parser state, so each connection gets its own instance from the
 * listener's {@link CodecFactory}.
 */
public abstract class Codec {

    protected final Connection conn;

    protected Codec(Connection conn) {
        this.conn = conn;
    }

    /** The protocol's name (CLIENT LIST's {@code protocol=}). */
    public abstract String name();

    /**
     * Frames and starts at most one command from {@code conn.input()}; returns false when more
     * bytes are needed. Framing errors call {@link #protocolError}.
     */
    public abstract boolean parseOne();

    /** Writes the reply of a finished call ({@link Call#result}, {@link Call#render}) to {@code out}. */
    public abstract void encode(Call call, OutBuf out);

    /**
     * This protocol's stateless reply encoding, or null (the default) when encoding a reply reads
     * the connection's state: then only the connection's own thread encodes its replies.
     */
    public ReplyEncoding replyEncoding() {
        return null;
    }

    /** Answers a framing error in this protocol, drops the input, and closes after the replies. */
    public abstract void protocolError(String message);

    /** Longest the input buffer may grow while one frame is incomplete. */
    public int maxBuffered() {
        return conn.config().maxInlineLen + 1024;
    }
}
