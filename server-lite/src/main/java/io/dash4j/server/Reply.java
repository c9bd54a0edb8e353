package io.dash4j.server;

/** Encodes a finished call's reply, on the connection's thread, when its turn comes. */
@FunctionalInterface
public interface Reply {
    void write(Call call, OutBuf out);
}
