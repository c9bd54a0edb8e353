package io.dash4j.eviction;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keeps the README's "A bounded cache" sample compiling and true. */
class ReadmeCacheTest {

    @Test
    void readmeSampleWorks() {
        // --- begin README sample ---
        ConcurrentDashCache<String, byte[]> cache = DashCache.<String, byte[]>builder()
                .maximumWeight(64L << 20)                      // 64 MiB of values
                .weigher((key, value) -> key.length() + value.length)
                .expireAfterWrite(Duration.ofMinutes(10))
                .build();                                      // thread-safe; buildSingleOwner() for one thread
        cache.put("user:42", new byte[]{1, 2, 3});
        byte[] hit = cache.getIfPresent("user:42");
        byte[] loaded = cache.get("user:43", key -> new byte[]{4});   // loads once per key at a time
        System.out.println(cache.stats().hitRate());
        // --- end README sample ---

        assertArrayEquals(new byte[]{1, 2, 3}, hit);
        assertArrayEquals(new byte[]{4}, loaded);
        assertEquals(1, cache.stats().hitCount());
        assertEquals(1, cache.stats().loadSuccessCount());
        assertEquals(7 + 3 + 7 + 1, cache.weightedSize());
    }
}
