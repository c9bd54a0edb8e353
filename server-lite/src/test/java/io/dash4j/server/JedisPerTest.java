package io.dash4j.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Base of the RESP command tests that drive a class-wide server through Jedis: each test gets its own
 * connection {@link #j} on an empty keyspace (FLUSHALL before, close after), so tests never see each
 * other's keys. The subclass owns the server (a static {@link ServerPerClass} with its own tweak) and
 * hands it to this constructor:
 * <pre>{@code
 * @RegisterExtension static final ServerPerClass server = new ServerPerClass();
 * MyTest() { super(server); }
 * }</pre>
 * {@link #send} and {@link #error} reach commands Jedis has no method for, by name.
 */
abstract class JedisPerTest {

    private final ServerPerClass server;
    /** This test's connection, on a flushed keyspace. */
    protected Jedis j;

    protected JedisPerTest(ServerPerClass server) {
        this.server = server;
    }

    @BeforeEach
    final void connectOnEmptyKeyspace() {
        j = new Jedis("127.0.0.1", server.port());
        j.flushAll();
    }

    @AfterEach
    final void disconnect() {
        j.close();
    }

    /** Any command by name, e.g. {@code send("OBJECT", "ENCODING", "k")}. */
    protected Object send(String name, String... args) {
        return j.sendCommand(cmd(name), args);
    }

    /** The error text a command answers with; fails the test if it answers anything else. */
    protected String error(String name, String... args) {
        return assertThrows(JedisDataException.class, () -> send(name, args)).getMessage();
    }

    /** The error text {@code command} fails with (a Jedis call or a {@link #send}). */
    protected String error(Runnable command) {
        return assertThrows(JedisDataException.class, command::run).getMessage();
    }

    /** A command Jedis does not name, for {@code sendCommand}. */
    static ProtocolCommand cmd(String name) {
        byte[] raw = SafeEncoder.encode(name);
        return () -> raw;
    }

    /** A bulk reply as text ({@code null} stays {@code null}). */
    static String str(Object reply) {
        return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
    }
}
