package io.dash4j.bench.sim.policy;

/**
 * The full 2Q of Johnson &amp; Shasha ("2Q: A Low Overhead High Performance Buffer Management
 * Replacement Algorithm", VLDB 1994): a FIFO A1in of first-time keys (target Kin = 25% of the
 * slots), a ghost FIFO A1out remembering keys evicted from A1in (Kout = 50% of the slots), and an
 * LRU Am of keys seen again while remembered in A1out. A hit in A1in does not reorder it.
 */
public final class TwoQueuePolicy implements Policy {

    static final int A1IN = 0;
    static final int AM = 1;
    static final int A1OUT = 2;

    private final int capacity;
    private final int kin;
    private final int kout;
    private final NodeLists nodes;

    public TwoQueuePolicy(int capacity) {
        this(capacity, capacity / 4, capacity / 2);
    }

    /** A 2Q with explicit Kin (A1in target) and Kout (A1out length). */
    public TwoQueuePolicy(int capacity, int kin, int kout) {
        if (capacity < 1 || kin < 0 || kout < 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", kin " + kin + ", kout " + kout);
        }
        this.capacity = capacity;
        this.kin = kin;
        this.kout = kout;
        this.nodes = new NodeLists(3, Math.addExact(capacity, kout) + 1);
    }

    @Override
    public boolean access(long key) {
        int n = nodes.find(key);
        if (n != NodeLists.NONE) {
            switch (nodes.list(n)) {
                case AM -> {
                    nodes.moveToFirst(AM, n);
                    return true;
                }
                case A1IN -> {
                    return true;   // correlated reference: leave it where it is
                }
                default -> {
                    // Remembered in A1out: a miss, promoted to Am. Forget the ghost first so that
                    // reclaiming space cannot push this very key off A1out's tail.
                    nodes.delete(n);
                    reclaim();
                    nodes.addFirst(AM, key);
                    return false;
                }
            }
        }
        reclaim();
        nodes.addFirst(A1IN, key);
        return false;
    }

    /** Frees one slot when the cache is full ("reclaimfor" in the paper). */
    private void reclaim() {
        int resident = nodes.size(A1IN) + nodes.size(AM);
        if (resident < capacity) {
            return;
        }
        if (nodes.size(A1IN) > kin || nodes.size(AM) == 0) {
            int y = nodes.tail(A1IN);
            if (kout > 0) {
                nodes.moveToFirst(A1OUT, y);
                if (nodes.size(A1OUT) > kout) {
                    nodes.delete(nodes.tail(A1OUT));
                }
            } else {
                nodes.delete(y);
            }
        } else {
            nodes.delete(nodes.tail(AM));
        }
    }

    @Override
    public long occupancy() {
        return nodes.size(A1IN) + nodes.size(AM);
    }

    int size(int list) {
        return nodes.size(list);
    }
}
