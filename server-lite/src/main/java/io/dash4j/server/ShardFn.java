package io.dash4j.server;

/** A piece of a command that runs on the shard owning its keys; returns the part's result. */
@FunctionalInterface
public interface ShardFn {
    Object run(Shard shard, Call call, int part);
}
