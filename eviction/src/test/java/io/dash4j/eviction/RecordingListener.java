package io.dash4j.eviction;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Records every removal, in order. */
public final class RecordingListener<K, V> implements RemovalListener<K, V> {

    /** One notification. */
    public record Removal<K, V>(K key, V value, RemovalCause cause) {
    }

    private final List<Removal<K, V>> removals = new ArrayList<>();

    @Override
    public void onRemoval(K key, V value, RemovalCause cause) {
        removals.add(new Removal<>(key, value, cause));
    }

    /** Every notification so far, oldest first (a live view). */
    public List<Removal<K, V>> removals() {
        return removals;
    }

    public List<Removal<K, V>> removals(RemovalCause cause) {
        return removals.stream().filter(r -> r.cause() == cause).collect(Collectors.toList());
    }

    public long count(RemovalCause cause) {
        return removals.stream().filter(r -> r.cause() == cause).count();
    }

    public List<K> keys(RemovalCause cause) {
        return removals.stream().filter(r -> r.cause() == cause).map(Removal::key).collect(Collectors.toList());
    }

    public List<V> values(RemovalCause cause) {
        return removals.stream().filter(r -> r.cause() == cause).map(Removal::value).collect(Collectors.toList());
    }

    public int size() {
        return removals.size();
    }

    public void clear() {
        removals.clear();
    }

    @Override
    public String toString() {
        return removals.toString();
    }
}
