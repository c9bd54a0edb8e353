package io.dash4j.bench.sim.policy;

/**
 * SIEVE (Zhang, Yang, Yue, Vigfusson &amp; Rashmi, "SIEVE is Simpler than LRU: an Efficient
 * Turn-Key Eviction Algorithm for Web Caches", NSDI 2024).
 *
 * <p>One FIFO queue, a "visited" bit per entry and a hand. A new key enters at the head,
 * unvisited; a hit only sets the bit. To evict, the hand walks from where it stopped last (the
 * tail, the first time) toward the head, clearing visited bits, and evicts the first unvisited
 * entry; it stays there (one step nearer the head) for the next eviction and wraps to the tail
 * when it passes the head. Unlike CLOCK, a survivor is not moved to the head: the entries the hand
 * has passed keep their place, so new keys behind the hand are examined sooner than old survivors
 * ("lazy promotion, quick demotion").
 */
public final class SievePolicy implements Policy {

    private static final int QUEUE = 0;

    private final int capacity;
    private final NodeLists nodes;
    private final boolean[] visited;
    private int hand = NodeLists.NONE;   // the next node to examine; NONE: start at the tail

    public SievePolicy(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.nodes = new NodeLists(1, capacity);
        this.visited = new boolean[nodes.arenaLength()];
    }

    @Override
    public boolean access(long key) {
        int n = nodes.find(key);
        if (n != NodeLists.NONE) {
            visited[n] = true;
            return true;
        }
        if (nodes.total() >= capacity) {
            evict();
        }
        visited[nodes.addFirst(QUEUE, key)] = false;
        return false;
    }

    private void evict() {
        int h = hand == NodeLists.NONE ? nodes.tail(QUEUE) : hand;
        while (visited[h]) {
            visited[h] = false;
            h = nodes.newer(h);
            if (h == NodeLists.NONE) {
                h = nodes.tail(QUEUE);
            }
        }
        hand = nodes.newer(h);
        nodes.delete(h);
    }

    @Override
    public long occupancy() {
        return nodes.total();
    }
}
