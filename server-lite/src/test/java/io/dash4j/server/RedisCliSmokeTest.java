package io.dash4j.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Drives the real redis-cli (redis-tools) when it is installed; skipped otherwise. */
class RedisCliSmokeTest {

    static Server server;
    static Path cli;

    @BeforeAll
    static void up() {
        Optional<Path> found = which("redis-cli");
        assumeTrue(found.isPresent(), "redis-cli not installed (Debian: redis-tools)");
        cli = found.get();
        server = TestServers.start(c -> c.threads = 2);
    }

    @AfterAll
    static void down() {
        if (server != null) {
            server.close();
        }
    }

    static Optional<Path> which(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin")
                .split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs redis-cli with {@code args} (and optional stdin); returns its stdout+stderr. */
    static String cli(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(server.port())));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "redis-cli finished");
        return out.strip();
    }

    @Test
    void commandsThroughRedisCli() throws Exception {
        assertEquals("PONG", cli(null, "PING"));
        assertEquals("OK", cli(null, "SET", "greeting", "hello world"));
        assertEquals("hello world", cli(null, "GET", "greeting"));
        assertEquals("3", cli(null, "INCRBY", "n", "3"));
        assertEquals("OK", cli(null, "MSET", "a", "1", "b", "2"));
        assertEquals("1\n2\n", cli(null, "MGET", "a", "b") + "\n");
        assertThat(cli(null, "INFO", "server")).contains("redis_version:").contains("dash4j_version:");
        assertThat(cli(null, "GET", "nothere")).isEmpty();
        assertThat(cli(null, "NOSUCHCMD")).contains("ERR unknown command 'NOSUCHCMD'");
        assertThat(cli(null, "--no-raw", "GET", "nothere")).isEqualTo("(nil)");
        assertThat(cli(null, "DBSIZE")).isEqualTo("4");
        // commands on stdin (how scripts feed redis-cli)
        assertThat(cli("SET piped 42\nGET piped\nEXPIRE piped 100\nTTL piped\n")).isEqualTo("OK\n42\n1\n100");
        // --scan walks the SCAN cursor over every shard
        String keys = cli(null, "--scan", "--pattern", "*");
        assertThat(keys.split("\n")).containsExactlyInAnyOrder("greeting", "n", "a", "b", "piped");
        // the pipe mode (mass insertion) speaks raw RESP
        StringBuilder proto = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            String k = "mass:" + i;
            proto.append("*3\r\n$3\r\nSET\r\n$").append(k.length()).append("\r\n").append(k).append("\r\n$1\r\nx\r\n");
        }
        assertThat(cli(proto.toString(), "--pipe")).contains("errors: 0, replies: 1000");
        assertEquals("1005", cli(null, "DBSIZE"));
    }

    @Test
    void redisCliInResp3() throws Exception {
        String hello = cli(null, "-3", "--no-raw", "HELLO", "3");
        assertThat(hello).contains("1# \"server\" => \"redis\"").contains("3# \"proto\" => (integer) 3")
                .contains("7# \"modules\" => (empty array)");
        assertEquals("1# \"maxclients\" => \"10000\"", cli(null, "-3", "--no-raw", "CONFIG", "GET", "maxclients"));
        assertEquals("(nil)", cli(null, "-3", "--no-raw", "GET", "resp3:nothere"));
        assertEquals("OK", cli(null, "-3", "SET", "resp3:k", "v"));
        assertEquals("v", cli(null, "-3", "GET", "resp3:k"));
        assertThat(cli(null, "-3", "CLIENT", "INFO")).contains("resp=3");
        assertEquals("1", cli(null, "-3", "DEL", "resp3:k")); // leaves the keyspace as it found it
    }
}
