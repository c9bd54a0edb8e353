package io.dash4j.server.memcache.binary;

import io.dash4j.server.Call;
import io.dash4j.server.Connection;
import io.dash4j.server.OutBuf;
import io.dash4j.server.Server;
import io.dash4j.server.Shard;
import io.dash4j.server.ShardFn;
import io.dash4j.server.ShardSnapshot;
import io.dash4j.server.codec.Codec;
import io.dash4j.server.codec.InputBuffer;
import io.dash4j.server.codec.ReplyEncoding;
import io.dash4j.server.command.CommandError;
import io.dash4j.server.command.Handler;
import io.dash4j.server.command.KeyOps;
import io.dash4j.server.command.MemcachedOps;
import io.dash4j.server.command.MemcachedOps.StoreMode;
import io.dash4j.server.command.WriteStatus;
import io.dash4j.server.memcache.McStats;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static io.dash4j.server.memcache.McStats.*;

/**
 * The memcached binary protocol on one connection: frames requests with a {@link RequestFramer},
 * runs each on the same typed operations as the text protocol ({@link MemcachedOps}, on the shard
 * that owns the key), and answers with a {@link ResponseWriter}. A connection gets this codec
 * when its first byte is the request magic 0x80 (memcached's per-connection detection).
 *
 * <p>What is binary-only lives here and only here: opcodes and their extras, quiet variants (a
 * quiet get answers only hits, any other quiet opcode only errors; NOOP, answered in order, tells
 * the client the batch is over), CAS on every write, counters created from an initial value, and
 * memcached's choice of status per failure ({@link #failure}).
 *
 * <p>A call's {@link Call#render} is the {@link BinaryRequest} (or a {@link Refusal}); its
 * {@link Call#result} is typed: an entry or null (gets), {@link WriteStatus#STORED} (writes, whose
 * new CAS unique the owner shard leaves in {@link BinaryRequest#storedCas}), a {@link Counter}, a
 * {@link WriteStatus} or {@link CommandError} (failures).
 */
public final class McBinaryCodec extends Codec {

    /** A request answered with an error status before it ran (framing refusals). */
    record Refusal(int opcode, int opaque, int status, String text) {
    }

    /** INCREMENT/DECREMENT's answer: the value and the item's new CAS unique. */
    record Counter(long value, long cas) {
    }

    private final Shard shard;
    private final RequestFramer framer = new RequestFramer();
    /** This connection's answers, on its output buffer. */
    private final ReplyEncoding.Encoder replies;
    private final Sink sink = new Sink();
    /** Set by the sink when {@link #parseOne}'s advance delivered an event. */
    private boolean delivered;

    public McBinaryCodec(Connection conn) {
        super(conn);
        this.shard = conn.shard;
        this.replies = Replies.ENCODING.open(conn.shard, conn.output());
    }

    @Override
    public String name() {
        return "memcached-binary";
    }

    // ------------------------------------------------------------------ framing

    @Override
    public boolean parseOne() {
        InputBuffer in = conn.input();
        delivered = false;
        int n = framer.advance(in.bytes, in.rpos, in.wpos, sink);
        in.rpos += n;
        // A request starts only now, past its frame: the connection sees whether it is the last
        // one read so far (Connection.ownerReplyEncoding). The framer delivers at most one event
        // per advance, and a get's key stays in the buffer until the next read.
        if (readyGet != null) {
            Opcode op = readyGet;
            readyGet = null;
            getFast(op, readyOpaque, in.bytes, readyKeyOffset, readyKeyLength);
        } else if (readyRequest != null) {
            BinaryRequest r = readyRequest;
            readyRequest = null;
            start(r);
        }
        // no event and nothing consumed: the frame is incomplete
        return delivered || n > 0;
    }

    /** The get framed by the last advance, started once its frame is consumed (opaque, key slice). */
    private Opcode readyGet;
    private int readyOpaque;
    private int readyKeyOffset;
    private int readyKeyLength;
    /** The request framed by the last advance, started once its frame is consumed. */
    private BinaryRequest readyRequest;

    /** The framer's side of the connection: limits, client memory, and where requests go. */
    private final class Sink implements RequestFramer.Sink {
        @Override
        public boolean valueTooLarge(int keyLength, long valueLength) {
            return MemcachedOps.valueTooLarge(keyLength, valueLength, conn.config().itemSizeMax);
        }

        @Override
        public boolean reserve(int bytes) {
            if (!conn.mayHold(bytes)) {
                conn.countClientMemoryDisconnect();
                return false;
            }
            conn.account(bytes);
            return true;
        }

        @Override
        public void request(BinaryRequest r) {
            delivered = true;
            conn.account(-r.value.length); // reserved while it arrived; the call holds it from here
            readyRequest = r;
        }

        @Override
        public void get(Opcode op, int opaque, long cas, byte[] in, int keyOffset, int keyLength) {
            delivered = true;
            readyGet = op;
            readyOpaque = opaque;
            readyKeyOffset = keyOffset;
            readyKeyLength = keyLength;
        }

        @Override
        public void refuse(BinaryRequest r, int opcode, int status, boolean close) {
            delivered = true;
            conn.countProtocolError();
            if (close) {
                // the framer consumed everything buffered and swallows the rest: no frame boundary is left
                conn.replyNow(null, new Refusal(opcode, r.opaque, status, Status.message(status)));
                conn.closeAfterReplies();
                return;
            }
            if (status == Status.VALUE_TOO_LARGE && r.opcode != null && r.opcode.kind == Opcode.Kind.SET) {
                // as memcached (and the text protocol): a refused set does not leave the old value behind
                Call c = conn.obtainCall();
                c.render = new Refusal(opcode, r.opaque, status, Status.message(status));
                c.ownKey(r.key, 0, r.key.length);
                conn.dispatch(c, call -> call.onKey(call.key, (s, cl, part) -> KeyOps.delete(s.store, cl.key)));
                return;
            }
            conn.replyNow(null, new Refusal(opcode, r.opaque, status, Status.message(status)));
        }
    }

    @Override
    public void protocolError(String message) {
        conn.countProtocolError();
        conn.input().discard();
        int status = message.contains("memory") ? Status.OUT_OF_MEMORY : Status.INVALID_ARGUMENTS;
        conn.replyNow(null, new Refusal(0, 0, status, message));
        conn.closeAfterReplies();
    }

    // ------------------------------------------------------------------ requests

    private void start(BinaryRequest r) {
        conn.setLastCommand(r.opcode.wireName);
        switch (r.opcode.kind) {
            case GET, GAT, TOUCH -> retrieve(r);
            case SET, ADD, REPLACE, APPEND, PREPEND -> store(r);
            case DELETE -> delete(r);
            case INCREMENT, DECREMENT -> counter(r);
            case FLUSH -> flush(r);
            case STAT -> stats(r);
            case NOOP, VERSION -> conn.replyNow(null, r);
            case QUIT -> {
                conn.stopReading();
                conn.replyNow(null, r); // QUITQ: encoded as nothing
            }
        }
    }

    private Call call(BinaryRequest r) {
        Call c = conn.obtainCall();
        c.render = r;
        return c;
    }

    /**
     * Runs {@code onOwner} for {@code r}: the call (from the connection's pool) carries the request
     * as its render and the key as its own key, so the handlers and shard functions below are
     * shared constants and a request allocates no lambda, call or key object.
     */
    private void onKeyOwner(BinaryRequest r, Handler onOwner) {
        onKeyOwner(r, onOwner, false);
    }

    /** {@link #onKeyOwner(BinaryRequest, Handler)}; {@code ownerMayReply}: see {@link Call#letOwnerReply}. */
    private void onKeyOwner(BinaryRequest r, Handler onOwner, boolean ownerMayReply) {
        Call c = call(r);
        c.ownKey(r.key, 0, r.key.length);
        if (ownerMayReply) {
            c.letOwnerReply();
        }
        conn.dispatch(c, onOwner);
    }

    /**
     * GET/GETQ/GETK/GETKQ without a {@link BinaryRequest}: the pooled call's render is the opcode
     * (a shared constant), its number the opaque, its key its own copy; so a get allocates nothing.
     */
    private void getFast(Opcode op, int opaque, byte[] in, int keyOffset, int keyLength) {
        conn.setLastCommand(op.wireName);
        shard.memcachedStats[CMD_GET]++;
        Call c = conn.obtainCall();
        c.render = op;
        c.number = opaque;
        c.ownKey(in, keyOffset, keyLength);
        c.letOwnerReply(); // one item or a miss, from the call alone: the key's owner may answer
        conn.dispatch(c, GET_FAST);
    }

    private static final ShardFn GET_FAST_FN = (s, cl, part) -> {
        byte[] e = MemcachedOps.retrieve(s, cl.key, true, false, 0);
        s.memcachedStats[e != null ? GET_HITS : GET_MISSES]++;
        return e;
    };
    private static final Handler GET_FAST = call -> call.onKey(call.key, GET_FAST_FN);

    private void retrieve(BinaryRequest r) {
        if (r.opcode.kind != Opcode.Kind.TOUCH) {
            shard.memcachedStats[CMD_GET]++;
        }
        if (r.opcode.kind != Opcode.Kind.GET) {
            shard.memcachedStats[CMD_TOUCH]++;
        }
        onKeyOwner(r, RETRIEVE);
    }

    private void store(BinaryRequest r) {
        shard.memcachedStats[CMD_SET]++;
        onKeyOwner(r, STORE, true); // an empty answer or a status: the key's owner may write it
    }

    private void delete(BinaryRequest r) {
        onKeyOwner(r, DELETE);
    }

    private void counter(BinaryRequest r) {
        onKeyOwner(r, COUNTER, true); // a number or a status: the key's owner may write it
    }

    // the shard side: each reads its request from call.render and its key from call.opts

    private static final Handler RETRIEVE = call -> call.onKey(call.key, (s, cl, part) -> {
        BinaryRequest r = (BinaryRequest) cl.render;
        boolean touch = r.opcode.kind != Opcode.Kind.GET;
        return counted(s, r, MemcachedOps.retrieve(s, cl.key, true, touch, r.exptime()));
    });

    private static final Handler STORE = call -> call.onKey(call.key, (s, cl, part) -> {
        BinaryRequest r = (BinaryRequest) cl.render;
        Key key = cl.key;
        StoreMode mode = storeMode(r);
        if (mode != StoreMode.CAS && MemcachedOps.casMismatch(s.store, key, r.cas)) {
            return WriteStatus.EXISTS; // append/prepend with a CAS
        }
        long cas = MemcachedOps.nextCas(s);
        WriteStatus w = MemcachedOps.store(s.store, key, mode, r.value, 0, r.value.length, r.flags, r.exptime(),
                r.cas, cas, s.server().config().itemSizeMax);
        if (w == WriteStatus.STORED) {
            s.memcachedStats[TOTAL_ITEMS]++;
            r.storedCas = cas; // the answer carries it; no boxed result
        }
        return counted(s, r, w);
    });

    private static final Handler DELETE = call -> call.onKey(call.key, (s, cl, part) -> {
        BinaryRequest r = (BinaryRequest) cl.render;
        Key key = cl.key;
        if (MemcachedOps.casMismatch(s.store, key, r.cas)) {
            return WriteStatus.EXISTS;
        }
        return counted(s, r, KeyOps.delete(s.store, key) ? WriteStatus.STORED : WriteStatus.NOT_FOUND);
    });

    private static final Handler COUNTER = call -> call.onKey(call.key, (s, cl, part) -> {
        BinaryRequest r = (BinaryRequest) cl.render;
        Key key = cl.key;
        if (MemcachedOps.casMismatch(s.store, key, r.cas)) {
            return WriteStatus.EXISTS;
        }
        long cas = MemcachedOps.nextCas(s);
        Object v = MemcachedOps.arith(s.store, key, r.opcode.kind == Opcode.Kind.INCREMENT, r.delta, cas);
        if (v == MemcachedOps.MISS && r.expiration != BinaryRequest.NO_CREATE) {
            // memcached: a missing counter is created with the initial value (not incremented)
            byte[] digits = Long.toUnsignedString(r.initial).getBytes(StandardCharsets.US_ASCII);
            WriteStatus w = MemcachedOps.store(s.store, key, StoreMode.ADD, digits, 0, digits.length, 0,
                    r.exptime(), 0, cas, s.server().config().itemSizeMax);
            if (w != WriteStatus.STORED) {
                return w;
            }
            s.memcachedStats[TOTAL_ITEMS]++;
            return counted(s, r, new Counter(r.initial, cas));
        }
        return counted(s, r, v instanceof Long n ? new Counter(n, cas) : v);
    });

    /** memcached: a CAS on set/add/replace makes it a cas command; append/prepend check theirs apart. */
    static StoreMode storeMode(BinaryRequest r) {
        return switch (r.opcode.kind) {
            case APPEND -> StoreMode.APPEND;
            case PREPEND -> StoreMode.PREPEND;
            case ADD -> r.cas != 0 ? StoreMode.CAS : StoreMode.ADD;
            case REPLACE -> r.cas != 0 ? StoreMode.CAS : StoreMode.REPLACE;
            default -> r.cas != 0 ? StoreMode.CAS : StoreMode.SET;
        };
    }

    private void flush(BinaryRequest r) {
        shard.memcachedStats[CMD_FLUSH]++;
        long at = MemcachedOps.flushDeadline(r.exptime(), conn.config().clock.getAsLong());
        conn.dispatch(call(r), c -> c.onAllShards((s, cl, part) -> {
            MemcachedOps.flush(s, at);
            return null;
        }, null));
    }

    /**
     * STAT: no key lists the general statistics, {@code settings} the settings, {@code reset}
     * zeroes the counters (answering only the end packet), the text protocol's empty groups answer
     * only the end packet, and any other group "not found", as memcached.
     */
    private void stats(BinaryRequest r) {
        String group = new String(r.key, StandardCharsets.US_ASCII);
        Server server = conn.server();
        switch (group) {
            case "" -> conn.dispatch(call(r), c -> c.onAllShards((s, cl, part) -> s.snapshot(),
                    cl -> McStats.general(server, Arrays.stream(cl.results).map(ShardSnapshot.class::cast)
                            .toArray(ShardSnapshot[]::new))));
            case "settings" -> conn.replyNow(McStats.settings(server), r);
            case "reset" -> conn.dispatch(call(r), c -> c.onAllShards((s, cl, part) -> {
                s.resetStats();
                return null;
            }, cl -> List.of()));
            case "items", "slabs", "sizes", "conns" -> conn.replyNow(List.of(), r);
            default -> conn.replyNow(WriteStatus.NOT_FOUND, r);
        }
    }

    // ------------------------------------------------------------------ answers

    @Override
    public void encode(Call call, OutBuf out) {
        replies.encode(call); // out is the connection's output buffer, which replies writes to
    }

    @Override
    public ReplyEncoding replyEncoding() {
        return Replies.ENCODING;
    }

    /**
     * Writes binary answers from the finished call alone (its request or opcode in
     * {@link Call#render}, its typed result; the hit and miss counters were kept by the shard that
     * ran it, {@link #counted}), into the buffer it was opened on: so the shard owning a key may
     * answer a connection of another shard ({@code io.dash4j.server.OwnerReplies}). Each encoder
     * has its own {@link ResponseWriter} (a header scratch array) for its one thread.
     */
    static final class Replies implements ReplyEncoding.Encoder {

        static final ReplyEncoding ENCODING = (shard, out) -> new Replies(out);

        private final OutBuf out;
        private final ResponseWriter writer = new ResponseWriter();

        private Replies(OutBuf out) {
            this.out = out;
        }

        @Override
        public void encode(Call call) {
            encode(call, out);
        }

        private void encode(Call call, OutBuf out) {
            if (call.render instanceof Refusal f) {
                writer.error(out, f.opcode, f.status, f.opaque, f.text);
                return;
            }
            if (call.render instanceof Opcode op) {
                encodeGet(call, op, out);
                return;
            }
            BinaryRequest r = (BinaryRequest) call.render;
            Opcode op = r.opcode;
            Object result = call.result;
            if (result instanceof CommandError e) {
                writer.error(out, op.code, statusOf(e), r.opaque); // errors are answered even when quiet
                return;
            }
            if (result instanceof WriteStatus w && w != WriteStatus.STORED) {
                writer.error(out, op.code, failure(op.kind, w), r.opaque);
                return;
            }
            switch (op.kind) {
                case GET, GAT, TOUCH -> {
                    byte[] e = (byte[]) result;
                    if (e == null) {
                        if (op.quiet) {
                            return; // quiet gets answer only hits
                        }
                        if (op.returnsKey) {
                            writer.missWithKey(out, op.code, r.opaque, r.key);
                        } else {
                            writer.error(out, op.code, Status.KEY_NOT_FOUND, r.opaque);
                        }
                        return;
                    }
                    int vo = Entry.valueOffset(e);
                    writer.item(out, op.code, r.opaque, Entry.cas(e), Entry.flags(e), e, Entry.keyOffset(e),
                            Entry.keyLength(e), op.returnsKey, vo, op.kind == Opcode.Kind.TOUCH ? -1 : e.length - vo);
                }
                case INCREMENT, DECREMENT -> {
                    if (!op.quiet) {
                        Counter n = (Counter) result;
                        writer.counter(out, op.code, r.opaque, n.cas(), n.value());
                    }
                }
                case SET, ADD, REPLACE, APPEND, PREPEND -> {
                    if (!op.quiet) {
                        writer.empty(out, op.code, r.opaque, r.storedCas);
                    }
                }
                case VERSION -> writer.text(out, op.code, r.opaque, McStats.VERSION);
                case STAT -> {
                    @SuppressWarnings("unchecked")
                    List<McStats.Stat> stats = (List<McStats.Stat>) result;
                    for (McStats.Stat st : stats) {
                        writer.stat(out, op.code, r.opaque, st.name(), st.value());
                    }
                    writer.stat(out, op.code, r.opaque, "", ""); // the end of the list
                }
                default -> {
                    if (!op.quiet) {
                        writer.empty(out, op.code, r.opaque, 0);
                    }
                }
            }
        }

        /** The answer of a get framed without a request object ({@link #getFast}). */
        private void encodeGet(Call call, Opcode op, OutBuf out) {
            int opaque = (int) call.number;
            if (call.result instanceof CommandError e) {
                writer.error(out, op.code, statusOf(e), opaque);
                return;
            }
            byte[] e = (byte[]) call.result;
            if (e == null) {
                if (op.quiet) {
                    return; // quiet gets answer only hits
                }
                if (op.returnsKey) {
                    writer.missWithKey(out, op.code, opaque, call.key.bytes, call.key.off, call.key.len);
                } else {
                    writer.error(out, op.code, Status.KEY_NOT_FOUND, opaque);
                }
                return;
            }
            int vo = Entry.valueOffset(e);
            writer.item(out, op.code, opaque, Entry.cas(e), Entry.flags(e), e, Entry.keyOffset(e), Entry.keyLength(e),
                    op.returnsKey, vo, e.length - vo);
        }
    }

    /**
     * Counts {@code result} in the hit/miss counters of {@code stats} (the text protocol's) of the
     * shard that ran it, and returns it. Counted there, in the key's order of operations, a
     * {@code stats reset} that follows a request on the connection also clears its count.
     */
    private static Object counted(Shard s, BinaryRequest r, Object result) {
        long[] st = s.memcachedStats;
        switch (r.opcode.kind) {
            case GET, GAT, TOUCH -> {
                boolean hit = result instanceof byte[];
                if (r.opcode.kind != Opcode.Kind.TOUCH) {
                    st[hit ? GET_HITS : GET_MISSES]++;
                }
                if (r.opcode.kind != Opcode.Kind.GET) {
                    st[hit ? TOUCH_HITS : TOUCH_MISSES]++;
                }
            }
            case DELETE -> {
                if (result == WriteStatus.STORED || result == WriteStatus.NOT_FOUND) {
                    st[result == WriteStatus.STORED ? DELETE_HITS : DELETE_MISSES]++;
                }
            }
            case INCREMENT, DECREMENT -> {
                boolean incr = r.opcode.kind == Opcode.Kind.INCREMENT;
                if (result instanceof Counter) {
                    st[incr ? INCR_HITS : DECR_HITS]++;
                } else if (result == WriteStatus.NOT_FOUND) {
                    st[incr ? INCR_MISSES : DECR_MISSES]++;
                }
            }
            case SET, ADD, REPLACE -> {
                if (r.cas != 0) {
                    if (result == WriteStatus.STORED) {
                        st[CAS_HITS]++;
                    } else if (result == WriteStatus.EXISTS) {
                        st[CAS_BADVAL]++;
                    } else if (result == WriteStatus.NOT_FOUND) {
                        st[CAS_MISSES]++;
                    }
                }
            }
            default -> {
            }
        }
        return result;
    }

    /**
     * The status memcached answers for a write that did not happen: an ADD that found the key
     * "exists", a REPLACE that missed "not found", an APPEND/PREPEND that missed "not stored"; a
     * CAS mismatch "exists" and a CAS on a missing key "not found".
     */
    static int failure(Opcode.Kind kind, WriteStatus w) {
        return switch (w) {
            case EXISTS -> Status.KEY_EXISTS;
            case NOT_FOUND -> Status.KEY_NOT_FOUND;
            case NOT_STORED -> kind == Opcode.Kind.ADD ? Status.KEY_EXISTS
                    : kind == Opcode.Kind.REPLACE ? Status.KEY_NOT_FOUND : Status.NOT_STORED;
            case STORED -> Status.OK;
        };
    }

    /** A typed error as a binary status. */
    static int statusOf(CommandError e) {
        return switch (e.kind()) {
            case TOO_BIG -> Status.VALUE_TOO_LARGE;
            case OOM -> Status.OUT_OF_MEMORY;
            case NOT_INTEGER -> Status.NON_NUMERIC;
            case SYNTAX, INVALID_EXPIRE, OUT_OF_RANGE, OVERFLOW, WRONG_ARITY -> Status.INVALID_ARGUMENTS;
            case UNKNOWN_COMMAND, NOT_SUPPORTED -> Status.UNKNOWN_COMMAND;
            default -> Status.INTERNAL_ERROR;
        };
    }
}
