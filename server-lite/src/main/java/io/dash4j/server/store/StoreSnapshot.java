package io.dash4j.server.store;

/**
 * A running point-in-time snapshot of one shard's store ({@link ShardStore#startSnapshot}): the
 * sink receives every key the store held when it started, once, while commands keep changing it.
 * Single owner: step it on the shard's thread, between commands.
 */
public interface StoreSnapshot {

    /** Receives one entry: the {@link Entry} array and its deadline (epoch ms, -1 when none). */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] entry, long expireAtMillis);
    }

    /** Advances over at most {@code buckets} table buckets; true when the image is complete. */
    boolean step(int buckets);

    /** Stops early; the sink is not called again. */
    void abort();

    /** Keys the store held when the snapshot started. */
    long keysAtStart();

    /** Keys with a deadline when the snapshot started. */
    long expiringAtStart();
}
