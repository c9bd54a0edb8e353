package io.dash4j.bench.sim.policy;

/**
 * A fixed arena of nodes, each holding a {@code long} key, threaded on one of a few circular
 * doubly-linked lists, plus a key → node index. Nodes {@code 0..lists-1} are the lists' sentinels:
 * {@code next[sentinel]} is the head (MRU end), {@code prev[sentinel]} the tail (LRU / FIFO end).
 * Free nodes are chained through {@code next}. Everything is primitive arrays, so the reference
 * policies run without allocating per request.
 */
final class NodeLists {

    static final int NONE = -1;

    private final int lists;
    private final long[] keys;
    private final int[] prev;
    private final int[] next;
    private final byte[] listOf;
    private final int[] sizes;
    private final LongIntMap index;
    private int freeHead;

    /** An arena for at most {@code nodes} keys spread over {@code lists} lists. */
    NodeLists(int lists, int nodes) {
        if (lists < 1 || lists > 127) {
            throw new IllegalArgumentException("lists " + lists);
        }
        this.lists = lists;
        int total = Math.addExact(lists, nodes);
        keys = new long[total];
        prev = new int[total];
        next = new int[total];
        listOf = new byte[total];
        sizes = new int[lists];
        index = new LongIntMap(nodes);
        for (int s = 0; s < lists; s++) {
            prev[s] = s;
            next[s] = s;
            listOf[s] = (byte) s;
        }
        for (int n = lists; n < total; n++) {
            next[n] = n + 1 < total ? n + 1 : NONE;
            listOf[n] = -1;
        }
        freeHead = nodes > 0 ? lists : NONE;
    }

    /** The node holding {@code key}, or {@link #NONE}. */
    int find(long key) {
        return index.get(key);
    }

    long key(int node) {
        return keys[node];
    }

    /** The list {@code node} is on. */
    int list(int node) {
        return listOf[node];
    }

    int size(int list) {
        return sizes[list];
    }

    /** The number of keys held on all lists. */
    int total() {
        return index.size();
    }

    /** The tail (least recently added / used) node of {@code list}, or {@link #NONE}. */
    int tail(int list) {
        int t = prev[list];
        return t == list ? NONE : t;
    }

    /**
     * The node one step nearer the head of its list than {@code node}, or {@link #NONE} when
     * {@code node} is the head: the direction a CLOCK or SIEVE hand travels from the tail.
     */
    int newer(int node) {
        int p = prev[node];
        return p < lists ? NONE : p;
    }

    /** One more than the largest node number: the length of a per-node side array. */
    int arenaLength() {
        return keys.length;
    }

    /** A new node for {@code key} (which must be absent) at the head of {@code list}. */
    int addFirst(int list, long key) {
        int n = freeHead;
        if (n == NONE) {
            throw new IllegalStateException("arena full");
        }
        freeHead = next[n];
        keys[n] = key;
        index.put(key, n);
        link(list, n);
        return n;
    }

    /** Moves {@code node} to the head of {@code list} (which may be its own list). */
    void moveToFirst(int list, int node) {
        unlink(node);
        link(list, node);
    }

    /** Removes {@code node} from its list and the index and frees it; returns its key. */
    long delete(int node) {
        unlink(node);
        long key = keys[node];
        index.remove(key);
        listOf[node] = -1;
        next[node] = freeHead;
        freeHead = node;
        return key;
    }

    private void link(int list, int n) {
        int first = next[list];
        prev[n] = list;
        next[n] = first;
        prev[first] = n;
        next[list] = n;
        listOf[n] = (byte) list;
        sizes[list]++;
    }

    private void unlink(int n) {
        int p = prev[n];
        int q = next[n];
        next[p] = q;
        prev[q] = p;
        sizes[listOf[n]]--;
    }

    int lists() {
        return lists;
    }
}
