package io.dash4j.bench.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every contender the benchmarks build is a working cache of Long to Long, bounded where it says so. */
class BenchCacheTest {

    static final int CAPACITY = 1_000;

    @ParameterizedTest
    @ValueSource(strings = {"dash", "cdash", "caffeine", "caffeine-sync", "lhm", "arena", "chm", "dash-dragonfly"})
    void readsBackWhatItWasGiven(String name) {
        BenchCache c = BenchCache.create(name, CAPACITY, 1);
        assertNull(c.get(1L));
        c.put(1L, 10L);
        c.put(2L, 20L);
        c.put(1L, 11L);
        assertEquals(11L, c.get(1L));
        assertEquals(20L, c.get(2L));
        assertNull(c.get(3L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "cdash", "lhm", "arena", "dash-dragonfly"})
    void holdsAtMostItsCapacity(String name) {
        BenchCache c = BenchCache.create(name, CAPACITY, 1);
        int keys = 10 * CAPACITY;
        for (long k = 0; k < keys; k++) {
            c.put(k, k);
        }
        int held = present(c, keys);
        assertTrue(held > 0 && held <= CAPACITY, name + " holds " + held + " of capacity " + CAPACITY);
    }

    @Test
    void chmIsTheUnboundedCeiling() {
        BenchCache c = BenchCache.create("chm", CAPACITY, 4);
        for (long k = 0; k < 10 * CAPACITY; k++) {
            c.put(k, k);
        }
        assertEquals(10 * CAPACITY, present(c, 10 * CAPACITY));
    }

    @Test
    void lhmAndArenaEvictTheLeastRecentlyUsed() {
        for (BenchCache c : new BenchCache[] {BenchCache.create("lhm", 2, 1), BenchCache.create("arena", 2, 1),
            BenchCache.create("arena", 2, 2)}) {
            c.put(1L, 1L);
            c.put(2L, 2L);
            assertEquals(1L, c.get(1L)); // 2 is now the least recently used
            c.put(3L, 3L);
            assertNull(c.get(2L));
            assertEquals(1L, c.get(1L));
            assertEquals(3L, c.get(3L));
        }
    }

    @Test
    void singleOwnerContendersRefuseThreads() {
        assertEquals("dash is not thread-safe: run it with one thread",
                assertThrows(IllegalArgumentException.class, () -> BenchCache.create("dash", CAPACITY, 2)).getMessage());
        assertEquals("lhm is not thread-safe: run it with one thread",
                assertThrows(IllegalArgumentException.class, () -> BenchCache.create("lhm", CAPACITY, 2)).getMessage());
        assertEquals("unknown cache nope",
                assertThrows(IllegalArgumentException.class, () -> BenchCache.create("nope", CAPACITY, 1)).getMessage());
    }

    private static int present(BenchCache c, int keys) {
        int n = 0;
        for (long k = 0; k < keys; k++) {
            if (c.get(k) != null) {
                n++;
            }
        }
        return n;
    }
}
