package io.dash4j.server.memcache;

import io.dash4j.server.Call;
import io.dash4j.server.Connection;
import io.dash4j.server.Info;
import io.dash4j.server.OutBuf;
import io.dash4j.server.Reply;
import io.dash4j.server.Server;
import io.dash4j.server.Shard;
import io.dash4j.server.ShardSnapshot;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import io.dash4j.server.store.ShardStore;
import io.dash4j.server.store.StoreFullException;
import io.dash4j.server.store.StoreStats;

import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A memcached text-protocol client: get/gets/gat/gats, set/add/replace/append/prepend/cas with
 * their data blocks, delete, incr/decr, touch, flush_all, stats, version, verbosity, quit, and
 * noreply. Items share the keyspace with RESP (a RESP string reads as flags 0).
 */
public final class McConnection extends Connection {

    /** Keys longer than this are refused (memcached's KEY_MAX_LENGTH). */
    static final int KEY_MAX = 250;
    /** Exptimes above this many seconds are absolute unix times. */
    static final long REALTIME_MAXDELTA = 60L * 60 * 24 * 30;
    static final String VERSION = "1.6.21";

    // counters in Shard.memcachedStats
    static final int CMD_GET = 0;
    static final int CMD_SET = 1;
    static final int GET_HITS = 2;
    static final int GET_MISSES = 3;
    static final int CMD_TOUCH = 4;
    static final int TOUCH_HITS = 5;
    static final int TOUCH_MISSES = 6;
    static final int DELETE_HITS = 7;
    static final int DELETE_MISSES = 8;
    static final int INCR_HITS = 9;
    static final int INCR_MISSES = 10;
    static final int DECR_HITS = 11;
    static final int DECR_MISSES = 12;
    static final int CAS_HITS = 13;
    static final int CAS_MISSES = 14;
    static final int CAS_BADVAL = 15;
    static final int CMD_FLUSH = 16;
    static final int TOTAL_ITEMS = 17;

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

    /** A storage command waiting for (or swallowing) its data block. */
    private static final class Pending {
        final int op;
        final byte[] key;
        final int flags;
        final long exptime;
        final long cas;
        final boolean noreply;
        final int length; // data bytes, without the CRLF
        byte[] data;
        int fill;
        boolean swallow;

        Pending(int op, byte[] key, int flags, long exptime, long cas, boolean noreply, int length) {
            this.op = op;
            this.key = key;
            this.flags = flags;
            this.exptime = exptime;
            this.cas = cas;
            this.noreply = noreply;
            this.length = length;
        }
    }

    static final int SET = 0;
    static final int ADD = 1;
    static final int REPLACE = 2;
    static final int APPEND = 3;
    static final int PREPEND = 4;
    static final int CAS = 5;

    private Pending pending;

    public McConnection(Shard shard, SocketChannel ch) {
        super(shard, ch);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected String protocol() {
        return "memcached";
    }

    @Override
    protected Object internalError(Throwable t) {
        if (t instanceof StoreFullException full) {
            return refusal(full);
        }
        if (t instanceof OutOfMemoryError) {
            return OOM;
        }
        return "SERVER_ERROR " + String.valueOf(t).replace('\r', ' ').replace('\n', ' ');
    }

    @Override
    protected void protocolError(String message) {
        countProtocolError();
        replyNow(message, RESULT);
        pending = null;
        rpos = wpos;
        closeAfterReplies();
    }

    /** Writes a String (a status/error line), byte[] (raw), or nothing (null). */
    static final Reply RESULT = (c, out) -> writeResult(out, c.result);

    static void writeResult(OutBuf out, Object r) {
        if (r instanceof byte[] b) {
            out.write(b);
        } else if (r instanceof String s) {
            out.ascii(s);
            out.crlf();
        } else if (r instanceof Long l) {
            out.unsigned(l);
            out.crlf();
        }
    }

    private void reply(Call c, Object result, boolean noreply) {
        boolean error = result instanceof String s && (s.startsWith("CLIENT_ERROR") || s.startsWith("SERVER_ERROR"));
        c.finish(noreply && !error ? null : result, RESULT);
    }

    // ------------------------------------------------------------------ framing

    @Override
    protected boolean parseOne() {
        if (pending != null) {
            return data();
        }
        int nl = -1;
        for (int i = rpos; i < wpos; i++) {
            if (in[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            if (wpos - rpos > config().maxInlineLen) {
                protocolError("CLIENT_ERROR line too long");
            }
            return false;
        }
        int end = nl > rpos && in[nl - 1] == '\r' ? nl - 1 : nl;
        List<byte[]> tokens = tokenize(in, rpos, end);
        rpos = nl + 1;
        if (tokens.isEmpty()) {
            replyNow(ERROR, RESULT);
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
        Pending p = pending;
        int need = p.length + 2 - p.fill;
        int take = Math.min(need, wpos - rpos);
        if (!p.swallow && take > 0) {
            System.arraycopy(in, rpos, p.data, p.fill, take);
        }
        p.fill += take;
        rpos += take;
        if (p.fill < p.length + 2) {
            return false;
        }
        pending = null;
        if (p.swallow) {
            return true; // the error was answered when the command line arrived
        }
        account(-p.data.length);
        if (p.data[p.length] != '\r' || p.data[p.length + 1] != '\n') {
            replyNow("CLIENT_ERROR bad data chunk", RESULT);
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
        byte[] cmd = t.get(0);
        String name = new String(cmd, StandardCharsets.US_ASCII);
        setLastCommand(name);
        switch (name) {
            case "get", "gets" -> retrieve(t, 1, name.equals("gets"), Long.MIN_VALUE);
            case "gat", "gats" -> {
                if (t.size() < 3) {
                    replyNow(ERROR, RESULT);
                    return;
                }
                Long exp = signed(t.get(1));
                if (exp == null) {
                    replyNow("CLIENT_ERROR invalid exptime argument", RESULT);
                    return;
                }
                retrieve(t, 2, name.equals("gats"), exp);
            }
            case "set" -> storage(t, SET);
            case "add" -> storage(t, ADD);
            case "replace" -> storage(t, REPLACE);
            case "append" -> storage(t, APPEND);
            case "prepend" -> storage(t, PREPEND);
            case "cas" -> storage(t, CAS);
            case "delete" -> delete(t);
            case "incr", "decr" -> arith(t, name.equals("incr"));
            case "touch" -> touch(t);
            case "flush_all" -> flushAll(t);
            case "stats" -> stats(t);
            case "version" -> replyNow("VERSION " + VERSION, RESULT);
            case "verbosity" -> {
                // memcached: "verbosity [level] [noreply]" takes 1 or 2 arguments; "verbosity noreply" is a silent no-op
                boolean noreply = noreply(t);
                if (t.size() < 2 || t.size() > 3) {
                    replyNow(ERROR, RESULT);
                    return;
                }
                replyNow(noreply ? null : OK, RESULT);
            }
            case "quit" -> {
                stopReading();
                replyNow(null, RESULT);
            }
            case "shutdown" -> replyNow("ERROR: shutdown not enabled", RESULT);
            default -> replyNow(ERROR, RESULT);
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

    /**
     * memcached's exptime rules as a TTL in ms at {@code now}: 0 = none (0), negative = already
     * expired (-1), up to 30 days = relative seconds, above = an absolute unix time.
     */
    static long ttlMillis(long exptime, long now) {
        if (exptime == 0) {
            return 0;
        }
        if (exptime < 0) {
            return -1;
        }
        if (exptime <= REALTIME_MAXDELTA) {
            return exptime * 1000;
        }
        long left = exptime * 1000 - now;
        return left <= 0 ? -1 : left;
    }

    private void storage(List<byte[]> t, int op) {
        boolean noreply = noreply(t);
        int n = t.size() - (noreply ? 1 : 0);
        if (n != (op == CAS ? 6 : 5)) {
            replyNow(ERROR, RESULT);
            return;
        }
        byte[] key = t.get(1);
        Long flags = unsigned(t.get(2), 32);
        Long exptime = signed(t.get(3));
        Long len = signed(t.get(4));
        Long cas = op == CAS ? unsigned(t.get(5), 64) : Long.valueOf(0);
        if (!validKey(key) || flags == null || exptime == null || len == null || len < 0 || cas == null) {
            replyNow(BAD_FORMAT, RESULT);
            if (len != null && len >= 0) {
                // the data block still follows: skip it so it is not read as commands
                Pending skip = new Pending(op, key, 0, 0, 0, true, (int) Math.min(len, Integer.MAX_VALUE - 2));
                skip.swallow = true;
                pending = skip;
            }
            return;
        }
        Pending p = new Pending(op, key, (int) (long) flags, exptime, cas, noreply, (int) (long) len);
        if (len > config().itemSizeMax - key.length - 48) {
            // answered now, the data swallowed; a set also drops the old value (as memcached does)
            p.swallow = true;
            pending = p;
            if (op == SET) {
                Call c = new Call(this, null);
                dispatch(c, () -> c.onKey(new Key(key), (s, call, part) -> {
                    s.store.remove(new Key(key));
                    return TOO_LARGE;
                }, RESULT));
            } else {
                replyNow(TOO_LARGE, RESULT);
            }
            return;
        }
        if (!mayHold(len + 2)) {
            countClientMemoryDisconnect();
            protocolError(OOM);
            return;
        }
        p.data = new byte[(int) (len + 2)];
        account(p.data.length);
        pending = p;
    }

    /** memcached's answer to a refused write: its "too large" text when one value is over what the cache holds. */
    static String refusal(StoreFullException e) {
        return e.limit() == StoreFullException.Limit.VALUE_LARGER_THAN_CACHE ? TOO_LARGE : OOM;
    }

    /** The owning shard's store hands out CAS uniques (monotonic; stats reset does not touch them). */
    private long nextCas(Shard s) {
        return s.store.nextCas();
    }

    private void store(Pending p) {
        Call c = new Call(this, null);
        shard.memcachedStats[CMD_SET]++;
        Key key = new Key(p.key);
        dispatch(c, () -> c.onKey(key, (s, call, part) -> {
            ShardStore st = s.store;
            long now = st.now();
            byte[] old = p.op == SET ? null : st.get(key, false);
            switch (p.op) {
                case ADD -> {
                    if (old != null) {
                        return NOT_STORED;
                    }
                }
                case REPLACE, APPEND, PREPEND -> {
                    if (old == null) {
                        return NOT_STORED;
                    }
                }
                case CAS -> {
                    if (old == null) {
                        return NOT_FOUND;
                    }
                    if (Entry.cas(old) != p.cas) {
                        return EXISTS;
                    }
                }
                default -> {
                }
            }
            long cas = nextCas(s);
            byte[] e;
            long ttl;
            if (p.op == APPEND || p.op == PREPEND) {
                int ooff = Entry.valueOffset(old);
                int olen = old.length - ooff;
                if ((long) olen + p.length > s.server().config().itemSizeMax) {
                    return TOO_LARGE;
                }
                e = Entry.allocate(p.key, Entry.flags(old), cas, olen + p.length);
                int vo = Entry.valueOffset(e);
                if (p.op == APPEND) {
                    System.arraycopy(old, ooff, e, vo, olen);
                    System.arraycopy(p.data, 0, e, vo + olen, p.length);
                } else {
                    System.arraycopy(p.data, 0, e, vo, p.length);
                    System.arraycopy(old, ooff, e, vo + p.length, olen);
                }
                ttl = ShardStore.KEEP_TTL;
            } else {
                ttl = ttlMillis(p.exptime, now);
                if (ttl < 0) {
                    st.remove(key); // stored already expired: the old value is gone too
                    s.memcachedStats[TOTAL_ITEMS]++;
                    return STORED;
                }
                e = Entry.of(p.key, p.data, 0, p.length, p.flags, cas);
            }
            try {
                st.put(key, e, ttl);
            } catch (StoreFullException ex) {
                return refusal(ex);
            }
            s.memcachedStats[TOTAL_ITEMS]++;
            return STORED;
        }, (call, out) -> {
            Object r = call.result;
            if (p.op == CAS) {
                shard.memcachedStats[r == STORED ? CAS_HITS : r == EXISTS ? CAS_BADVAL : r == NOT_FOUND ? CAS_MISSES : 30]++;
            }
            if (!p.noreply || r instanceof String) {
                writeResult(out, r);
            }
        }));
    }

    private void retrieve(List<byte[]> t, int first, boolean withCas, long touchExp) {
        if (t.size() <= first) {
            replyNow(ERROR, RESULT);
            return;
        }
        Key[] keys = new Key[t.size() - first];
        for (int i = 0; i < keys.length; i++) {
            byte[] k = t.get(first + i);
            if (!validKey(k)) {
                replyNow(BAD_FORMAT, RESULT);
                return;
            }
            keys[i] = new Key(k);
        }
        boolean touch = touchExp != Long.MIN_VALUE;
        shard.memcachedStats[touch ? CMD_TOUCH : CMD_GET] += keys.length;
        if (touch) {
            shard.memcachedStats[CMD_GET] += keys.length;
        }
        Call c = new Call(this, null);
        c.keys = keys;
        dispatch(c, () -> c.onKeys((s, call, part) -> {
            ShardStore st = s.store;
            long ttl = touch ? ttlMillis(touchExp, st.now()) : 0;
            for (int i : call.groups[part]) {
                Key k = call.keys[i];
                byte[] e = st.get(k, true);
                if (e != null && touch) {
                    st.expire(k, ttl == 0 ? -1 : ttl < 0 ? 0 : ttl);
                    if (ttl < 0) {
                        e = null;
                    }
                }
                if (e != null && withCas && Entry.cas(e) == 0) {
                    // written through RESP: give it a CAS unique now
                    byte[] with = Entry.withMeta(e, Entry.flags(e), nextCas(s));
                    try {
                        st.put(k, with, ShardStore.KEEP_TTL);
                        e = with;
                    } catch (StoreFullException ex) {
                        // keep the old entry; its CAS reads as 0, which no cas command matches
                    }
                }
                call.slots[i] = e;
            }
            return null;
        }, (call, out) -> {
            long hits = 0;
            for (int i = 0; i < call.slots.length; i++) {
                byte[] e = (byte[]) call.slots[i];
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
                if (withCas) {
                    out.write(' ');
                    out.unsigned(Entry.cas(e));
                }
                out.crlf();
                out.write(e, vo, e.length - vo);
                out.crlf();
            }
            out.write(END);
            shard.memcachedStats[GET_HITS] += hits;
            shard.memcachedStats[GET_MISSES] += call.slots.length - hits;
            if (touch) {
                shard.memcachedStats[TOUCH_HITS] += hits;
                shard.memcachedStats[TOUCH_MISSES] += call.slots.length - hits;
            }
        }));
    }

    private void delete(List<byte[]> t) {
        boolean noreply = noreply(t);
        int n = t.size() - (noreply ? 1 : 0);
        if (n < 2 || n > 3 || (n == 3 && !is(t.get(2), "0"))) {
            replyNow(n == 3 ? "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]" : ERROR, RESULT);
            return;
        }
        byte[] k = t.get(1);
        if (!validKey(k)) {
            replyNow(BAD_FORMAT, RESULT);
            return;
        }
        Call c = new Call(this, null);
        Key key = new Key(k);
        dispatch(c, () -> c.onKey(key, (s, call, part) -> s.store.remove(key) != null ? DELETED : NOT_FOUND,
                (call, out) -> {
                    shard.memcachedStats[call.result == DELETED ? DELETE_HITS : DELETE_MISSES]++;
                    if (!noreply) {
                        writeResult(out, call.result);
                    }
                }));
    }

    private void arith(List<byte[]> t, boolean incr) {
        boolean noreply = noreply(t);
        int n = t.size() - (noreply ? 1 : 0);
        if (n != 3) {
            replyNow(ERROR, RESULT);
            return;
        }
        byte[] k = t.get(1);
        if (!validKey(k)) {
            replyNow(BAD_FORMAT, RESULT);
            return;
        }
        Long delta = unsigned(t.get(2), 64);
        if (delta == null) {
            replyNow("CLIENT_ERROR invalid numeric delta argument", RESULT);
            return;
        }
        Key key = new Key(k);
        Call c = new Call(this, null);
        dispatch(c, () -> c.onKey(key, (s, call, part) -> {
            ShardStore st = s.store;
            byte[] e = st.get(key, false);
            if (e == null) {
                return NOT_FOUND;
            }
            int vo = Entry.valueOffset(e);
            int end = e.length;
            while (end > vo && e[end - 1] == ' ') {
                end--;
            }
            Long cur = unsigned(Arrays.copyOfRange(e, vo, end), 64);
            if (cur == null) {
                return "CLIENT_ERROR cannot increment or decrement non-numeric value";
            }
            long next = incr ? cur + delta : (Long.compareUnsigned(delta, cur) > 0 ? 0 : cur - delta);
            byte[] digits = Long.toUnsignedString(next).getBytes(StandardCharsets.US_ASCII);
            try {
                st.put(key, Entry.of(k, digits, 0, digits.length, Entry.flags(e), nextCas(s)), ShardStore.KEEP_TTL);
            } catch (StoreFullException ex) {
                return refusal(ex);
            }
            return next;
        }, (call, out) -> {
            boolean hit = call.result instanceof Long;
            shard.memcachedStats[incr ? (hit ? INCR_HITS : INCR_MISSES) : (hit ? DECR_HITS : DECR_MISSES)]++;
            if (!noreply || (call.result instanceof String s && s.contains("ERROR"))) {
                writeResult(out, call.result);
            }
        }));
    }

    private void touch(List<byte[]> t) {
        boolean noreply = noreply(t);
        int n = t.size() - (noreply ? 1 : 0);
        if (n != 3) {
            replyNow(ERROR, RESULT);
            return;
        }
        byte[] k = t.get(1);
        Long exp = signed(t.get(2));
        if (!validKey(k)) {
            replyNow(BAD_FORMAT, RESULT);
            return;
        }
        if (exp == null) {
            replyNow("CLIENT_ERROR invalid exptime argument", RESULT);
            return;
        }
        Key key = new Key(k);
        shard.memcachedStats[CMD_TOUCH]++;
        Call c = new Call(this, null);
        dispatch(c, () -> c.onKey(key, (s, call, part) -> {
            ShardStore st = s.store;
            long ttl = ttlMillis(exp, st.now());
            return st.expire(key, ttl == 0 ? -1 : ttl < 0 ? 0 : ttl) ? TOUCHED : NOT_FOUND;
        }, (call, out) -> {
            shard.memcachedStats[call.result == TOUCHED ? TOUCH_HITS : TOUCH_MISSES]++;
            if (!noreply) {
                writeResult(out, call.result);
            }
        }));
    }

    private void flushAll(List<byte[]> t) {
        boolean noreply = noreply(t);
        int n = t.size() - (noreply ? 1 : 0);
        if (n > 2) {
            replyNow(ERROR, RESULT);
            return;
        }
        long delay = 0;
        if (n == 2) {
            Long d = signed(t.get(1));
            if (d == null || d < 0) {
                replyNow("CLIENT_ERROR invalid exptime argument", RESULT);
                return;
            }
            delay = d;
        }
        shard.memcachedStats[CMD_FLUSH]++;
        long now = config().clock.getAsLong();
        long at = delay == 0 ? 0 : delay > REALTIME_MAXDELTA ? delay * 1000 : now + delay * 1000;
        Call c = new Call(this, null);
        dispatch(c, () -> c.onAllShards((s, call, part) -> {
            if (at == 0 || at <= s.store.now()) {
                s.store.clear();
                s.flushAt(0);
            } else {
                s.flushAt(at);
            }
            return OK;
        }, (call, out) -> {
            if (!noreply) {
                out.write(OK);
            }
        }));
    }

    private void stats(List<byte[]> t) {
        if (t.size() > 1) {
            String sub = new String(t.get(1), StandardCharsets.US_ASCII);
            switch (sub) {
                case "reset" -> {
                    Call c = new Call(this, null);
                    dispatch(c, () -> c.onAllShards((s, call, part) -> {
                        s.resetStats();
                        return null;
                    }, (call, out) -> out.ascii("RESET\r\n")));
                }
                case "settings" -> {
                    var cfg = config();
                    replyNow(("STAT maxbytes " + cfg.maxmemory + "\r\nSTAT maxconns " + cfg.maxclients
                            + "\r\nSTAT tcpport " + server().memcachedPort() + "\r\nSTAT num_threads "
                            + server().shardCount() + "\r\nSTAT item_size_max " + cfg.itemSizeMax
                            + "\r\nSTAT evictions " + (cfg.cacheMode ? "on" : "off") + "\r\nSTAT idle_timeout "
                            + cfg.timeout + "\r\nEND\r\n").getBytes(StandardCharsets.US_ASCII), RESULT);
                }
                case "items", "slabs", "sizes", "conns" -> replyNow(END, RESULT);
                default -> replyNow(ERROR, RESULT);
            }
            return;
        }
        Server server = server();
        Call c = new Call(this, null);
        dispatch(c, () -> c.onAllShards((s, call, part) -> s.snapshot(), (call, out) -> {
            ShardSnapshot[] snaps = Arrays.stream(call.results).map(ShardSnapshot.class::cast).toArray(ShardSnapshot[]::new);
            out.write(statsText(server, snaps).getBytes(StandardCharsets.US_ASCII));
        }));
    }

    static String statsText(Server server, ShardSnapshot[] snaps) {
        long[] mc = new long[32];
        long conns = 0;
        long netIn = 0;
        long netOut = 0;
        for (ShardSnapshot s : snaps) {
            for (int i = 0; i < mc.length; i++) {
                mc[i] += s.memcached()[i];
            }
            conns += s.connections();
            netIn += s.netInput();
            netOut += s.netOutput();
        }
        StoreStats st = Info.total(snaps);
        var cfg = server.config();
        long now = System.currentTimeMillis();
        StringBuilder b = new StringBuilder();
        stat(b, "pid", ProcessHandle.current().pid());
        stat(b, "uptime", server.uptimeMillis() / 1000);
        stat(b, "time", now / 1000);
        stat(b, "version", VERSION);
        stat(b, "libevent", "java-nio");
        stat(b, "pointer_size", 64);
        stat(b, "max_connections", cfg.maxclients);
        stat(b, "curr_connections", conns);
        stat(b, "total_connections", server.totalConnectionsReceived());
        stat(b, "rejected_connections", server.rejectedConnectionCount());
        stat(b, "connection_structures", conns);
        stat(b, "cmd_get", mc[CMD_GET]);
        stat(b, "cmd_set", mc[CMD_SET]);
        stat(b, "cmd_flush", mc[CMD_FLUSH]);
        stat(b, "cmd_touch", mc[CMD_TOUCH]);
        stat(b, "get_hits", mc[GET_HITS]);
        stat(b, "get_misses", mc[GET_MISSES]);
        stat(b, "get_expired", 0);
        stat(b, "get_flushed", 0);
        stat(b, "delete_misses", mc[DELETE_MISSES]);
        stat(b, "delete_hits", mc[DELETE_HITS]);
        stat(b, "incr_misses", mc[INCR_MISSES]);
        stat(b, "incr_hits", mc[INCR_HITS]);
        stat(b, "decr_misses", mc[DECR_MISSES]);
        stat(b, "decr_hits", mc[DECR_HITS]);
        stat(b, "cas_misses", mc[CAS_MISSES]);
        stat(b, "cas_hits", mc[CAS_HITS]);
        stat(b, "cas_badval", mc[CAS_BADVAL]);
        stat(b, "touch_hits", mc[TOUCH_HITS]);
        stat(b, "touch_misses", mc[TOUCH_MISSES]);
        stat(b, "bytes_read", netIn);
        stat(b, "bytes_written", netOut);
        stat(b, "limit_maxbytes", cfg.maxmemory);
        stat(b, "threads", server.shardCount());
        stat(b, "bytes", st.usedMemory());
        stat(b, "curr_items", st.keys());
        stat(b, "total_items", mc[TOTAL_ITEMS]);
        stat(b, "expired_unfetched", 0);
        stat(b, "evictions", st.evictions());
        stat(b, "reclaimed", st.expirations());
        stat(b, "bump_ups", st.bumps());
        stat(b, "segments", st.segments());
        b.append("END\r\n");
        return b.toString();
    }

    private static void stat(StringBuilder b, String name, Object v) {
        b.append("STAT ").append(name).append(' ').append(v).append("\r\n");
    }
}
