package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import io.dash4j.server.store.Key;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * RENAME, RENAMENX, COPY (on one shard and across shards), OBJECT, CONFIG GET with globs and
 * several patterns, and COMMAND's views of the command table.
 */
class KeyspaceCommandsTest extends JedisPerTest {

    static final int SHARDS = 3;

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(c -> c.threads = SHARDS);

    KeyspaceCommandsTest() {
        super(server);
    }

    static int owner(String key) {
        return new Key(key.getBytes(StandardCharsets.UTF_8)).shard(SHARDS);
    }

    /** Two keys with the same owner ({@code same}) or different owners. */
    static String[] pair(String prefix, boolean same) {
        String a = prefix + "src";
        for (int i = 0; ; i++) {
            String b = prefix + "dst" + i;
            if ((owner(a) == owner(b)) == same) {
                return new String[] {a, b};
            }
        }
    }

    @Test
    void renameOnOneShardAndAcross() {
        for (boolean same : new boolean[] {true, false}) {
            String[] k = pair(same ? "one:" : "two:", same);
            String src = k[0];
            String dst = k[1];
            assertEquals("ERR no such key", error("RENAME", src, dst));
            assertEquals("ERR no such key", error("RENAMENX", src, dst));
            j.set(src, "v1");
            j.expire(src, 100);
            assertEquals("OK", j.rename(src, dst));
            assertNull(j.get(src));
            assertEquals("v1", j.get(dst));
            assertThat(j.ttl(dst)).isBetween(98L, 100L); // the TTL moves with the value
            j.set(src, "v2");
            assertEquals("OK", j.rename(src, dst)); // overwrites, and the old TTL goes with the old value
            assertEquals("v2", j.get(dst));
            assertEquals(-1L, j.ttl(dst));
            j.set(src, "v3");
            assertEquals(0L, j.renamenx(src, dst));
            assertEquals("v3", j.get(src));
            assertEquals("v2", j.get(dst));
            j.del(dst);
            assertEquals(1L, j.renamenx(src, dst));
            assertEquals("v3", j.get(dst));
            assertEquals(Boolean.FALSE, j.exists(src));
            assertEquals("OK", j.rename(dst, dst)); // same key: nothing to do
            assertEquals(0L, j.renamenx(dst, dst));
            assertEquals("v3", j.get(dst));
        }
    }

    @Test
    void copyOnOneShardAndAcross() {
        for (boolean same : new boolean[] {true, false}) {
            String[] k = pair(same ? "c1:" : "c2:", same);
            String src = k[0];
            String dst = k[1];
            assertEquals(0L, send("COPY", src, dst));
            j.set(src, "v");
            j.pexpire(src, 100_000);
            assertEquals(1L, send("COPY", src, dst));
            assertEquals("v", j.get(src));
            assertEquals("v", j.get(dst));
            assertThat(j.pttl(dst)).isBetween(90_000L, 100_000L);
            j.set(src, "w");
            assertEquals(0L, send("COPY", src, dst));
            assertEquals("v", j.get(dst));
            assertEquals(1L, send("COPY", src, dst, "REPLACE"));
            assertEquals("w", j.get(dst));
            assertEquals(-1L, j.ttl(dst));
            assertEquals(1L, send("COPY", src, dst, "DB", "0", "REPLACE"));
            assertEquals("ERR DB index is out of range", error("COPY", src, dst, "DB", "1"));
            assertEquals("ERR source and destination objects are the same", error("COPY", src, src));
            assertEquals("ERR syntax error", error("COPY", src, dst, "BOGUS"));
            assertEquals("ERR value is not an integer or out of range", error("COPY", src, dst, "DB", "x"));
        }
    }

    @Test
    void memcachedFlagsMoveWithRename() throws IOException {
        String[] k = pair("mcf:", false);
        try (Raw r = new Raw(server.memcachedPort())) {
            r.send("set " + k[0] + " 42 0 2\r\nhi\r\n");
            assertEquals("STORED\r\n", r.line());
            assertEquals("OK", j.rename(k[0], k[1]));
            r.send("get " + k[1] + " " + k[0] + "\r\n");
            assertEquals("VALUE " + k[1] + " 42 2\r\n", r.line());
            assertEquals("hi\r\n", r.line());
            assertEquals("END\r\n", r.line());
        }
    }

    @Test
    void object() {
        j.set("int", "12345");
        j.set("short", "hello world");
        j.set("long", "x".repeat(45));
        assertEquals("int", j.objectEncoding("int"));
        assertEquals("embstr", j.objectEncoding("short"));
        assertEquals("raw", j.objectEncoding("long"));
        assertNull(j.objectEncoding("absent"));
        assertEquals(1L, j.objectRefcount("short"));
        assertNull(j.objectRefcount("absent"));
        assertThat(error("OBJECT", "FREQ", "short")).startsWith("ERR An LFU maxmemory policy is not selected");
        assertThat(error("OBJECT", "IDLETIME", "short")).startsWith("ERR idle time not tracked");
        assertNull(send("OBJECT", "FREQ", "absent"));
        assertThat(j.objectHelp()).isNotEmpty().first().asString().startsWith("OBJECT <subcommand>");
        assertEquals("ERR unknown subcommand 'FOO'. Try OBJECT HELP.", error("OBJECT", "FOO", "short"));
        assertEquals("ERR wrong number of arguments for 'object|encoding' command", error("OBJECT", "ENCODING"));
    }

    @Test
    void configGetEverythingAndSeveralPatterns() {
        Map<String, String> all = j.configGet("*");
        assertThat(all).containsKeys("maxmemory", "maxmemory-policy", "maxclients", "timeout", "proto-max-bulk-len",
                "client-output-buffer-limit", "maxmemory-clients", "item-size-max", "port", "memcached_port", "bind",
                "threads", "databases", "save", "appendonly", "cache_mode", "slot-policy", "max-inflight");
        assertEquals(String.valueOf(server.port()), all.get("port"));
        assertEquals(String.valueOf(SHARDS), all.get("threads"));
        Map<String, String> two = j.configGet("maxclients", "timeout", "maxclients", "MAXCLIENTS");
        assertEquals(Map.of("maxclients", "10000", "timeout", "0"), two); // each parameter once
        List<?> raw = (List<?>) send("CONFIG", "GET", "max*", "*-len", "nothing-matches");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < raw.size(); i += 2) {
            names.add(str(raw.get(i)));
        }
        assertThat(names).contains("maxmemory", "maxclients", "maxmemory-policy", "proto-max-bulk-len",
                "max-inline-len", "max-multibulk-len").doesNotHaveDuplicates();
        assertThat(names).allMatch(n -> n.startsWith("max") || n.endsWith("-len"));
        assertEquals(List.of(), send("CONFIG", "GET", "nothing-matches"));
        assertEquals("ERR wrong number of arguments for 'config|get' command", error("CONFIG", "GET"));
    }

    @Test
    void commandReadsTheTable() {
        long count = (Long) send("COMMAND", "COUNT");
        assertEquals(count, ((List<?>) send("COMMAND", "LIST")).size());
        assertEquals(count, ((List<?>) send("COMMAND")).size());
        assertThat(count).isGreaterThan(50);
        List<?> rename = (List<?>) ((List<?>) send("COMMAND", "INFO", "rename", "nosuch")).get(0);
        assertEquals("rename", str(rename.get(0)));
        assertEquals(3L, rename.get(1));
        assertEquals(List.of(1L, 2L, 1L), rename.subList(3, 6));
        List<?> keys = (List<?>) send("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2");
        assertEquals(List.of("a", "b"), keys.stream().map(RespCommandsTest::str).toList());
        assertEquals("ERR The command has no key arguments", error("COMMAND", "GETKEYS", "PING"));
        List<?> docs = (List<?>) send("COMMAND", "DOCS", "copy");
        assertEquals("copy", str(docs.get(0)));
    }
}
