package io.dash4j.bench.sim.policy;

/**
 * A policy that needs to see the future: the simulator holds the whole trace in memory, computes
 * its {@link NextUse} index once, and calls {@link #prepare} before replaying the trace in order.
 */
public interface OfflinePolicy extends Policy {

    /** Called once, before the first {@link #access}, with the index of the trace about to be replayed. */
    void prepare(NextUse future);
}
