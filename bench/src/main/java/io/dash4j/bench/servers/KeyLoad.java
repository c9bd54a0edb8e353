package io.dash4j.bench.servers;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory benchmark's loader: N distinct 12-byte keys ({@code key:00000000} ..) with 16-byte
 * values ({@code val:000000000000} ..). No dependencies, so {@code bench/compare-servers.sh} runs it
 * as a single source file ({@code java KeyLoad.java ...}); it also compiles with the bench module.
 * <pre>
 *   resp N                      RESP SET commands on stdout, for {@code redis-cli --pipe}
 *   memcached HOST PORT N       "set KEY 0 0 16 noreply" over one connection, then "version" to
 *                               wait until all are applied; prints the error lines' count
 * </pre>
 */
public final class KeyLoad {

    static final int KEY_LEN = 12;
    static final int VALUE_LEN = 16;

    private KeyLoad() {
    }

    /** {@code key:%08d}: 12 bytes for every i below 10^8. */
    static byte[] key(int i) {
        return padded("key:", i, KEY_LEN);
    }

    /** {@code val:%012d}: 16 bytes. */
    static byte[] value(int i) {
        return padded("val:", i, VALUE_LEN);
    }

    /** {@code prefix} then {@code i} in decimal, zero-padded to {@code len} bytes in all. */
    static byte[] padded(String prefix, int i, int len) {
        byte[] b = new byte[len];
        for (int k = 0; k < prefix.length(); k++) {
            b[k] = (byte) prefix.charAt(k);
        }
        long v = i;
        for (int k = len - 1; k >= prefix.length(); k--) {
            b[k] = (byte) ('0' + v % 10);
            v /= 10;
        }
        if (v != 0) {
            throw new IllegalArgumentException(i + " does not fit in " + len + " bytes");
        }
        return b;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("resp")) {
            resp(Integer.parseInt(args[1]), System.out);
        } else if (args.length == 4 && args[0].equals("memcached")) {
            long errors = memcached(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            System.out.println("errors: " + errors + ", items: " + args[3]);
            System.exit(errors == 0 ? 0 : 1);
        } else {
            System.err.println("usage: KeyLoad resp N | KeyLoad memcached HOST PORT N");
            System.exit(2);
        }
    }

    static void resp(int n, OutputStream sink) throws IOException {
        OutputStream out = new BufferedOutputStream(sink, 1 << 16);
        byte[] head = ("*3\r\n$3\r\nSET\r\n$" + KEY_LEN + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] mid = ("\r\n$" + VALUE_LEN + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = {'\r', '\n'};
        for (int i = 0; i < n; i++) {
            out.write(head);
            out.write(key(i));
            out.write(mid);
            out.write(value(i));
            out.write(crlf);
        }
        out.flush();
    }

    static long memcached(String host, int port, int n) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(120_000);
            AtomicLong errors = new AtomicLong();
            // Replies come only for errors (noreply), and the final VERSION: read them meanwhile so
            // a flood of errors cannot block the writer.
            CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
                try {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith("VERSION")) {
                            return;
                        }
                        if (errors.incrementAndGet() <= 5) {
                            System.err.println("server: " + line);
                        }
                    }
                    throw new IOException("connection closed before VERSION");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
            byte[] crlf = {'\r', '\n'};
            byte[] set = "set ".getBytes(StandardCharsets.US_ASCII);
            byte[] tail = (" 0 0 " + VALUE_LEN + " noreply\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < n; i++) {
                out.write(set);
                out.write(key(i));
                out.write(tail);
                out.write(value(i));
                out.write(crlf);
            }
            out.write("version\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            done.get(120, TimeUnit.SECONDS);
            return errors.get();
        }
    }
}
