package io.dash4j.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * A client connection, owned by one shard's event loop. Subclasses frame their protocol out of
 * {@link #in} and start {@link Call}s; this class keeps replies in request order, applies the
 * output and client-memory limits, and does the socket I/O.
 */
public abstract class Connection {

    private static final int INITIAL_IN = 4096;

    public final Shard shard;
    protected final SocketChannel ch;
    SelectionKey key;
    public final long id;
    protected byte[] in = new byte[INITIAL_IN];
    protected int rpos;
    protected int wpos;
    protected final OutBuf out = new OutBuf();
    private final ArrayDeque<Call> inflight = new ArrayDeque<>();
    private boolean closed;
    /** Stop reading and close once the queued output is written (QUIT, protocol errors). */
    protected boolean closeAfterFlush;
    private boolean readPaused;
    private boolean dirty;
    private boolean processing;
    public final long createdAt;
    long lastActive;
    public String name;
    public String libName;
    public String libVer;
    protected String lastCommand = "NULL";
    /** Bytes this connection counts toward its shard's client memory. */
    private long memory;

    protected Connection(Shard shard, SocketChannel ch) {
        this.shard = shard;
        this.ch = ch;
        this.id = shard.server.nextClientId();
        this.createdAt = shard.server.config.clock.getAsLong();
        this.lastActive = createdAt;
        account(in.length);
    }

    public Server server() {
        return shard.server;
    }

    public ServerConfig config() {
        return shard.server.config;
    }

    public boolean isClosed() {
        return closed;
    }

    int inflightCount() {
        return inflight.size();
    }

    // ------------------------------------------------------------------ protocol hooks

    /**
     * Frames and starts at most one command from {@code in[rpos, wpos)}; returns false when more
     * bytes are needed. Protocol errors call {@link #protocolError}.
     */
    protected abstract boolean parseOne();

    /** The reply for an internal failure, in this protocol. */
    protected abstract Object internalError(Throwable t);

    /** Writes a protocol error reply, then closes after flushing. */
    protected abstract void protocolError(String message);

    /** Longest the input buffer may grow for a single line. */
    protected int maxBuffered() {
        return config().maxInlineLen + 1024;
    }

    // ------------------------------------------------------------------ calls and replies

    /** Starts a call: it joins the in-order reply queue first, then runs. */
    public void dispatch(Call call, Runnable start) {
        inflight.addLast(call);
        shard.commands++;
        lastCommand = null;
        call.argBytes = argBytes(call.argv);
        account(call.argBytes);
        start.run();
    }

    private static long argBytes(byte[][] argv) {
        if (argv == null) {
            return 0;
        }
        long n = 16 + 4L * argv.length;
        for (byte[] a : argv) {
            if (a != null) {
                n += 16 + a.length;
            }
        }
        return n;
    }

    /** Queues an already-finished reply behind the calls in flight. */
    public void replyNow(Object result, Reply reply) {
        Call c = new Call(this, null);
        inflight.addLast(c);
        c.finish(result, reply);
    }

    /** A call finished: writes every finished reply at the head of the queue. */
    void callDone(Call c) {
        if (closed) {
            return;
        }
        while (!inflight.isEmpty() && inflight.peekFirst().done) {
            Call h = inflight.pollFirst();
            if (h.reply != null) {
                h.reply.write(h, out);
            }
            account(-h.argBytes);
            h.argBytes = 0;
        }
        afterOutput();
        if (readPaused && inflight.size() <= config().maxInflight / 2 && !processing) {
            readPaused = false;
            updateInterest();
            process();
        }
    }

    /** Output was queued: checks the limits and schedules a flush. */
    protected void afterOutput() {
        if (closed) {
            return;
        }
        if (out.pending() > config().clientOutputBufferLimit) {
            shard.outputLimitDisconnections++;
            shard.server.log("client id=" + id + " closed: output buffer of " + out.pending()
                    + " bytes over client-output-buffer-limit");
            close();
            return;
        }
        syncOutputMemory();
        if (!dirty) {
            dirty = true;
            shard.markDirty(this);
        }
    }

    private long outputAccounted;

    private void syncOutputMemory() {
        long held = out.held();
        if (held != outputAccounted) {
            account(held - outputAccounted);
            outputAccounted = held;
        }
    }

    /** Adds {@code delta} bytes to this connection's and its shard's client memory. */
    protected void account(long delta) {
        memory += delta;
        shard.clientMemory += delta;
    }

    /**
     * True when this connection may hold {@code more} bytes of client buffers; otherwise it is
     * over the shard's share of maxmemory-clients and the caller must refuse.
     */
    protected boolean mayHold(long more) {
        long budget = config().maxmemoryClients / shard.server.shardCount();
        return shard.clientMemory + more <= budget;
    }

    public long memory() {
        return memory;
    }

    // ------------------------------------------------------------------ I/O

    void onReadable() {
        if (closed || closeAfterFlush) {
            return;
        }
        try {
            for (int reads = 0; reads < 4; reads++) {
                if (wpos == in.length && !makeRoom()) {
                    break;
                }
                int n = ch.read(ByteBuffer.wrap(in, wpos, in.length - wpos));
                if (n < 0) {
                    process();
                    close();
                    return;
                }
                if (n == 0) {
                    break;
                }
                wpos += n;
                shard.netInput += n;
                if (wpos < in.length) {
                    break;
                }
                process();
                if (closed || closeAfterFlush || readPaused) {
                    break;
                }
            }
            lastActive = shard.server.config.clock.getAsLong();
            process();
        } catch (IOException e) {
            close();
        }
    }

    /** Compacts or grows {@link #in}; false when it is full and may not grow (then the parser errs). */
    private boolean makeRoom() {
        if (rpos > 0) {
            System.arraycopy(in, rpos, in, 0, wpos - rpos);
            wpos -= rpos;
            rpos = 0;
            return true;
        }
        int max = maxBuffered();
        if (in.length >= max) {
            return false;
        }
        int size = Math.min(max, in.length * 2);
        account(size - in.length);
        in = java.util.Arrays.copyOf(in, size);
        return true;
    }

    /** Parses and starts commands while input is buffered and the pipeline has room. */
    protected void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            while (!closed && !closeAfterFlush && rpos < wpos) {
                if (inflight.size() >= config().maxInflight) {
                    if (!readPaused) {
                        readPaused = true;
                        updateInterest();
                    }
                    break;
                }
                if (!parseOne()) {
                    if (wpos - rpos >= maxBuffered() && rpos == 0) {
                        // the parser wants more than may be buffered: it reports its own error
                        break;
                    }
                    break;
                }
            }
            if (rpos == wpos) {
                rpos = 0;
                wpos = 0;
                if (in.length > 4 * INITIAL_IN) {
                    account(INITIAL_IN - in.length);
                    in = new byte[INITIAL_IN];
                }
            }
        } finally {
            processing = false;
        }
    }

    void onWritable() {
        flush();
    }

    /** Writes queued output; keeps OP_WRITE while some remains. */
    void flush() {
        dirty = false;
        if (closed) {
            return;
        }
        try {
            if (!out.isEmpty()) {
                shard.netOutput += out.writeTo(ch);
            }
        } catch (IOException e) {
            close();
            return;
        }
        syncOutputMemory();
        if (out.isEmpty() && closeAfterFlush && inflight.isEmpty()) {
            close();
            return;
        }
        updateInterest();
    }

    private void updateInterest() {
        if (closed || key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (!readPaused && !closeAfterFlush) {
            ops |= SelectionKey.OP_READ;
        }
        if (!out.isEmpty()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** Closes now, dropping queued output; idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        shard.connections.remove(this);
        if (key != null) {
            key.cancel();
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        out.clear();
        for (Call c : inflight) {
            account(-c.argBytes);
        }
        inflight.clear();
        account(-memory);
        shard.server.clientClosed();
    }

    /** Stops reading; closes once replies so far are written. */
    public void closeAfterReplies() {
        closeAfterFlush = true;
        afterOutput();
    }

    // ------------------------------------------------------------------ CLIENT LIST

    public String remoteAddress() {
        try {
            InetSocketAddress a = (InetSocketAddress) ch.getRemoteAddress();
            return a == null ? "?" : a.getAddress().getHostAddress() + ":" + a.getPort();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    public String localAddress() {
        try {
            InetSocketAddress a = (InetSocketAddress) ch.getLocalAddress();
            return a == null ? "?" : a.getAddress().getHostAddress() + ":" + a.getPort();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** One line of CLIENT LIST (Redis field names, plus shard). */
    public String describe(long now) {
        return "id=" + id + " addr=" + remoteAddress() + " laddr=" + localAddress() + " fd=-1 name="
                + (name == null ? "" : name) + " age=" + (now - createdAt) / 1000 + " idle=" + (now - lastActive) / 1000
                + " flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=" + (wpos - rpos) + " qbuf-free="
                + (in.length - wpos) + " argv-mem=0 multi-mem=0 rbs=" + in.length + " rbp=" + in.length
                + " obl=0 oll=0 omem=" + out.pending() + " tot-mem=" + memory + " events=r cmd="
                + (lastCommand == null ? "NULL" : lastCommand) + " user=default redir=-1 resp=2 lib-name="
                + (libName == null ? "" : libName) + " lib-ver=" + (libVer == null ? "" : libVer)
                + " shard=" + shard.id + " protocol=" + protocol();
    }

    protected abstract String protocol();

    protected void countProtocolError() {
        shard.protocolErrors++;
    }

    protected void countClientMemoryDisconnect() {
        shard.clientMemoryDisconnections++;
    }

    /** Stops parsing further input now; the connection closes once earlier replies are written. */
    public void stopReading() {
        closeAfterFlush = true;
    }

    public void setLastCommand(String name) {
        this.lastCommand = name;
    }
}
