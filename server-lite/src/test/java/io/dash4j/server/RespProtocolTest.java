package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RESP framing over raw sockets: inline commands, malformed input, limits and their answers. */
class RespProtocolTest {

    static Server server;

    @BeforeAll
    static void up() {
        server = TestServers.start(c -> {
            c.maxMultibulkLen = 1000;
            c.protoMaxBulkLen = 1024 * 1024;
        });
    }

    @AfterAll
    static void down() {
        server.close();
    }

    Raw raw() throws IOException {
        return new Raw(server.port());
    }

    @Test
    void inlineCommandsLikeTelnet() throws IOException {
        try (Raw r = raw()) {
            r.send("PING\r\n");
            assertEquals("+PONG\r\n", r.line());
            r.send("set greeting \"hello world\"\n"); // nc sends bare \n
            assertEquals("+OK\r\n", r.line());
            r.send("get greeting\r\n");
            assertEquals("$11\r\nhello world\r\n", r.read(18));
            r.send("set q 'it''s'\r\n");
            assertEquals("-ERR Protocol error: unbalanced quotes in request\r\n", r.line());
            assertTrue(r.closedByPeer());
        }
        try (Raw r = raw()) {
            r.send("\r\n\r\n   \r\nset esc \"a\\x41\\n\"\r\nstrlen esc\r\necho ''\r\n");
            assertEquals("+OK\r\n", r.line());
            assertEquals(":3\r\n", r.line());
            assertEquals("$0\r\n", r.line());
            assertEquals("\r\n", r.line());
        }
    }

    @Test
    void multibulkAndEmptyCommands() throws IOException {
        try (Raw r = raw()) {
            r.send("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n");
            assertEquals("+PONG\r\n", r.line());
            assertEquals("$0\r\n", r.line());
            assertEquals("\r\n", r.line());
        }
    }

    @Test
    void bulkArrivingInPieces() throws Exception {
        try (Raw r = raw()) {
            byte[] value = new byte[300_000];
            for (int i = 0; i < value.length; i++) {
                value[i] = (byte) ('a' + i % 26);
            }
            String head = "*3\r\n$3\r\nSET\r\n$5\r\npiece\r\n$" + value.length + "\r\n";
            r.send(head.substring(0, 7));
            Thread.sleep(20);
            r.send(head.substring(7));
            for (int off = 0; off < value.length; off += 70_000) {
                r.send(java.util.Arrays.copyOfRange(value, off, Math.min(value.length, off + 70_000)));
                Thread.sleep(5);
            }
            r.send("\r");
            Thread.sleep(20);
            r.send("\n*2\r\n$6\r\nSTRLEN\r\n$5\r\npiece\r\n");
            assertEquals("+OK\r\n", r.line());
            assertEquals(":300000\r\n", r.line());
        }
    }

    /** Sends {@code input}; expects {@code reply} and then the server closing the connection. */
    void expectErrorAndClose(String input, String reply) throws IOException {
        try (Raw r = raw()) {
            r.send(input);
            assertEquals(reply, r.line());
            assertTrue(r.closedByPeer(), "connection should be closed after: " + reply);
        }
    }

    @Test
    void framingErrorsCloseTheConnection() throws IOException {
        expectErrorAndClose("*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
        expectErrorAndClose("*1001\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
        expectErrorAndClose("*1\r\nx\r\n", "-ERR Protocol error: expected '$', got 'x'\r\n");
        expectErrorAndClose("*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n");
        expectErrorAndClose("*2\r\n$3\r\nGET\r\n$2000000\r\n",
                "-ERR Protocol error: invalid bulk length (2000000 bytes is over proto-max-bulk-len, 1048576)\r\n");
        expectErrorAndClose("*1\r\n$x\r\n", "-ERR Protocol error: invalid bulk length\r\n");
        expectErrorAndClose("x".repeat(70 * 1024), "-ERR Protocol error: too big inline request\r\n");
        expectErrorAndClose("*" + "1".repeat(70 * 1024), "-ERR Protocol error: too big mbulk count string\r\n");
        expectErrorAndClose("*1\r\n$" + "1".repeat(70 * 1024), "-ERR Protocol error: too big bulk count string\r\n");
    }

    @Test
    void commandsBeforeAnErrorAreAnswered() throws IOException {
        try (Raw r = raw()) {
            r.send("PING\r\nSET before 1\r\n*x\r\nSET after 1\r\n");
            assertEquals("+PONG\r\n", r.line());
            assertEquals("+OK\r\n", r.line());
            assertEquals("-ERR Protocol error: invalid multibulk length\r\n", r.line());
            assertTrue(r.closedByPeer());
        }
        try (Raw r = raw()) {
            r.send("EXISTS before after\r\n");
            assertEquals(":1\r\n", r.line());
        }
    }

    @Test
    void quitStopsReading() throws IOException {
        try (Raw r = raw()) {
            r.send("PING\r\nQUIT\r\nSET afterquit 1\r\n");
            assertEquals("+PONG\r\n", r.line());
            assertEquals("+OK\r\n", r.line());
            assertTrue(r.closedByPeer());
        }
        try (Raw r = raw()) {
            r.send("EXISTS afterquit\r\n");
            assertEquals(":0\r\n", r.line());
        }
    }

    @Test
    void unknownAndArityErrorsKeepTheConnection() throws IOException {
        try (Raw r = raw()) {
            r.send("FOO bar baz\r\nGET\r\nPING\r\n");
            assertEquals("-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' \r\n", r.line());
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", r.line());
            assertEquals("+PONG\r\n", r.line());
        }
    }

    @Test
    void shutdownOfAnotherServerStopsIt() throws Exception {
        Server s = TestServers.start(c -> c.threads = 2);
        try (Raw r = new Raw(s.port())) {
            r.send("SHUTDOWN NOSAVE\r\n");
            assertTrue(r.closedByPeer());
        }
        assertTrue(s.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
        s.close();
    }

    @Test
    void maxClientsAnswersAndCloses() throws Exception {
        Server s = TestServers.start(c -> c.maxclients = 3);
        List<Raw> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Raw r = new Raw(s.port());
                r.send("PING\r\n");
                assertEquals("+PONG\r\n", r.line());
                open.add(r);
            }
            try (Raw extra = new Raw(s.port())) {
                assertEquals("-ERR max number of clients reached\r\n", extra.line());
                assertTrue(extra.closedByPeer());
            }
            open.remove(0).close();
            Thread.sleep(200);
            try (Raw again = new Raw(s.port())) {
                again.send("INFO stats\r\n");
                String header = again.line();
                String body = again.read(Integer.parseInt(header.substring(1).trim()));
                assertThat(body).contains("rejected_connections:1");
            }
        } finally {
            for (Raw r : open) {
                r.close();
            }
            s.close();
        }
    }

    @Test
    void slowReaderIsDisconnectedAtTheOutputLimit() throws Exception {
        Server s = TestServers.start(c -> c.clientOutputBufferLimit = 1024 * 1024);
        try (Raw w = new Raw(s.port())) {
            w.send("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$100000\r\n" + "x".repeat(100_000) + "\r\n");
            assertEquals("+OK\r\n", w.line());
            try (Raw slow = new Raw(s.port())) {
                slow.socket.setReceiveBufferSize(4096);
                StringBuilder gets = new StringBuilder();
                for (int i = 0; i < 600; i++) {
                    gets.append("GET big\r\n");
                }
                try {
                    slow.send(gets.toString()); // never reads: 60 MB of replies pile up
                } catch (IOException closedWhileSending) {
                    // fine: the server may already have dropped us
                }
                Thread.sleep(500);
                assertTrue(slow.closedByPeer());
            }
            w.send("INFO stats\r\n");
            String header = w.line();
            String body = w.read(Integer.parseInt(header.substring(1).trim()));
            assertThat(body).contains("client_output_buffer_limit_disconnections:1");
            w.send("\r\nPING\r\n");
            assertEquals("\r\n", w.line());
            assertEquals("+PONG\r\n", w.line());
        } finally {
            s.close();
        }
    }

    @Test
    void idleClientsAreClosedAfterTheTimeout() throws Exception {
        Server s = TestServers.start(c -> c.timeout = 1);
        try (Raw r = new Raw(s.port())) {
            r.send("PING\r\n");
            assertEquals("+PONG\r\n", r.line());
            r.socket.setSoTimeout(4000);
            assertTrue(r.closedByPeer());
        } finally {
            s.close();
        }
    }

    @Test
    void clientMemoryLimitRefusesHugeArguments() throws Exception {
        Server s = TestServers.start(c -> c.maxmemoryClients = 6L * 1024 * 1024);
        try (Raw r = new Raw(s.port())) {
            byte[] chunk = new byte[1024 * 1024];
            r.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + (100 * 1024 * 1024) + "\r\n");
            String reply = "";
            try {
                for (int i = 0; i < 30; i++) {
                    r.send(chunk);
                }
            } catch (IOException closed) {
                // the server hung up: expected
            }
            reply = r.line();
            assertThat(reply).startsWith("-ERR Protocol error: client buffers over maxmemory-clients");
        } finally {
            s.close();
        }
        Server t = TestServers.start(c -> c.maxmemoryClients = 6L * 1024 * 1024);
        try (Raw r = new Raw(t.port())) {
            r.send("SET small 1\r\n");
            assertEquals("+OK\r\n", r.line());
            assertFalse(r.socket.isClosed());
        } finally {
            t.close();
        }
    }
}
