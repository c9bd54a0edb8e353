package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libmemcached's protocol tester against the memcached port of an in-process server, once per
 * protocol: {@code memccapable -a} (text) and {@code memccapable -b} (binary). The tool comes with
 * Debian's libmemcached-tools ({@code .ci/run} installs it); the test is skipped only when no
 * {@code memccapable}/{@code memcapable} binary is on the PATH.
 */
class MemcapableConformanceTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void memccapableAsciiPasses() throws Exception {
        memccapablePasses("-a");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void memccapableBinaryPasses() throws Exception {
        memccapablePasses("-b");
    }

    private static void memccapablePasses(String protocol) throws Exception {
        Optional<Path> tool = ExternalTools.find("memccapable", "memcapable");
        assumeTrue(tool.isPresent(), "memccapable/memcapable not installed (Debian: libmemcached-tools)");
        Server server = TestServers.start(c -> c.memcachedPort = -1);
        try {
            // -t 5: five seconds per I/O operation (the default two is tight on a loaded CI machine)
            ExternalTools.Result r = ExternalTools.run(List.of(tool.get().toString(),
                    "-h", "127.0.0.1", "-p", Integer.toString(server.memcachedPort()), protocol, "-v", "-t", "5"), 45);
            assertFalse(r.timedOut(), () -> "memccapable did not finish in 45 s:\n" + r.output());
            assertEquals(0, r.exitCode(), () -> "memccapable " + protocol + " failed: " + failures(r.output())
                    + "\n--- full output ---\n" + r.output());
        } finally {
            server.close();
        }
    }

    /** The case names memccapable marked [FAIL], with the assertion it printed (-v). */
    static List<String> failures(String output) {
        List<String> failed = new ArrayList<>();
        String current = null;
        StringBuilder detail = new StringBuilder();
        for (String line : output.split("\n")) {
            String l = line.strip();
            if (l.startsWith("ascii ") || l.startsWith("binary ")) {
                int cut = l.indexOf("  ");
                current = cut > 0 ? l.substring(0, cut) : l.replace("[FAIL]", "").replace("[pass]", "").strip();
                detail.setLength(0);
            } else if (!l.isEmpty() && !l.contains("[pass]") && !l.contains("[FAIL]") && current != null) {
                detail.append(' ').append(l);
            }
            if (l.contains("[FAIL]") && current != null) {
                failed.add(current + (detail.length() > 0 ? " (" + detail.toString().strip() + ")" : ""));
                current = null;
            }
        }
        return failed;
    }

    /**
     * memcaslap's keys start with binary bytes (control characters included); memcached accepts any
     * key byte but space and the line end, and so does dash4j.
     */
    @Test
    void binaryKeyBytesLikeMemcached() throws Exception {
        Server server = TestServers.start(c -> c.memcachedPort = -1);
        try (Raw r = new Raw(server.memcachedPort())) {
            byte[] key = {(byte) 0x9d, 0x11, 0x10, 0x01, 0x7f, 'o', '.', 'S', 'X'};
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.writeBytes("set ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            b.writeBytes(key);
            b.writeBytes(" 5 0 3\r\nabc\r\nget ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            b.writeBytes(key);
            b.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            r.send(b.toByteArray());
            assertEquals("STORED\r\n", r.line());
            String k = new String(key, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertEquals("VALUE " + k + " 5 3\r\n", r.line());
            assertEquals("abc\r\n", r.line());
            assertEquals("END\r\n", r.line());
            r.send("get " + "k".repeat(251) + "\r\n");
            assertEquals("CLIENT_ERROR", r.line().substring(0, 12));
        } finally {
            server.close();
        }
    }

    /** The case memccapable used to fail: "verbosity noreply" is a silent no-op, as in memcached 1.6. */
    @Test
    void verbosityArgumentsLikeMemcached() throws Exception {
        Server server = TestServers.start(c -> c.memcachedPort = -1);
        try (Raw r = new Raw(server.memcachedPort())) {
            r.send("verbosity foo bar my\r\n");
            assertEquals("ERROR\r\n", r.line());
            r.send("verbosity noreply\r\nverbosity 0 noreply\r\nversion\r\n");
            assertEquals("VERSION ", r.line().substring(0, 8));
            r.send("verbosity\r\n");
            assertEquals("ERROR\r\n", r.line());
            r.send("verbosity 1\r\nverbosity 0\r\n");
            assertEquals("OK\r\n", r.line());
            assertEquals("OK\r\n", r.line());
        } finally {
            server.close();
        }
    }
}
