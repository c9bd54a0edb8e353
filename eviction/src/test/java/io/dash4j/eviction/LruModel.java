package io.dash4j.eviction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.dash4j.eviction.CacheContractTest.WEIGHT_OF;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reference exact LRU: an access-ordered {@link LinkedHashMap} with the baselines' admission
 * rules (room is made before insert; an entry heavier than the bound is refused; a replaced entry
 * becomes the most recent and is never its own victim; {@code putIfAbsent} on a present key is not
 * an access). Values are {@code "<name>:<weight>"} strings as in {@link CacheContractTest}.
 */
final class LruModel {
    final LinkedHashMap<Integer, String> map = new LinkedHashMap<>(16, 0.75f, true);
    /** The same entries, for reads that must not count as accesses. */
    final Map<Integer, String> values = new HashMap<>();
    /** Keys reported EVICTED, in order (refused oversized entries included). */
    final List<Integer> evicted = new ArrayList<>();
    final long bound;
    final boolean weightedBound;
    long weight;

    LruModel(long bound, boolean weightedBound) {
        this.bound = bound;
        this.weightedBound = weightedBound;
    }

    /**
     * Random operations on {@code cache} (built with {@code bound}, weighed by
     * {@link CacheContractTest#WEIGHT_OF} when {@code weightedBound}, reporting to {@code listener})
     * and on a model: every result, every eviction (in order), the size and the weight must agree.
     */
    static void runAgainstModel(Cache<Integer, String> cache, RecordingListener<Integer, String> listener,
                                boolean weightedBound, int bound, long seed, int operations) {
        LruModel model = new LruModel(bound, weightedBound);
        Random random = new Random(seed);
        int seen = listener.size();
        int evictedSeen = 0;
        for (int i = 0; i < operations; i++) {
            int key = random.nextInt(bound * 2);
            int weight = random.nextInt(10) == 0 ? random.nextInt(bound + 20) : 1 + random.nextInt(8);
            String v = "v" + i + ":" + weight;
            int op = random.nextInt(10);
            if (op < 4) {
                assertEquals(model.get(key), cache.getIfPresent(key), "get " + key + " at op " + i);
            } else if (op < 7) {
                cache.put(key, v);
                model.put(key, v);
            } else if (op < 8) {
                assertEquals(model.putIfAbsent(key, v), cache.putIfAbsent(key, v), "putIfAbsent at op " + i);
            } else if (op < 9) {
                assertEquals(model.remove(key), cache.remove(key), "remove at op " + i);
            } else {
                String expected = model.get(key);
                if (expected == null) {
                    model.put(key, v);
                    expected = v;
                }
                assertEquals(expected, cache.get(key, k -> v), "load at op " + i);
            }
            // compare only the notifications this operation added (keeps the run linear)
            for (; seen < listener.size(); seen++) {
                RecordingListener.Removal<Integer, String> r = listener.removals().get(seen);
                if (r.cause() == RemovalCause.EVICTED) {
                    assertEquals(model.evicted.get(evictedSeen++), r.key(), "eviction at op " + i);
                }
            }
            assertEquals(model.evicted.size(), evictedSeen, "evictions at op " + i);
            assertEquals(model.map.size(), cache.size(), "size at op " + i);
            assertEquals(model.weight, cache.weightedSize(), "weight at op " + i);
        }
    }

    int weigh(String v) {
        return weightedBound ? WEIGHT_OF.weigh(null, v) : 1;
    }

    /** An access. */
    String get(int key) {
        return map.get(key);
    }

    String putIfAbsent(int key, String v) {
        if (map.containsKey(key)) {
            return values.get(key);
        }
        put(key, v);
        return null;
    }

    String remove(int key) {
        String old = map.remove(key);
        values.remove(key);
        if (old != null) {
            weight -= weigh(old);
        }
        return old;
    }

    void put(int key, String v) {
        int w = weigh(v);
        if (map.containsKey(key)) {
            String old = map.remove(key);
            values.remove(key);
            weight -= weigh(old);
            if (w > bound) {
                evicted.add(key);
                return;
            }
            map.put(key, v);
            values.put(key, v);
            weight += w;
            evictWhileOver(0);
            return;
        }
        if (w > bound) {
            evicted.add(key);
            return;
        }
        evictWhileOver(w);
        map.put(key, v);
        values.put(key, v);
        weight += w;
    }

    private void evictWhileOver(int incoming) {
        Iterator<Map.Entry<Integer, String>> it = map.entrySet().iterator();
        while (weight + incoming > bound && it.hasNext()) {
            Map.Entry<Integer, String> eldest = it.next();
            if (incoming == 0 && !it.hasNext()) {
                break; // the entry just written is the most recent; never its own victim
            }
            weight -= weigh(eldest.getValue());
            evicted.add(eldest.getKey());
            it.remove();
            values.remove(eldest.getKey());
        }
    }
}
