package io.dash4j.bench.sim.policy;

/**
 * For each position {@code t} of a trace, the position of the next request for the same key, or
 * {@link #NEVER}. Built with one backward pass over the trace held in a {@code long[]}.
 */
public final class NextUse {

    public static final int NEVER = -1;

    private final int[] next;
    private final int length;
    private final int distinctKeys;

    private NextUse(int[] next, int length, int distinctKeys) {
        this.next = next;
        this.length = length;
        this.distinctKeys = distinctKeys;
    }

    /** Indexes the first {@code length} keys of {@code trace}. */
    public static NextUse of(long[] trace, int length) {
        int[] next = new int[length];
        LongIntMap seen = new LongIntMap(1 << 16);
        for (int t = length - 1; t >= 0; t--) {
            int later = seen.put(trace[t], t);
            next[t] = later;   // LongIntMap.ABSENT == NEVER == -1
        }
        return new NextUse(next, length, seen.size());
    }

    /** The position of the next request for the key requested at {@code t}, or {@link #NEVER}. */
    public int next(int t) {
        return next[t];
    }

    public int length() {
        return length;
    }

    /** The number of distinct keys in the trace. */
    public int distinctKeys() {
        return distinctKeys;
    }

    int[] array() {
        return next;
    }
}
