package io.dash4j.server;

/**
 * Who hears that a {@link Call} is done: the client connection that sent it (which then writes
 * replies in request order), or a coordinator that gathers the results of several calls (EXEC).
 * Completion always runs on {@link #home()}'s thread.
 */
public interface CallOwner {

    /** The shard whose thread started the call and runs its completion. */
    Shard home();

    /** Every part of {@code call} is back and its {@link Call#result} is final. */
    void callDone(Call call);
}
