package io.dash4j.eviction;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of ConcurrentDashCache's read path: the sequence lock, the read buffer, the striped counters. */
class ReadPathPartsTest {

    @Test
    void aWriterInvalidatesEveryOptimisticReadThatOverlapsIt() {
        SequenceLock lock = new SequenceLock();
        long v = lock.startRead();
        assertFalse(SequenceLock.isWriting(v));
        assertTrue(lock.validate(v), "nothing happened");
        assertTrue(lock.tryLock());
        assertTrue(lock.isLocked());
        assertFalse(lock.tryLock(), "exclusive");
        assertTrue(SequenceLock.isWriting(lock.startRead()), "a read started now sees the writer");
        assertFalse(lock.validate(v), "a read that overlapped the writer is invalid");
        lock.unlock();
        assertFalse(lock.validate(v), "still invalid after the writer left");
        long after = lock.startRead();
        assertFalse(SequenceLock.isWriting(after));
        assertTrue(lock.validate(after));
    }

    @Test
    void aRingHoldsSixteenBumpsThenDropsUntilDrained() {
        ReadBuffer<String> buffer = new ReadBuffer<>(4);
        assertFalse(buffer.mayHoldHits());
        for (int i = 0; i < ReadBuffer.SLOTS - 1; i++) {
            assertEquals(ReadBuffer.RECORDED, buffer.offer("k" + i, i));
        }
        assertEquals(ReadBuffer.RECORDED_NOW_FULL, buffer.offer("k15", 15));
        assertEquals(ReadBuffer.DROPPED, buffer.offer("k16", 16));
        assertTrue(buffer.mayHoldHits());
        List<String> seen = new ArrayList<>();
        buffer.drainOwn((key, pos) -> seen.add(key + "@" + pos));
        assertEquals(ReadBuffer.SLOTS, seen.size());
        assertEquals("k0@0", seen.get(0), "oldest first");
        assertEquals("k15@15", seen.get(15));
        assertFalse(buffer.mayHoldHits());
        assertEquals(ReadBuffer.RECORDED, buffer.offer("again", 99), "the ring has room after a drain");
    }

    @Test
    @SuppressWarnings("deprecation") // Thread.getId(), as Stripes uses it
    void aReaderDrainsOnlyItsOwnRingAndAWriterDrainsAll() throws Exception {
        ReadBuffer<String> buffer = new ReadBuffer<>(Stripes.count());
        buffer.offer("mine", 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // a thread on another stripe (ids are sequential; the next thread's id differs from ours)
        Thread other = new Thread(() -> {
            try {
                buffer.offer("theirs", 2);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        other.start();
        other.join();
        assertEquals(null, failure.get());
        boolean sameStripe = (Stripes.current(Stripes.count() - 1) == (int) (other.getId() & (Stripes.count() - 1)));
        List<String> own = new ArrayList<>();
        buffer.drainOwn((key, pos) -> own.add(key));
        List<String> rest = new ArrayList<>();
        buffer.drain((key, pos) -> rest.add(key));
        if (sameStripe) {
            assertEquals(List.of("mine", "theirs"), own);
            assertEquals(List.of(), rest);
        } else {
            assertEquals(List.of("mine"), own, "a reader's drain leaves other rings alone");
            assertEquals(List.of("theirs"), rest, "a writer's drain takes every ring");
        }
        assertFalse(buffer.mayHoldHits());
    }

    @Test
    void stripedCountersAreExactAcrossThreads() throws Exception {
        StripedCounters counters = new StripedCounters(2); // fewer stripes than threads: shared rows stay exact
        Thread[] threads = new Thread[6];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    counters.increment(StripedCounters.HITS);
                    if (i % 10 == 0) {
                        counters.increment(StripedCounters.MISSES);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(600_000, counters.sum(StripedCounters.HITS));
        assertEquals(60_000, counters.sum(StripedCounters.MISSES));
        assertEquals(0, counters.sum(StripedCounters.DROPPED_BUMPS));
    }
}
