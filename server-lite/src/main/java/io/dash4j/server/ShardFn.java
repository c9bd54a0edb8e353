package io.dash4j.server;

/**
 * The shard-side work of a command: runs on the shard that owns its keys, reads the call's parsed
 * arguments ({@link Call#argv}, {@link Call#opts}, {@link Call#keys}), works on
 * {@code shard.store}, and returns a typed result (or throws
 * {@link io.dash4j.server.command.CommandException}). It must not touch the client connection.
 */
@FunctionalInterface
public interface ShardFn {
    Object run(Shard shard, Call call, int part);
}
