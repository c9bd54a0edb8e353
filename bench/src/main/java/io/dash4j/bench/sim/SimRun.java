package io.dash4j.bench.sim;

import io.dash4j.bench.sim.policy.Policy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** One policy at one size, fed one trace: its counters and the time spent inside the policy. */
public final class SimRun {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

    private final String policyName;
    private final int size;
    private final Policy policy;
    private long requests;
    private long hits;
    private long maxOccupancy;
    private long nanos;
    private long cpuNanos;

    public SimRun(String policyName, int size, Policy policy) {
        this.policyName = policyName;
        this.size = size;
        this.policy = policy;
    }

    /** Replays {@code keys[from..to)}. */
    void feed(long[] keys, int from, int to) {
        long cpuStart = cpuTime();
        long start = System.nanoTime();
        Policy p = policy;
        long h = 0;
        long max = maxOccupancy;
        for (int i = from; i < to; i++) {
            if (p.access(keys[i])) {
                h++;
            } else {
                long o = p.occupancy();
                if (o > max) {
                    max = o;
                }
            }
        }
        hits += h;
        requests += to - from;
        maxOccupancy = max;
        nanos += System.nanoTime() - start;
        cpuNanos += cpuTime() - cpuStart;
    }

    void finish() {
        long cpuStart = cpuTime();
        long start = System.nanoTime();
        policy.finish();
        nanos += System.nanoTime() - start;
        cpuNanos += cpuTime() - cpuStart;
    }

    private static long cpuTime() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    public String policyName() {
        return policyName;
    }

    public int size() {
        return size;
    }

    public Policy policy() {
        return policy;
    }

    public long requests() {
        return requests;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return requests - hits;
    }

    /** Hits over requests in percent (0 for an empty trace). */
    public double hitRatioPercent() {
        return requests == 0 ? 0.0 : 100.0 * hits / requests;
    }

    /** Entries resident at the end. */
    public long finalOccupancy() {
        return policy.occupancy();
    }

    /** The most entries seen resident after any miss. */
    public long maxOccupancy() {
        return Math.max(maxOccupancy, policy.occupancy());
    }

    /**
     * What an exact cache of this size holds at the end: every missed key was inserted, so it is
     * full once it has taken in more keys than it holds, and holds every one of them before that.
     */
    public long expectedOccupancy() {
        return Math.min(size, misses());
    }

    /** True when the policy held a different number of entries than an exact cache of its size. */
    public boolean occupancyDiffers() {
        return finalOccupancy() != expectedOccupancy() || maxOccupancy() > size;
    }

    /** Wall-clock time spent inside the policy, in nanoseconds. */
    public long nanos() {
        return nanos;
    }

    /**
     * CPU time of the simulating thread spent inside the policy, in nanoseconds (0 where the JVM
     * cannot measure it): the better measure on a machine shared with other work.
     */
    public long cpuNanos() {
        return cpuNanos;
    }
}
