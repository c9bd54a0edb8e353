package io.dash4j.server.command;

import io.dash4j.server.Call;

/**
 * The connection-side half of a command: checks and parses {@code call.argv} on the connection's
 * thread (throwing {@link CommandException} for bad arguments, answered without touching a shard),
 * then either finishes the call or starts its shard work ({@link Call#onKey}, {@link Call#onKeys},
 * {@link Call#onAllShards}). It never writes protocol bytes: results are typed values
 * ({@link Replies}) that the connection's codec encodes.
 */
@FunctionalInterface
public interface Handler {
    void start(Call call);
}
