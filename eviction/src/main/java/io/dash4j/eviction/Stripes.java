package io.dash4j.eviction;

/**
 * How per-thread-ish state is spread: a few stripes per core, a thread picks one by its id. Java
 * hands out thread ids in sequence, so threads started together land on different stripes (up
 * to the stripe count); two threads that share one stay correct (stripes are updated
 * atomically) and only contend.
 */
final class Stripes {

    private Stripes() {
    }

    /**
     * Four stripes per core, a power of two, at most 64: room for more threads than cores (a
     * thread pool, a test) before two of them share a stripe.
     */
    static int count() {
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.min(64, Integer.highestOneBit(Math.max(1, 4 * cores - 1)) * 2);
    }

    /** The calling thread's stripe among {@code mask + 1}. */
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() is the same number
    static int current(int mask) {
        return (int) Thread.currentThread().getId() & mask;
    }
}
