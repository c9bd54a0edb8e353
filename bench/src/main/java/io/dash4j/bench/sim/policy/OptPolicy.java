package io.dash4j.bench.sim.policy;

import java.util.Arrays;

/**
 * Belady's optimal replacement (MIN) under demand paging: every missed key is inserted, and when
 * the cache is full the victim is the resident key whose next request is furthest in the future
 * (keys never requested again go first). Offline: it replays the trace with its {@link NextUse}.
 *
 * <p>A resident key is represented by the position of its next request, which is unique, so the
 * cache is a max-heap of positions with an index position → heap slot, and the request at
 * position {@code t} is a hit exactly when some resident entry waits for {@code t}. Resident keys
 * with no future request are only counted.
 */
public final class OptPolicy implements OfflinePolicy {

    private final int capacity;
    private int[] next;
    private int length;
    private int[] heap;        // positions of the next requests of resident keys, max-heap
    private int heapSize;
    private int[] slot;        // slot[t] = index in heap of the resident entry waiting for t, or -1
    private long dead;         // resident keys that are never requested again
    private int now;

    public OptPolicy(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void prepare(NextUse future) {
        next = future.array();
        length = future.length();
        heap = new int[Math.min(capacity, Math.max(1, length)) + 1];
        slot = new int[length];
        Arrays.fill(slot, -1);
        heapSize = 0;
        dead = 0;
        now = 0;
    }

    @Override
    public boolean access(long key) {
        if (next == null) {
            throw new IllegalStateException("OPT needs prepare(NextUse) before the first request");
        }
        if (now >= length) {
            throw new IllegalStateException("more requests than the prepared trace holds");
        }
        int t = now++;
        int nt = next[t];
        int h = slot[t];
        if (h >= 0) {
            slot[t] = -1;
            if (nt == NextUse.NEVER) {
                removeAt(h);
                dead++;
            } else {
                heap[h] = nt;       // a later position: the priority only grows
                slot[nt] = h;
                siftUp(h);
            }
            return true;
        }
        if (heapSize + dead >= capacity) {
            if (dead > 0) {
                dead--;
            } else {
                slot[heap[0]] = -1;
                removeAt(0);
            }
        }
        if (nt == NextUse.NEVER) {
            dead++;
        } else {
            int i = heapSize++;
            heap[i] = nt;
            slot[nt] = i;
            siftUp(i);
        }
        return false;
    }

    private void removeAt(int i) {
        int last = --heapSize;
        if (i != last) {
            int moved = heap[last];
            heap[i] = moved;
            slot[moved] = i;
            siftDown(i);
            siftUp(i);
        }
    }

    private void siftUp(int i) {
        int[] hp = heap;
        int v = hp[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int pv = hp[parent];
            if (pv >= v) {
                break;
            }
            hp[i] = pv;
            slot[pv] = i;
            i = parent;
        }
        hp[i] = v;
        slot[v] = i;
    }

    private void siftDown(int i) {
        int[] hp = heap;
        int n = heapSize;
        int v = hp[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && hp[child + 1] > hp[child]) {
                child++;
            }
            int cv = hp[child];
            if (cv <= v) {
                break;
            }
            hp[i] = cv;
            slot[cv] = i;
            i = child;
        }
        hp[i] = v;
        slot[v] = i;
    }

    @Override
    public long occupancy() {
        return heapSize + dead;
    }
}
