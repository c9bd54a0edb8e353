package io.dash4j.eviction;

/** The weight of an entry (e.g. its bytes) for a weight-bounded cache; must be ≥ 0 and stable. */
@FunctionalInterface
public interface Weigher<K, V> {
    int weigh(K key, V value);

    /** Every entry weighs one: the weight bound becomes an entry bound. */
    static <K, V> Weigher<K, V> singleton() {
        return (k, v) -> 1;
    }
}
