package io.dash4j.server.memcache;

import io.dash4j.server.Call;
import io.dash4j.server.Connection;
import io.dash4j.server.OutBuf;
import io.dash4j.server.Server;
import io.dash4j.server.Shard;
import io.dash4j.server.ShardSnapshot;
import io.dash4j.server.codec.Codec;
import io.dash4j.server.codec.InputBuffer;
import io.dash4j.server.codec.ReplyEncoding;
import io.dash4j.server.ShardFn;
import io.dash4j.server.command.CommandError;
import io.dash4j.server.command.Handler;
import io.dash4j.server.command.KeyOps;
import io.dash4j.server.command.MemcachedOps;
import io.dash4j.server.command.MemcachedOps.StoreMode;
import io.dash4j.server.command.WriteStatus;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static io.dash4j.server.memcache.McStats.*;

/**
 * The memcached text protocol on one connection: get/gets/gat/gats, set/add/replace/append/
 * prepend/cas with their data blocks, delete, incr/decr, touch, flush_all, stats, version,
 * verbosity, quit, and noreply. Each command is framed and checked here, then runs as the
 * matching {@link MemcachedOps} operation on its key's owner; {@link TextReplies} turns the typed
 * results ({@link WriteStatus}, entries, counters, {@link CommandError}) into memcached's lines,
 * here or, for a one-key get, a store or an incr/decr from another shard's connection, on the
 * key's owner ({@link #replyEncoding}).
 * Items share the keyspace with RESP (a RESP string reads as flags 0).
 *
 * <p><b>What a get or a set costs.</b> The line is split in place ({@link CommandLine}: offsets
 * into the input buffer, numbers read from those bytes, the verb matched without a String). A
 * call comes from the connection's pool; its key is copied into the call's own buffer
 * ({@link Call#ownKey}: another shard may run the command after the input buffer moved on), its
 * parsed arguments ride in {@link Call#opts}, {@link Call#number} and {@link Call#entry}, and it
 * runs a shared handler and shard function, so a get hit allocates nothing. A storage command's
 * data block is read straight into the entry it stores (key, flags and a CAS field the owner
 * fills in), that entry being the write's one allocation. A single-key get runs as one part on
 * its owner and answers the entry itself; a get of several keys fans out once per owning shard
 * ({@link Call#onKeys}). The VALUE line and the data are written from the stored entry straight
 * into the output buffer.
 */
public final class McTextCodec extends Codec {

    /** Keys longer than this are refused (memcached's KEY_MAX_LENGTH). */
    static final int KEY_MAX = 250;

    static final byte[] END = ascii("END\r\n");
    static final byte[] OK = ascii("OK\r\n");
    private static final byte[] ERROR = ascii("ERROR\r\n");
    static final String BAD_FORMAT = "CLIENT_ERROR bad command line format";
    static final String OOM = "SERVER_ERROR out of memory storing object";
    static final String TOO_LARGE = "SERVER_ERROR object too large for cache";

    /** How a call's result is written: the command's reply kind and its options. */
    enum Kind { LINE, STORE, CAS, RETRIEVE, DELETE, INCR, DECR, TOUCH, FLUSH }

    /** A reply form; instances are shared (see {@link #form}), so a call allocates none. */
    record Form(Kind kind, boolean noreply, boolean withCas, boolean touch) {
    }

    private static final Form[] FORMS = new Form[Kind.values().length * 8];

    static {
        for (Kind k : Kind.values()) {
            for (int bits = 0; bits < 8; bits++) {
                FORMS[k.ordinal() * 8 + bits] = new Form(k, (bits & 4) != 0, (bits & 2) != 0, (bits & 1) != 0);
            }
        }
    }

    static Form form(Kind k, boolean noreply, boolean withCas, boolean touch) {
        return FORMS[k.ordinal() * 8 + (noreply ? 4 : 0) + (withCas ? 2 : 0) + (touch ? 1 : 0)];
    }

    private static final Form LINE = form(Kind.LINE, false, false, false);

    /**
     * A storage command's mode, exptime and client flags: the call's opts (its key is the call's,
     * its data is in the call's value buffer {@link Call#value}, or, for a block over
     * {@link Call#MAX_OWN_VALUE}, in the entry {@link Call#entry} with its flags and CAS field; the
     * expected CAS of a cas in {@link Call#number}). Shared per mode when exptime and flags are 0,
     * so a plain set allocates none.
     */
    private record StoreSpec(StoreMode mode, long exptime, int flags) {
    }

    private static final StoreSpec[] PLAIN_SPEC = new StoreSpec[StoreMode.values().length];

    static {
        for (StoreMode m : StoreMode.values()) {
            PLAIN_SPEC[m.ordinal()] = new StoreSpec(m, 0, 0);
        }
    }

    /** A get/gets/gat/gats: whether it answers CAS uniques, and gat's new exptime. */
    private record Retrieve(boolean withCas, boolean touch, long exptime) {
    }

    private static final Retrieve GET_PLAIN = new Retrieve(false, false, 0);
    private static final Retrieve GETS_PLAIN = new Retrieve(true, false, 0);

    /**
     * The storage command whose data block is arriving: its call (key, spec, entry) or null while
     * a refused command's block is swallowed; {@link #dataLength} bytes plus CRLF, {@link #fill}
     * of them read so far.
     */
    private Call pendingCall;
    private boolean pending;
    private int dataLength;
    private int fill;
    private boolean badChunkEnd;
    private final Shard shard;
    /** The line being handled, split in place (reused for every line). */
    private final CommandLine line = new CommandLine();

    /** This connection's reply encoder: on its output buffer, counting into its shard's stats. */
    private final ReplyEncoding.Encoder replies;

    public McTextCodec(Connection conn) {
        super(conn);
        this.shard = conn.shard;
        this.replies = TextReplies.ENCODING.open(conn.shard, conn.output());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String name() {
        return "memcached";
    }

    @Override
    public void protocolError(String message) {
        conn.countProtocolError();
        conn.replyNow(message, LINE);
        pending = false;
        pendingCall = null;
        conn.input().discard();
        conn.closeAfterReplies();
    }

    // ------------------------------------------------------------------ encoding

    @Override
    public void encode(Call c, OutBuf out) {
        replies.encode(c); // out is the connection's output buffer, which replies writes to
    }

    @Override
    public ReplyEncoding replyEncoding() {
        return TextReplies.ENCODING;
    }

    /** memcached's text for a typed error (errors are sent even with noreply, as before). */
    static String errorLine(CommandError e, Kind kind) {
        return switch (e.kind()) {
            case OOM -> CommandError.VALUE_LARGER_THAN_CACHE.equals(e.limit()) ? TOO_LARGE : OOM;
            case TOO_BIG -> TOO_LARGE;
            case NOT_INTEGER -> kind == Kind.INCR || kind == Kind.DECR
                    ? "CLIENT_ERROR cannot increment or decrement non-numeric value" : "CLIENT_ERROR " + e.message();
            case INTERNAL -> "SERVER_ERROR " + e.message();
            default -> "CLIENT_ERROR " + e.message();
        };
    }

    // ------------------------------------------------------------------ framing

    @Override
    public boolean parseOne() {
        if (pending) {
            return data();
        }
        InputBuffer in = conn.input();
        int nl = in.indexOf(in.rpos, (byte) '\n');
        if (nl < 0) {
            if (in.available() > conn.config().maxInlineLen) {
                protocolError("CLIENT_ERROR line too long");
            }
            return false;
        }
        int end = nl > in.rpos && in.bytes[nl - 1] == '\r' ? nl - 1 : nl;
        line.split(in.bytes, in.rpos, end);
        // the tokens stay valid while this line is handled: nothing reads into the buffer meanwhile
        in.rpos = nl + 1;
        try {
            if (line.count() == 0) {
                conn.replyNow(ERROR, LINE);
            } else {
                command();
            }
        } finally {
            line.release();
        }
        return true;
    }

    /**
     * Reads the data block of the pending storage command straight into the call's value buffer
     * or, for a large block, its entry's value (or skips it for a refused command), checks the
     * CRLF after it, and runs the command once the block is complete.
     */
    private boolean data() {
        InputBuffer in = conn.input();
        Call c = pendingCall;
        int take = Math.min(dataLength + 2 - fill, in.available());
        if (c != null) {
            byte[] e = c.entry;
            int into = Math.min(take, Math.max(0, dataLength - fill));
            if (into > 0) { // past the data (only its CRLF left) the offset would point beyond the value
                if (e == null) {
                    System.arraycopy(in.bytes, in.rpos, c.value, fill, into);
                } else {
                    System.arraycopy(in.bytes, in.rpos, e, Entry.valueOffset(e) + fill, into);
                }
            }
            for (int i = into; i < take; i++) {
                // the two bytes after the data must be CRLF
                int at = fill + i - dataLength;
                badChunkEnd |= in.bytes[in.rpos + i] != (at == 0 ? '\r' : '\n');
            }
        }
        fill += take;
        in.rpos += take;
        if (fill < dataLength + 2) {
            return false;
        }
        pending = false;
        pendingCall = null;
        if (c == null) {
            return true; // the error was answered when the command line arrived
        }
        conn.account(-(long) dataLength);
        if (badChunkEnd) {
            conn.replyNow("CLIENT_ERROR bad data chunk", LINE);
            return true;
        }
        shard.memcachedStats[CMD_SET]++;
        if (((Form) c.render).kind() == Kind.STORE) {
            c.letOwnerReply(); // not a cas (it counts its outcome): one line from the call alone, the owner may write it
        }
        conn.dispatch(c, STORE);
        return true;
    }

    // ------------------------------------------------------------------ commands

    private void command() {
        CommandLine t = line;
        TextVerb verb = TextVerb.of(t);
        if (verb == null) {
            conn.setLastCommand(t.text(0));
            conn.replyNow(ERROR, LINE);
            return;
        }
        conn.setLastCommand(verb.wireName);
        switch (verb) {
            case GET -> retrieve(1, GET_PLAIN);
            case GETS -> retrieve(1, GETS_PLAIN);
            case GAT, GATS -> {
                if (t.count() < 3) {
                    conn.replyNow(ERROR, LINE);
                    return;
                }
                long exp = t.signed(1);
                if (exp == CommandLine.NOT_A_NUMBER) {
                    conn.replyNow("CLIENT_ERROR invalid exptime argument", LINE);
                    return;
                }
                retrieve(2, new Retrieve(verb == TextVerb.GATS, true, exp));
            }
            case SET -> storage(StoreMode.SET);
            case ADD -> storage(StoreMode.ADD);
            case REPLACE -> storage(StoreMode.REPLACE);
            case APPEND -> storage(StoreMode.APPEND);
            case PREPEND -> storage(StoreMode.PREPEND);
            case CAS -> storage(StoreMode.CAS);
            case DELETE -> delete();
            case INCR, DECR -> arith(verb == TextVerb.INCR);
            case TOUCH -> touch();
            case FLUSH_ALL -> flushAll();
            case STATS -> stats();
            case VERSION -> conn.replyNow("VERSION " + McStats.VERSION, LINE);
            case VERBOSITY -> {
                // memcached: "verbosity [level] [noreply]" takes 1 or 2 arguments; "verbosity noreply" is a silent no-op
                boolean noreply = t.noreply();
                if (t.count() < 2 || t.count() > 3) {
                    conn.replyNow(ERROR, LINE);
                    return;
                }
                conn.replyNow(noreply ? null : OK, LINE);
            }
            case QUIT -> {
                conn.stopReading();
                conn.replyNow(null, LINE);
            }
            case SHUTDOWN -> conn.replyNow("ERROR: shutdown not enabled", LINE);
        }
    }

    private void storage(StoreMode mode) {
        CommandLine t = line;
        boolean noreply = t.noreply();
        int n = t.count() - (noreply ? 1 : 0);
        if (n != (mode == StoreMode.CAS ? 6 : 5)) {
            conn.replyNow(ERROR, LINE);
            return;
        }
        long flags = t.unsigned(2, 32);
        boolean flagsOk = t.numberOk();
        long exptime = t.signed(3);
        long len = t.signed(4);
        long cas = mode == StoreMode.CAS ? t.unsigned(5, 64) : 0;
        boolean casOk = mode != StoreMode.CAS || t.numberOk();
        boolean lenOk = len != CommandLine.NOT_A_NUMBER && len >= 0;
        if (!t.validKey(1) || !flagsOk || exptime == CommandLine.NOT_A_NUMBER || !lenOk || !casOk) {
            conn.replyNow(BAD_FORMAT, LINE);
            if (lenOk) {
                expectData(null, len); // the data block still follows: skip it so it is not read as commands
            }
            return;
        }
        if (MemcachedOps.valueTooLarge(t.length(1), len, conn.config().itemSizeMax)) {
            // answered now, the data swallowed; a set also drops the old value (as memcached does)
            if (mode == StoreMode.SET) {
                Call c = conn.obtainCall();
                c.render = LINE;
                t.ownKey(c, 1);
                conn.dispatch(c, DROP_TOO_LARGE);
            } else {
                conn.replyNow(TOO_LARGE, LINE);
            }
            expectData(null, len);
            return;
        }
        if (!conn.mayHold(len + 2)) {
            conn.countClientMemoryDisconnect();
            protocolError(OOM);
            return;
        }
        Call c = conn.obtainCall();
        Key key = t.ownKey(c, 1);
        c.render = form(mode == StoreMode.CAS ? Kind.CAS : Kind.STORE, noreply, false, false);
        c.opts = exptime == 0 && flags == 0 ? PLAIN_SPEC[mode.ordinal()] : new StoreSpec(mode, exptime, (int) flags);
        c.number = cas;
        if (len <= Call.MAX_OWN_VALUE) {
            // read into the call's value buffer: the owner writes it into the stored entry when
            // it can (a same-length overwrite of a private entry), else into a new one
            c.valueBuffer((int) len);
        } else {
            // the entry is the write's one allocation: the data block is read into its value, and
            // the owner shard fills in the CAS unique (1 here only reserves the field)
            c.entry = Entry.allocate(key, (int) flags, 1, (int) len);
        }
        conn.account(len);
        expectData(c, len);
    }

    /** The next {@code len} bytes and CRLF are {@code c}'s data block (or, with no call, are skipped). */
    private void expectData(Call c, long len) {
        pending = true;
        pendingCall = c;
        dataLength = (int) Math.min(len, Integer.MAX_VALUE - 2);
        fill = 0;
        badChunkEnd = false;
    }

    // The shard side of each command: a shared handler and shard function reading the call's opts
    // (a Store, a Key, a Retrieve...), so starting a command allocates no lambda.

    private static final ShardFn DROP_TOO_LARGE_FN = (s, cl, part) -> {
        KeyOps.delete(s.store, cl.key);
        return CommandError.TOO_BIG_ITEM;
    };
    private static final Handler DROP_TOO_LARGE = call -> call.onKey(call.key, DROP_TOO_LARGE_FN);

    private static final ShardFn STORE_FN = (s, cl, part) -> {
        StoreSpec spec = (StoreSpec) cl.opts;
        long itemSizeMax = s.server().config().itemSizeMax;
        WriteStatus w = cl.entry != null
                ? MemcachedOps.storeEntry(s.store, cl.key, spec.mode(), cl.entry, spec.exptime(), cl.number,
                        MemcachedOps.nextCas(s), itemSizeMax)
                : MemcachedOps.store(s.store, cl.key, spec.mode(), cl.value, 0, cl.valueLength, spec.flags(),
                        spec.exptime(), cl.number, MemcachedOps.nextCas(s), itemSizeMax);
        if (w == WriteStatus.STORED) {
            s.memcachedStats[TOTAL_ITEMS]++;
        }
        return w;
    };
    private static final Handler STORE = call -> call.onKey(call.key, STORE_FN);

    /** One key: the entry (or null) is the call's result. */
    private static final ShardFn RETRIEVE_ONE_FN = (s, cl, part) -> {
        Retrieve r = (Retrieve) cl.opts;
        return MemcachedOps.retrieve(s, cl.key, r.withCas(), r.touch(), r.exptime());
    };
    private static final Handler RETRIEVE_ONE = call -> call.onKey(call.key, RETRIEVE_ONE_FN);

    /** Several keys: one part per owning shard fills the slots of its keys. */
    private static final ShardFn RETRIEVE_GROUP_FN = (s, cl, part) -> {
        Retrieve r = (Retrieve) cl.opts;
        for (int i : cl.groups[part]) {
            cl.slots[i] = MemcachedOps.retrieve(s, cl.keys[i], r.withCas(), r.touch(), r.exptime());
        }
        return null;
    };
    private static final Handler RETRIEVE_MANY = call -> call.onKeys(RETRIEVE_GROUP_FN, null);

    private void retrieve(int first, Retrieve how) {
        CommandLine t = line;
        int n = t.count() - first;
        if (n <= 0) {
            conn.replyNow(ERROR, LINE);
            return;
        }
        for (int i = first; i < t.count(); i++) {
            if (!t.validKey(i)) {
                conn.replyNow(BAD_FORMAT, LINE);
                return;
            }
        }
        shard.memcachedStats[how.touch() ? CMD_TOUCH : CMD_GET] += n;
        if (how.touch()) {
            shard.memcachedStats[CMD_GET] += n;
        }
        Call c = conn.obtainCall();
        if (n == 1) {
            t.ownKey(c, first); // the call's own key: no object per key
        } else {
            c.keys = t.keys(first); // views of one copy of the keys: kept until every owner answered
        }
        c.opts = how;
        c.render = form(Kind.RETRIEVE, false, how.withCas(), how.touch());
        if (n == 1 && !how.touch()) {
            c.letOwnerReply(); // one entry or none: the key's owner may write (and count) the reply
        }
        conn.dispatch(c, n == 1 ? RETRIEVE_ONE : RETRIEVE_MANY);
    }

    private static final ShardFn DELETE_FN = (s, cl, part) -> KeyOps.delete(s.store, cl.key);
    private static final Handler DELETE = call -> call.onKey(call.key, DELETE_FN);

    private void delete() {
        CommandLine t = line;
        boolean noreply = t.noreply();
        int n = t.count() - (noreply ? 1 : 0);
        if (n < 2 || n > 3 || (n == 3 && !t.is(2, ZERO))) {
            conn.replyNow(n == 3 ? "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]" : ERROR,
                    LINE);
            return;
        }
        if (!t.validKey(1)) {
            conn.replyNow(BAD_FORMAT, LINE);
            return;
        }
        Call c = conn.obtainCall();
        c.render = form(Kind.DELETE, noreply, false, false);
        t.ownKey(c, 1);
        conn.dispatch(c, DELETE);
    }

    private static final byte[] ZERO = ascii("0");

    /** incr/decr: the delta is the call's number, the direction its reply form's kind. */
    private static final ShardFn ARITH_FN = (s, cl, part) -> MemcachedOps.arith(s.store, cl.key,
            ((Form) cl.render).kind() == Kind.INCR, cl.number, MemcachedOps.nextCas(s));
    private static final Handler ARITH = call -> call.onKey(call.key, ARITH_FN);

    private void arith(boolean incr) {
        CommandLine t = line;
        boolean noreply = t.noreply();
        int n = t.count() - (noreply ? 1 : 0);
        if (n != 3) {
            conn.replyNow(ERROR, LINE);
            return;
        }
        if (!t.validKey(1)) {
            conn.replyNow(BAD_FORMAT, LINE);
            return;
        }
        long delta = t.unsigned(2, 64);
        if (!t.numberOk()) {
            conn.replyNow("CLIENT_ERROR invalid numeric delta argument", LINE);
            return;
        }
        Call c = conn.obtainCall();
        c.render = form(incr ? Kind.INCR : Kind.DECR, noreply, false, false);
        t.ownKey(c, 1);
        c.number = delta;
        c.letOwnerReply(); // a number or NOT_FOUND: the key's owner may write (and count) the reply
        conn.dispatch(c, ARITH);
    }

    private void touch() {
        CommandLine t = line;
        boolean noreply = t.noreply();
        int n = t.count() - (noreply ? 1 : 0);
        if (n != 3) {
            conn.replyNow(ERROR, LINE);
            return;
        }
        long exp = t.signed(2);
        if (!t.validKey(1)) {
            conn.replyNow(BAD_FORMAT, LINE);
            return;
        }
        if (exp == CommandLine.NOT_A_NUMBER) {
            conn.replyNow("CLIENT_ERROR invalid exptime argument", LINE);
            return;
        }
        Key key = t.key(1);
        shard.memcachedStats[CMD_TOUCH]++;
        Call c = conn.obtainCall();
        c.render = form(Kind.TOUCH, noreply, false, false);
        conn.dispatch(c, call -> call.onKey(key, (s, cl, part) -> MemcachedOps.touch(s.store, key, exp)));
    }

    private void flushAll() {
        CommandLine t = line;
        boolean noreply = t.noreply();
        int n = t.count() - (noreply ? 1 : 0);
        if (n > 2) {
            conn.replyNow(ERROR, LINE);
            return;
        }
        long delay = 0;
        if (n == 2) {
            long d = t.signed(1);
            if (d == CommandLine.NOT_A_NUMBER || d < 0) {
                conn.replyNow("CLIENT_ERROR invalid exptime argument", LINE);
                return;
            }
            delay = d;
        }
        shard.memcachedStats[CMD_FLUSH]++;
        long now = conn.config().clock.getAsLong();
        long at = MemcachedOps.flushDeadline(delay, now);
        Call c = conn.obtainCall();
        c.render = form(Kind.FLUSH, noreply, false, false);
        conn.dispatch(c, call -> call.onAllShards((s, cl, part) -> {
            MemcachedOps.flush(s, at);
            return null;
        }, null));
    }

    private void stats() {
        CommandLine t = line;
        if (t.count() > 1) {
            switch (t.text(1)) {
                case "reset" -> {
                    Call c = conn.obtainCall();
                    c.render = LINE;
                    conn.dispatch(c, call -> call.onAllShards((s, cl, part) -> {
                        s.resetStats();
                        return null;
                    }, cl -> "RESET"));
                }
                case "settings" -> conn.replyNow(statsText(McStats.settings(conn.server())), LINE);
                case "items", "slabs", "sizes", "conns" -> conn.replyNow(END, LINE);
                default -> conn.replyNow(ERROR, LINE);
            }
            return;
        }
        Server server = conn.server();
        Call c = conn.obtainCall();
        c.render = LINE;
        conn.dispatch(c, call -> call.onAllShards((s, cl, part) -> s.snapshot(), cl -> {
            ShardSnapshot[] snaps = Arrays.stream(cl.results).map(ShardSnapshot.class::cast).toArray(ShardSnapshot[]::new);
            return statsText(McStats.general(server, snaps));
        }));
    }

    /** Stats as memcached's text: a {@code STAT name value} line each, then {@code END}. */
    static byte[] statsText(List<McStats.Stat> stats) {
        StringBuilder b = new StringBuilder(stats.size() * 24);
        for (McStats.Stat st : stats) {
            b.append("STAT ").append(st.name()).append(' ').append(st.value()).append("\r\n");
        }
        return b.append("END\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
