package io.dash4j.server;

import io.dash4j.server.store.Key;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * End of input finishes the work already received: a client that pipelines commands and then
 * shuts down its sending side ({@code nc -N}) gets every reply, including replies of commands on
 * other shards and of commands held back by the pipeline limit, and then the server closes.
 * (Before the fix, the connection closed at EOF and dropped replies and in-flight calls.)
 */
class HalfCloseTest {

    static final int SHARDS = 4;
    static final int ROUNDS = 40;
    static Server server;

    @BeforeAll
    static void up() {
        server = TestServers.start(c -> {
            c.threads = SHARDS;
            c.maxInflight = 8; // so a batch of 60 commands is paused by the pipeline limit
        });
    }

    @AfterAll
    static void down() {
        server.close();
    }

    /** Keys owned by each shard, so a batch surely crosses threads. */
    static List<String> keysOnEveryShard(String prefix) {
        List<String> keys = new ArrayList<>();
        boolean[] seen = new boolean[SHARDS];
        for (int i = 0; keys.size() < SHARDS; i++) {
            String k = prefix + i;
            int s = new Key(k.getBytes(StandardCharsets.UTF_8)).shard(SHARDS);
            if (!seen[s]) {
                seen[s] = true;
                keys.add(k);
            }
        }
        return keys;
    }

    /** Sends {@code input}, half-closes, and returns everything the server wrote until it closed. */
    static String sendAndHalfClose(int port, String input) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(input.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) { // ends when the server closes (a timeout fails the test)
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void respRepliesSurviveHalfClose() throws IOException {
        for (int round = 0; round < ROUNDS; round++) {
            List<String> keys = keysOnEveryShard("hc" + round + ":");
            StringBuilder in = new StringBuilder("PING\r\n");
            StringBuilder want = new StringBuilder("+PONG\r\n");
            for (String k : keys) {
                in.append("SET ").append(k).append(" hello\r\nGET ").append(k).append("\r\nINCR c:").append(k)
                        .append("\r\n");
                want.append("+OK\r\n$5\r\nhello\r\n:1\r\n");
            }
            // more than max-inflight commands, spread over the shards: some wait for the pipeline to drain
            for (int i = 0; i < 60; i++) {
                String k = keys.get(i % keys.size());
                in.append("*2\r\n$4\r\nINCR\r\n$").append(("n:" + k).length()).append("\r\nn:").append(k).append("\r\n");
                want.append(':').append(i / keys.size() + 1).append("\r\n");
            }
            in.append("MGET ").append(String.join(" ", keys)).append("\r\n");
            want.append('*').append(keys.size()).append("\r\n");
            for (int i = 0; i < keys.size(); i++) {
                want.append("$5\r\nhello\r\n");
            }
            assertEquals(want.toString(), sendAndHalfClose(server.port(), in.toString()), "round " + round);
        }
    }

    @Test
    void memcachedRepliesSurviveHalfClose() throws IOException {
        for (int round = 0; round < ROUNDS; round++) {
            List<String> keys = keysOnEveryShard("mhc" + round + ":");
            StringBuilder in = new StringBuilder("version\r\n");
            StringBuilder want = new StringBuilder("VERSION 1.6.21\r\n");
            for (String k : keys) {
                in.append("set ").append(k).append(" 3 0 1\r\n7\r\nincr ").append(k).append(" 5\r\nget ").append(k)
                        .append("\r\n");
                want.append("STORED\r\n12\r\nVALUE ").append(k).append(" 3 2\r\n12\r\nEND\r\n");
            }
            for (int i = 0; i < 40; i++) {
                String k = keys.get(i % keys.size());
                in.append("incr ").append(k).append(" 1\r\n");
                want.append(12 + i / keys.size() + 1).append("\r\n");
            }
            in.append("delete ").append(keys.get(0)).append("\r\n");
            want.append("DELETED\r\n");
            assertEquals(want.toString(), sendAndHalfClose(server.memcachedPort(), in.toString()), "round " + round);
        }
    }

    @Test
    void anIncompleteLastCommandIsDroppedAndTheConnectionCloses() throws IOException {
        assertEquals("+PONG\r\n", sendAndHalfClose(server.port(), "PING\r\n*2\r\n$3\r\nGET\r\n$5\r\nhal"));
        assertEquals("STORED\r\n", sendAndHalfClose(server.memcachedPort(), "set hcx 0 0 1\r\nx\r\nset hcy 0 0 5\r\nab"));
    }
}
