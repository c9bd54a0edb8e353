package io.dash4j.server;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Consumer;

/**
 * One in-process server shared by every test of a class: started before the first test, closed after
 * the last. Register it as a static field,
 * <pre>{@code @RegisterExtension static final ServerPerClass server = new ServerPerClass(c -> c.threads = 3);}</pre>
 * and talk to {@code server.port()}. The configuration is {@link TestServers#start(Consumer)}'s (3 shards,
 * loopback, ephemeral port) with the class's tweak applied on top.
 */
public final class ServerPerClass implements BeforeAllCallback, AfterAllCallback {

    private final Consumer<ServerConfig> tweak;
    private Server server;

    public ServerPerClass() {
        this(c -> {
        });
    }

    public ServerPerClass(Consumer<ServerConfig> tweak) {
        this.tweak = tweak;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServers.start(tweak);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    /** The running server (only between the class's first and last test). */
    public Server server() {
        if (server == null) {
            throw new IllegalStateException("the server starts before the class's first test");
        }
        return server;
    }

    /** The RESP port. */
    public int port() {
        return server().port();
    }

    /** The memcached port (-1 unless the tweak opened one). */
    public int memcachedPort() {
        return server().memcachedPort();
    }
}
