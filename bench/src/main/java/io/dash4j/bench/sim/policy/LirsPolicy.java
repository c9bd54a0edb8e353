package io.dash4j.bench.sim.policy;

/**
 * LIRS, the Low Inter-reference Recency Set replacement of Jiang &amp; Zhang (SIGMETRICS 2002),
 * with the parameters and bookkeeping of Caffeine's simulator ({@code irr.LirsPolicy}): 99 % of
 * the entries are LIR, 1 % resident HIR, and at most 2 × capacity non-resident HIR keys are
 * remembered.
 *
 * <p>The idea: rank a key by its <i>inter-reference recency</i> (IRR, how many other keys were
 * seen between its last two uses) rather than by its recency. Keys with a low IRR (LIR) hold almost
 * the whole cache; the others (HIR) share a tiny resident queue Q, and the victim is always Q's
 * oldest. Two structures:
 * <ul>
 *   <li><b>stack S</b>, an LRU stack of LIR keys, resident HIR keys and non-resident HIR keys
 *       (ghosts), cut ("pruned") so that its bottom is always the LIR key of largest recency. A
 *       HIR key hit while still in S has an IRR below that LIR key's recency: it becomes LIR, and
 *       the bottom LIR key becomes HIR (into Q).</li>
 *   <li><b>queue Q</b> of the resident HIR keys (eviction order), and <b>NR</b>, a FIFO of the
 *       ghosts in S, which bounds how many are remembered (Caffeine's addition; the paper leaves
 *       S unbounded).</li>
 * </ul>
 * Caffeine's details, kept so the numbers are comparable: until the LIR set is full every miss is
 * LIR, then until the cache is full every miss is resident HIR; a hit on the HIR key already on
 * top of S leaves it HIR. (Caffeine's simulator once left those warm-up HIR keys off S: P3 at
 * 131072 then scores 51.17 instead of 51.20.)
 *
 * <p>Nodes live in primitive arrays (S links, Q/NR links, status); node 0 is S's sentinel, 1 Q's,
 * 2 NR's.
 */
public final class LirsPolicy implements Policy {

    static final byte LIR = 0;
    static final byte HIR = 1;          // resident HIR, in Q
    static final byte NON_RESIDENT = 2; // a ghost: in S and in NR

    private static final int S = 0;
    private static final int Q = 1;
    private static final int NR = 2;
    private static final int FIRST_NODE = 3;
    private static final int NONE = -1;

    private final int capacity;
    private final int maxLir;
    private final int maxNonResident;
    private final LongIntMap index;
    private final long[] keys;
    private final byte[] status;
    private final int[] sPrev;
    private final int[] sNext;
    private final boolean[] inS;
    private final int[] qPrev;           // Q and NR share these links: a node is on at most one
    private final int[] qNext;
    private final byte[] queueOf;        // Q, NR, or -1
    private int freeHead;
    private int lirCount;
    private int resident;
    private int nonResidentCount;
    private int qCount;

    /** LIRS with Caffeine's defaults: 1 % HIR, 2 × capacity non-resident keys. */
    public LirsPolicy(int capacity) {
        this(capacity, 0.01, 2.0);
    }

    public LirsPolicy(int capacity, double hirShare, double nonResidentMultiplier) {
        if (capacity < 2 || hirShare <= 0 || hirShare >= 1 || nonResidentMultiplier < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " (at least 2), HIR share "
                    + hirShare + ", non-resident multiplier " + nonResidentMultiplier);
        }
        this.capacity = capacity;
        this.maxLir = (int) (capacity * (1.0 - hirShare));
        this.maxNonResident = (int) (capacity * nonResidentMultiplier);
        int total = Math.addExact(FIRST_NODE, Math.addExact(capacity, maxNonResident) + 1);
        index = new LongIntMap(total);
        keys = new long[total];
        status = new byte[total];
        sPrev = new int[total];
        sNext = new int[total];
        inS = new boolean[total];
        qPrev = new int[total];
        qNext = new int[total];
        queueOf = new byte[total];
        for (int s = 0; s < FIRST_NODE; s++) {
            sPrev[s] = sNext[s] = s;
            qPrev[s] = qNext[s] = s;
        }
        for (int n = FIRST_NODE; n < total; n++) {
            qNext[n] = n + 1 < total ? n + 1 : NONE;
            queueOf[n] = -1;
        }
        freeHead = FIRST_NODE;
    }

    @Override
    public boolean access(long key) {
        int n = index.get(key);
        if (n == LongIntMap.ABSENT) {
            onMiss(allocate(key));
            return false;
        }
        switch (status[n]) {
            case LIR -> {
                boolean wasBottom = sPrev[S] == n;
                sToTop(n);
                if (wasBottom) {
                    prune();
                }
                return true;
            }
            case HIR -> {
                boolean wasInS = inS[n];
                boolean wasTop = sNext[S] == n;
                sToTop(n);
                if (wasInS && !wasTop) {
                    status[n] = LIR;   // its IRR beat the bottom LIR key's recency: swap roles
                    lirCount++;
                    qRemove(n);
                    demoteBottom();
                    prune();
                } else {
                    qToTop(Q, n);
                }
                return true;
            }
            default -> {
                qRemove(n);   // a remembered ghost: off NR, then a miss
                onMiss(n);
                return false;
            }
        }
    }

    private void onMiss(int n) {
        if (lirCount < maxLir) {
            sToTop(n);                 // warming up: the LIR set fills first
            status[n] = LIR;
            lirCount++;
        } else if (resident < capacity) {
            status[n] = HIR;           // then the HIR share
            sToTop(n);
            qToTop(Q, n);
        } else {
            status[n] = HIR;
            evict();
            boolean wasInS = inS[n];
            sToTop(n);
            if (wasInS) {
                status[n] = LIR;       // a ghost still in S: its IRR is low
                lirCount++;
                demoteBottom();
                prune();
            } else {
                qToTop(Q, n);
            }
        }
        resident++;
    }

    /** The LIR key at S's bottom becomes resident HIR (top of Q) and leaves S. */
    private void demoteBottom() {
        int bottom = sPrev[S];
        status[bottom] = HIR;
        sRemove(bottom);
        qToTop(Q, bottom);
        lirCount--;
    }

    /** Q's oldest leaves the cache; it stays remembered (on NR) while it is on S. */
    private void evict() {
        resident--;
        int victim = qPrev[Q];
        qRemove(victim);
        status[victim] = NON_RESIDENT;
        if (inS[victim]) {
            qToTop(NR, victim);
        } else {
            free(victim);
        }
        prune();
    }

    /** Cuts S down to an LIR bottom, then trims NR to its bound. */
    private void prune() {
        while (true) {
            int bottom = sPrev[S];
            if (bottom == S || status[bottom] == LIR) {
                break;
            }
            sRemove(bottom);
            if (status[bottom] == NON_RESIDENT) {
                qRemove(bottom);
                free(bottom);
            }
        }
        while (nonResidentCount > maxNonResident) {
            int oldest = qPrev[NR];
            qRemove(oldest);
            sRemove(oldest);
            free(oldest);
        }
    }

    private int allocate(long key) {
        int n = freeHead;
        freeHead = qNext[n];
        keys[n] = key;
        index.put(key, n);
        queueOf[n] = -1;
        inS[n] = false;
        return n;
    }

    private void free(int n) {
        index.remove(keys[n]);
        qNext[n] = freeHead;
        freeHead = n;
    }

    private void sToTop(int n) {
        if (inS[n]) {
            sRemove(n);
        }
        int first = sNext[S];
        sPrev[n] = S;
        sNext[n] = first;
        sPrev[first] = n;
        sNext[S] = n;
        inS[n] = true;
    }

    private void sRemove(int n) {
        sNext[sPrev[n]] = sNext[n];
        sPrev[sNext[n]] = sPrev[n];
        inS[n] = false;
    }

    private void qToTop(int queue, int n) {
        if (queueOf[n] >= 0) {
            qRemove(n);
        }
        int first = qNext[queue];
        qPrev[n] = queue;
        qNext[n] = first;
        qPrev[first] = n;
        qNext[queue] = n;
        queueOf[n] = (byte) queue;
        if (queue == NR) {
            nonResidentCount++;
        } else {
            qCount++;
        }
    }

    private void qRemove(int n) {
        qNext[qPrev[n]] = qNext[n];
        qPrev[qNext[n]] = qPrev[n];
        if (queueOf[n] == NR) {
            nonResidentCount--;
        } else {
            qCount--;
        }
        queueOf[n] = -1;
    }

    @Override
    public long occupancy() {
        return resident;
    }

    int lirCount() {
        return lirCount;
    }

    int hirResidentCount() {
        return qCount;
    }

    int nonResidentCount() {
        return nonResidentCount;
    }
}
