package io.dash4j.bench.sim.policy;

/**
 * One cache replacement policy driven by the simulator, one request at a time. A request whose
 * key is cached is a hit; otherwise it is a miss and the key is then inserted (evicting as the
 * policy decides). Keys are {@code long}s; implementations are single-threaded.
 */
public interface Policy {

    /** Records one request for {@code key}; returns true when it was a hit. */
    boolean access(long key);

    /** Entries resident now (ghost entries of ARC / 2Q not included). */
    long occupancy();

    /** Called once after the last request (e.g. to let an asynchronous cache settle). */
    default void finish() {
    }
}
