package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A text storage command's data block arriving in pieces: the server reads the data straight into
 * the entry it stores, and must do so wherever a read ends — inside the command line, inside the
 * data, between the data and its CR, between CR and LF. (An early version of the in-place reading
 * threw when a read ended after the CR: the connection was closed on a bug.)
 */
class McDataBlockSplitTest {

    static Server server;

    @BeforeAll
    static void up() {
        server = TestServers.start(c -> c.threads = 2);
    }

    @AfterAll
    static void down() {
        server.close();
    }

    /** Sends {@code pieces} in separate writes, pausing so that the server reads them apart. */
    static void sendApart(Raw raw, String... pieces) throws IOException, InterruptedException {
        for (String p : pieces) {
            raw.send(p);
            Thread.sleep(15);
        }
    }

    @Test
    void everySplitPointOfASetIsStored() throws Exception {
        try (Raw raw = new Raw(server.memcachedPort())) {
            String cmd = "set split 7 0 5\r\nhello\r\n";
            for (int at = 1; at < cmd.length(); at++) {
                sendApart(raw, cmd.substring(0, at), cmd.substring(at));
                assertThat(raw.line()).as("split at %d", at).isEqualTo("STORED\r\n");
            }
            raw.send("get split\r\n");
            assertThat(raw.line()).isEqualTo("VALUE split 7 5\r\n");
            assertThat(raw.read(12)).isEqualTo("hello\r\nEND\r\n");
        }
    }

    @Test
    void dataCrAndLfInThreeReads() throws Exception {
        try (Raw raw = new Raw(server.memcachedPort())) {
            sendApart(raw, "append three 0 0 1\r\n", "x", "\r", "\n");
            assertThat(raw.line()).isEqualTo("NOT_STORED\r\n");
            sendApart(raw, "set three 0 0 3\r\n", "abc", "\r", "\n");
            assertThat(raw.line()).isEqualTo("STORED\r\n");
            sendApart(raw, "append three 0 0 2\r\nde", "\r", "\n");
            assertThat(raw.line()).isEqualTo("STORED\r\n");
            raw.send("get three\r\n");
            assertThat(raw.line()).isEqualTo("VALUE three 0 5\r\n");
            assertThat(raw.read(12)).isEqualTo("abcde\r\nEND\r\n");
        }
    }

    @Test
    void aBadChunkEndSplitAfterTheDataIsRefusedAndTheConnectionGoesOn() throws Exception {
        try (Raw raw = new Raw(server.memcachedPort())) {
            sendApart(raw, "set bad 0 0 2\r\nok", "\rX");
            assertThat(raw.line()).isEqualTo("CLIENT_ERROR bad data chunk\r\n");
            raw.send("get bad\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(raw.line()).isEqualTo("END\r\n");
        }
    }
}
