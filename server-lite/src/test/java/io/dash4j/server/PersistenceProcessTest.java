package io.dash4j.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as a process: kill -9 in the middle of a BGSAVE leaves the previous dump loadable,
 * SIGTERM saves when save rules are set (store mode's default), and a truncated dump stops the
 * start with status 1 and a message naming the file and offset.
 */
class PersistenceProcessTest {

    static final int KEYS = 200_000;

    private static void fill(Jedis j, String value) {
        for (int base = 0; base < KEYS; base += 2000) {
            Pipeline p = j.pipelined();
            for (int i = base; i < base + 2000; i++) {
                p.set("key:" + i, value + ":" + i);
            }
            p.sync();
        }
    }

    /** Every key's value generation ("v1" or "v2"): one generation for all, never a mix. */
    private static String generation(Jedis j) {
        List<Response<String>> values = new ArrayList<>();
        Pipeline p = j.pipelined();
        for (int i = 0; i < KEYS; i++) {
            values.add(p.get("key:" + i));
        }
        p.sync();
        String gen = values.get(0).get().substring(0, 2);
        for (int i = 0; i < KEYS; i++) {
            assertEquals(gen + ":" + i, values.get(i).get(), "key:" + i);
        }
        return gen;
    }

    @Test
    @Timeout(180)
    void killDashNineDuringBgsaveLeavesThePreviousDumpLoadable(@TempDir Path dir) throws Exception {
        String[] args = {"--port", "0", "--memcached-port", "0", "--threads", "2", "--cache-mode", "false",
            "--maxmemory", "200mb", "--save", "", "--dir", dir.toString()};
        for (int round = 0; round < 3; round++) {
            try (MainProcessTest.Child c = new MainProcessTest.Child("-Xmx512m", args);
                 Jedis j = new Jedis("127.0.0.1", c.port, 60_000)) {
                if (round == 0) {
                    fill(j, "v1");
                    assertEquals("OK", j.save());
                } else {
                    assertEquals(KEYS, j.dbSize(), "round " + round + " loaded the dump");
                    generation(j);
                }
                fill(j, "v2");
                assertEquals("Background saving started", j.bgsave());
                Thread.sleep(round * 15L); // killed at the start, a little later, later still
                c.process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
                assertTrue(c.process.waitFor(20, TimeUnit.SECONDS));
            }
        }
        try (MainProcessTest.Child c = new MainProcessTest.Child("-Xmx512m", args);
             Jedis j = new Jedis("127.0.0.1", c.port, 60_000)) {
            assertEquals(KEYS, j.dbSize());
            assertThat(generation(j)).isIn("v1", "v2");
        }
    }

    @Test
    @Timeout(60)
    void sigtermSavesWithTheStoreModeDefaultRulesAndACorruptDumpStopsTheStart(@TempDir Path dir) throws Exception {
        try (MainProcessTest.Child c = new MainProcessTest.Child("-Xmx128m", "--port", "0", "--memcached-port", "0",
                "--threads", "2", "--cache-mode", "false", "--dir", dir.toString());
             Jedis j = new Jedis("127.0.0.1", c.port)) {
            assertEquals("3600 1 300 100 60 10000", j.configGet("save").get("save"));
            j.set("survives", "sigterm");
            c.process.toHandle().destroy(); // SIGTERM
            assertEquals(0, c.awaitExit(30), c::output);
            assertThat(c.output()).contains("saved 1 keys");
        }
        try (MainProcessTest.Child c = new MainProcessTest.Child("-Xmx128m", "--port", "0", "--memcached-port", "0",
                "--threads", "2", "--dir", dir.toString());
             Jedis j = new Jedis("127.0.0.1", c.port)) {
            assertEquals("sigterm", j.get("survives"));
        }
        Path dump = dir.resolve("dump.rdb");
        byte[] good = Files.readAllBytes(dump);
        Files.write(dump, java.util.Arrays.copyOf(good, good.length - 3));
        Process p = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--port", "0", "--memcached-port", "0",
                "--dir", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertThat(out).contains(dump.toString()).contains("offset " + (good.length - 3)).contains("truncated")
                .doesNotContain("ready to accept connections");
    }
}
