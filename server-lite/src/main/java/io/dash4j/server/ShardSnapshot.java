package io.dash4j.server;

import io.dash4j.server.store.StoreStats;

/** One shard's counters, taken on its own thread (INFO and memcached stats gather these). */
public record ShardSnapshot(
        int shard,
        StoreStats store,
        long commands,
        long opsPerSec,
        int connections,
        long connectionsAccepted,
        long clientMemory,
        long netInput,
        long netOutput,
        long protocolErrors,
        long outputLimitDisconnections,
        long clientMemoryDisconnections,
        long idleDisconnections,
        long[] memcached,
        long hopsSent,
        long batchParts,
        long wakeupsSent,
        long ownerReplies,
        long ownerReplyPosts) {
}
