package io.dash4j.server;

import io.dash4j.server.command.CommandError;
import io.dash4j.server.command.CommandSpec;
import io.dash4j.server.command.Replies;
import io.dash4j.server.store.Key;

/**
 * One command of one client, from parse to typed result. Its parts run on the shards that own its
 * keys (the home shard inline, the others through their MPSC inboxes); when the last part is back
 * an optional {@link Gather} turns the parts into the final {@link #result} on the home thread, and
 * the {@link #owner} is told. Nothing here knows a wire format: the client's codec encodes the
 * result when the call's turn comes.
 *
 * <p>Per-key results of a fan-out ({@link #slots}) are written by the owning shards at distinct
 * indices and read on the home thread only after every part came back through a queue, which
 * orders those writes before the read.
 *
 * <p><b>Pooling.</b> A connection keeps a free list of calls ({@link Connection#obtainCall()}):
 * once a call's reply is encoded and nobody else owns it, {@link #reset()} clears every field and
 * the call serves the connection's next command. A pooled call brings its own reusable pieces, so
 * a single-key command allocates nothing for the layer: {@link #key} (a view of {@link #ownKey}'s
 * copy in the call's key buffer), {@link #bulk} (the reply slice of a stored value), the
 * {@link Shard.Remote} that carries it to another shard and back, {@link #number} and
 * {@link #entry} for arguments parsed on the connection's thread, and {@link #value} (a SET's
 * value copied out of the input buffer, for the owner to write into the stored entry). Invariant: a call is reset only
 * after its reply was written and every part came back, so no shard still reads it, and only when
 * the connection takes it for a new command, so no code that completed it still reads it.
 */
public final class Call {

    /** Combines the parts' results into the call's result, on the home thread. */
    @FunctionalInterface
    public interface Gather {
        Object gather(Call call);
    }

    /** The client whose command this is (session state: name, RESP version, ...). */
    public final Connection client;
    /** Who is told when the call is done: {@link #client} unless a coordinator took it over. */
    public CallOwner owner;
    /** The command's arguments, or null (memcached, and RESP commands parsed in place: see {@link #key}). */
    public byte[][] argv;
    /** The command's row in the table (null for memcached calls, which map onto operations directly). */
    public CommandSpec spec;
    /** What the command parsed out of its arguments, for its shard function. */
    public Object opts;
    public Key[] keys;
    /** Key indices per part (fan-out by shard), or null. */
    public int[][] groups;
    /** The typed result (a {@link io.dash4j.server.command.Replies} value) once done. */
    public Object result;
    public Object[] results;
    public Object[] slots;
    /** Turns the parts' results into {@link #result}, or null (a single part's result is the result). */
    public Gather gather;
    /** A continuation run on the home thread when all parts are back (second phase), or null. */
    public Runnable then;
    /** The codec's own data for encoding this call (memcached: the command's reply form). */
    public Object render;
    /** RESP version the reply is encoded in (a HELLO changes it for the calls after it). */
    public byte proto = 2;
    /** No reply at all (SHUTDOWN, memcached noreply): the codec writes nothing. */
    public boolean silent;
    int outstanding;
    boolean done;
    /** Argument bytes held while in flight (client memory accounting). */
    long argBytes;
    /** A numeric argument parsed on the connection's thread (INCRBY's delta), for the shard function. */
    public long number;
    /** An entry built on the connection's thread (a plain SET's), for the shard function to store. */
    public byte[] entry;
    /** Largest value {@link #ownValue} carries: a pooled call never pins a big array. */
    public static final int MAX_OWN_VALUE = 4096;
    /** A value carried to the owner shard, {@code value[0, valueLength)}, once {@link #ownValue} was called. */
    public byte[] value;
    public int valueLength;
    /** The call's own single key, a view of {@link #keyBuf} once {@link #ownKey} was called. */
    public final Key key = new Key();
    private final Key[] oneKey = {key};
    private byte[] keyBuf;
    private Replies.Bulk bulk;
    private Replies.Int integer;
    /** The message that carries this call's single part to another shard and back (made on first hop). */
    private Shard.Remote hop;
    /** In an {@link #awaitEvent} phase (a SAVE waiting for its dump): the connection does not hold replies for it. */
    boolean waitsForEvent;
    /** The connection's free list links pooled calls. */
    Call nextFree;
    /** Came from a connection's pool: goes back there once its reply is written. */
    final boolean pooled;
    /**
     * The command's reply is small and its encoding needs no connection state (RESP: GET, SET and
     * the INCR family framed in place; memcached text: a one-key get/gets, set/add/replace,
     * incr/decr): the shard owning its key may write it ({@link OwnerReplies}).
     */
    boolean ownerMayReply;
    /**
     * Non-null when the key's owner writes this call's reply itself, with this encoding: decided
     * on the home thread just before the part leaves ({@link Connection#ownerReplyEncoding}).
     */
    io.dash4j.server.codec.ReplyEncoding ownerEncoding;
    /**
     * Who finishes an owner-written reply: {@link OwnerReplies}' states, set by both threads. Such a
     * call counts as back (and may be reset) once its owner published here, or in the message the
     * home waits for, that it is done with it.
     */
    volatile int ownerReply;

    /**
     * Lets the shard owning this call's key write its reply ({@link #ownerMayReply}): for a codec
     * whose {@link io.dash4j.server.codec.Codec#replyEncoding} encodes this command's reply from
     * the call alone. Set before the call is dispatched; the connection still decides per call.
     */
    public void letOwnerReply() {
        ownerMayReply = true;
    }

    public Call(Connection client, byte[][] argv) {
        this(client, argv, false);
    }

    Call(Connection client, byte[][] argv, boolean pooled) {
        this.client = client;
        this.owner = client;
        this.argv = argv;
        this.pooled = pooled;
    }

    /**
     * Copies {@code a[off, off+len)} into the call's key buffer and makes {@link #key} view it, the
     * call's only key ({@link #keys}). The copy is the call's own, so the bytes stay valid after
     * the input buffer they came from is reused, on whichever shard the key's part runs.
     */
    public Key ownKey(byte[] a, int off, int len) {
        if (keyBuf == null || keyBuf.length < len) {
            keyBuf = new byte[Math.max(len, 32)];
        }
        System.arraycopy(a, off, keyBuf, 0, len);
        key.set(keyBuf, 0, len);
        keys = oneKey;
        return key;
    }

    /**
     * Copies {@code a[off, off+len)} (at most {@link #MAX_OWN_VALUE} bytes) into the call's value
     * buffer, {@link #value}: like {@link #ownKey}, the bytes stay valid after the input buffer is
     * reused, on whichever shard the part runs (the home shard may also run it later: a part waits
     * while a transaction holds its key).
     */
    public void ownValue(byte[] a, int off, int len) {
        System.arraycopy(a, off, valueBuffer(len), 0, len);
    }

    /**
     * Makes {@link #value} hold at least {@code len} bytes (at most {@link #MAX_OWN_VALUE}) for the
     * caller to fill, and {@link #valueLength} {@code len}: a memcached data block is read into it
     * as it arrives.
     */
    public byte[] valueBuffer(int len) {
        if (len > MAX_OWN_VALUE) {
            throw new IllegalArgumentException("value of " + len + " bytes: more than a call carries");
        }
        if (value == null || value.length < len) {
            value = new byte[Math.max(len, 64)];
        }
        valueLength = len;
        return value;
    }

    /** The call's reusable reply slice (its contents are read when the call's reply is encoded). */
    public Replies.Bulk bulk() {
        if (bulk == null) {
            bulk = new Replies.Bulk(null, 0, 0);
        }
        return bulk;
    }

    /** The call's reply slice pointed at {@code entry}'s value, or null when there is no entry. */
    public Replies.Bulk valueOrNull(byte[] entry) {
        return entry == null ? null : bulk().entryValue(entry);
    }

    /** The call's reusable integer reply set to {@code v} (no boxing). */
    public Replies.Int integer(long v) {
        if (integer == null) {
            integer = new Replies.Int();
        }
        return integer.set(v);
    }

    /** The reusable message of this call's single part ({@link Shard#submit}). */
    Shard.Remote hop(int part, ShardFn fn) {
        if (hop == null) {
            hop = new Shard.Remote();
        }
        return hop.reset(this, part, fn);
    }

    /** Clears every per-command field, for the call's next command (pooled calls only). */
    void reset() {
        owner = client;
        argv = null;
        spec = null;
        opts = null;
        keys = null;
        groups = null;
        result = null;
        results = null;
        slots = null;
        gather = null;
        then = null;
        render = null;
        proto = 2;
        silent = false;
        outstanding = 0;
        done = false;
        argBytes = 0;
        waitsForEvent = false;
        number = 0;
        entry = null;
        valueLength = 0; // the buffer (at most MAX_OWN_VALUE bytes) stays for the next SET
        if (bulk != null) {
            bulk.set(null, 0, 0);
        }
        if (hop != null) {
            hop.reset(null, 0, null);
        }
        if (keyBuf != null && keyBuf.length > 1024) {
            keyBuf = null; // a huge key once does not stay pinned by the pool
        }
        key.set(NO_KEY, 0, 0);
        ownerMayReply = false;
        ownerEncoding = null;
        if (ownerReply != OwnerReplies.PENDING) {
            ownerReply = OwnerReplies.PENDING; // the owner is done with the call (OwnerReplies' invariant)
        }
    }

    private static final byte[] NO_KEY = new byte[0];

    public boolean isDone() {
        return done;
    }

    private Shard home() {
        return owner.home();
    }

    /** Finishes now with {@code result}. */
    public void finish(Object result) {
        this.result = result;
        this.outstanding = 0;
        this.gather = null;
        markDone();
    }

    private void markDone() {
        if (then != null) {
            Runnable r = then;
            then = null;
            r.run(); // may start another phase (which sets outstanding again) or finish
            if (outstanding > 0 || done) {
                return;
            }
        }
        if (gather != null) {
            Gather g = gather;
            gather = null;
            try {
                result = g.gather(this);
            } catch (RuntimeException e) {
                result = CommandError.fromThrowable(e);
            }
        }
        done = true;
        owner.callDone(this);
    }

    /** Runs {@code fn} on the owner of {@code key}; its return value is the result. */
    public void onKey(Key key, ShardFn fn) {
        this.outstanding = 1;
        this.results = null;
        this.gather = null;
        home().submit(this, key.shard(home().server.shardCount()), 0, fn);
    }

    /** Runs {@code fn} once on every shard (part = shard id, results in {@link #results}), then {@code gather}. */
    public void onAllShards(ShardFn fn, Gather gather) {
        int n = home().server.shardCount();
        this.gather = gather;
        this.results = new Object[n];
        this.outstanding = n;
        for (int s = 0; s < n; s++) {
            home().submit(this, s, s, fn);
        }
    }

    /** Runs {@code fn} once on one given shard (part 0); its return value is the result. */
    public void onShard(int shard, ShardFn fn) {
        this.outstanding = 1;
        this.results = null;
        this.gather = null;
        home().submit(this, shard, 0, fn);
    }

    /**
     * Groups {@link #keys} by owner and runs {@code fn} once per owner (part = shard id, the key
     * indices in {@code groups[part]}; per-key results go to {@link #slots}), then {@code gather}.
     */
    public void onKeys(ShardFn fn, Gather gather) {
        int n = home().server.shardCount();
        int[] count = new int[n];
        int[] ownerOf = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            ownerOf[i] = keys[i].shard(n);
            count[ownerOf[i]]++;
        }
        groups = new int[n][];
        int parts = 0;
        for (int s = 0; s < n; s++) {
            if (count[s] > 0) {
                groups[s] = new int[count[s]];
                parts++;
                count[s] = 0;
            }
        }
        for (int i = 0; i < keys.length; i++) {
            groups[ownerOf[i]][count[ownerOf[i]]++] = i;
        }
        if (slots == null) {
            slots = new Object[keys.length];
        }
        this.gather = gather;
        this.results = new Object[n];
        this.outstanding = parts;
        if (parts == 0) {
            markDone();
            return;
        }
        for (int s = 0; s < n; s++) {
            if (groups[s] != null) {
                home().submit(this, s, s, fn);
            }
        }
    }

    /**
     * Opens a last phase that ends on an event rather than on a shard's part (SAVE answers when
     * its dump is on disk). Call it from {@link #then}; {@link #eventArrived} (on the home thread)
     * ends the phase with the call's result.
     */
    public void awaitEvent() {
        this.waitsForEvent = true;
        this.outstanding = 1;
        this.results = null;
        this.gather = null;
    }

    /** Ends the phase {@link #awaitEvent} opened, with {@code value} as the result (on the home thread). */
    public void eventArrived(Object value) {
        waitsForEvent = false;
        complete(0, value);
    }

    /** A part's result arrived (on the home thread). */
    void complete(int part, Object value) {
        if (results == null) {
            result = value;
        } else {
            results[part] = value;
        }
        if (--outstanding == 0) {
            markDone();
        }
    }

    /** Sum of the parts' {@code Long} results. */
    public long sum() {
        long s = 0;
        if (results == null) {
            return result instanceof Long l ? l : 0;
        }
        for (Object o : results) {
            if (o instanceof Long l) {
                s += l;
            }
        }
        return s;
    }

    /** The first part result of {@code type} (e.g. a {@link CommandError}), or null. */
    public Object firstOf(Class<?> type) {
        if (results == null) {
            return type.isInstance(result) ? result : null;
        }
        for (Object o : results) {
            if (type.isInstance(o)) {
                return o;
            }
        }
        return null;
    }
}
