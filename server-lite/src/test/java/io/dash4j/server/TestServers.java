package io.dash4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** In-process servers on loopback ephemeral ports, and a raw-socket client for protocol tests. */
public final class TestServers {

    private TestServers() {
    }

    /** A server with 3 shards (so keys cross threads), both protocols, 256 MB of data. */
    public static Server start(Consumer<ServerConfig> tweak) {
        ServerConfig cfg = new ServerConfig();
        cfg.bind = "127.0.0.1";
        cfg.port = 0;
        cfg.memcachedPort = -1;
        cfg.threads = 3;
        cfg.maxmemory = 256L * 1024 * 1024;
        tweak.accept(cfg);
        try {
            return new Server(cfg).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Server start() {
        return start(c -> {
        });
    }

    /** A blocking socket speaking raw bytes, with a read timeout. */
    public static final class Raw implements AutoCloseable {
        public final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        public Raw(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        public Raw send(String s) throws IOException {
            return send(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        public Raw send(byte[] b) throws IOException {
            out.write(b);
            out.flush();
            return this;
        }

        /** Reads exactly {@code n} bytes (or fails on timeout / EOF). */
        public String read(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            return new String(b, StandardCharsets.ISO_8859_1);
        }

        /** Reads one line including its CRLF. */
        public String line() throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                b.append((char) c);
                if (c == '\n') {
                    break;
                }
            }
            return b.toString();
        }

        /** Reads until {@code expected} bytes arrived or the connection ends; returns what came. */
        public String readAtLeast(int expected) throws IOException {
            StringBuilder b = new StringBuilder();
            byte[] buf = new byte[8192];
            while (b.length() < expected) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            return b.toString();
        }

        /** True when the server closed the connection (EOF) within the timeout. */
        public boolean closedByPeer() throws IOException {
            try {
                while (true) {
                    int c = in.read();
                    if (c < 0) {
                        return true;
                    }
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
