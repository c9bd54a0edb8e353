package io.dash4j.server.memcache;

import io.dash4j.server.Call;
import io.dash4j.server.Connection;
import io.dash4j.server.OutBuf;
import io.dash4j.server.Server;
import io.dash4j.server.Shard;
import io.dash4j.server.ShardSnapshot;
import io.dash4j.server.codec.Codec;
import io.dash4j.server.codec.InputBuffer;
import io.dash4j.server.command.CommandError;
import io.dash4j.server.command.KeyOps;
import io.dash4j.server.command.MemcachedOps;
import io.dash4j.server.command.MemcachedOps.StoreMode;
import io.dash4j.server.command.WriteStatus;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.dash4j.server.memcache.McStats.*;

/**
 * The memcached text protocol on one connection: get/gets/gat/gats, set/add/replace/append/
 * prepend/cas with their data blocks, delete, incr/decr, touch, flush_all, stats, version,
 * verbosity, quit, and noreply. Each command is framed and checked here, then runs as the
 * matching {@link MemcachedOps} operation on its key's owner; this class only turns the typed
 * results ({@link WriteStatus}, entries, counters, {@link CommandError}) into memcached's lines.
 * Items share the keyspace with RESP (a RESP string reads as flags 0).
 */
public final class McTextCodec extends Codec {

    /** Keys longer than this are refused (memcached's KEY_MAX_LENGTH). */
    static final int KEY_MAX = 250;

    private static final byte[] STORED = ascii("STORED\r\n");
    private static final byte[] NOT_STORED = ascii("NOT_STORED\r\n");
    private static final byte[] EXISTS = ascii("EXISTS\r\n");
    private static final byte[] NOT_FOUND = ascii("NOT_FOUND\r\n");
    private static final byte[] DELETED = ascii("DELETED\r\n");
    private static final byte[] TOUCHED = ascii("TOUCHED\r\n");
    private static final byte[] END = ascii("END\r\n");
    private static final byte[] OK = ascii("OK\r\n");
    private static final byte[] ERROR = ascii("ERROR\r\n");
    private static final byte[] VALUE = ascii("VALUE ");
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

    /** A storage command waiting for (or swallowing) its data block. */
    private static final class Pending {
        final StoreMode mode;
        final byte[] key;
        final int flags;
        final long exptime;
        final long cas;
        final boolean noreply;
        final int length; // data bytes, without the CRLF
        byte[] data;
        int fill;
        boolean swallow;

        Pending(StoreMode mode, byte[] key, int flags, long exptime, long cas, boolean noreply, int length) {
            this.mode = mode;
            this.key = key;
            this.flags = flags;
            this.exptime = exptime;
            this.cas = cas;
            this.noreply = noreply;
            this.length = length;
        }
    }

    private Pending pending;
    private final Shard shard;

    public McTextCodec(Connection conn) {
        super(conn);
        this.shard = conn.shard;
    }

    private static byte[] ascii(String s) {
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
        pending = null;
        conn.input().discard();
        conn.closeAfterReplies();
    }

    // ------------------------------------------------------------------ encoding

    @Override
    public void encode(Call c, OutBuf out) {
        Form f = (Form) c.render;
        Object r = c.result;
        if (r instanceof CommandError e) {
            out.ascii(errorLine(e, f == null ? Kind.LINE : f.kind()));
            out.crlf();
            return;
        }
        switch (f == null ? Kind.LINE : f.kind()) {
            case LINE -> line(out, r);
            case STORE, CAS -> {
                WriteStatus w = (WriteStatus) r;
                if (f.kind() == Kind.CAS) {
                    shard.memcachedStats[w == WriteStatus.STORED ? CAS_HITS : w == WriteStatus.EXISTS ? CAS_BADVAL
                            : w == WriteStatus.NOT_FOUND ? CAS_MISSES : 30]++;
                }
                if (!f.noreply()) {
                    out.write(switch (w) {
                        case STORED -> STORED;
                        case NOT_STORED -> NOT_STORED;
                        case EXISTS -> EXISTS;
                        case NOT_FOUND -> NOT_FOUND;
                    });
                }
            }
            case RETRIEVE -> values(out, c.slots, f);
            case DELETE -> {
                boolean hit = r == Boolean.TRUE;
                shard.memcachedStats[hit ? DELETE_HITS : DELETE_MISSES]++;
                if (!f.noreply()) {
                    out.write(hit ? DELETED : NOT_FOUND);
                }
            }
            case INCR, DECR -> {
                boolean hit = r instanceof Long;
                boolean incr = f.kind() == Kind.INCR;
                shard.memcachedStats[incr ? (hit ? INCR_HITS : INCR_MISSES) : (hit ? DECR_HITS : DECR_MISSES)]++;
                if (!f.noreply()) {
                    if (hit) {
                        out.unsigned((Long) r);
                        out.crlf();
                    } else {
                        out.write(NOT_FOUND);
                    }
                }
            }
            case TOUCH -> {
                boolean hit = r == Boolean.TRUE;
                shard.memcachedStats[hit ? TOUCH_HITS : TOUCH_MISSES]++;
                if (!f.noreply()) {
                    out.write(hit ? TOUCHED : NOT_FOUND);
                }
            }
            case FLUSH -> {
                if (!f.noreply()) {
                    out.write(OK);
                }
            }
        }
    }

    /** A raw reply: a line (String, CRLF added), raw bytes, or nothing (null). */
    private static void line(OutBuf out, Object r) {
        if (r instanceof byte[] b) {
            out.write(b);
        } else if (r instanceof String s) {
            out.ascii(s);
            out.crlf();
        }
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

    private void values(OutBuf out, Object[] slots, Form f) {
        long hits = 0;
        for (Object o : slots) {
            byte[] e = (byte[]) o;
            if (e == null) {
                continue;
            }
            hits++;
            int vo = Entry.valueOffset(e);
            out.write(VALUE);
            out.write(e, Entry.keyOffset(e), Entry.keyLength(e));
            out.write(' ');
            out.unsigned(Entry.flags(e) & 0xFFFFFFFFL);
            out.write(' ');
            out.decimal(e.length - vo);
            if (f.withCas()) {
                out.write(' ');
                out.unsigned(Entry.cas(e));
            }
            out.crlf();
            out.write(e, vo, e.length - vo);
            out.crlf();
        }
        out.write(END);
        shard.memcachedStats[GET_HITS] += hits;
        shard.memcachedStats[GET_MISSES] += slots.length - hits;
        if (f.touch()) {
            shard.memcachedStats[TOUCH_HITS] += hits;
            shard.memcachedStats[TOUCH_MISSES] += slots.length - hits;
        }
    }

    // ------------------------------------------------------------------ framing

    @Override
    public boolean parseOne() {
        if (pending != null) {
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
        List<byte[]> tokens = tokenize(in.bytes, in.rpos, end);
        in.rpos = nl + 1;
        if (tokens.isEmpty()) {
            conn.replyNow(ERROR, LINE);
            return true;
        }
        command(tokens);
        return true;
    }

    static List<byte[]> tokenize(byte[] a, int from, int to) {
        List<byte[]> t = new ArrayList<>();
        int i = from;
        while (i < to) {
            while (i < to && a[i] == ' ') {
                i++;
            }
            int s = i;
            while (i < to && a[i] != ' ') {
                i++;
            }
            if (i > s) {
                t.add(Arrays.copyOfRange(a, s, i));
            }
        }
        return t;
    }

    /** Copies the data block of the pending storage command; runs it once complete. */
    private boolean data() {
        InputBuffer in = conn.input();
        Pending p = pending;
        int need = p.length + 2 - p.fill;
        int take = Math.min(need, in.available());
        if (!p.swallow && take > 0) {
            System.arraycopy(in.bytes, in.rpos, p.data, p.fill, take);
        }
        p.fill += take;
        in.rpos += take;
        if (p.fill < p.length + 2) {
            return false;
        }
        pending = null;
        if (p.swallow) {
            return true; // the error was answered when the command line arrived
        }
        conn.account(-p.data.length);
        if (p.data[p.length] != '\r' || p.data[p.length + 1] != '\n') {
            conn.replyNow("CLIENT_ERROR bad data chunk", LINE);
            return true;
        }
        store(p);
        return true;
    }

    // ------------------------------------------------------------------ commands

    private static boolean is(byte[] t, String s) {
        return Arrays.equals(t, s.getBytes(StandardCharsets.US_ASCII));
    }

    private void command(List<byte[]> t) {
        String name = new String(t.get(0), StandardCharsets.US_ASCII);
        conn.setLastCommand(name);
        switch (name) {
            case "get", "gets" -> retrieve(t, 1, name.equals("gets"), false, 0);
            case "gat", "gats" -> {
                if (t.size() < 3) {
                    conn.replyNow(ERROR, LINE);
                    return;
                }
                Long exp = signed(t.get(1));
                if (exp == null) {
                    conn.replyNow("CLIENT_ERROR invalid exptime argument", LINE);
                    return;
                }
                retrieve(t, 2, name.equals("gats"), true, exp);
            }
            case "set" -> storage(t, StoreMode.SET);
            case "add" -> storage(t, StoreMode.ADD);
            case "replace" -> storage(t, StoreMode.REPLACE);
            case "append" -> storage(t, StoreMode.APPEND);
            case "prepend" -> storage(t, StoreMode.PREPEND);
            case "cas" -> storage(t, StoreMode.CAS);
            case "delete" -> delete(t);
            case "incr", "decr" -> arith(t, name.equals("incr"));
            case "touch" -> touch(t);
            case "flush_all" -> flushAll(t);
            case "stats" -> stats(t);
            case "version" -> conn.replyNow("VERSION " + McStats.VERSION, LINE);
            case "verbosity" -> {
                // memcached: "verbosity [level] [noreply]" takes 1 or 2 arguments; "verbosity noreply" is a silent no-op
                boolean noreply = noreply(t);
                if (t.size() < 2 || t.size() > 3) {
                    conn.replyNow(ERROR, LINE);
                    return;
                }
                conn.replyNow(noreply ? null : OK, LINE);
            }
            case "quit" -> {
                conn.stopReading();
                conn.replyNow(null, LINE);
            }
            case "shutdown" -> conn.replyNow("ERROR: shutdown not enabled", LINE);
            default -> conn.replyNow(ERROR, LINE);
        }
    }

    private static boolean noreply(List<byte[]> t) {
        return t.size() > 1 && is(t.get(t.size() - 1), "noreply");
    }

    /**
     * A valid key: 1..250 bytes. Like memcached itself, any byte but the separators (space, and the
     * line end, which the tokenizer already consumed) is accepted: memcaslap, for one, sends keys
     * with a binary prefix.
     */
    static boolean validKey(byte[] k) {
        return k.length > 0 && k.length <= KEY_MAX;
    }

    /** An unsigned decimal that fits {@code bits} bits, or null. */
    static Long unsigned(byte[] a, int bits) {
        if (a.length == 0 || a.length > 20) {
            return null;
        }
        long v = 0;
        for (byte b : a) {
            if (b < '0' || b > '9') {
                return null;
            }
            long d = b - '0';
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                return null; // overflows 64 bits
            }
            v = v * 10 + d;
        }
        if (bits < 64 && Long.compareUnsigned(v, (1L << bits) - 1) > 0) {
            return null;
        }
        return v;
    }

    /** A signed 32-bit decimal, or null. */
    static Long signed(byte[] a) {
        if (a.length == 0 || a.length > 11) {
            return null;
        }
        int i = 0;
        boolean neg = false;
        if (a[0] == '-' || a[0] == '+') {
            neg = a[0] == '-';
            i = 1;
            if (a.length == 1) {
                return null;
            }
        }
        long v = 0;
        for (; i < a.length; i++) {
            if (a[i] < '0' || a[i] > '9') {
                return null;
            }
            v = v * 10 + (a[i] - '0');
        }
        v = neg ? -v : v;
        return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : v;
    }

    private void storage(List<byte[]> t, StoreMode mode) {
        boolean noreply = noreply(t);
        int n = t.size() - (noreply ? 1 : 0);
        if (n != (mode == StoreMode.CAS ? 6 : 5)) {
            conn.replyNow(ERROR, LINE);
            return;
        }
        byte[] key = t.get(1);
        Long flags = unsigned(t.get(2), 32);
        Long exptime = signed(t.get(3));
        Long len = signed(t.get(4));
        Long cas = mode == StoreMode.CAS ? unsigned(t.get(5), 64) : Long.valueOf(0);
        if (!validKey(key) || flags == null || exptime == null || len == null || len < 0 || cas == null) {
            conn.replyNow(BAD_FORMAT, LINE);
            if (len != null && len >= 0) {
                // the data block still follows: skip it so it is not read as commands
                Pending skip = new Pending(mode, key, 0, 0, 0, true, (int) Math.min(len, Integer.MAX_VALUE - 2));
                skip.swallow = true;
                pending = skip;
            }
            return;
        }
        Pending p = new Pending(mode, key, (int) (long) flags, exptime, cas, noreply, (int) (long) len);
        if (MemcachedOps.valueTooLarge(key.length, len, conn.config().itemSizeMax)) {
            // answered now, the data swallowed; a set also drops the old value (as memcached does)
            p.swallow = true;
            pending = p;
            if (mode == StoreMode.SET) {
                Call c = new Call(conn, null);
                c.render = LINE;
                Key k = new Key(key);
                conn.dispatch(c, call -> call.onKey(k, (s, cl, part) -> {
                    KeyOps.delete(s.store, k);
                    return CommandError.TOO_BIG_ITEM;
                }));
            } else {
                conn.replyNow(TOO_LARGE, LINE);
            }
            return;
        }
        if (!conn.mayHold(len + 2)) {
            conn.countClientMemoryDisconnect();
            protocolError(OOM);
            return;
        }
        p.data = new byte[(int) (len + 2)];
        conn.account(p.data.length);
        pending = p;
    }

    private void store(Pending p) {
        Call c = new Call(conn, null);
        c.render = form(p.mode == StoreMode.CAS ? Kind.CAS : Kind.STORE, p.noreply, false, false);
        shard.memcachedStats[CMD_SET]++;
        Key key = new Key(p.key);
        long itemSizeMax = conn.config().itemSizeMax;
        conn.dispatch(c, call -> call.onKey(key, (s, cl, part) -> {
            WriteStatus w = MemcachedOps.store(s.store, key, p.mode, p.data, 0, p.length, p.flags, p.exptime, p.cas,
                    MemcachedOps.nextCas(s), itemSizeMax);
            if (w == WriteStatus.STORED) {
                s.memcachedStats[TOTAL_ITEMS]++;
            }
            return w;
        }));
    }

    private void retrieve(List<byte[]> t, int first, boolean withCas, boolean touch, long exptime) {
        if (t.size() <= first) {
            conn.replyNow(ERROR, LINE);
            return;
        }
        Key[] keys = new Key[t.size() - first];
        for (int i = 0; i < keys.length; i++) {
            byte[] k = t.get(first + i);
            if (!validKey(k)) {
                conn.replyNow(BAD_FORMAT, LINE);
                return;
            }
            keys[i] = new Key(k);
        }
        shard.memcachedStats[touch ? CMD_TOUCH : CMD_GET] += keys.length;
        if (touch) {
            shard.memcachedStats[CMD_GET] += keys.length;
        }
        Call c = new Call(conn, null);
        c.keys = keys;
        c.render = form(Kind.RETRIEVE, false, withCas, touch);
        conn.dispatch(c, call -> call.onKeys((s, cl, part) -> {
            for (int i : cl.groups[part]) {
                cl.slots[i] = MemcachedOps.retrieve(s, cl.keys[i], withCas, touch, exptime);
            }
            return null;
        }, null));
    }

    private void delete(List<byte[]> t) {
        boolean noreply = noreply(t);
        int n = t.size() - (noreply ? 1 : 0);
        if (n < 2 || n > 3 || (n == 3 && !is(t.get(2), "0"))) {
            conn.replyNow(n == 3 ? "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]" : ERROR,
                    LINE);
            return;
        }
        byte[] k = t.get(1);
        if (!validKey(k)) {
            conn.replyNow(BAD_FORMAT, LINE);
            return;
        }
        Call c = new Call(conn, null);
        c.render = form(Kind.DELETE, noreply, false, false);
        Key key = new Key(k);
        conn.dispatch(c, call -> call.onKey(key, (s, cl, part) -> KeyOps.delete(s.store, key)));
    }

    private void arith(List<byte[]> t, boolean incr) {
        boolean noreply = noreply(t);
        int n = t.size() - (noreply ? 1 : 0);
        if (n != 3) {
            conn.replyNow(ERROR, LINE);
            return;
        }
        byte[] k = t.get(1);
        if (!validKey(k)) {
            conn.replyNow(BAD_FORMAT, LINE);
            return;
        }
        Long delta = unsigned(t.get(2), 64);
        if (delta == null) {
            conn.replyNow("CLIENT_ERROR invalid numeric delta argument", LINE);
            return;
        }
        Key key = new Key(k);
        Call c = new Call(conn, null);
        c.render = form(incr ? Kind.INCR : Kind.DECR, noreply, false, false);
        conn.dispatch(c, call -> call.onKey(key,
                (s, cl, part) -> MemcachedOps.arith(s.store, key, incr, delta, MemcachedOps.nextCas(s))));
    }

    private void touch(List<byte[]> t) {
        boolean noreply = noreply(t);
        int n = t.size() - (noreply ? 1 : 0);
        if (n != 3) {
            conn.replyNow(ERROR, LINE);
            return;
        }
        byte[] k = t.get(1);
        Long exp = signed(t.get(2));
        if (!validKey(k)) {
            conn.replyNow(BAD_FORMAT, LINE);
            return;
        }
        if (exp == null) {
            conn.replyNow("CLIENT_ERROR invalid exptime argument", LINE);
            return;
        }
        Key key = new Key(k);
        shard.memcachedStats[CMD_TOUCH]++;
        Call c = new Call(conn, null);
        c.render = form(Kind.TOUCH, noreply, false, false);
        conn.dispatch(c, call -> call.onKey(key, (s, cl, part) -> MemcachedOps.touch(s.store, key, exp)));
    }

    private void flushAll(List<byte[]> t) {
        boolean noreply = noreply(t);
        int n = t.size() - (noreply ? 1 : 0);
        if (n > 2) {
            conn.replyNow(ERROR, LINE);
            return;
        }
        long delay = 0;
        if (n == 2) {
            Long d = signed(t.get(1));
            if (d == null || d < 0) {
                conn.replyNow("CLIENT_ERROR invalid exptime argument", LINE);
                return;
            }
            delay = d;
        }
        shard.memcachedStats[CMD_FLUSH]++;
        long now = conn.config().clock.getAsLong();
        long at = MemcachedOps.flushDeadline(delay, now);
        Call c = new Call(conn, null);
        c.render = form(Kind.FLUSH, noreply, false, false);
        conn.dispatch(c, call -> call.onAllShards((s, cl, part) -> {
            MemcachedOps.flush(s, at);
            return null;
        }, null));
    }

    private void stats(List<byte[]> t) {
        if (t.size() > 1) {
            String sub = new String(t.get(1), StandardCharsets.US_ASCII);
            switch (sub) {
                case "reset" -> {
                    Call c = new Call(conn, null);
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
        Call c = new Call(conn, null);
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
