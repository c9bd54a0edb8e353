package io.dash4j.server.persist;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One BGSAVE: {@code parts} producers (the shards, each walking its own point-in-time snapshot
 * between commands) hand over batches of <em>references</em> to the entries of their image, and
 * this job's own thread encodes them as RDB records and writes one file through a
 * {@link DumpWriter}.
 *
 * <pre>
 *   shard 0 --batch--\                               writer thread: per entry: [dash4j-mc AUX]
 *   shard 1 --batch---+--> [ queue of batches ] -->     [EXPIRETIME_MS] key value (LZF), CRC-64,
 *   shard N --batch--/     (entry refs + deadlines)     64 KiB writes: temp file -> fsync -> rename
 * </pre>
 *
 * <p><b>Why references.</b> An entry handed to a snapshot is marked shared, and a shared entry
 * is immutable (its key, value, flags and CAS never change in place; its next overwrite stores a
 * new array; see {@code Entry}), so the writer thread may read one
 * after the shard has moved on, even after the key was overwritten or deleted: the shard's part
 * of a save costs a reference and a deadline per entry, and every byte of encoding, LZF
 * compression and checksumming runs on this thread, away from the commands. The price is that an
 * entry overwritten while its reference waits in the queue stays alive until written.
 *
 * <p><b>Back-pressure.</b> The walk pauses while {@link #BACKLOG_PAUSE} entries or more wait
 * ({@link #walkMayProceed}); the writer wakes the producers ({@code onRoom}) when the backlog is
 * down to half. Entries that writers preserve ahead of the walk (a command's pre-write hook) are
 * always accepted, so a command never waits for the disk; they are at most the image itself.
 * Batches are recycled: a save allocates a few dozen of them, not one per batch handed over.
 *
 * <p><b>Pacing.</b> While the server is busy ({@link #BUSY_COMMANDS_PER_SECOND}), the writer
 * works at most {@link #BUSY_SHARE} of the time and sleeps the rest ({@link #pace}), unless the
 * backlog passes {@link #PACE_UNTIL_BACKLOG}: on cores the shards and their clients keep busy,
 * a cycle the writer takes is one they lose, but memory comes first.
 *
 * <p>The header (with RESIZEDB's key counts) is written once every part has started, i.e. fixed
 * its image. A failure (disk full, a missing directory) ends the job: producers see
 * {@link #failed()} and abort their snapshots, the temporary file is deleted and the previous
 * dump stays as it was.
 */
public final class SnapshotJob implements Runnable {

    /** A finished job. */
    public record Outcome(boolean ok, String error, long keys, long bytes, long millis, long endedAtMillis,
                          long writerBusyMillis, long writerPacedMillis) {
    }

    /** Encodes one item of a batch (an entry of a store) as RDB records. */
    @FunctionalInterface
    public interface RecordEncoder {
        void encode(byte[] item, long expireAtMillis, RdbEncoder out);
    }

    /** Entries per batch. */
    public static final int BATCH_ENTRIES = 1024;
    /** The walk pauses while this many entries wait for the writer. */
    public static final long BACKLOG_PAUSE = 64L * BATCH_ENTRIES;
    /** The writer writes the encoded records in pieces of about this many bytes. */
    static final int WRITE_BYTES = 64 * 1024;
    /** How far ahead in a batch the writer loads the next entries. */
    private static final int TOUCH_AHEAD = 8;
    /** Emptied batches kept for reuse. */
    private static final int FREE_BATCHES = 64;
    /** While the server is busy serving commands, the writer works at most this share of the time. */
    public static final double BUSY_SHARE = 0.2;
    /** ...unless this many entries wait: then it writes at full speed (memory comes first). */
    static final long PACE_UNTIL_BACKLOG = 4 * BACKLOG_PAUSE;
    /** The server counts as busy while it runs at least this many commands per second. */
    static final long BUSY_COMMANDS_PER_SECOND = 20_000;
    /** How often the writer samples the command counter. */
    private static final long SAMPLE_NANOS = 10_000_000;

    /** Entries of one producer, in the order its snapshot emitted them (single producer, then the writer). */
    public static final class Batch {
        final byte[][] items = new byte[BATCH_ENTRIES][];
        final long[] deadlines = new long[BATCH_ENTRIES];
        int size;

        /** Adds an item with its deadline (epoch ms, -1 = none); true when the batch is full. */
        public boolean add(byte[] item, long expireAtMillis) {
            items[size] = item;
            deadlines[size] = expireAtMillis;
            return ++size == BATCH_ENTRIES;
        }

        public int size() {
            return size;
        }

        void clear() {
            Arrays.fill(items, 0, size, null); // let go of the entries
            size = 0;
        }
    }

    private final Path target;
    private final String tempName;
    private final DumpWriter.Opener opener;
    private final int parts;
    private final Map<String, String> aux;
    private final RdbEncoder records;
    private final RecordEncoder recordEncoder;
    private final Runnable onRoom;
    private final LongSupplier activity;
    private final Consumer<Outcome> onDone;
    /** {@link #activity} when last sampled, and when (writer thread). */
    private long lastActivity;
    private long sampledAtNanos;
    private boolean serverBusy;
    /** Time the writer spent encoding and writing (not sleeping, not waiting for batches). */
    private long busyNanos;
    /** Time the writer slept to stay in the background ({@link #pace}). */
    private long pacedNanos;
    /** Sum of the bytes {@link #encode} loads ahead (only so that the loads stay). */
    private long touches;

    private final ConcurrentLinkedQueue<Batch> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Batch> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger freeCount = new AtomicInteger();
    /** Entries handed over and not yet encoded. */
    private final AtomicLong backlog = new AtomicLong();
    private volatile boolean producersPaused;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicLong keys = new AtomicLong();
    private final AtomicLong expiring = new AtomicLong();
    private long written;
    private volatile String failure;
    private volatile Thread writer;
    private final long startedAt = System.currentTimeMillis();

    /**
     * @param compress     LZF-compress long strings (rdbcompression)
     * @param recordEncoder turns a batch item into records (on the writer thread)
     * @param onRoom       wakes the producers after a pause (called on the writer thread)
     * @param activity     a counter that moves while the server serves commands (read racily, as a hint)
     */
    public SnapshotJob(Path target, String tempName, DumpWriter.Opener opener, int parts, Map<String, String> aux,
                       boolean compress, RecordEncoder recordEncoder, Runnable onRoom, LongSupplier activity,
                       Consumer<Outcome> onDone) {
        this.target = target;
        this.tempName = tempName;
        this.opener = opener;
        this.parts = parts;
        this.aux = aux;
        this.records = new RdbEncoder(WRITE_BYTES + 1024, compress);
        this.recordEncoder = recordEncoder;
        this.onRoom = onRoom;
        this.activity = activity;
        this.onDone = onDone;
    }

    // ------------------------------------------------------------------ producer side (shard threads)

    /** A part has fixed its image of {@code keys} keys ({@code expiring} with a deadline). */
    public void partStarted(long keys, long expiring) {
        this.keys.addAndGet(keys);
        this.expiring.addAndGet(expiring);
        started.incrementAndGet();
    }

    /** An empty batch: a recycled one, or a new one. */
    public Batch batch() {
        Batch b = free.poll();
        if (b == null) {
            return new Batch();
        }
        freeCount.decrementAndGet();
        return b;
    }

    /** Hands {@code batch} over (the job owns it from now on); never waits. */
    public void offer(Batch batch) {
        if (batch.size == 0) {
            free.offer(batch);
            freeCount.incrementAndGet();
            return;
        }
        backlog.addAndGet(batch.size);
        queue.offer(batch);
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * True while the writer keeps up: a walk should pause otherwise (it is woken through
     * {@code onRoom} when the backlog is down to half).
     */
    public boolean walkMayProceed() {
        if (backlog.get() < BACKLOG_PAUSE) {
            return true;
        }
        producersPaused = true;
        return false;
    }

    /** A part has handed over its last batch (or given up after {@link #failed()}). */
    public void partFinished() {
        finished.incrementAndGet();
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    public boolean failed() {
        return failure != null;
    }

    /** Ends the job with an error; producers stop at their next slice. */
    public void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    public long startedAtMillis() {
        return startedAt;
    }

    /** Entries handed over and not written yet (tests, INFO). */
    public long backlog() {
        return backlog.get();
    }

    // ------------------------------------------------------------------ writer side (the job's thread)

    @Override
    public void run() {
        writer = Thread.currentThread();
        lastActivity = activity.getAsLong();
        sampledAtNanos = System.nanoTime();
        DumpWriter out = null;
        Outcome outcome;
        try {
            out = new DumpWriter(target, tempName, opener);
            while (started.get() < parts) {
                if (failure != null) {
                    throw new IOException(failure);
                }
                LockSupport.parkNanos(1_000_000);
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
                Batch batch = queue.poll();
                if (batch != null) {
                    encode(batch, out);
                } else if (finished.get() == parts) {
                    if (queue.isEmpty()) {
                        break; // every part offered its batches before it finished
                    }
                } else {
                    LockSupport.parkNanos(1_000_000); // offer() and partFinished() unpark
                }
            }
            flush(out);
            out.commit();
            long now = System.currentTimeMillis();
            outcome = new Outcome(true, null, written, out.bytesWritten(), now - startedAt, now, busyNanos / 1_000_000,
                    pacedNanos / 1_000_000);
        } catch (IOException | RuntimeException e) {
            fail(e.getMessage() == null ? e.toString() : e.getMessage());
            if (out != null) {
                out.discard();
            }
            queue.clear();
            long now = System.currentTimeMillis();
            outcome = new Outcome(false, failure, written, out == null ? 0 : out.bytesWritten(), now - startedAt, now,
                    busyNanos / 1_000_000, pacedNanos / 1_000_000);
        }
        if (producersPaused) {
            onRoom.run(); // paused producers must see the failure
        }
        onDone.accept(outcome);
    }

    /** Encodes {@code batch}, writing every {@link #WRITE_BYTES}, and recycles it. */
    private void encode(Batch batch, DumpWriter out) throws IOException {
        long t0 = System.nanoTime();
        byte[][] items = batch.items;
        int n = batch.size;
        int touched = 0;
        for (int i = 0; i < n; i++) {
            if (i + TOUCH_AHEAD < n) {
                // entries are scattered over the heap: load one a few places ahead so its cache
                // miss overlaps the encoding of this one instead of following it
                touched += items[i + TOUCH_AHEAD][0];
            }
            recordEncoder.encode(items[i], batch.deadlines[i], records);
            if (records.size() >= WRITE_BYTES) {
                flush(out);
            }
        }
        touches += touched; // kept, so the loads are not optimized away
        written += batch.size;
        long left = backlog.addAndGet(-batch.size);
        batch.clear();
        if (freeCount.get() < FREE_BATCHES) {
            free.offer(batch);
            freeCount.incrementAndGet();
        }
        if (producersPaused && left <= BACKLOG_PAUSE / 2) {
            producersPaused = false;
            onRoom.run();
        }
        long spent = System.nanoTime() - t0;
        busyNanos += spent;
        pace(left, spent);
    }

    /**
     * Keeps the writer in the background while the server is busy: after a batch that took
     * {@code spent} ns it sleeps long enough to work at most {@link #BUSY_SHARE} of the time (on
     * a machine whose cores the shards and their clients already keep busy, every cycle the
     * writer takes is one they lose). Busy means {@link #BUSY_COMMANDS_PER_SECOND} or more, so a
     * monitoring poll does not slow a save down. An idle server, a failing job or a backlog past
     * {@link #PACE_UNTIL_BACKLOG} gets the writer at full speed.
     */
    private void pace(long backlogLeft, long spent) {
        long now = System.nanoTime();
        long interval = now - sampledAtNanos;
        if (interval >= SAMPLE_NANOS) {
            long a = activity.getAsLong();
            serverBusy = (a - lastActivity) * 1_000_000_000.0 / interval >= BUSY_COMMANDS_PER_SECOND;
            lastActivity = a;
            sampledAtNanos = now;
        }
        if (serverBusy && backlogLeft < PACE_UNTIL_BACKLOG && failure == null) {
            long t = System.nanoTime();
            LockSupport.parkNanos((long) (spent * (1 / BUSY_SHARE - 1)));
            pacedNanos += System.nanoTime() - t;
        }
    }

    private void flush(DumpWriter out) throws IOException {
        out.write(records.buffer(), 0, records.size());
        records.reset();
    }
}
