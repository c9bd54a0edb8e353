package io.dash4j.bench.sim.policy;

/** Exact LRU over {@code long} keys: the reference every other LRU is compared with. */
public final class LruPolicy implements Policy {

    private static final int LIST = 0;

    private final int capacity;
    private final NodeLists nodes;

    public LruPolicy(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.nodes = new NodeLists(1, capacity);
    }

    @Override
    public boolean access(long key) {
        int n = nodes.find(key);
        if (n != NodeLists.NONE) {
            nodes.moveToFirst(LIST, n);
            return true;
        }
        if (nodes.total() >= capacity) {
            nodes.delete(nodes.tail(LIST));
        }
        nodes.addFirst(LIST, key);
        return false;
    }

    @Override
    public long occupancy() {
        return nodes.total();
    }
}
