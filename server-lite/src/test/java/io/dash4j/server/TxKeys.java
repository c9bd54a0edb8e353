package io.dash4j.server;

import io.dash4j.server.store.Key;

import java.nio.charset.StandardCharsets;

/** Key names chosen by the shard that owns them, so a test knows which of its keys cross shards. */
final class TxKeys {

    private TxKeys() {
    }

    /** The first name {@code prefix + i} that shard {@code shard} (of {@code shards}) owns, at or after {@code from}. */
    static String ownedBy(int shard, int shards, String prefix, int from) {
        for (int i = from; ; i++) {
            String k = prefix + i;
            if (new Key(k.getBytes(StandardCharsets.ISO_8859_1)).shard(shards) == shard) {
                return k;
            }
        }
    }

    /** One key per shard: {@code keys[s]} is owned by shard {@code s}. */
    static String[] onePerShard(int shards, String prefix) {
        String[] keys = new String[shards];
        for (int s = 0; s < shards; s++) {
            keys[s] = ownedBy(s, shards, prefix + "{" + s + "}", 0);
        }
        return keys;
    }
}
