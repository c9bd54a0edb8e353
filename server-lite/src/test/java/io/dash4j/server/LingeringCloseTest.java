package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the server ends a connection while the client is still sending (a protocol error in the
 * middle of a long pipeline, a refused oversized value), the client must still read the last
 * reply and then see an orderly end, not a reset that throws the reply away: the server shuts its
 * output and drops what still arrives before it closes (Connection's lingering close).
 */
class LingeringCloseTest {

    private static Server server;

    @BeforeAll
    static void start() {
        server = TestServers.start(c -> c.threads = 1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @RepeatedTest(5)
    void theErrorReplyBeforeTheCloseReachesAClientStillSending() throws Exception {
        try (Raw raw = new Raw(server.port())) {
            byte[] junk = new byte[2 << 20];
            Arrays.fill(junk, (byte) 'x');
            // a valid command, a malformed frame, then megabytes the server will never parse
            raw.send("PING\r\n*x\r\n");
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    raw.send(junk);
                } catch (IOException ignored) {
                    // the server may still close before everything is sent: what matters is the reply
                }
            });
            assertThat(raw.line()).isEqualTo("+PONG\r\n");
            assertThat(raw.line()).startsWith("-ERR Protocol error");
            assertThat(raw.closedByPeer()).as("an orderly end after the reply").isTrue();
            sending.get(10, TimeUnit.SECONDS);
        }
        try (Raw next = new Raw(server.port())) {
            assertThat(next.send("PING\r\n").line()).isEqualTo("+PONG\r\n");
        }
    }

    @RepeatedTest(3)
    void quitAnswersOkThenEndsWhateverFollows() throws Exception {
        try (Raw raw = new Raw(server.port())) {
            StringBuilder more = new StringBuilder("QUIT\r\n");
            for (int i = 0; i < 200_000; i++) { // ~3 MB: more than the socket buffers hold
                more.append("SET k").append(i).append(" v\r\n");
            }
            raw.send(more.toString().getBytes(StandardCharsets.ISO_8859_1));
            assertThat(raw.line()).isEqualTo("+OK\r\n");
            assertThat(raw.closedByPeer()).isTrue();
        }
        try (Raw next = new Raw(server.port())) {
            assertThat(next.send("EXISTS k0\r\n").line()).isEqualTo(":0\r\n");
        }
    }
}
