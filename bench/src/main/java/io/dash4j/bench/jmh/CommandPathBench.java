package io.dash4j.bench.jmh;

import io.dash4j.server.Server;
import io.dash4j.server.ServerConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The RESP codec + command path of a live in-process server, measured in bytes allocated per
 * command: run with {@code -prof gc} and read {@code gc.alloc.rate.norm} (bytes per operation =
 * per command: each invocation is one pipelined batch of {@link #PIPELINE} commands). The client
 * is a blocking {@link SocketChannel} over direct buffers writing a pre-encoded batch and
 * counting reply bytes or lines, so it allocates nothing itself: the figure is the server's.
 * {@code shards=2} sends about half of each batch across shards (the hop's cost included).
 *
 * <pre>bench/run-jmh CommandPathBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CommandPathBench {

    static final int PIPELINE = 100;
    static final int KEYS = 1000;
    static final int VALUE = 64;

    @Param({"1", "2"})
    public int shards;

    private Server server;
    private SocketChannel ch;
    private ByteBuffer gets;
    private ByteBuffer sets;
    private ByteBuffer incrs;
    private final ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
    private int next;

    @Setup(Level.Trial)
    public void start() throws IOException {
        server = new Server(ServerConfig.parse(new String[] {"--port", "0", "--memcached-port", "0",
                "--threads", String.valueOf(shards), "--maxmemory", "256mb"})).start();
        ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
        ch.socket().setTcpNoDelay(true);
        String value = "v".repeat(VALUE);
        StringBuilder g = new StringBuilder();
        StringBuilder s = new StringBuilder();
        StringBuilder n = new StringBuilder();
        for (int i = 0; i < KEYS; i++) {
            String key = String.format("key:%012d", i);
            g.append(command("GET", key));
            s.append(command("SET", key, value));
            n.append(command("INCRBY", "n:" + key.substring(4), "7"));
        }
        gets = direct(g);
        sets = direct(s);
        incrs = direct(n);
        for (int i = 0; i < KEYS / PIPELINE; i++) {
            batch(sets, 5); // every key holds a 64-byte value before the first GET
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        ch.close();
        server.close();
    }

    private static String command(String... words) {
        StringBuilder b = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            b.append('$').append(w.length()).append("\r\n").append(w).append("\r\n");
        }
        return b.toString();
    }

    private static ByteBuffer direct(CharSequence s) {
        byte[] b = s.toString().getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    /**
     * Sends the next {@link #PIPELINE} commands of {@code all} (one command per key, every command
     * the same length) and reads until {@code replyBytes} bytes per command came back (or, when 0,
     * one line per command: INCRBY's replies vary in length).
     */
    private void batch(ByteBuffer all, int replyBytes) {
        try {
            int per = all.capacity() / KEYS;
            int from = next * per;
            next = (next + PIPELINE) % KEYS;
            ByteBuffer out = all.duplicate().position(from).limit(from + PIPELINE * per);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            long want = (long) replyBytes * PIPELINE;
            long got = 0;
            int lines = 0;
            while (replyBytes > 0 ? got < want : lines < PIPELINE) {
                in.clear();
                int n = ch.read(in);
                if (n < 0) {
                    throw new IOException("server closed the connection");
                }
                got += n;
                for (int i = 0; i < n && replyBytes == 0; i++) {
                    if (in.get(i) == '\n') {
                        lines++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET of a 64-byte value: {@code $64\r\n} + value + CRLF = 71 bytes per reply. */
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public void get() {
        batch(gets, 5 + VALUE + 2);
    }

    /** SET of a 64-byte value: {@code +OK\r\n}. */
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public void set() {
        batch(sets, 5);
    }

    /** INCRBY 7: one integer line per reply. */
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public void incrby() {
        batch(incrs, 0);
    }
}
