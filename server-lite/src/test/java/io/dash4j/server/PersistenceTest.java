package io.dash4j.server;

import io.dash4j.server.persist.RdbFormatException;
import io.dash4j.server.persist.RdbReader;
import io.dash4j.server.persist.SaveRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SAVE, BGSAVE, LASTSAVE, INFO persistence, the save rules, loading at start-up and the failure
 * cases (a full disk during BGSAVE, a corrupt or truncated dump at start-up), in-process with Jedis.
 */
class PersistenceTest {

    static Server server(Path dir, Consumer<ServerConfig> tweak) {
        return TestServers.start(c -> {
            c.dir = dir.toString();
            c.cacheMode = false;
            tweak.accept(c);
        });
    }

    static String info(Jedis j, String field) {
        String info = j.info("persistence");
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in " + info);
    }

    static void awaitSaveEnd(Jedis j) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (info(j, "rdb_bgsave_in_progress").equals("1")) {
            assertTrue(System.nanoTime() < deadline, "BGSAVE did not end in 30 s");
            Thread.sleep(10);
        }
    }

    /** The dump's keys and values as our reader sees them (and their deadlines in ms, -1 = none). */
    static Map<String, String> readDump(Path file, Map<String, Long> deadlines) throws Exception {
        Map<String, String> out = new HashMap<>();
        RdbReader.read(file, (k, v, at, flags, cas) -> {
            String key = new String(k, StandardCharsets.ISO_8859_1);
            assertNull(out.put(key, new String(v, StandardCharsets.ISO_8859_1)), "twice: " + key);
            if (deadlines != null) {
                deadlines.put(key, at);
            }
        });
        return out;
    }

    /** assertEquals for big maps, with a short message: counts and the first few differences. */
    static void assertSameMap(Map<String, String> expected, Map<String, String> actual) {
        if (expected.equals(actual)) {
            return;
        }
        java.util.List<String> diffs = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String got = actual.get(e.getKey());
            if (!e.getValue().equals(got) && diffs.size() < 10) {
                diffs.add(e.getKey() + ": expected " + e.getValue() + ", got " + got);
            }
        }
        for (String k : actual.keySet()) {
            if (!expected.containsKey(k) && diffs.size() < 20) {
                diffs.add(k + ": not expected, got " + actual.get(k));
            }
        }
        throw new AssertionError(expected.size() + " keys expected, " + actual.size() + " found; " + diffs);
    }

    @Test
    @Timeout(60)
    void bgsaveThenRestartRestoresEveryKeyAndTtl(@TempDir Path dir) throws Exception {
        Map<String, String> expected = new HashMap<>();
        long lastSave;
        try (Server s = server(dir, c -> { }); Jedis j = new Jedis("127.0.0.1", s.port())) {
            lastSave = j.lastsave();
            assertEquals("0", info(j, "rdb_bgsave_in_progress"));
            Pipeline p = j.pipelined();
            for (int i = 0; i < 5000; i++) {
                String v = switch (i % 4) {
                    case 0 -> Integer.toString(i - 2500);          // integer-encoded
                    case 1 -> "value-" + i + "-" + "x".repeat(i % 200); // LZF when long
                    case 2 -> new String(new byte[] {(byte) i, 0, (byte) 0xFF, '\r', '\n'}, StandardCharsets.ISO_8859_1);
                    default -> "";
                };
                p.set(("key:" + i).getBytes(StandardCharsets.ISO_8859_1), v.getBytes(StandardCharsets.ISO_8859_1));
                expected.put("key:" + i, v);
            }
            for (int i = 0; i < 100; i++) {
                p.psetex("ttl:" + i, 1_000_000L + i, "t" + i);
                expected.put("ttl:" + i, "t" + i);
            }
            p.sync();
            assertEquals("5100", info(j, "rdb_changes_since_last_save"));
            assertEquals("Background saving started", j.bgsave());
            awaitSaveEnd(j);
            assertEquals("ok", info(j, "rdb_last_bgsave_status"));
            assertEquals("0", info(j, "rdb_changes_since_last_save"));
            assertEquals("5100", info(j, "rdb_last_save_keys"));
            assertThat(j.lastsave()).isGreaterThanOrEqualTo(lastSave);
            assertEquals("1", info(j, "rdb_saves"));
            j.set("after", "the save"); // not in the dump
            assertEquals("1", info(j, "rdb_changes_since_last_save"));
        }
        Map<String, Long> deadlines = new HashMap<>();
        assertEquals(expected, readDump(dir.resolve("dump.rdb"), deadlines));
        try (Server s = server(dir, c -> { }); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(5100L, j.dbSize());
            assertEquals("5100", info(j, "rdb_last_load_keys_loaded"));
            for (Map.Entry<String, String> e : expected.entrySet()) {
                assertArrayEquals(e.getValue().getBytes(StandardCharsets.ISO_8859_1),
                        j.get(e.getKey().getBytes(StandardCharsets.ISO_8859_1)), e.getKey());
            }
            long pttl = j.pttl("ttl:7");
            assertThat(pttl).isBetween(1_000_007L - 30_000, 1_000_007L);
            assertEquals(-1L, j.pttl("key:1"));
            assertNull(j.get("after"));
        }
    }

    @Test
    @Timeout(60)
    void theImageIsTheDataAtTheMomentBgsaveStarted(@TempDir Path dir) throws Exception {
        Map<String, String> atStart = new HashMap<>();
        try (Server s = server(dir, c -> c.threads = 2); Jedis j = new Jedis("127.0.0.1", s.port());
             Jedis writer = new Jedis("127.0.0.1", s.port())) {
            for (int base = 0; base < 150_000; base += 1000) {
                Pipeline p = j.pipelined();
                for (int i = base; i < base + 1000; i++) {
                    p.set("k" + i, "old" + i);
                    atStart.put("k" + i, "old" + i);
                }
                p.sync();
            }
            // pipelined right behind BGSAVE on the same connection: these writes reach the shards
            // while they walk their images (overwrites, deletes, new keys that split segments)
            Pipeline p = j.pipelined();
            p.sendCommand(RespCommandsTest.cmd("BGSAVE"), new byte[0][]);
            for (int i = 0; i < 150_000; i += 3) {
                p.set("k" + i, "new" + i);
                p.del("k" + (i + 1));
                p.set("fresh" + i, "x");
            }
            p.sync();
            awaitSaveEnd(j);
            assertEquals("ok", info(j, "rdb_last_bgsave_status"));
            assertEquals("new0", writer.get("k0"));
        }
        assertSameMap(atStart, readDump(dir.resolve("dump.rdb"), null));
    }

    @Test
    @Timeout(30)
    void aServerBuiltInCodeWithoutADirectoryNeitherSavesNorLoads() throws Exception {
        try (Server s = TestServers.start(); Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("a", "1");
            assertThat(assertThrows(JedisDataException.class, j::save).getMessage())
                    .contains("no dump directory is configured");
            assertThrows(JedisDataException.class, j::bgsave);
            assertEquals("", info(j, "rdb_dir"));
            assertEquals("PONG", j.ping());
        }
    }

    @Test
    @Timeout(60)
    void saveAnswersWhenTheDumpIsOnDiskAndARunningSaveRefusesAnother(@TempDir Path dir) throws Exception {
        try (Server s = server(dir, c -> { }); Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("a", "1");
            assertEquals("OK", j.save());
            assertEquals(Map.of("a", "1"), readDump(dir.resolve("dump.rdb"), null));
            Pipeline p = j.pipelined();
            for (int i = 0; i < 50_000; i++) {
                p.set("k" + i, "v");
            }
            p.sync();
            j.bgsave();
            try {
                String again = j.bgsave();
                assertEquals("Background saving started", again); // the first one had already ended
            } catch (JedisDataException e) {
                assertThat(e.getMessage()).contains("Background save already in progress");
            }
            awaitSaveEnd(j);
            assertThat(j.sendCommand(RespCommandsTest.cmd("BGSAVE"), "SCHEDULE".getBytes())).isNotNull();
            awaitSaveEnd(j);
            assertThat(j.configGet("save")).containsEntry("save", "");
            assertThat(j.configGet("dbfilename")).containsEntry("dbfilename", "dump.rdb");
        }
    }

    @Test
    @Timeout(60)
    void aFullDiskFailsTheSaveKeepsThePreviousDumpAndTheServerServes(@TempDir Path dir) throws Exception {
        boolean[] full = {false};
        try (Server s = server(dir, c -> c.dumpOpener = temp -> full[0]
                ? FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE)
                : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
             Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("kept", "old");
            assertEquals("OK", j.save());
            byte[] previous = Files.readAllBytes(dir.resolve("dump.rdb"));
            full[0] = true;
            Pipeline p = j.pipelined();
            for (int i = 0; i < 20_000; i++) {
                p.set("k" + i, "v".repeat(100));
            }
            p.sync();
            j.bgsave();
            awaitSaveEnd(j);
            assertEquals("err", info(j, "rdb_last_bgsave_status"));
            assertThat(info(j, "rdb_last_bgsave_error")).contains("No space left on device");
            assertThrows(JedisDataException.class, j::save);
            assertEquals("PONG", j.ping());
            j.set("still", "serving");
            assertEquals("serving", j.get("still"));
            assertArrayEquals(previous, Files.readAllBytes(dir.resolve("dump.rdb")));
            try (var files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly("dump.rdb");
            }
            full[0] = false;
            assertEquals("OK", j.save());
            assertEquals("ok", info(j, "rdb_last_bgsave_status"));
        }
    }

    @Test
    @Timeout(60)
    void aCorruptOrTruncatedDumpStopsTheStartNamingFileAndOffset(@TempDir Path dir) throws Exception {
        try (Server s = server(dir, c -> { }); Jedis j = new Jedis("127.0.0.1", s.port())) {
            for (int i = 0; i < 100; i++) {
                j.set("k" + i, "value " + i);
            }
            assertEquals("OK", j.save());
        }
        Path dump = dir.resolve("dump.rdb");
        byte[] good = Files.readAllBytes(dump);
        Files.write(dump, java.util.Arrays.copyOf(good, good.length / 2));
        ServerConfig cfg = new ServerConfig();
        cfg.port = 0;
        cfg.memcachedPort = 0;
        cfg.threads = 2;
        cfg.dir = dir.toString();
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> new Server(cfg));
        assertThat(e.getMessage()).contains(dump.toString()).contains("offset " + good.length / 2)
                .contains("truncated");
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x20;
        Files.write(dump, flipped);
        RdbFormatException crc = assertThrows(RdbFormatException.class, () -> new Server(cfg));
        assertThat(crc.getMessage()).contains(dump.toString()).containsAnyOf("checksum mismatch", "offset");
    }

    @Test
    @Timeout(60)
    void saveRulesStartABackgroundSaveAndShutdownSavesUnlessNosave(@TempDir Path dir) throws Exception {
        Server s = server(dir, c -> { });
        try (Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.configSet("save", "1 2");
            assertEquals("1 2", j.configGet("save").get("save"));
            j.set("a", "1");
            j.set("b", "2");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!info(j, "rdb_saves").equals("1")) {
                assertTrue(System.nanoTime() < deadline, "the rule '1 2' should have saved within 10 s");
                Thread.sleep(20);
            }
            awaitSaveEnd(j);
            assertEquals(Map.of("a", "1", "b", "2"), readDump(dir.resolve("dump.rdb"), null));
            j.set("c", "3");
            j.sendCommand(RespCommandsTest.cmd("SHUTDOWN"));
        } catch (redis.clients.jedis.exceptions.JedisConnectionException expected) {
            // SHUTDOWN closes the connection without a reply
        }
        assertTrue(s.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(Map.of("a", "1", "b", "2", "c", "3"), readDump(dir.resolve("dump.rdb"), null));

        Server t = server(dir, c -> c.save = SaveRules.parse("3600 1"));
        try (Jedis j = new Jedis("127.0.0.1", t.port())) {
            assertEquals("3", Long.toString(j.dbSize()));
            j.set("d", "4");
            j.sendCommand(RespCommandsTest.cmd("SHUTDOWN"), "NOSAVE".getBytes());
        } catch (redis.clients.jedis.exceptions.JedisConnectionException expected) {
            // no reply
        }
        assertTrue(t.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(Map.of("a", "1", "b", "2", "c", "3"), readDump(dir.resolve("dump.rdb"), null));
    }
    /** A memcached {@code gets}: "VALUE key flags bytes cas" and the data, or null on a miss. */
    static String[] memcachedGets(TestServers.Raw mc, String key) throws Exception {
        String head = mc.send("gets " + key + "\r\n").line();
        if (head.equals("END\r\n")) {
            return null;
        }
        String[] f = head.trim().split(" ");
        String data = mc.read(Integer.parseInt(f[3]) + 2);
        assertEquals("END\r\n", mc.line());
        return new String[] {f[2], f[4], data.substring(0, data.length() - 2)};
    }

    @Test
    @Timeout(60)
    void memcachedFlagsAndCasSurviveARestartAndNewCasUniquesDoNotRepeatLoadedOnes(@TempDir Path dir) throws Exception {
        Map<String, String[]> before = new HashMap<>();
        try (Server s = server(dir, c -> { });
             TestServers.Raw mc = new TestServers.Raw(s.memcachedPort());
             Jedis j = new Jedis("127.0.0.1", s.port())) {
            for (int i = 0; i < 300; i++) {
                int flags = i % 3 == 0 ? 0 : (i % 3 == 1 ? i * 977 : -1 - i); // 0, small, above 2^31
                String v = "v" + i + "x".repeat(i % 40);
                assertEquals("STORED\r\n", mc.send("set mc:" + i + " " + Integer.toUnsignedString(flags)
                        + " " + (i % 5 == 0 ? 3600 : 0) + " " + v.length() + "\r\n" + v + "\r\n").line());
            }
            for (int i = 0; i < 300; i++) {
                before.put("mc:" + i, memcachedGets(mc, "mc:" + i));
            }
            j.set("resp", "plain"); // written through RESP: neither flags nor CAS
            assertEquals("OK", j.save());
        }
        try (Server s = server(dir, c -> { });
             TestServers.Raw mc = new TestServers.Raw(s.memcachedPort());
             Jedis j = new Jedis("127.0.0.1", s.port())) {
            long maxCas = 0;
            for (Map.Entry<String, String[]> e : before.entrySet()) {
                assertArrayEquals(e.getValue(), memcachedGets(mc, e.getKey()), e.getKey());
                maxCas = Math.max(maxCas, Long.parseLong(e.getValue()[1]));
            }
            assertEquals("plain", j.get("resp"));
            assertEquals("0", memcachedGets(mc, "resp")[0]);
            // a CAS taken before the restart still works, once
            String[] one = before.get("mc:7");
            assertEquals("STORED\r\n", mc.send("cas mc:7 5 0 3 " + one[1] + "\r\nnew\r\n").line());
            assertEquals("EXISTS\r\n", mc.send("cas mc:7 5 0 3 " + one[1] + "\r\nold\r\n").line());
            // every shard hands out uniques above every one in the dump
            for (int i = 0; i < 30; i++) {
                mc.send("set fresh:" + i + " 0 0 1\r\nx\r\n").line();
                assertThat(Long.parseLong(memcachedGets(mc, "fresh:" + i)[1])).isGreaterThan(maxCas);
            }
            assertThat(j.ttl("mc:5")).isBetween(3000L, 3600L);
        }
    }

    @Test
    @Timeout(60)
    void temporaryFilesOfKilledSavesAreRemovedAtStartUp(@TempDir Path dir) throws Exception {
        try (Server s = server(dir, c -> { }); Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("a", "1");
            assertEquals("OK", j.save());
        }
        byte[] dump = Files.readAllBytes(dir.resolve("dump.rdb"));
        // what a process killed in the middle of a save leaves: half a dump under its temp name
        // (pid 2^22 + 1 is above Linux's pid_max, so no live process has it)
        Path stale = dir.resolve("temp-4194305-3.rdb");
        Files.write(stale, java.util.Arrays.copyOf(dump, dump.length / 2));
        Path ours = dir.resolve("temp-" + ProcessHandle.current().pid() + "-1.rdb"); // a pid reused by us
        Files.write(ours, new byte[] {1, 2, 3});
        Path other = dir.resolve("temp-notes.rdb"); // not a name a save uses
        Files.write(other, new byte[] {4});
        try (Server s = server(dir, c -> { }); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("1", j.get("a"));
            assertEquals("2", info(j, "rdb_stale_temp_files_removed"));
            assertTrue(Files.notExists(stale));
            assertTrue(Files.notExists(ours));
            assertTrue(Files.exists(other));
            assertEquals("OK", j.save());
        }
        // a temp file of a live process (another server saving into the same directory) stays
        Path alive = dir.resolve("temp-" + ProcessHandle.current().parent().orElseThrow().pid() + "-9.rdb");
        Files.write(alive, new byte[] {5});
        try (Server s = server(dir, c -> { }); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("0", info(j, "rdb_stale_temp_files_removed"));
            assertTrue(Files.exists(alive));
        }
    }
}
