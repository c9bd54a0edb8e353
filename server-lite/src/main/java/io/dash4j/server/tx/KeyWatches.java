package io.dash4j.server.tx;

import io.dash4j.server.Call;
import io.dash4j.server.Shard;
import io.dash4j.server.command.Flag;
import io.dash4j.server.store.Key;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;

/**
 * One shard's WATCHed keys (Redis's {@code watched_keys}). A {@link Watch} remembers the entry its
 * key had when WATCH ran (the very array, read with {@code get}, which marks it shared: every
 * later write of the key stores a new array, none writes into it) and is marked touched when a
 * write command runs on the key. EXEC, once it holds its locks, finds a watch broken when it was
 * touched or when the key's live entry is no longer that array: written, deleted, flushed, expired
 * or evicted, whichever way it happened (RESP, memcached, FLUSHALL, active expiry, eviction).
 * The mark catches what identity cannot: a key absent at WATCH that was created and deleted again.
 *
 * <p>Single owner (the shard's thread). The write path pays one {@link #any()} test per command
 * part; the map is only consulted while some key of this shard is watched.
 */
public final class KeyWatches {

    /** One connection's watch of one key. */
    public static final class Watch {
        final Key key;
        final byte[] seen;
        boolean touched;

        Watch(Key key, byte[] seen) {
            this.key = key;
            this.seen = seen;
        }
    }

    /** Key content as a map key. */
    private record Name(byte[] bytes, long hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Name n && n.hash == hash && Arrays.equals(n.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hash);
        }
    }

    private final HashMap<Name, ArrayList<Watch>> byKey = new HashMap<>();

    /** True while some key of this shard is watched. */
    public boolean any() {
        return !byKey.isEmpty();
    }

    /** Starts watching {@code key} (on the shard's thread): remembers its current entry. */
    public Watch watch(Shard shard, Key key) {
        shard.store.setNow(shard.server().config().clock.getAsLong());
        Watch w = new Watch(key, shard.store.get(key, false)); // get shares it: never overwritten in place
        byKey.computeIfAbsent(new Name(key.exact(), key.hash), n -> new ArrayList<>(1)).add(w);
        return w;
    }

    public void unwatch(Watch w) {
        Name n = new Name(w.key.exact(), w.key.hash);
        ArrayList<Watch> list = byKey.get(n);
        if (list != null) {
            list.remove(w);
            if (list.isEmpty()) {
                byKey.remove(n);
            }
        }
    }

    /** After a command part ran here: a write command touches the watches of its keys on this shard. */
    public void afterPart(Shard shard, Call call) {
        if (call.spec == null || !call.spec.has(Flag.WRITE) || call.keys == null) {
            return;
        }
        int n = shard.server().shardCount();
        for (Key k : call.keys) {
            if (k.shard(n) == shard.id()) {
                ArrayList<Watch> list = byKey.get(new Name(k.exact(), k.hash));
                if (list != null) {
                    for (Watch w : list) {
                        w.touched = true;
                    }
                }
            }
        }
    }

    /** True when {@code w}'s key changed since WATCH (on its shard's thread, under EXEC's locks). */
    public static boolean broken(Shard shard, Watch w) {
        if (w.touched) {
            return true;
        }
        shard.store.setNow(shard.server().config().clock.getAsLong());
        return shard.store.peek(w.key, false) != w.seen; // seen was shared by watch: identity means unchanged
    }

    /** Watched keys here (INFO, tests). */
    public int watchedKeys() {
        return byKey.size();
    }
}
