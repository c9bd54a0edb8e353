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

    /**
     * True when this owner is a transaction that already holds the intent locks of its calls'
     * keys (EXEC, a cross-shard multi-key command): their parts skip the shards' lock checks.
     */
    default boolean holdsLocks() {
        return false;
    }
}
