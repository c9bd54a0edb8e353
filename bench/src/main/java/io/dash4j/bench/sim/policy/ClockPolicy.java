package io.dash4j.bench.sim.policy;

/**
 * CLOCK (Corbató, 1968), the second-chance FIFO, as libCacheSim's {@code Clock} runs it with its
 * default 1-bit counter: one FIFO queue, a "referenced" bit per entry. A new key enters at the
 * head, unreferenced; a hit only sets the bit. To evict, look at the tail: a referenced entry
 * loses its bit and goes back to the head (the hand moves past it), an unreferenced one leaves.
 * Against SIEVE, the survivor's move to the head is the one difference.
 */
public final class ClockPolicy implements Policy {

    private static final int QUEUE = 0;

    private final int capacity;
    private final NodeLists nodes;
    private final boolean[] referenced;

    public ClockPolicy(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.nodes = new NodeLists(1, capacity);
        this.referenced = new boolean[nodes.arenaLength()];
    }

    @Override
    public boolean access(long key) {
        int n = nodes.find(key);
        if (n != NodeLists.NONE) {
            referenced[n] = true;
            return true;
        }
        if (nodes.total() >= capacity) {
            evict();
        }
        referenced[nodes.addFirst(QUEUE, key)] = false;
        return false;
    }

    private void evict() {
        while (true) {
            int t = nodes.tail(QUEUE);
            if (!referenced[t]) {
                nodes.delete(t);
                return;
            }
            referenced[t] = false;
            nodes.moveToFirst(QUEUE, t);
        }
    }

    @Override
    public long occupancy() {
        return nodes.total();
    }
}
