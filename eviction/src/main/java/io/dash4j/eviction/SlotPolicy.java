package io.dash4j.eviction;

/**
 * How {@link DashCache} orders entries inside buckets. Slot order is the only ordering the cache
 * keeps, so a policy here costs no bytes per entry.
 */
public enum SlotPolicy {
    /**
     * Dragonfly's cache as its code implements it (brief §6): new entries take the lowest free
     * slot; a full segment that may not grow evicts the last slot of stash bucket {@code hash % T}
     * and shifts that bucket right (the stash buckets are probationary FIFOs); a hit swaps a
     * regular-bucket entry with slot-1, and promotes a stash entry to a free home/neighbour slot or
     * else swaps it with slot 13 of its pointer's bucket.
     */
    DRAGONFLY
}
