package io.dash4j.server;

import io.dash4j.server.codec.Listener;
import io.dash4j.server.codec.Protocols;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dash4j server: {@code threads} shards, each a thread with its own event loop and its own
 * partition of the keyspace, and one acceptor thread that hands new connections to the shards in
 * turn. There is no global lock: shards talk only through their MPSC inboxes.
 */
public final class Server implements AutoCloseable {

    public static final String VERSION = "0.1.0";
    /** The Redis version we answer to clients that check (HELLO, INFO redis_version). */
    public static final String REDIS_COMPAT_VERSION = "7.2.0";

    final ServerConfig config;
    private final Shard[] shards;
    private final List<Listener> listeners;
    private final List<ServerSocketChannel> sockets = new ArrayList<>();
    private Selector acceptSelector;
    private Thread acceptor;
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicLong clientIds = new AtomicLong();
    final AtomicLong rejectedConnections = new AtomicLong();
    final AtomicLong totalConnections = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped;
    private final Persistence persistence;
    private final long startedAt;
    final String runId;
    private int nextShard;

    public Server(ServerConfig config) throws IOException {
        this.config = config;
        this.shards = new Shard[config.threads];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard(i, this);
        }
        this.stopped = new CountDownLatch(shards.length + 1);
        this.persistence = new Persistence(this);
        persistence.load(); // before the shard threads start: they see the loaded stores
        this.startedAt = System.currentTimeMillis();
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            id.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
        }
        this.runId = id.toString();
        this.listeners = Protocols.listeners(config);
    }

    /** Binds the listeners and starts the threads. */
    public Server start() throws IOException {
        acceptSelector = Selector.open();
        for (Listener l : listeners) {
            ServerSocketChannel ch = bind(l.port());
            sockets.add(ch);
            ch.register(acceptSelector, SelectionKey.OP_ACCEPT, l);
        }
        for (Shard s : shards) {
            s.start();
        }
        acceptor = new Thread(this::acceptLoop, "dash4j-acceptor");
        acceptor.start();
        return this;
    }

    private ServerSocketChannel bind(int port) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        ch.socket().setReuseAddress(true);
        ch.bind(new InetSocketAddress(config.bind, port), 1024);
        ch.configureBlocking(false);
        return ch;
    }

    /** The port listener {@code name} is bound to, or 0 when there is no such listener. */
    public int port(String name) {
        for (int i = 0; i < listeners.size(); i++) {
            if (listeners.get(i).name().equals(name) && i < sockets.size()) {
                return sockets.get(i).socket().getLocalPort();
            }
        }
        return 0;
    }

    public int port() {
        return port("resp");
    }

    /** The memcached port, or 0 when that listener is disabled. */
    public int memcachedPort() {
        return port("memcached");
    }

    public ServerConfig config() {
        return config;
    }

    /** SAVE, BGSAVE, the save rules, the dump loaded at start-up. */
    public Persistence persistence() {
        return persistence;
    }

    public int shardCount() {
        return shards.length;
    }

    public Shard shard(int i) {
        return shards[i];
    }

    public long uptimeMillis() {
        return System.currentTimeMillis() - startedAt;
    }

    long nextClientId() {
        return clientIds.incrementAndGet();
    }

    public long totalConnectionsReceived() {
        return totalConnections.get();
    }

    public long rejectedConnectionCount() {
        return rejectedConnections.get();
    }

    public int connectedClients() {
        return clients.get();
    }

    void clientClosed() {
        clients.decrementAndGet();
    }

    void log(String line) {
        if (config.verbose) {
            System.out.println("dash4j: " + line);
        }
    }

    // ------------------------------------------------------------------ accepting

    private void acceptLoop() {
        try {
            while (!stopping.get()) {
                acceptSelector.select(250);
                Iterator<SelectionKey> it = acceptSelector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid() || !k.isAcceptable()) {
                        continue;
                    }
                    Listener listener = (Listener) k.attachment();
                    ServerSocketChannel server = (ServerSocketChannel) k.channel();
                    for (int i = 0; i < 64; i++) {
                        SocketChannel ch;
                        try {
                            ch = server.accept();
                        } catch (IOException e) {
                            break; // e.g. out of file descriptors: try again on the next select
                        }
                        if (ch == null) {
                            break;
                        }
                        totalConnections.incrementAndGet();
                        if (clients.incrementAndGet() > config.maxclients) {
                            clients.decrementAndGet();
                            rejectedConnections.incrementAndGet();
                            refuse(ch, listener.maxClientsReply());
                            continue;
                        }
                        Shard s = shards[nextShard];
                        nextShard = (nextShard + 1) % shards.length;
                        s.postAdopt(ch, listener.codecs());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!stopping.get()) {
                System.err.println("dash4j: acceptor failed: " + e);
            }
        } finally {
            for (ServerSocketChannel ch : sockets) {
                closeQuietly(ch);
            }
            try {
                acceptSelector.close();
            } catch (IOException ignored) {
                // stopping
            }
            stopped.countDown();
        }
    }

    private static void refuse(SocketChannel ch, byte[] message) {
        try {
            ch.configureBlocking(false);
            ch.write(ByteBuffer.wrap(message));
        } catch (IOException ignored) {
            // best effort, as Redis does
        } finally {
            closeQuietly(ch);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // stopping
            }
        }
    }

    // ------------------------------------------------------------------ stopping

    void shardStopped() {
        stopped.countDown();
    }

    /** Starts stopping (from any thread, including a shard's: SHUTDOWN) and returns at once. */
    public void shutdownAsync() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        acceptSelector.wakeup();
        for (Shard s : shards) {
            s.stop();
        }
    }

    public boolean isStopping() {
        return stopping.get();
    }

    /** Waits until every thread has ended. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    /** Stops and waits (idempotent). */
    @Override
    public void close() {
        shutdownAsync();
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                System.err.println("dash4j: threads did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
