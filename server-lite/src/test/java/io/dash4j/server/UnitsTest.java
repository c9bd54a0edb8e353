package io.dash4j.server;

import io.dash4j.server.store.Entry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small pieces: the packed entry, glob patterns, memory notation. */
class UnitsTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void entryPacksKeyValueAndMetadata() {
        byte[] e = Entry.of(b("key:00000001"), b("value-0000000001"));
        assertEquals(30, e.length);
        assertEquals(48, Entry.heapSize(e));
        assertArrayEquals(b("key:00000001"), Entry.key(e));
        assertArrayEquals(b("value-0000000001"), Entry.value(e));
        assertEquals(0, Entry.flags(e));
        assertEquals(0, Entry.cas(e));

        byte[] m = Entry.of(b("k"), b("v"), 0, 1, 0xFFFFFFFF, 0x0102030405060708L);
        assertEquals(0xFFFFFFFF, Entry.flags(m));
        assertEquals(0x0102030405060708L, Entry.cas(m));
        assertArrayEquals(b("v"), Entry.value(m));

        byte[] longKey = new byte[300];
        longKey[299] = 7;
        byte[] l = Entry.of(longKey, b("xyz"));
        assertEquals(300, Entry.keyLength(l));
        assertArrayEquals(longKey, Entry.key(l));
        assertArrayEquals(b("xyz"), Entry.value(l));
        assertTrue(Entry.keyEquals(l, longKey, 0, 300));

        Entry.mark(e, Entry.STICKY, true);
        assertTrue(Entry.has(e, Entry.STICKY));
        assertArrayEquals(b("value-0000000001"), Entry.value(e));
        Entry.mark(e, Entry.STICKY, false);
        assertFalse(Entry.has(e, Entry.STICKY));
    }

    @Test
    void globPatternsLikeRedis() {
        assertTrue(Glob.match(b("*"), b("")));
        assertTrue(Glob.match(b("h?llo"), b("hello")));
        assertTrue(Glob.match(b("h*llo"), b("heeeello")));
        assertTrue(Glob.match(b("h[ae]llo"), b("hallo")));
        assertFalse(Glob.match(b("h[ae]llo"), b("hillo")));
        assertTrue(Glob.match(b("h[^e]llo"), b("hallo")));
        assertFalse(Glob.match(b("h[^e]llo"), b("hello")));
        assertTrue(Glob.match(b("h[a-b]llo"), b("hbllo")));
        assertTrue(Glob.match(b("a\\*b"), b("a*b")));
        assertFalse(Glob.match(b("a\\*b"), b("axb")));
        assertTrue(Glob.match(b("*a*b*c*"), b("xxaxxbxxcxx")));
        assertFalse(Glob.match(b("*a*b*c*d"), b("xxaxxbxxcxx")));
        // no exponential blow-up
        assertFalse(Glob.match(b("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"), b("a".repeat(5000))));
    }

    @Test
    void memoryNotation() {
        assertEquals(512L * 1024 * 1024, ServerConfig.parseMemory("512mb"));
        assertEquals(512_000_000L, ServerConfig.parseMemory("512m"));
        assertEquals(2L * 1024 * 1024 * 1024, ServerConfig.parseMemory("2GB"));
        assertEquals(100, ServerConfig.parseMemory("100"));
        assertEquals(1024, ServerConfig.parseMemory("1kb"));
        ServerConfig c = ServerConfig.parse(new String[] {"--port", "7000", "--memcached-port", "0", "--threads=3",
            "--maxmemory", "64mb", "--cache-mode", "false", "--timeout", "5"});
        assertEquals(7000, c.port);
        assertEquals(0, c.memcachedPort);
        assertEquals(3, c.threads);
        assertEquals(64L * 1024 * 1024, c.maxmemory);
        assertFalse(c.cacheMode);
        assertEquals(5, c.timeout);
    }
}
