/**
 * Honest LRU baselines the Dashtable cache is measured against, all implementing
 * {@link io.dash4j.eviction.Cache} with the same bounds, expiry, listener and statistics rules
 * (see {@link io.dash4j.eviction.baseline.AbstractBaselineCache}):
 * <ul>
 *   <li>{@link io.dash4j.eviction.baseline.LinkedLruCache} — exact LRU, {@code HashMap} plus a
 *       doubly linked list of node objects;</li>
 *   <li>{@link io.dash4j.eviction.baseline.ArenaLruCache} — exact LRU with no node objects:
 *       parallel arrays, int links, a free list and a fastutil key-to-slot index;</li>
 *   <li>{@link io.dash4j.eviction.baseline.SampledLruCache} — Redis's approximated LRU: per-entry
 *       access clock, 5 random samples per eviction and an eviction pool of 16 candidates.</li>
 * </ul>
 * All three are single-threaded (one instance per thread or shard, as in an actor store); none
 * synchronizes.
 */
package io.dash4j.eviction.baseline;
