package io.dash4j.eviction.baseline;

import io.dash4j.eviction.RemovalCause;

import java.util.HashMap;

/**
 * The textbook exact LRU: a {@link HashMap} from key to node plus a doubly linked list of node
 * objects, most recently used at the head (seed 000's design). Every operation is O(1): a hit
 * unlinks its node and relinks it at the head, a victim is the tail.
 *
 * <p>Memory: one node object per entry (key, value, weight, write time, prev, next) plus the
 * {@code HashMap.Node} — the pointer-heavy layout the Dashtable cache is measured against.
 *
 * <p><b>Not thread-safe</b>: single-threaded by design, like one actor's shard. See
 * {@link AbstractBaselineCache} for the semantics shared by the baselines.
 */
public final class LinkedLruCache<K, V> extends AbstractBaselineCache<K, V> {

    private static final class Node<K, V> {
        final K key;
        V value;
        int weight;
        long writeTime;
        /** Towards the head (more recently used). */
        Node<K, V> prev;
        /** Towards the tail (less recently used). */
        Node<K, V> next;

        Node(K key, V value, int weight, long writeTime) {
            this.key = key;
            this.value = value;
            this.weight = weight;
            this.writeTime = writeTime;
        }
    }

    private final HashMap<K, Node<K, V>> map;
    /** Most recently used, or null when empty. */
    private Node<K, V> head;
    /** Least recently used, or null when empty. */
    private Node<K, V> tail;
    private long weight;

    /** A cache of at most {@code maximumSize} entries, no expiry, no listener. */
    public LinkedLruCache(long maximumSize) {
        this(LinkedLruCache.<K, V>builder().maximumSize(maximumSize).config());
    }

    private LinkedLruCache(Config<K, V> config) {
        super(config);
        // HashMap's default load factor is 0.75: size the table so the initial capacity fits.
        this.map = new HashMap<>(Math.max(16, (int) Math.min(1 << 30, config.initialCapacity * 4L / 3 + 1)));
    }

    public static <K, V> Builder<K, V> builder() {
        return new Builder<>();
    }

    /** Builds a {@link LinkedLruCache}; see {@link AbstractBaselineCache.Builder}. */
    public static final class Builder<K, V>
            extends AbstractBaselineCache.Builder<K, V, LinkedLruCache<K, V>, Builder<K, V>> {
        Builder() {
        }

        @Override
        public LinkedLruCache<K, V> build() {
            return new LinkedLruCache<>(config());
        }
    }

    // ------------------------------------------------------------------ primitives

    @Override
    V lookup(K key) {
        Node<K, V> node = liveNode(key);
        if (node == null) {
            return null;
        }
        if (node != head) {
            unlink(node);
            linkAtHead(node);
            bumpCount++;
        }
        return node.value;
    }

    @Override
    V peek(K key) {
        Node<K, V> node = liveNode(key);
        return node == null ? null : node.value;
    }

    /** The key's node, or null when absent or expired (an expired entry is removed and reported). */
    private Node<K, V> liveNode(K key) {
        Node<K, V> node = map.get(key);
        if (node != null && expires() && isExpired(node.writeTime, now())) {
            unlinkAndUnmap(node);
            notifyExpired(node.key, node.value);
            return null;
        }
        return node;
    }

    @Override
    void store(K key, V value, int newWeight) {
        long now = now();
        Node<K, V> node = map.get(key);
        if (node != null) {
            if (isExpired(node.writeTime, now)) {
                unlinkAndUnmap(node);
                notifyExpired(node.key, node.value);
                // fall through to a fresh insert
            } else if (oversized(newWeight)) {
                unlinkAndUnmap(node);
                notify(node.key, node.value, RemovalCause.REPLACED);
                rejectOversized(key, value);
                return;
            } else {
                V old = node.value;
                weight += newWeight - node.weight;
                node.value = value;
                node.weight = newWeight;
                node.writeTime = now;
                if (node != head) {
                    unlink(node);
                    linkAtHead(node);
                }
                // The node is at the head, so the tail is another entry unless it is alone,
                // and alone it fits: evicting from the tail never reaches it.
                evictWhileOver(0, now);
                notify(key, old, RemovalCause.REPLACED);
                return;
            }
        }
        if (oversized(newWeight)) {
            rejectOversized(key, value);
            return;
        }
        evictWhileOver(newWeight, now);
        Node<K, V> fresh = new Node<>(key, value, newWeight, now);
        map.put(key, fresh);
        linkAtHead(fresh);
        weight += newWeight;
    }

    @Override
    V removeEntry(K key) {
        Node<K, V> node = map.remove(key);
        if (node == null) {
            return null;
        }
        unlink(node);
        weight -= node.weight;
        if (expires() && isExpired(node.writeTime, now())) {
            notifyExpired(node.key, node.value);
            return null;
        }
        notify(node.key, node.value, RemovalCause.EXPLICIT);
        return node.value;
    }

    @Override
    void clear() {
        Node<K, V> node = head;
        map.clear();
        head = null;
        tail = null;
        weight = 0;
        while (node != null) {
            Node<K, V> next = node.next;
            node.prev = null;
            node.next = null;
            notify(node.key, node.value, RemovalCause.EXPLICIT);
            node = next;
        }
    }

    @Override
    public long size() {
        return map.size();
    }

    @Override
    public long weightedSize() {
        return weight;
    }

    // ------------------------------------------------------------------ list

    /** Evicts from the tail until {@code incoming} more weight fits. */
    private void evictWhileOver(int incoming, long now) {
        while (tail != null && weight + incoming > maximumWeight) {
            Node<K, V> victim = tail;
            unlinkAndUnmap(victim);
            notifyVictim(victim.key, victim.value, victim.writeTime, now);
        }
    }

    private void unlinkAndUnmap(Node<K, V> node) {
        map.remove(node.key);
        unlink(node);
        weight -= node.weight;
    }

    private void unlink(Node<K, V> node) {
        Node<K, V> prev = node.prev;
        Node<K, V> next = node.next;
        if (prev == null) {
            head = next;
        } else {
            prev.next = next;
        }
        if (next == null) {
            tail = prev;
        } else {
            next.prev = prev;
        }
        node.prev = null;
        node.next = null;
    }

    private void linkAtHead(Node<K, V> node) {
        node.next = head;
        if (head == null) {
            tail = node;
        } else {
            head.prev = node;
        }
        head = node;
    }
}
