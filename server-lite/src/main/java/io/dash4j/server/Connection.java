package io.dash4j.server;

import io.dash4j.server.codec.Codec;
import io.dash4j.server.codec.CodecFactory;
import io.dash4j.server.codec.InputBuffer;
import io.dash4j.server.command.CommandException;
import io.dash4j.server.command.Handler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * A client connection, owned by one shard's event loop, whatever its protocol: its {@link Codec}
 * frames commands and encodes replies; this class keeps replies in request order, applies the
 * pipeline, output and client-memory limits, does the socket I/O, and holds the client's session
 * state (name, library, RESP version).
 *
 * <p><b>End of input</b> (the client shut down its sending side, {@code nc -N}, or closed) does not
 * drop work: every command already received is still parsed and run — including those waiting for
 * other shards and those held back by the pipeline limit — and every reply written before the
 * connection closes.
 *
 * <p><b>Replies written by another shard.</b> A GET/SET/INCR whose key lives on another shard and
 * that is the head of the queue with nothing unwritten before it may be answered by that shard
 * straight onto the socket ({@link OwnerReplies}, which states the protocol). Such a call stays at
 * the head, unencoded here, until this thread learns that its owner finished: lazily
 * ({@link #settleOwnerWrites}) or, when a later reply or a close waits for it, through a message.
 */
public final class Connection implements CallOwner {

    private static final int INITIAL_IN = 4096;

    public final Shard shard;
    private final SocketChannel ch;
    SelectionKey key;
    public final long id;
    private final InputBuffer in = new InputBuffer(INITIAL_IN);
    private final OutBuf out = new OutBuf();
    private Codec codec;
    private final ArrayDeque<Call> inflight = new ArrayDeque<>();
    private boolean closed;
    /** Stop reading and close once the queued output is written (QUIT, protocol errors). */
    private boolean closeAfterFlush;
    /** The peer sent EOF: read no more, finish what was received, then close. */
    private boolean inputEnded;
    /** After {@link #inputEnded}: everything parseable was parsed (what remains is an incomplete frame). */
    private boolean inputDrained;
    private boolean readPaused;
    private boolean dirty;
    private boolean processing;
    public final long createdAt;
    long lastActive;
    public String name;
    public String libName;
    public String libVer;
    /** RESP protocol version for the replies of the next commands (HELLO changes it). */
    public int respVersion = 2;
    private String lastCommand = "NULL";
    /** Bytes this connection counts toward its shard's client memory. */
    private long memory;
    /** MULTI queue and WATCHed keys, created by the first MULTI or WATCH (null until then). */
    public io.dash4j.server.tx.MultiState multi;
    /**
     * A transaction is taking its locks: later commands wait (unparsed) until it holds them all,
     * or one of them could reach a shard before the transaction's lock and read around it.
     */
    private boolean heldForTransaction;

    Connection(Shard shard, SocketChannel ch, CodecFactory codecs) {
        this.shard = shard;
        this.ch = ch;
        this.id = shard.server.nextClientId();
        this.createdAt = shard.server.config.clock.getAsLong();
        this.lastActive = createdAt;
        account(in.bytes.length);
        this.codec = codecs.open(this);
    }

    public Server server() {
        return shard.server;
    }

    public ServerConfig config() {
        return shard.server.config;
    }

    @Override
    public Shard home() {
        return shard;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Calls not yet answered (the idle check: a connection waiting for a reply is not idle). */
    int inflightCount() {
        settleOwnerWrites();
        return inflight.size();
    }

    /** The socket, for a shard that writes a reply of this connection ({@link OwnerReplies}). */
    SocketChannel channel() {
        return ch;
    }

    public InputBuffer input() {
        return in;
    }

    /** The reply bytes queued for this client (codecs encode into it). */
    public OutBuf output() {
        return out;
    }

    public Codec codec() {
        return codec;
    }

    /** Replaces the codec (protocol detection); the new one parses the input from where it is. */
    public void switchCodec(Codec next) {
        this.codec = next;
    }

    // ------------------------------------------------------------------ calls and replies

    /**
     * Starts a call: it joins the in-order reply queue first, then {@code handler} runs it
     * (an argument error it throws becomes the call's result).
     */
    public void dispatch(Call call, Handler handler) {
        enqueue(call);
        try {
            handler.start(call);
        } catch (CommandException e) {
            call.finish(e.error());
        }
    }

    /** {@link #dispatch(Call, Handler)} for a command framed in place (slices valid during the call only). */
    public void dispatch(Call call, io.dash4j.server.command.InPlaceHandler handler,
                         io.dash4j.server.command.ArgSlices args) {
        enqueue(call);
        call.ownerMayReply = true; // GET, SET, the INCR family: a constant, an integer or one bulk
        try {
            handler.start(call, args);
        } catch (CommandException e) {
            call.finish(e.error());
        }
    }

    private void enqueue(Call call) {
        inflight.addLast(call);
        shard.commands++;
        call.argBytes = call.argv != null ? argBytes(call.argv) : call.argBytes;
        account(call.argBytes);
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

    /** Queues an already-known reply (an error, a constant) behind the calls in flight. */
    public void replyNow(Object result) {
        replyNow(result, null);
    }

    /**
     * Most calls a connection keeps for reuse: a pipeline up to this deep runs on pooled calls
     * (about 300 bytes each with their key buffer, slice and hop); the calls of a deeper one
     * beyond it are allocated per command and dropped.
     */
    private static final int POOL_MAX = 128;
    private Call freeCalls;
    private int freeCount;

    /**
     * A call for this connection's next command, from its pool when one is free (RESP version
     * set, every other field cleared). It returns to the pool by itself once its reply is written,
     * unless another owner kept it (see {@link Call}).
     */
    public Call obtainCall() {
        Call c = freeCalls;
        if (c != null) {
            freeCalls = c.nextFree;
            c.nextFree = null;
            freeCount--;
            c.reset();
        } else {
            c = new Call(this, null, true);
        }
        c.proto = (byte) respVersion;
        return c;
    }

    /**
     * A pooled call whose reply was written goes back to the free list. It is cleared only when
     * it is taken again ({@link #obtainCall}): the code that completed it may still be on the stack
     * (a fan-out's loop over its parts) and read its fields once more.
     */
    private void recycle(Call c) {
        if (!c.pooled || c.owner != this || freeCount >= POOL_MAX) {
            return;
        }
        c.nextFree = freeCalls;
        freeCalls = c;
        freeCount++;
    }

    /** {@link #replyNow(Object)} with codec data for encoding it. */
    public void replyNow(Object result, Object render) {
        Call c = obtainCall();
        c.render = render;
        inflight.addLast(c);
        c.finish(result);
    }

    /** A call finished: writes every finished reply at the head of the queue. */
    @Override
    public void callDone(Call c) {
        if (closed || !writeFinishedHead(true)) {
            return;
        }
        afterOutput();
        if (readPaused && inflight.size() <= config().maxInflight / 2 && !processing) {
            readPaused = false;
            updateInterest();
            process();
        }
    }

    /**
     * Encodes the replies of the finished calls at the head of the queue, in order, and retires
     * the calls whose reply their key's owner wrote ({@link OwnerReplies}). When the head is such a
     * call and its owner has not finished, {@code mustKnow} (replies or a close wait behind it)
     * asks the owner to post its completion here. False when the connection closed meanwhile.
     */
    private boolean writeFinishedHead(boolean mustKnow) {
        while (!inflight.isEmpty()) {
            Call h = inflight.peekFirst();
            boolean byOwner = h.ownerEncoding != null;
            if (!h.done && !(byOwner && OwnerReplies.finishedByOwner(h, mustKnow))) {
                break;
            }
            inflight.pollFirst();
            if (!byOwner) {
                if (!h.silent) {
                    codec.encode(h, out);
                }
            } else if (h.done && h.result instanceof OwnerReplies.Rest rest) {
                if (rest.bytes == null) {
                    close(); // the owner's write failed: as a failed write here
                    return false;
                }
                out.prepend(rest.bytes); // out is empty: nothing after this call was encoded yet
            }
            account(-h.argBytes);
            h.argBytes = 0;
            recycle(h);
        }
        return true;
    }

    /**
     * Retires the calls at the head whose owner finished writing their reply, without asking
     * (the lazy half of {@link OwnerReplies}); encodes what was waiting behind them.
     */
    private void settleOwnerWrites() {
        Call h = inflight.peekFirst();
        if (h == null || h.ownerEncoding == null || h.done || closed) {
            return;
        }
        long before = out.pending();
        if (writeFinishedHead(false) && out.pending() != before) {
            afterOutput();
        }
    }

    /**
     * The encoding the owner of {@code c}'s key may write its reply with, or null when the result
     * must come back here: {@code c} is the head of the queue with nothing before it unwritten,
     * it is the last command of the input read so far (a pipelined batch keeps its single write:
     * its replies go out together from here), and the connection is in no state that needs its
     * own thread to see the reply.
     */
    io.dash4j.server.codec.ReplyEncoding ownerReplyEncoding(Call c) {
        if (!config().ownerReplies || c.owner != this || c.then != null || inflight.peekFirst() != c
                || !out.isEmpty() || in.rpos < in.wpos || multi != null || heldForTransaction || closeAfterFlush
                || closed || lingering) {
            return null;
        }
        return codec.replyEncoding();
    }

    /** Output was queued (or work ended): checks the limits and schedules a flush. */
    private void afterOutput() {
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
    public void account(long delta) {
        memory += delta;
        shard.clientMemory += delta;
    }

    /**
     * True when this connection may hold {@code more} bytes of client buffers; otherwise it is
     * over the shard's share of maxmemory-clients and the caller must refuse.
     */
    public boolean mayHold(long more) {
        long budget = config().maxmemoryClients / shard.server.shardCount();
        return shard.clientMemory + more <= budget;
    }

    public long memory() {
        return memory;
    }

    // ------------------------------------------------------------------ I/O

    void onReadable() {
        if (lingering) {
            dropInput();
            return;
        }
        if (closed || closeAfterFlush || inputEnded) {
            return;
        }
        try {
            for (int reads = 0; reads < 4; reads++) {
                if (in.wpos == in.bytes.length && !makeRoom()) {
                    break;
                }
                int n = ch.read(readView());
                if (n < 0) {
                    endOfInput();
                    return;
                }
                if (n == 0) {
                    break;
                }
                in.wpos += n;
                shard.netInput += n;
                if (in.wpos < in.bytes.length) {
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

    /** A view of the input buffer's free space, re-made only when the buffer array changed. */
    private ByteBuffer readView() {
        if (inView == null || inViewOf != in.bytes) {
            inView = ByteBuffer.wrap(in.bytes);
            inViewOf = in.bytes;
        }
        return inView.limit(in.bytes.length).position(in.wpos);
    }

    private ByteBuffer inView;
    private byte[] inViewOf;

    /**
     * The peer will send nothing more: stop reading, run what is buffered (process resumes after
     * pipeline pauses as replies drain), and let {@link #flush} close once every reply is written.
     */
    private void endOfInput() {
        inputEnded = true;
        updateInterest();
        process();
        afterOutput(); // a flush decides whether everything is done
    }

    /** Compacts or grows the input buffer; false when it is full and may not grow (then the parser errs). */
    private boolean makeRoom() {
        if (in.rpos > 0) {
            System.arraycopy(in.bytes, in.rpos, in.bytes, 0, in.wpos - in.rpos);
            in.wpos -= in.rpos;
            in.rpos = 0;
            return true;
        }
        int max = codec.maxBuffered();
        if (in.bytes.length >= max) {
            return false;
        }
        int size = Math.min(max, in.bytes.length * 2);
        account(size - in.bytes.length);
        in.bytes = java.util.Arrays.copyOf(in.bytes, size);
        return true;
    }

    /** Parses and starts commands while input is buffered and the pipeline has room. */
    private void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            settleOwnerWrites(); // a call its owner answered goes back to the pool for this input
            while (!closed && !closeAfterFlush && !heldForTransaction && in.rpos < in.wpos) {
                if (inflight.size() >= config().maxInflight) {
                    if (!readPaused) {
                        readPaused = true;
                        updateInterest();
                    }
                    break;
                }
                if (!codec.parseOne()) {
                    break; // needs more bytes (or the codec reported an error)
                }
            }
            if (inputEnded && !readPaused && !heldForTransaction) {
                inputDrained = true;
            }
            if (in.rpos == in.wpos) {
                in.rpos = 0;
                in.wpos = 0;
                if (in.bytes.length > 4 * INITIAL_IN) {
                    account(INITIAL_IN - in.bytes.length);
                    in.bytes = new byte[INITIAL_IN];
                }
            }
        } finally {
            processing = false;
        }
    }

    /** Parses no further command until {@link #resumeInput()} (a cross-shard transaction is in flight). */
    public void holdInput() {
        heldForTransaction = true;
    }

    /** The transaction holds its locks (or is over): parsing goes on with the commands behind it. */
    public void resumeInput() {
        if (!heldForTransaction) {
            return;
        }
        heldForTransaction = false;
        if (!closed) {
            process();
            afterOutput();
        }
    }

    void onWritable() {
        flush();
    }

    /** Replies held back while later ones of the same batch are still out on other shards. */
    static final int HOLD_BACK_LIMIT = 64 * 1024;

    /**
     * Writes queued output; keeps OP_WRITE while some remains; closes when the work is over.
     * One write per pipelined batch: while calls are still in flight (parts out on other shards)
     * and less than {@link #HOLD_BACK_LIMIT} is queued, the replies so far wait for them; the last
     * call's completion marks the connection dirty again and the batch goes out in one write. A
     * call waiting for an event (SAVE's dump) is not waited for: the replies before it go now.
     */
    void flush() {
        dirty = false;
        if (closed) {
            return;
        }
        Call blocker = inflight.peekFirst(); // the first call not done (those before it were written)
        if (blocker != null && blocker.ownerEncoding != null) {
            // its owner writes it: retire it if it is finished; ask to be told when a close waits for it
            if (!writeFinishedHead(closeAfterFlush || inputEnded)) {
                return;
            }
            if (out.pending() > config().clientOutputBufferLimit) {
                afterOutput(); // closes for the limit
                return;
            }
            blocker = inflight.peekFirst();
        }
        if (blocker != null && !blocker.waitsForEvent && out.pending() < HOLD_BACK_LIMIT) {
            interest(false); // no OP_WRITE meanwhile: a later completion flushes (callDone -> afterOutput)
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
        if (out.isEmpty() && inflight.isEmpty() && (closeAfterFlush || inputDrained)) {
            if (closeAfterFlush && !inputEnded) {
                linger();
            } else {
                close();
            }
            return;
        }
        updateInterest();
    }

    // ------------------------------------------------------------------ lingering close

    /** Input dropped after the last reply, at most this much, before the socket closes. */
    static final int LINGER_BYTES = 4 << 20;
    /** ... and for at most this long (the shard's tick closes a connection lingering longer). */
    static final long LINGER_MILLIS = 2_000;
    private boolean lingering;
    private long lingerLeft;

    /**
     * The server closes while the client may still be sending (a refused oversized value, a
     * protocol error, QUIT followed by more commands): closing a socket with unread input makes
     * the kernel answer with a reset, which can destroy our last reply before the client reads it.
     * So the output is shut down after the reply (the client sees EOF after it) and what still
     * arrives is read and dropped until the client closes, {@link #LINGER_BYTES} or
     * {@link #LINGER_MILLIS}.
     */
    private void linger() {
        try {
            ch.shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        lingering = true;
        lingerLeft = LINGER_BYTES;
        lastActive = shard.server.config.clock.getAsLong();
        shard.lingering++;
        if (key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ);
        }
        dropInput();
    }

    private void dropInput() {
        try {
            while (!closed) {
                in.rpos = 0;
                in.wpos = 0;
                int n = ch.read(readView());
                if (n < 0 || (lingerLeft -= Math.max(0, n)) <= 0) {
                    close();
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            close();
        }
    }

    /** A lingering close that has waited long enough. */
    boolean lingeredTooLong(long now) {
        return lingering && now - lastActive > LINGER_MILLIS;
    }

    private void updateInterest() {
        interest(!out.isEmpty());
    }

    private void interest(boolean write) {
        if (closed || key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (!readPaused && !closeAfterFlush && !inputEnded) {
            ops |= SelectionKey.OP_READ;
        }
        if (write) {
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
        if (lingering) {
            shard.lingering--;
        }
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
        if (multi != null) {
            multi.connectionClosed();
        }
        account(-memory);
        shard.server.clientClosed();
    }

    /** Stops reading; closes once replies so far are written. */
    public void closeAfterReplies() {
        closeAfterFlush = true;
        afterOutput();
    }

    /** Stops parsing further input now; the connection closes once earlier replies are written. */
    public void stopReading() {
        closeAfterFlush = true;
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

    /** One line of CLIENT LIST (Redis field names, plus shard and protocol). */
    public String describe(long now) {
        return "id=" + id + " addr=" + remoteAddress() + " laddr=" + localAddress() + " fd=-1 name="
                + (name == null ? "" : name) + " age=" + (now - createdAt) / 1000 + " idle=" + (now - lastActive) / 1000
                + " flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=" + in.available() + " qbuf-free="
                + (in.bytes.length - in.wpos) + " argv-mem=0 multi-mem=0 rbs=" + in.bytes.length + " rbp="
                + in.bytes.length + " obl=0 oll=0 omem=" + out.pending() + " tot-mem=" + memory + " events=r cmd="
                + (lastCommand == null ? "NULL" : lastCommand) + " user=default redir=-1 resp=" + respVersion
                + " lib-name=" + (libName == null ? "" : libName) + " lib-ver=" + (libVer == null ? "" : libVer)
                + " shard=" + shard.id + " protocol=" + codec.name();
    }

    public void countProtocolError() {
        shard.protocolErrors++;
    }

    public void countClientMemoryDisconnect() {
        shard.clientMemoryDisconnections++;
    }

    public void setLastCommand(String name) {
        this.lastCommand = name;
    }
}
