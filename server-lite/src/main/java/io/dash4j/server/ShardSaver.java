package io.dash4j.server;

import io.dash4j.server.persist.RdbEncoder;
import io.dash4j.server.persist.SnapshotJob;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.StoreSnapshot;

/**
 * One shard's part of a BGSAVE: it fixes the shard's point-in-time image when created (on the
 * shard's thread, while the save holds every shard), collects the entries the snapshot yields
 * into batches of references for the {@link SnapshotJob}'s writer thread, and walks the image in
 * slices between commands ({@link #step}). Entries that writers preserve ahead of the walk join
 * the same batches from inside those writes.
 *
 * <p>A slice is measured in time, not buckets: while the shard serves commands it walks for
 * about {@link #BUSY_SLICE_NANOS} per loop iteration (commands come first), while idle for about
 * {@link #IDLE_SLICE_NANOS}. The shard's cost per entry is a reference and a deadline (encoding
 * happens on the writer thread, {@link #encode}), so a busy slice covers a few thousand entries.
 */
final class ShardSaver {

    /** Walk time per loop iteration while the shard serves commands. */
    static final long BUSY_SLICE_NANOS = 50_000;
    /** Walk time per loop iteration while the shard is idle. */
    static final long IDLE_SLICE_NANOS = 2_000_000;
    /** Buckets walked between two looks at the clock. */
    static final int BUCKETS_PER_CHECK = 16;

    /** What a slice did. */
    enum Progress { WALKED, WAITING, DONE }

    private final SnapshotJob job;
    private final StoreSnapshot snapshot;
    private SnapshotJob.Batch batch;
    /** The store's change counter when the image was fixed (what a successful save covers). */
    final long changesAtStart;

    ShardSaver(Shard shard, SnapshotJob job) {
        this.job = job;
        this.batch = job.batch();
        this.changesAtStart = shard.store.changes();
        this.snapshot = shard.store.startSnapshot(this::add);
        job.partStarted(snapshot.keysAtStart(), snapshot.expiringAtStart());
    }

    /**
     * The snapshot's sink (from the walk or from inside a write): the entry's reference joins the
     * batch. Safe to hand to another thread: the store's snapshot marks every entry it hands
     * over SHARED, so the array never changes again, except for its TTL, STICKY and SHARED header
     * bits, which {@link #encode} does not read.
     */
    private void add(byte[] entry, long expireAtMillis) {
        if (batch.add(entry, expireAtMillis)) {
            job.offer(batch);
            batch = job.batch();
        }
    }

    /** On the writer thread: one entry's records, its memcached flags and CAS first if it has any. */
    static void encode(byte[] e, long expireAtMillis, RdbEncoder out) {
        if (Entry.has(e, Entry.FLAGS | Entry.CAS)) {
            out.memcachedMeta(Entry.flags(e), Entry.cas(e));
        }
        out.stringRecord(e, Entry.keyOffset(e), Entry.keyLength(e), e, Entry.valueOffset(e),
                Entry.valueLength(e), expireAtMillis);
    }

    /**
     * One slice, short when the shard is {@code busy} serving commands. WAITING when the writer is
     * behind (the job wakes the shard when it catches up), DONE when this shard's part is over
     * (complete, or abandoned after a failure).
     */
    Progress step(boolean busy) {
        if (job.failed()) {
            snapshot.abort();
            job.partFinished();
            return Progress.DONE;
        }
        long deadline = System.nanoTime() + (busy ? BUSY_SLICE_NANOS : IDLE_SLICE_NANOS);
        do {
            if (!job.walkMayProceed()) {
                return Progress.WAITING;
            }
            if (snapshot.step(BUCKETS_PER_CHECK)) {
                job.offer(batch);
                batch = null;
                job.partFinished();
                return Progress.DONE;
            }
        } while (System.nanoTime() - deadline < 0);
        return Progress.WALKED;
    }

    /** Abandons the part (the shard is stopping). */
    void abort() {
        snapshot.abort();
        job.fail("the server is stopping");
        job.partFinished();
    }
}
