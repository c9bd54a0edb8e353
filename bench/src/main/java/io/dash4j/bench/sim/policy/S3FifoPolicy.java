package io.dash4j.bench.sim.policy;

/**
 * S3-FIFO (Yang, Zhang, Qiu, Yue &amp; Rashmi, "FIFO queues are all you need for cache eviction",
 * SOSP 2023), as the authors' artifact runs it (libCacheSim's {@code S3FIFOv0}).
 *
 * <p>Three FIFO queues and a small per-entry counter:
 * <ul>
 *   <li><b>S</b>, the small queue (10 % of the entries): where a key seen for the first time lands.
 *       Most keys are "one-hit wonders"; S lets them leave quickly.</li>
 *   <li><b>M</b>, the main queue (the other 90 %): a FIFO with reinsertion (a CLOCK with a 2-bit
 *       counter). An entry whose counter is above zero at M's tail goes back to M's head with its
 *       counter lowered by one; an entry at zero leaves the cache.</li>
 *   <li><b>G</b>, the ghost queue: a FIFO of the keys that left S unpromoted, as long as 90 % of
 *       the cache. A miss on a key remembered in G skips S and enters M directly.</li>
 * </ul>
 * A hit only increments the entry's counter; nothing moves. When S's tail leaves, it moves to M's
 * head if it was hit at least {@code promoteHits} times while in S (2, libCacheSim's
 * {@code move-to-main-threshold}), else it leaves the cache and enters G. The cache evicts from M
 * while M is over its share (or S is empty), else from S.
 *
 * <p>The counter is unbounded while the entry sits in a queue and capped at 3 when M reinserts it
 * (then decremented to at most 2); an entry moved from S to M starts M at 0. libCacheSim's later
 * {@code S3FIFO} also sends new keys to M while S is full before the first eviction: that scores
 * 40.86 / 55.75 / 65.98 on OLTP at 1000 / 5000 / 15000 instead of the paper version's
 * 40.84 / 55.88 / 66.04.
 */
public final class S3FifoPolicy implements Policy {

    static final int SMALL = 0;
    static final int MAIN = 1;
    static final int GHOST = 2;

    private final int capacity;
    private final int mainTarget;
    private final int ghostLength;
    private final int promoteHits;
    private final NodeLists nodes;
    private final int[] hits;       // per node: hits since it entered its queue (M: the CLOCK counter)

    /** S3-FIFO with the authors' defaults: S 10 %, G 90 %, promotion from S after 2 hits. */
    public S3FifoPolicy(int capacity) {
        this(capacity, 0.10, 0.90, 2);
    }

    /** S3-FIFO with S a {@code smallRatio} share, G {@code ghostRatio} × capacity keys long. */
    public S3FifoPolicy(int capacity, double smallRatio, double ghostRatio, int promoteHits) {
        if (capacity < 1 || smallRatio < 0 || smallRatio >= 1 || ghostRatio < 0 || promoteHits < 1) {
            throw new IllegalArgumentException("capacity " + capacity + ", small " + smallRatio
                    + ", ghost " + ghostRatio + ", promoteHits " + promoteHits);
        }
        this.capacity = capacity;
        this.mainTarget = capacity - (int) (capacity * smallRatio);   // S's share is what M leaves
        this.ghostLength = (int) (capacity * ghostRatio);
        this.promoteHits = promoteHits;
        this.nodes = new NodeLists(3, Math.addExact(capacity, ghostLength) + 1);
        this.hits = new int[nodes.arenaLength()];
    }

    @Override
    public boolean access(long key) {
        int n = nodes.find(key);
        boolean ghost = false;
        if (n != NodeLists.NONE) {
            if (nodes.list(n) != GHOST) {
                if (hits[n] < Integer.MAX_VALUE) {
                    hits[n]++;
                }
                return true;
            }
            nodes.delete(n);   // remembered: forget the ghost, the key goes straight to M
            ghost = true;
        }
        if (occupancy() >= capacity) {
            evict();
        }
        int list;
        if (ghost) {
            list = MAIN;
        } else {
            list = SMALL;
        }
        hits[nodes.addFirst(list, key)] = 0;
        return false;
    }

    private void evict() {
        if (nodes.size(MAIN) > mainTarget || nodes.size(SMALL) == 0) {
            evictMain();
        } else {
            evictSmall();
        }
    }

    /** S's tail moves to M if hit enough, else leaves for G; repeated until one leaves. */
    private void evictSmall() {
        while (nodes.size(SMALL) > 0) {
            int t = nodes.tail(SMALL);
            if (hits[t] >= promoteHits) {
                nodes.moveToFirst(MAIN, t);
                hits[t] = 0;
            } else {
                remember(t);
                return;
            }
        }
        evictMain();   // everything in S was promoted: M is over its share now
    }

    /** M's tail goes round again while its counter is above zero, else leaves the cache. */
    private void evictMain() {
        while (true) {
            int t = nodes.tail(MAIN);
            int f = hits[t];
            if (f >= 1) {
                nodes.moveToFirst(MAIN, t);
                hits[t] = Math.min(f, 3) - 1;
            } else {
                nodes.delete(t);
                return;
            }
        }
    }

    private void remember(int node) {
        if (ghostLength == 0) {
            nodes.delete(node);
            return;
        }
        nodes.moveToFirst(GHOST, node);
        if (nodes.size(GHOST) > ghostLength) {
            nodes.delete(nodes.tail(GHOST));
        }
    }

    @Override
    public long occupancy() {
        return nodes.size(SMALL) + nodes.size(MAIN);
    }

    int size(int list) {
        return nodes.size(list);
    }
}
