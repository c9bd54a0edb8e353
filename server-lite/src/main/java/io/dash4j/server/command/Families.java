package io.dash4j.server.command;

import io.dash4j.server.Call;
import io.dash4j.server.ShardFn;
import io.dash4j.server.store.Key;

/** Small helpers the command families share: key extraction and single-key routing. */
final class Families {

    private Families() {
    }

    /** Runs {@code fn} on the owner of the key at argv[1] (its result is the call's result). */
    static void onKey(Call c, ShardFn fn) {
        onKeyAt(c, 1, fn);
    }

    /** Runs {@code fn} on the owner of the key at argv[i] (the call's own key: no allocation). */
    static void onKeyAt(Call c, int i, ShardFn fn) {
        byte[] k = c.argv[i];
        c.onKey(c.ownKey(k, 0, k.length), fn);
    }

    /** Keys at argv[first], argv[first+step], ... */
    static Key[] keysFrom(Call c, int first, int step) {
        int n = (c.argv.length - first + step - 1) / step;
        Key[] keys = new Key[n];
        for (int i = 0; i < n; i++) {
            keys[i] = new Key(c.argv[first + i * step]);
        }
        return keys;
    }
}
