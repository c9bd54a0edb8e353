package io.dash4j.dashtable;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Keeps the README's "Embedding" sample compiling and true. */
class ReadmeEmbeddingTest {

    @Test
    void readmeSampleWorks() {
        // --- begin README sample ---
        DashTable<String, Integer> table = new DashTable<>();
        table.put("apples", 3);
        table.putIfAbsent("pears", 5);
        Integer apples = table.get("apples");      // 3
        table.remove("pears");

        // A stable cursor scan: every key present throughout is returned, even if the table grows.
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        do {
            cursor = table.scan(cursor, seen::put);
        } while (cursor != 0);
        // --- end README sample ---

        assertEquals(3, apples);
        assertNull(table.get("pears"));
        assertEquals(Map.of("apples", 3), seen);
    }
}
