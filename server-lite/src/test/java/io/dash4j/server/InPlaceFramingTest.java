package io.dash4j.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-place framer ({@code RespCodec.frameInPlace}) keeps the copying parser's answers: what
 * it does not frame itself (malformed lengths, limits, long commands) reaches the copying parser
 * and gets the same protocol error or reply as before; a frame split at every byte is still one
 * command.
 */
class InPlaceFramingTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(c -> c.threads = 2);

    @Test
    void aFrameSplitAtEveryByteIsOneCommand() throws Exception {
        String set = "*3\r\n$3\r\nSET\r\n$5\r\nsplit\r\n$5\r\nvalue\r\n";
        String get = "*2\r\n$3\r\nGET\r\n$5\r\nsplit\r\n";
        try (TestServers.Raw raw = new TestServers.Raw(server.port())) {
            for (char ch : (set + get).toCharArray()) {
                raw.send(String.valueOf(ch));
                Thread.sleep(1);
            }
            assertEquals("+OK\r\n$5\r\nvalue\r\n", raw.read("+OK\r\n$5\r\nvalue\r\n".length()));
        }
    }

    @Test
    void malformedLengthsGetTheCopyingParsersErrors() throws IOException {
        expectErrorAndClose("*2\r\n$03\r\nGET\r\n$1\r\nk\r\n", "-ERR Protocol error: invalid bulk length\r\n");
        expectErrorAndClose("*2\r\n$\r\n", "-ERR Protocol error: invalid bulk length\r\n");
        expectErrorAndClose("*2\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n");
        expectErrorAndClose("*2\r\n+3\r\nGET\r\n", "-ERR Protocol error: expected '$', got '+'\r\n");
    }

    @Test
    void longAndLargeCommandsTakeTheCopyingPath() throws IOException {
        String big = "x".repeat(20_000);
        try (TestServers.Raw raw = new TestServers.Raw(server.port())) {
            raw.send("*9\r\n$4\r\nMSET\r\n$2\r\na1\r\n$1\r\n1\r\n$2\r\na2\r\n$1\r\n2\r\n$2\r\na3\r\n$1\r\n3\r\n"
                    + "$2\r\na4\r\n$1\r\n4\r\n");
            assertEquals("+OK\r\n", raw.read(5));
            raw.send("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + big.length() + "\r\n" + big + "\r\n*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n");
            String want = "+OK\r\n$" + big.length() + "\r\n" + big + "\r\n";
            assertEquals(want, raw.read(want.length()));
            raw.send("*3\r\n$4\r\nMGET\r\n$2\r\na1\r\n$2\r\na4\r\n");
            assertEquals("*2\r\n$1\r\n1\r\n$1\r\n4\r\n", raw.read("*2\r\n$1\r\n1\r\n$1\r\n4\r\n".length()));
        }
    }

    @Test
    void maxMultibulkLenStillRefusesShortCommands() throws Exception {
        Server small = TestServers.start(c -> c.maxMultibulkLen = 2);
        try (TestServers.Raw raw = new TestServers.Raw(small.port())) {
            raw.send("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
            assertEquals("$-1\r\n", raw.read(5));
            raw.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
            String want = "-ERR Protocol error: invalid multibulk length\r\n";
            assertEquals(want, raw.read(want.length()));
            assertTrue(raw.closedByPeer());
        } finally {
            small.close();
        }
    }

    private static void expectErrorAndClose(String input, String reply) throws IOException {
        try (TestServers.Raw raw = new TestServers.Raw(server.port())) {
            raw.send(input);
            assertEquals(reply, raw.read(reply.length()));
            assertTrue(raw.closedByPeer());
        }
    }
}
