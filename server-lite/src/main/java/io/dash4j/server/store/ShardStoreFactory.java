package io.dash4j.server.store;

import io.dash4j.eviction.SlotPolicy;

/**
 * Makes each shard's store. The server asks its config's factory once per shard, so a different
 * store (or a test's instrumented one) plugs in without touching the shard or the commands.
 */
@FunctionalInterface
public interface ShardStoreFactory {

    /**
     * A store for one shard.
     *
     * @param budgetBytes the shard's share of maxmemory
     * @param evicting    cache mode (evict at the budget) or store mode (refuse writes)
     * @param policy      the eviction order in cache mode
     */
    ShardStore create(long budgetBytes, boolean evicting, SlotPolicy policy);

    /** The Dashtable store ({@link CacheShardStore}), the server's default. */
    ShardStoreFactory DASH = CacheShardStore::new;
}
