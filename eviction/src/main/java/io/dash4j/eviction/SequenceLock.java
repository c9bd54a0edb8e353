package io.dash4j.eviction;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One partition's lock: a sequence lock (a "seqlock", as in the Linux kernel) on one padded
 * version word. An even version means unlocked, an odd one that a writer is inside.
 *
 * <ul>
 *   <li><b>Readers write nothing</b>: {@link #startRead()} reads the version, the reader reads the
 *       data with plain loads, and {@link #validate(long)} checks that the version did not move.
 *       If it moved, a writer may have changed the data under the reader, whose result (or
 *       exception) is thrown away and the read is retried.</li>
 *   <li>Writers are exclusive: {@link #lock()} moves the version from even to odd with one CAS,
 *       {@link #unlock()} to the next even value. Critical sections are short (one cache
 *       operation), so a contended writer spins, then yields, then parks for a microsecond at a
 *       time; it never queues, so locking allocates nothing.</li>
 * </ul>
 * The version sits alone on its cache lines ({@link PaddedLeft} before it, padding after), so
 * nothing else written by other threads invalidates the readers' copy of it. The ordering is
 * StampedLock's: a volatile read to start, a load fence and a re-read to validate.
 */
final class SequenceLock extends PaddedLeft {

    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(SequenceLock.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Spins before a waiting writer starts to yield, and yields before it parks. */
    private static final int SPINS = 64;
    private static final int YIELDS = 16;

    private volatile long version;
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;

    /** The version for an optimistic read; odd means a writer is inside (retry later). */
    long startRead() {
        return version;
    }

    static boolean isWriting(long version) {
        return (version & 1) != 0;
    }

    /** True when no writer entered since {@code startRead} returned {@code version} (which was even). */
    boolean validate(long version) {
        VarHandle.acquireFence();
        return this.version == version;
    }

    /** Takes the lock if it is free now. */
    boolean tryLock() {
        long v = version;
        return (v & 1) == 0 && VERSION.compareAndSet(this, v, v + 1);
    }

    /** Takes the lock, waiting as long as it takes. */
    void lock() {
        for (int round = 0; !tryLock(); round++) {
            if (round < SPINS) {
                Thread.onSpinWait();
            } else if (round < SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(1_000);
            }
        }
    }

    /** Releases the lock: every write made under it is visible before the new version. */
    void unlock() {
        VERSION.setRelease(this, version + 1);
    }

    boolean isLocked() {
        return isWriting(version);
    }
}
