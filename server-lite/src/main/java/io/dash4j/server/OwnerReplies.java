package io.dash4j.server;

import io.dash4j.server.codec.ReplyEncoding;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The owner writes the reply: a single-key command whose key lives on another shard is answered
 * by that shard (the owner, B) straight onto the client's socket, instead of sending the result
 * back to the connection's shard (the home, A) to be encoded and written there. A hop then costs
 * one leg (A → B) instead of two, and the second wake-up and context switch of the home thread
 * disappear from the common path. One instance per shard: its scratch buffer and encoders.
 *
 * <p><b>When.</b> A decides on its own thread, as the part leaves ({@link Connection#ownerReplyEncoding}):
 * the call has one part, its reply is small and needs no connection state (GET, SET and the INCR
 * family framed in place, on RESP), it is the head of the connection's reply queue (nothing earlier
 * unwritten: the queue held nothing else and the output buffer is empty), it is the last command of
 * the input read so far (the replies of a pipelined batch still go out in one write, from A), and
 * the connection is in no MULTI, transaction hold or close. Otherwise the result travels back as
 * before.
 *
 * <p><b>B writes.</b> B runs the part as before, then encodes the result into its scratch buffer
 * with the connection's {@link ReplyEncoding} and writes it to the socket (a SocketChannel's writes
 * do not interfere with A's reads; A writes nothing on this connection while the call is its
 * unfinished head, since it encodes no later reply before it).
 *
 * <p><b>Completion without a message.</b> The call's {@link Call#ownerReply} state goes
 * {@code PENDING → WRITTEN} (B, a CAS after the write) or {@code PENDING → WAITING} (A, a CAS when
 * it needs the call finished: a later reply of the connection is ready, or the connection waits to
 * close). Exactly one CAS wins:
 * <ul>
 *   <li>B's: A learns it lazily, the next time it looks at the head of its queue (the next command
 *       arrives, a later call completes, a flush, the idle check) and retires the call there.</li>
 *   <li>A's: B sees {@code WAITING} and posts the call's own hop back to A, as a result message
 *       carrying {@link #WRITTEN_MARK}; A retires the call when the message arrives.</li>
 * </ul>
 * When B could not write everything (the socket buffer is full, the reply is over
 * client-output-buffer-limit, the write failed or the connection is closed) it never sets
 * {@code WRITTEN}: it posts the hop back with a {@link Rest} (the unwritten bytes, moved out of the
 * scratch buffer, or the failure) and A puts those bytes first in its output buffer (or closes),
 * then carries on as if it had encoded the reply itself: OP_WRITE, output limits, client memory.
 *
 * <p><b>Invariants.</b> No byte of a later reply reaches the socket before this call's reply: A
 * encodes a later reply only after it retired the call, i.e. after B's write returned (B's
 * {@code WRITTEN}, or B's message), and a rest B could not write goes first in A's buffer, which is
 * empty then. A pooled call is reset only after B is done with it: B touches the call last in its
 * winning CAS, or in the send of the message that A waits for, and A recycles the call only then.
 */
final class OwnerReplies {

    /** B has not finished, and A does not wait for it (or A has not looked). */
    static final int PENDING = 0;
    /** A waits for the call: B must post its completion. */
    static final int WAITING = 1;
    /** B wrote the whole reply and will post nothing: A retires the call when it looks. */
    static final int WRITTEN = 2;

    /** The result a posted completion carries when B wrote the whole reply (A was waiting). */
    static final Object WRITTEN_MARK = new Object() {
        @Override
        public String toString() {
            return "written by the owner";
        }
    };

    /** What B could not write: the bytes left, in order, or a failure (A closes the connection). */
    static final class Rest {
        static final Rest FAILED = new Rest(null);
        final OutBuf bytes;

        Rest(OutBuf bytes) {
            this.bytes = bytes;
        }
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Call.class, "ownerReply", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Shard shard;
    private final OutBuf scratch = new OutBuf();
    private ReplyEncoding lastEncoding;
    private ReplyEncoding.Encoder lastEncoder;
    private java.util.IdentityHashMap<ReplyEncoding, ReplyEncoding.Encoder> encoders;
    /** Replies this shard wrote for connections of other shards (INFO shard_owner_replies). */
    long written;
    /**
     * Of those, the ones whose completion still went home as a message: the home was waiting, or
     * the reply was not written whole (INFO shard_owner_reply_posts).
     */
    long posted;

    OwnerReplies(Shard shard) {
        this.shard = shard;
    }

    /**
     * On the owner B: encodes {@code result} as {@code call}'s reply and writes it to the client's
     * socket; tells the home thread only when it waits or must take over ({@code hop} goes back).
     */
    void write(Call call, Object result, Shard.Remote hop) {
        Connection conn = call.client;
        call.result = result;
        if (!call.silent) {
            encoder(call.ownerEncoding).encode(call);
        }
        Object back = null;
        if (scratch.pending() > conn.config().clientOutputBufferLimit) {
            back = new Rest(scratch.takeRest()); // the home closes the client for it, as if it had encoded it
        } else if (!scratch.isEmpty()) {
            try {
                shard.netOutput += scratch.writeTo(conn.channel());
                if (!scratch.isEmpty()) {
                    back = new Rest(scratch.takeRest()); // the socket buffer is full: the home writes on
                }
            } catch (IOException e) {
                scratch.clear();
                back = Rest.FAILED;
            }
        }
        written++;
        if (back == null) {
            if ((int) STATE.compareAndExchange(call, PENDING, WRITTEN) == PENDING) {
                return; // the home retires the call when it looks; nothing here touches it again
            }
            back = WRITTEN_MARK; // the home waits: tell it
        }
        hop.result = back;
        posted++;
        shard.send(call.owner.home(), hop);
    }

    private ReplyEncoding.Encoder encoder(ReplyEncoding encoding) {
        if (encoding != lastEncoding) {
            if (encoders == null) {
                encoders = new java.util.IdentityHashMap<>();
            }
            lastEncoder = encoders.computeIfAbsent(encoding, e -> e.open(shard, scratch));
            lastEncoding = encoding;
        }
        return lastEncoder;
    }

    /**
     * On the home A, for a call its owner writes that has not come back as a message: true when
     * the owner finished it (A retires it now, nothing to write). When {@code mustKnow} and it has
     * not, A registers that it waits, so the owner posts the completion.
     */
    static boolean finishedByOwner(Call call, boolean mustKnow) {
        int s = call.ownerReply;
        if (s == PENDING && mustKnow) {
            s = (int) STATE.compareAndExchange(call, PENDING, WAITING);
        }
        return s == WRITTEN;
    }
}
