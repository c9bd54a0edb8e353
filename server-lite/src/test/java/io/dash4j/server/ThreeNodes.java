package io.dash4j.server;

import java.util.Arrays;
import java.util.Locale;

/**
 * Three in-process dash4j servers on loopback ephemeral ports (RESP and memcached each), the
 * backends of the scale-out tests. {@link #stop(int)} takes one down; {@link #close()} stops all.
 */
final class ThreeNodes implements AutoCloseable {

    static final int N = 3;
    final Server[] servers = new Server[N];
    private final boolean[] stopped = new boolean[N];

    ThreeNodes() {
        try {
            for (int i = 0; i < N; i++) {
                servers[i] = TestServers.start(c -> {
                    c.threads = 2;
                    c.memcachedPort = -1;
                    c.maxmemory = 64L * 1024 * 1024;
                });
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    int respPort(int i) {
        return servers[i].port();
    }

    int memcachedPort(int i) {
        return servers[i].memcachedPort();
    }

    void stop(int i) {
        if (!stopped[i] && servers[i] != null) {
            stopped[i] = true;
            servers[i].close();
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < N; i++) {
            stop(i);
        }
    }

    /** "3,412 (34.1 %) / 3,197 (32.0 %) / 3,391 (33.9 %)" for the test log and docs/scale-out.md. */
    static String shares(long[] counts) {
        long total = Arrays.stream(counts).sum();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            if (i > 0) {
                b.append(" / ");
            }
            b.append(String.format(Locale.ROOT, "node%d %,d (%.1f %%)", i + 1, counts[i], 100.0 * counts[i] / total));
        }
        return b.toString();
    }
}
