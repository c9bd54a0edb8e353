package io.dash4j.eviction;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One partition's record of hits whose bump (slot-order promotion) is still to be applied: the
 * idea of Caffeine's striped read buffer, written for this cache. A reader must not take the
 * partition's lock to bump, since every write of the lock fails every optimistic reader of the
 * partition; it appends {@code (stored key, position)} to a small ring and moves on. Whoever next
 * holds the lock drains and applies the bumps, many per lock hold: a writer drains every ring,
 * a reader whose ring filled and who won {@code tryLock} drains its own.
 *
 * <pre>
 *   stripe = thread id &amp; (stripes - 1)
 *   stripe 0: [k,pos][k,pos][    ][    ] ... 16 slots   head ... tail
 *   stripe 1: [k,pos][    ][    ][    ] ...
 *   offer:  tail - head == 16 (full) or CAS on tail lost -> the bump is dropped (lossy)
 *   drain:  under the partition's lock, head .. tail in order; an unpublished slot ends the drain
 * </pre>
 *
 * <p><b>Lossy, by design</b>: a bump is dropped when its ring is full and the lock is busy, or
 * when two threads sharing a stripe race for the same slot. A dropped bump only slows an entry's
 * climb in its bucket. Each stripe is a multi-producer ring whose single consumer is the lock
 * holder; its head and tail sit on their own cache lines, and with a stripe per thread a
 * producer's CAS is on a line only its core holds.
 */
final class ReadBuffer<K> {

    /** Slots per stripe (a power of two). */
    static final int SLOTS = 16;
    private static final int MASK = SLOTS - 1;

    /** {@link #offer} results. */
    static final int RECORDED = 0;
    static final int RECORDED_NOW_FULL = 1;
    static final int DROPPED = 2;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    /** What a drain hands each recorded hit to: applies the bump under the partition's lock. */
    interface Visitor<K> {
        void visit(K storedKey, long position);
    }

    private final Stripe[] stripes;
    private final int mask;

    ReadBuffer(int stripeCount) {
        if (Integer.bitCount(stripeCount) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two: " + stripeCount);
        }
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new Stripe();
        }
        this.mask = stripeCount - 1;
    }

    /**
     * Records a hit of the entry whose key instance is {@code storedKey}, read at {@code position},
     * in the calling thread's stripe. Never blocks, never allocates.
     */
    int offer(K storedKey, long position) {
        Stripe s = stripes[Stripes.current(mask)];
        long tail = s.tail;
        long head = s.head;
        if (tail - head >= SLOTS || !Stripe.TAIL.compareAndSet(s, tail, tail + 1)) {
            return DROPPED;
        }
        int i = (int) tail & MASK;
        s.positions[i] = position;
        SLOT.setRelease(s.keys, i, storedKey); // publishes the position with it
        return tail + 1 - head >= SLOTS ? RECORDED_NOW_FULL : RECORDED;
    }

    /** True when some stripe may hold a recorded hit (a cheap check before draining). */
    boolean mayHoldHits() {
        for (Stripe s : stripes) {
            if (s.tail != s.head) {
                return true;
            }
        }
        return false;
    }

    /**
     * Hands every published hit of every stripe to {@code visitor}, oldest first per stripe, and
     * frees the slots. The caller holds the partition's lock: it is the only consumer. Writers
     * drain this way.
     */
    void drain(Visitor<K> visitor) {
        for (Stripe s : stripes) {
            drain(s, visitor);
        }
    }

    /**
     * Drains only the calling thread's stripe (lock held): what a reader does when its ring
     * filled. Its ring and the buckets it read are in its own core's cache; another thread's
     * ring is left to that thread or to the next writer, so a reader's drain moves no other
     * thread's cache lines.
     */
    void drainOwn(Visitor<K> visitor) {
        drain(stripes[Stripes.current(mask)], visitor);
    }

    @SuppressWarnings("unchecked")
    private void drain(Stripe s, Visitor<K> visitor) {
        long head = s.head;
        long tail = s.tail;
        if (head == tail) {
            return;
        }
        for (; head != tail; head++) {
            int i = (int) head & MASK;
            Object key = SLOT.getAcquire(s.keys, i);
            if (key == null) {
                break; // reserved but not yet written: the next drain takes it
            }
            long position = s.positions[i];
            s.keys[i] = null;
            visitor.visit((K) key, position);
        }
        Stripe.HEAD.setRelease(s, head);
    }

    /** Forgets every recorded hit (the caller holds the lock), e.g. when the partition is cleared. */
    void clear() {
        drain((key, position) -> { });
    }

    /** One ring; head and tail on their own lines, the arrays after the padding. */
    private static final class Stripe extends PaddedLeft {
        static final VarHandle HEAD;
        static final VarHandle TAIL;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                HEAD = l.findVarHandle(Stripe.class, "head", long.class);
                TAIL = l.findVarHandle(Stripe.class, "tail", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Next slot to drain; written only by the lock holder. */
        volatile long head;
        /** Next slot to fill; producers reserve it with a CAS. */
        volatile long tail;
        long q00, q01, q02, q03, q04, q05, q06, q07;
        long q08, q09, q10, q11, q12, q13, q14, q15;
        final Object[] keys = new Object[SLOTS];
        final long[] positions = new long[SLOTS];
    }
}
