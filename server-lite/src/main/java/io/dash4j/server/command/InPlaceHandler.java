package io.dash4j.server.command;

import io.dash4j.server.Call;

/**
 * The connection-side half of a command framed in place ({@link ArgSlices}): like a
 * {@link Handler}, but reading its arguments from the slices, which are valid only during
 * {@code start}. A command registers one only for a form it handles whole (its
 * {@link CommandSpec#inPlaceArgc()}: GET k, SET k v, INCR k, INCRBY k n ...); every other form
 * takes the copying path and the ordinary handler, which shares the same code.
 */
@FunctionalInterface
public interface InPlaceHandler {
    void start(Call call, ArgSlices args);
}
