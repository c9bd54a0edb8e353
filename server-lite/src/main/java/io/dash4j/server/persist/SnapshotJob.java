package io.dash4j.server.persist;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One BGSAVE: {@code parts} producers (the shards, each walking its own point-in-time snapshot
 * between commands) hand encoded chunks of records to a bounded queue, and this job's own thread
 * writes them into one RDB file through a {@link DumpWriter}.
 *
 * <pre>
 *   shard 0 --chunk--\
 *   shard 1 --chunk---+--> [ bounded queue ] --> writer thread: header, records..., EOF, CRC
 *   shard N --chunk--/          (back-pressure:      temp file -> fsync -> rename -> fsync dir
 *                                a full queue slows the walk, never the memory)
 * </pre>
 *
 * The header (with RESIZEDB's key counts) is written once every part has started, i.e. fixed its
 * snapshot. Memory in flight is bounded by the queue: {@link #QUEUE_CHUNKS} chunks of about
 * {@link #CHUNK_BYTES}, plus one chunk being filled per shard; the writer hands emptied buffers
 * back ({@link #buffer()}), so a save allocates a few dozen chunk buffers, not one per chunk. A failure (disk full, a missing
 * directory) ends the job: producers see {@link #failed()} and abort their snapshots, the temporary
 * file is deleted and the previous dump stays as it was.
 */
public final class SnapshotJob implements Runnable {

    /** A finished job. */
    public record Outcome(boolean ok, String error, long keys, long bytes, long millis, long endedAtMillis) {
    }

    /** Records are handed over in chunks of about this many bytes. */
    public static final int CHUNK_BYTES = 64 * 1024;
    /** Chunks the queue holds before producers wait. */
    public static final int QUEUE_CHUNKS = 16;

    private final Path target;
    private final String tempName;
    private final DumpWriter.Opener opener;
    private final int parts;
    private final Map<String, String> aux;
    private final Consumer<Outcome> onDone;
    /** A chunk: the first {@code length} bytes of {@code buffer}. */
    private record Chunk(byte[] buffer, int length) {
    }

    private final ArrayBlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
    /** Buffers the writer has emptied, for the producers to fill again (no garbage per chunk). */
    private final ArrayBlockingQueue<byte[]> free = new ArrayBlockingQueue<>(QUEUE_CHUNKS * 2);
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicLong keys = new AtomicLong();
    private final AtomicLong expiring = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private volatile String failure;
    private final long startedAt = System.currentTimeMillis();

    public SnapshotJob(Path target, String tempName, DumpWriter.Opener opener, int parts, Map<String, String> aux,
                       Consumer<Outcome> onDone) {
        this.target = target;
        this.tempName = tempName;
        this.opener = opener;
        this.parts = parts;
        this.aux = aux;
        this.onDone = onDone;
    }

    // ------------------------------------------------------------------ producer side (shard threads)

    /** A part has fixed its image of {@code keys} keys ({@code expiring} with a deadline). */
    public void partStarted(long keys, long expiring) {
        this.keys.addAndGet(keys);
        this.expiring.addAndGet(expiring);
        started.incrementAndGet();
    }

    /** A buffer for the next chunk: one the writer has emptied, or a new one. */
    public byte[] buffer() {
        byte[] b = free.poll();
        return b != null ? b : new byte[CHUNK_BYTES + 1024];
    }

    /**
     * Hands over {@code length} bytes of encoded records in {@code buffer} (the job owns it from
     * now on), waiting while the queue is full (unless the job failed).
     */
    public void offer(byte[] buffer, int length, long recordCount) {
        records.addAndGet(recordCount);
        Chunk chunk = new Chunk(buffer, length);
        try {
            while (failure == null && !queue.offer(chunk, 20, TimeUnit.MILLISECONDS)) {
                // the writer is behind: the walk waits rather than buffering without bound
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** A part has handed over its last chunk (or given up after {@link #failed()}). */
    public void partFinished() {
        finished.incrementAndGet();
    }

    public boolean failed() {
        return failure != null;
    }

    /** Ends the job with an error; producers stop at their next chunk. */
    public void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    public long startedAtMillis() {
        return startedAt;
    }

    // ------------------------------------------------------------------ writer side (the job's thread)

    @Override
    public void run() {
        DumpWriter out = null;
        Outcome outcome;
        try {
            out = new DumpWriter(target, tempName, opener);
            while (started.get() < parts) {
                if (failure != null) {
                    throw new IOException(failure);
                }
                Thread.sleep(1);
            }
            RdbEncoder head = new RdbEncoder(256, false);
            head.header();
            for (Map.Entry<String, String> a : aux.entrySet()) {
                head.aux(a.getKey(), a.getValue());
            }
            head.selectDb(0);
            head.resizeDb(keys.get(), expiring.get());
            out.write(head.take());
            for (;;) {
                if (failure != null) {
                    throw new IOException(failure);
                }
                Chunk chunk = queue.poll(20, TimeUnit.MILLISECONDS);
                if (chunk != null) {
                    out.write(chunk.buffer, 0, chunk.length);
                    if (chunk.buffer.length <= 2 * CHUNK_BYTES) {
                        free.offer(chunk.buffer); // a buffer a large value grew is let go
                    }
                } else if (finished.get() == parts && queue.isEmpty()) {
                    break; // every part offered its chunks before it finished
                }
            }
            out.commit();
            long now = System.currentTimeMillis();
            outcome = new Outcome(true, null, records.get(), out.bytesWritten(), now - startedAt, now);
        } catch (IOException | RuntimeException e) {
            fail(e.getMessage() == null ? e.toString() : e.getMessage());
            if (out != null) {
                out.discard();
            }
            queue.clear();
            long now = System.currentTimeMillis();
            outcome = new Outcome(false, failure, records.get(), out == null ? 0 : out.bytesWritten(),
                    now - startedAt, now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
            if (out != null) {
                out.discard();
            }
            long now = System.currentTimeMillis();
            outcome = new Outcome(false, failure, records.get(), 0, now - startedAt, now);
        }
        onDone.accept(outcome);
    }
}
