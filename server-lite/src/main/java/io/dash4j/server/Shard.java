package io.dash4j.server;

import io.dash4j.server.codec.CodecFactory;
import io.dash4j.server.command.CommandError;
import io.dash4j.server.store.ShardStore;
import org.jctools.queues.MpscUnboundedArrayQueue;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One shard: a thread that owns one partition of the keyspace (a single-owner store, no locks),
 * its own NIO event loop for the connections assigned to it, and an MPSC inbox through which
 * other shards hand it commands for its keys and give it back results for its connections.
 *
 * <p><b>One hop per batch.</b> Command parts for another shard, and results going back, are not
 * posted one by one: {@link #send} links them into this thread's outbox for the target (an
 * intrusive list through {@link Remote#next}, no allocation), and {@link #flushOutboxes} posts
 * each non-empty list as one inbox message at the end of the loop iteration, so a pipelined
 * batch of N commands for shard B costs one queue offer, at most one wake-up, and one poll on B.
 * Order holds: a list keeps send order, and any other message this thread posts ({@link #post})
 * first flushes all its lists, since it may start a chain through other shards (a transaction's
 * lock baton) that must find this thread's earlier parts already queued wherever it arrives.
 */
public final class Shard implements Runnable {

    /** A message for a shard's thread. */
    interface Msg {
        void run(Shard here);
    }

    /**
     * A command part sent to the owner of its keys, and sent back with its result. A single-part
     * call reuses its own ({@link Call#hop}); parts of a fan-out get one each.
     */
    static final class Remote implements Msg {
        /** The next part in the same outbox batch, or null. */
        Remote next;
        Call call;
        int part;
        ShardFn fn;
        Object result;
        boolean executed;

        Remote() {
        }

        Remote(Call call, int part, ShardFn fn) {
            reset(call, part, fn);
        }

        Remote reset(Call call, int part, ShardFn fn) {
            this.call = call;
            this.part = part;
            this.fn = fn;
            this.result = null;
            this.executed = false;
            return this;
        }

        /** Runs this part and every part linked after it (one batch), in order. */
        @Override
        public void run(Shard here) {
            Remote r = this;
            while (r != null) {
                Remote n = r.next;
                r.next = null; // before running: the part may be sent on (its result, back home)
                here.batchParts++;
                try {
                    r.runOne(here);
                } catch (RuntimeException | LinkageError | OutOfMemoryError | StackOverflowError e) {
                    here.connectionFailed(r.call.client, e);
                }
                r = n;
            }
        }

        private void runOne(Shard here) {
            if (!executed) {
                executed = true;
                here.runPart(call, part, fn, this);
            } else {
                call.complete(part, result);
            }
        }
    }

    final int id;
    final Server server;
    final Selector selector;
    private final MpscUnboundedArrayQueue<Msg> inbox = new MpscUnboundedArrayQueue<>(1024);
    private final AtomicBoolean sleeping = new AtomicBoolean();
    /** Per target shard: the parts this thread will post to it as one message ({@link #send}). */
    private Remote[] outHead;
    private Remote[] outTail;
    public final ShardStore store;
    /** Intent locks of this shard's keys, held by transactions and multi-key commands (this thread only). */
    public final io.dash4j.server.tx.IntentLocks locks = new io.dash4j.server.tx.IntentLocks();
    /** WATCHed keys of this shard (this thread only). */
    public final io.dash4j.server.tx.KeyWatches watches = new io.dash4j.server.tx.KeyWatches();
    final Set<Connection> connections = new LinkedHashSet<>();
    private final ArrayList<Connection> dirty = new ArrayList<>();
    final SplittableRandom random;
    private volatile boolean running = true;
    private Thread thread;

    // counters, read through INFO (on this thread) only
    long commands;
    long connectionsAccepted;
    long outputLimitDisconnections;
    long clientMemoryDisconnections;
    long protocolErrors;
    long idleDisconnections;
    /** Connections in a lingering close (Connection#linger): the tick ends those that wait too long. */
    int lingering;
    long netInput;
    long netOutput;
    /** Inbox messages this shard posted to other shards (a batch of parts is one). */
    long hopsSent;
    /** Command parts and results that arrived here from other shards. */
    long batchParts;
    /** Selector wake-ups this shard caused on other shards (their thread was asleep). */
    long wakeupsSent;
    /** Client buffer bytes of this shard's connections. */
    long clientMemory;
    /** Replies this shard writes for other shards' connections (its scratch buffer, INFO's count). */
    private final OwnerReplies ownerReplies = new OwnerReplies(this);
    private long lastSampleAt;
    private long lastSampleCommands;
    private final long[] opsSamples = new long[16];
    private int opsSampleIdx;
    /** When the next tick is due (System.nanoTime: ticks run on real time even under a test clock). */
    private long nextTickNanos = System.nanoTime();
    private long nextIdleCheck;
    /** memcached command counters of this shard's connections (indices in McStats). */
    public final long[] memcachedStats = new long[32];
    /** memcached {@code flush_all <delay>}: when to flush, 0 = none pending. */
    long flushAt;
    /** This shard's part of a running save, stepped once per loop iteration; null when none. */
    private ShardSaver saver;
    /** The last loop iteration had connections ready (a save then walks in short slices). */
    private boolean servedLastRound;
    /** The store's change counter as of the last command, for INFO and the save rules (any thread). */
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    Shard(int id, Server server) throws IOException {
        this.id = id;
        this.server = server;
        this.selector = Selector.open();
        ServerConfig cfg = server.config;
        this.store = cfg.storeFactory.create(cfg.maxmemory / server.shardCount(), cfg.cacheMode, cfg.slotPolicy());
        this.random = new SplittableRandom(System.nanoTime() ^ id);
    }

    /** The thread of a shard, so a post from one shard to another can defer the wake-up. */
    private static final class ShardThread extends Thread {
        final Shard shard;

        ShardThread(Shard shard) {
            super(shard, "dash4j-shard-" + shard.id);
            this.shard = shard;
        }
    }

    void start() {
        thread = new ShardThread(this);
        thread.start();
    }

    public int id() {
        return id;
    }

    public Server server() {
        return server;
    }

    boolean onShardThread() {
        return Thread.currentThread() == thread;
    }

    // ------------------------------------------------------------------ messaging

    /**
     * Hands {@code m} to this shard's thread (any thread may call). A shard posting to another
     * defers the wake-up to the end of its loop iteration, so a burst of hand-offs costs one
     * wake-up per target instead of one per message.
     */
    void post(Msg m) {
        if (Thread.currentThread() instanceof ShardThread st && st.shard != this) {
            // Everything this thread sent before goes first, to every shard: a post may start a
            // chain (a transaction's lock baton passes from shard to shard) that must not reach
            // a shard before the parts this thread sent it earlier.
            st.shard.flushOutboxes();
            inbox.offer(m);
            st.shard.hopsSent++;
            st.shard.wakeLater(this);
        } else {
            inbox.offer(m);
            wake();
        }
    }

    /**
     * Sends a part (or its result) to {@code target}: linked into this thread's outbox for it and
     * posted with the rest of the batch by {@link #flushOutboxes}. Off this shard's thread it is
     * posted at once.
     */
    void send(Shard target, Remote r) {
        if (Thread.currentThread() != thread) {
            r.next = null;
            target.post(r);
            return;
        }
        if (outHead == null) {
            outHead = new Remote[server.shardCount()];
            outTail = new Remote[server.shardCount()];
        }
        int t = target.id;
        r.next = null;
        if (outHead[t] == null) {
            outHead[t] = r;
        } else {
            outTail[t].next = r;
        }
        outTail[t] = r;
    }

    /** Posts the batch waiting for shard {@code t}, if any, as one message. */
    private void flushOutbox(int t) {
        if (outHead == null || outHead[t] == null) {
            return;
        }
        Remote head = outHead[t];
        outHead[t] = null;
        outTail[t] = null;
        Shard target = server.shard(t);
        target.inbox.offer(head);
        hopsSent++;
        wakeLater(target);
    }

    /** Posts every waiting batch (end of a loop iteration, before the wake-ups). */
    private void flushOutboxes() {
        if (outHead == null) {
            return;
        }
        for (int t = 0; t < outHead.length; t++) {
            flushOutbox(t);
        }
    }

    /** Wakes this shard's thread if it sleeps in select; true when it did. */
    private boolean wake() {
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            selector.wakeup();
            return true;
        }
        return false;
    }

    private final boolean[] toWake = new boolean[256];
    private final ArrayList<Shard> wakeList = new ArrayList<>();

    private void wakeLater(Shard target) {
        if (target.id >= toWake.length) {
            if (target.wake()) {
                wakeupsSent++;
            }
        } else if (!toWake[target.id]) {
            toWake[target.id] = true;
            wakeList.add(target);
        }
    }

    private void wakePending() {
        for (int i = 0; i < wakeList.size(); i++) {
            Shard t = wakeList.get(i);
            toWake[t.id] = false;
            if (t.wake()) {
                wakeupsSent++;
            }
        }
        wakeList.clear();
    }

    /** Runs {@code fn} for {@code call}'s part on shard {@code target}: inline when it is this shard. */
    void submit(Call call, int target, int part, ShardFn fn) {
        if (target == id) {
            runPart(call, part, fn, null);
        } else {
            if (call.outstanding == 1) {
                if (call.ownerMayReply) {
                    call.ownerEncoding = call.client.ownerReplyEncoding(call); // null: the result comes back
                }
                send(server.shard(target), call.hop(part, fn));
            } else {
                send(server.shard(target), new Remote(call, part, fn));
            }
        }
    }

    /**
     * Runs a part here now, or, when a transaction holds or awaits its keys, as soon as the intent
     * locks let it ({@link PartLock}); then hands the result back ({@code remote} null: inline).
     * Fast path: no key of this shard is locked ({@code locks.idle()}), or the call runs under
     * a transaction that already holds its locks; then nothing is allocated or looked up.
     */
    void runPart(Call call, int part, ShardFn fn, Remote remote) {
        if (locks.idle() || call.owner.holdsLocks() || PartLock.mayRunNow(this, call)) {
            deliver(call, part, execute(call, part, fn), remote);
        } else {
            locks.acquire(new PartLock(this, call, part, fn, remote));
        }
    }

    /**
     * The part's result goes back to the call's home thread (inline when this is it), or, when
     * the home let this shard write the reply, goes to the client ({@link OwnerReplies}).
     */
    void deliver(Call call, int part, Object result, Remote remote) {
        if (remote == null) {
            call.complete(part, result);
        } else if (call.ownerEncoding != null) {
            ownerReplies.write(call, result, remote);
        } else {
            remote.result = result;
            send(call.owner.home(), remote);
        }
    }

    /** Runs a command part here; a failure becomes the part's typed error, never the shard's. */
    Object execute(Call call, int part, ShardFn fn) {
        store.setNow(server.config.clock.getAsLong());
        Object result;
        try {
            result = fn.run(this, call, part);
        } catch (RuntimeException | OutOfMemoryError e) {
            return CommandError.fromThrowable(e);
        } finally {
            publishChanges();
        }
        if (watches.any()) {
            watches.afterPart(this, call);
        }
        return result;
    }

    // ------------------------------------------------------------------ persistence

    /** Makes the store's change counter visible to other threads (a plain store on x86). */
    void publishChanges() {
        changes.lazySet(store.changes());
    }

    long publishedChanges() {
        return changes.get();
    }

    /**
     * Fixes this shard's point-in-time image for {@code job} (between two commands) and starts
     * walking it in slices; {@code startChanges} learns the change counter the image covers.
     */
    void startSaving(io.dash4j.server.persist.SnapshotJob job, java.util.function.LongConsumer startChanges) {
        if (saver != null) {
            saver.abort(); // a failed save's part that has not noticed yet
            saver = null;
        }
        try {
            saver = new ShardSaver(this, job);
            startChanges.accept(saver.changesAtStart);
        } catch (RuntimeException e) {
            job.fail("shard " + id + " cannot snapshot its store: " + e.getMessage());
        }
    }

    /** Runs {@code task} on this shard's thread: now when called there, else through the inbox. */
    public void perform(Runnable task) {
        if (onShardThread()) {
            task.run();
        } else {
            post(here -> task.run());
        }
    }

    // ------------------------------------------------------------------ the loop

    @Override
    public void run() {
        try {
            while (running) {
                int handled = drainInbox();
                if (saver != null) {
                    // commands first: a short slice when this iteration had work, a long one when idle
                    ShardSaver.Progress p = saver.step(handled > 0 || servedLastRound);
                    if (p == ShardSaver.Progress.DONE) {
                        saver = null;
                    }
                    if (p != ShardSaver.Progress.WAITING) {
                        handled++; // a walk in progress keeps the loop from sleeping; a waiting one is woken
                    }
                }
                long mono = System.nanoTime();
                if (mono - nextTickNanos >= 0) {
                    nextTickNanos = mono + TICK_NANOS;
                    tick(server.config.clock.getAsLong());
                }
                flushDirty();
                flushOutboxes();
                wakePending();
                int ready;
                if (handled == 0) {
                    sleeping.set(true);
                    if (inbox.isEmpty() && running) {
                        ready = selector.select(serveKey, Math.max(1, Math.min(100, (nextTickNanos - mono) / 1_000_000)));
                    } else {
                        ready = selector.selectNow(serveKey);
                    }
                    sleeping.set(false);
                } else {
                    ready = selector.selectNow(serveKey);
                }
                servedLastRound = ready > 0;
                flushDirty();
                flushOutboxes();
                wakePending();
            }
        } catch (Throwable t) {
            server.log("shard " + id + " stopped on " + t);
            t.printStackTrace();
        } finally {
            if (saver != null) {
                saver.abort();
                saver = null;
            }
            for (Connection c : new ArrayList<>(connections)) {
                c.close();
            }
            drainInbox();
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            server.shardStopped();
        }
    }

    /**
     * Serves one ready connection; the selector calls it for each ready key (no selected-key set,
     * so a loop iteration allocates nothing). Clears the sleeping flag first: while it serves, a
     * post from another shard needs no wake-up.
     */
    private final java.util.function.Consumer<SelectionKey> serveKey = this::serve;

    private void serve(SelectionKey k) {
        if (sleeping.get()) {
            sleeping.set(false);
        }
        Connection c = (Connection) k.attachment();
        try {
            if (!k.isValid()) {
                c.close();
                return;
            }
            if (k.isWritable()) {
                c.onWritable();
            }
            if (k.isValid() && k.isReadable()) {
                c.onReadable();
            }
        } catch (RuntimeException | LinkageError | OutOfMemoryError | StackOverflowError e) {
            connectionFailed(c, e);
        }
    }

    private int drainInbox() {
        int n = 0;
        Msg m;
        while (n < 4096 && (m = inbox.poll()) != null) {
            try {
                m.run(this);
            } catch (RuntimeException | LinkageError | OutOfMemoryError | StackOverflowError e) {
                if (m instanceof Remote r) {
                    connectionFailed(r.call.client, e);
                } else {
                    server.log("shard " + id + ": task failed: " + e);
                }
            }
            n++;
        }
        return n;
    }

    /** A bug or resource failure while serving one connection closes that connection, not the shard. */
    void connectionFailed(Connection c, Throwable e) {
        System.err.println("dash4j: shard " + id + ": closing client id=" + c.id + " after " + e);
        if (onShardThread() && c.shard == this) {
            c.close();
        } else {
            c.shard.post(here -> c.close());
        }
    }

    /** Redis's hz 10: a tick every 100 ms. */
    static final long TICK_NANOS = 100_000_000L;
    /** Active expiry's CPU budget per tick: 25 % of it, as Redis's ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC. */
    static final long ACTIVE_EXPIRE_NANOS = TICK_NANOS / 4;

    /** Housekeeping every {@link #TICK_NANOS}; {@code now} is the config's (maybe injected) clock. */
    private void tick(long now) {
        store.setNow(now);
        store.activeExpire(ACTIVE_EXPIRE_NANOS);
        if (flushAt != 0 && now >= flushAt) {
            flushAt = 0;
            clearWhenUnlocked();
        }
        publishChanges();
        if (id == 0) {
            server.persistence().cron(now);
        }
        if (now - lastSampleAt >= 100) {
            long dt = Math.max(1, now - lastSampleAt);
            opsSamples[opsSampleIdx++ & 15] = (commands - lastSampleCommands) * 1000 / dt;
            lastSampleAt = now;
            lastSampleCommands = commands;
        }
        if (lingering > 0) {
            for (Connection c : new ArrayList<>(connections)) {
                if (c.lingeredTooLong(now)) {
                    c.close();
                }
            }
        }
        int timeout = server.config.timeout;
        if (timeout > 0 && now >= nextIdleCheck) {
            nextIdleCheck = now + 1000;
            for (Connection c : new ArrayList<>(connections)) {
                if (c.inflightCount() == 0 && now - c.lastActive > timeout * 1000L) {
                    idleDisconnections++;
                    c.close();
                }
            }
        }
    }

    /** memcached's delayed {@code flush_all}: empties the store, after any transaction holding keys here. */
    private void clearWhenUnlocked() {
        if (locks.idle()) {
            store.clear();
            return;
        }
        locks.acquire(new io.dash4j.server.tx.LockRequest(true) {
            @Override
            protected void granted() {
                try {
                    store.clear();
                } finally {
                    locks.release(this);
                }
            }
        });
    }

    /** Mean of the last 16 samples of commands per second (INFO instantaneous_ops_per_sec). */
    long opsPerSec() {
        long s = 0;
        for (long v : opsSamples) {
            s += v;
        }
        return s / opsSamples.length;
    }

    void markDirty(Connection c) {
        dirty.add(c);
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flush();
        }
        dirty.clear();
    }

    // ------------------------------------------------------------------ connections

    /** Adopts a freshly accepted channel, speaking what its listener's codecs speak (on this shard's thread). */
    void adopt(SocketChannel ch, CodecFactory codecs) {
        try {
            ch.configureBlocking(false);
            ch.socket().setTcpNoDelay(true);
            Connection c = new Connection(this, ch, codecs);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            connections.add(c);
            connectionsAccepted++;
        } catch (IOException e) {
            server.clientClosed();
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    Thread thread() {
        return thread;
    }

    /** This shard's counters (call on its thread). */
    public ShardSnapshot snapshot() {
        store.setNow(server.config.clock.getAsLong());
        return new ShardSnapshot(id, store.stats(), commands, opsPerSec(), connections.size(), connectionsAccepted,
                clientMemory, netInput, netOutput, protocolErrors, outputLimitDisconnections,
                clientMemoryDisconnections, idleDisconnections, memcachedStats.clone(), hopsSent, batchParts,
                wakeupsSent, ownerReplies.written, ownerReplies.posted);
    }

    /** CLIENT LIST lines of this shard's connections (call on its thread). */
    public java.util.List<String> describeClients() {
        long now = server.config.clock.getAsLong();
        java.util.List<String> lines = new ArrayList<>();
        for (Connection c : connections) {
            lines.add(c.describe(now));
        }
        return lines;
    }

    /** Resets the counters CONFIG RESETSTAT resets. */
    public void resetStats() {
        commands = 0;
        lastSampleCommands = 0;
        netInput = 0;
        netOutput = 0;
        protocolErrors = 0;
        outputLimitDisconnections = 0;
        clientMemoryDisconnections = 0;
        idleDisconnections = 0;
        hopsSent = 0;
        batchParts = 0;
        wakeupsSent = 0;
        ownerReplies.written = 0;
        ownerReplies.posted = 0;
        java.util.Arrays.fill(opsSamples, 0);
        java.util.Arrays.fill(memcachedStats, 0);
        store.resetStats();
    }

    /** Schedules a flush of this shard at {@code atMillis} (memcached {@code flush_all <delay>}). */
    public void flushAt(long atMillis) {
        flushAt = atMillis;
    }

    public SplittableRandom random() {
        return random;
    }

    /** Post a task to adopt a channel. */
    void postAdopt(SocketChannel ch, CodecFactory codecs) {
        post(here -> here.adopt(ch, codecs));
    }

    /** Runs a task on this shard's thread. */
    public void postTask(Runnable r) {
        post(here -> r.run());
    }
}
