package io.dash4j.dashtable;

/**
 * The hook of Dragonfly's insert loop ({@code dash.h InsertInternal}). When an insert finds its
 * segment full the table asks, in this order:
 * <ol>
 *   <li>{@link #garbageCollect}: free expired items around the key (its hot buckets); retry if any;</li>
 *   <li>(the table unloads the segment's stash into regular buckets; retry if any moved);</li>
 *   <li>{@link #canGrow}: split the segment; otherwise {@link #evict}, retry if it freed a slot;</li>
 *   <li>if neither, the insert fails with {@link TableFullException}.</li>
 * </ol>
 * A policy that evicts removes entries with {@link DashTable#removeAt}. {@link #canBump} guards
 * the bump primitive so pinned (sticky) keys never move and are never demoted.
 */
public interface TablePolicy<K, V> {

    /** The plain hash table: always grows, never evicts. */
    @SuppressWarnings("unchecked")
    static <K, V> TablePolicy<K, V> alwaysGrow() {
        return (TablePolicy<K, V>) AlwaysGrow.INSTANCE;
    }

    /** May the table split {@code full} (one more segment)? */
    boolean canGrow(DashTable<K, V> table, Segment<K, V> full);

    /**
     * Frees expired items in the hot buckets of {@code hash} in {@code segment}
     * ({@link Segment#hotBucket} and the stash buckets); returns how many were freed.
     */
    default int garbageCollect(DashTable<K, V> table, Segment<K, V> segment, long hash) {
        return 0;
    }

    /** Frees at least one slot usable by {@code hash} in {@code segment}, or returns 0. */
    default int evict(DashTable<K, V> table, Segment<K, V> segment, long hash) {
        return 0;
    }

    /** False for keys that must never move or be demoted by a bump (Dragonfly's STICK). */
    default boolean canBump(K key) {
        return true;
    }

    /** Like {@link #canBump(Object)}, for policies that keep the pin beside the value. */
    default boolean canBump(K key, V value) {
        return canBump(key);
    }

    /** Called after {@code left} was split into {@code left} and {@code right}. */
    default void onSplit(DashTable<K, V> table, Segment<K, V> left, Segment<K, V> right) {
    }

    final class AlwaysGrow implements TablePolicy<Object, Object> {
        static final AlwaysGrow INSTANCE = new AlwaysGrow();

        private AlwaysGrow() {
        }

        @Override
        public boolean canGrow(DashTable<Object, Object> table, Segment<Object, Object> full) {
            return true;
        }
    }
}
