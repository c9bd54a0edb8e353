package io.dash4j.server;

import io.dash4j.server.persist.RdbEncoder;
import io.dash4j.server.persist.SnapshotJob;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.StoreSnapshot;

/**
 * One shard's part of a BGSAVE: it fixes the shard's point-in-time image when created (on the
 * shard's thread, between two commands), encodes the entries the snapshot yields as RDB records,
 * and hands chunks to the {@link SnapshotJob}. The shard calls {@link #step} once per loop
 * iteration, so the walk proceeds in slices between commands ({@link #BUCKETS_WHEN_BUSY} buckets
 * when the shard is serving, {@link #BUCKETS_WHEN_IDLE} when it is idle); entries that writers
 * preserve ahead of the walk are encoded inside those writes.
 */
final class ShardSaver {

    /** Buckets walked per loop iteration while the shard serves commands: about a hundred entries. */
    static final int BUCKETS_WHEN_BUSY = 8;
    /** Buckets walked per loop iteration while the shard is idle: a few thousand entries. */
    static final int BUCKETS_WHEN_IDLE = 256;

    private final SnapshotJob job;
    private final StoreSnapshot snapshot;
    private final RdbEncoder encoder;
    /** The store's change counter when the image was fixed (what a successful save covers). */
    final long changesAtStart;
    private long pending;

    ShardSaver(Shard shard, SnapshotJob job, boolean compress) {
        this.job = job;
        this.encoder = new RdbEncoder(0, compress);
        encoder.swap(job.buffer());
        this.changesAtStart = shard.store.changes();
        this.snapshot = shard.store.startSnapshot(this::write);
        job.partStarted(snapshot.keysAtStart(), snapshot.expiringAtStart());
    }

    /** The snapshot's sink: one RDB record per entry (memcached flags and CAS are not kept). */
    private void write(byte[] e, long expireAtMillis) {
        encoder.stringRecord(e, Entry.keyOffset(e), Entry.keyLength(e), e, Entry.valueOffset(e),
                Entry.valueLength(e), expireAtMillis);
        pending++;
        if (encoder.size() >= SnapshotJob.CHUNK_BYTES) {
            handOver();
        }
    }

    private void handOver() {
        int length = encoder.size();
        job.offer(encoder.swap(job.buffer()), length, pending);
        pending = 0;
    }

    /**
     * One slice, short when the shard is {@code busy} serving commands; true when this shard's
     * part is over (complete, or abandoned after a failure).
     */
    boolean step(boolean busy) {
        if (job.failed()) {
            snapshot.abort();
            job.partFinished();
            return true;
        }
        if (!snapshot.step(busy ? BUCKETS_WHEN_BUSY : BUCKETS_WHEN_IDLE)) {
            return false;
        }
        if (encoder.size() > 0) {
            handOver();
        }
        job.partFinished();
        return true;
    }

    /** Abandons the part (the shard is stopping). */
    void abort() {
        snapshot.abort();
        job.fail("the server is stopping");
        job.partFinished();
    }
}
