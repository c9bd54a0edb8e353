package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * RESP3 after {@code HELLO 3}: the handshake map, nulls as {@code _}, maps for CONFIG GET and
 * HELLO, sets for COMMAND INFO flags, verbatim text for INFO / CLIENT INFO, bulk strings where
 * Redis keeps them (INCRBYFLOAT); and real RESP3 clients (Lettuce's default, Jedis 5 in RESP3).
 */
class Resp3Test {


    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass();

    @Test
    void helloThreeSwitchesTheWireFormat() throws IOException {
        try (Raw r = new Raw(server.port())) {
            // pipelined: the GET before HELLO is answered in RESP2, everything from HELLO's reply on in RESP3
            r.send("GET r3:none\r\nHELLO 3 SETNAME r3client\r\nGET r3:none\r\n");
            assertEquals("$-1\r\n", r.line());
            assertEquals("%7\r\n", r.line());
            assertEquals("$6\r\nserver\r\n$5\r\nredis\r\n", r.line() + r.line() + r.line() + r.line());
            assertEquals("$7\r\nversion\r\n$5\r\n7.2.0\r\n", r.line() + r.line() + r.line() + r.line());
            assertEquals("$5\r\nproto\r\n:3\r\n", r.line() + r.line() + r.line());
            assertEquals("$2\r\nid\r\n", r.line() + r.line());
            assertThat(r.line()).startsWith(":");
            assertEquals("$4\r\nmode\r\n$10\r\nstandalone\r\n", r.line() + r.line() + r.line() + r.line());
            assertEquals("$4\r\nrole\r\n$6\r\nmaster\r\n", r.line() + r.line() + r.line() + r.line());
            assertEquals("$7\r\nmodules\r\n*0\r\n", r.line() + r.line() + r.line());
            assertEquals("_\r\n", r.line());

            r.send("CONFIG GET maxclients\r\n");
            assertEquals("%1\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n", r.line() + r.line() + r.line() + r.line()
                    + r.line());
            r.send("SET r3:f 1.5\r\nINCRBYFLOAT r3:f 1\r\nMGET r3:f r3:none\r\n");
            assertEquals("+OK\r\n", r.line());
            assertEquals("$3\r\n2.5\r\n", r.line() + r.line());
            assertEquals("*2\r\n$3\r\n2.5\r\n_\r\n", r.line() + r.line() + r.line() + r.line());
            r.send("CLIENT GETNAME\r\nCOMMAND INFO get\r\n");
            assertEquals("$8\r\nr3client\r\n", r.line() + r.line());
            assertEquals("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n",
                    r.line() + r.line() + r.line() + r.line() + r.line() + r.line() + r.line() + r.line() + r.line()
                            + r.line() + r.line());
            r.read(0);

            try (Raw v = new Raw(server.port())) {
                v.send("HELLO 3\r\nCLIENT INFO\r\n");
                for (int i = 0; i < 26; i++) {
                    v.line(); // the HELLO map
                }
                String header = v.line();
                assertThat(header).startsWith("=");
                int len = Integer.parseInt(header.substring(1).trim());
                String body = v.read(len + 2);
                assertThat(body).startsWith("txt:id=").contains(" resp=3 ").endsWith("\n\r\n");
                v.send("HELLO 2\r\nGET r3:none\r\n");
                assertEquals("*14\r\n", v.line()); // back to RESP2: the map is a flat array
                for (int i = 0; i < 25; i++) {
                    v.line();
                }
                assertEquals("$-1\r\n", v.line());
            }
        }
    }

    @Test
    void helloErrors() throws IOException {
        try (Raw r = new Raw(server.port())) {
            r.send("HELLO 4\r\nHELLO x\r\nHELLO 3 AUTH someone pw\r\nHELLO 3 BOGUS\r\nPING\r\n");
            assertEquals("-NOPROTO unsupported protocol version\r\n", r.line());
            assertEquals("-ERR Protocol version is not an integer or out of range\r\n", r.line());
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", r.line());
            assertEquals("-ERR Syntax error in HELLO option 'BOGUS'\r\n", r.line());
            assertEquals("+PONG\r\n", r.line()); // still RESP2: failed HELLOs change nothing
        }
    }

    @Test
    void lettuceSpeaksResp3ByDefault() {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> redis = conn.sync();
            assertEquals("PONG", redis.ping());
            assertEquals("OK", redis.set("lt:k", "v"));
            assertEquals("v", redis.get("lt:k"));
            assertNull(redis.get("lt:missing"));
            assertEquals(3.5, redis.incrbyfloat("lt:f", 3.5));
            assertEquals(10L, redis.incrby("lt:n", 10));
            assertThat(redis.mget("lt:k", "lt:missing")).hasSize(2);
            Map<String, String> cfg = redis.configGet("maxmemory", "maxclients");
            assertEquals("10000", cfg.get("maxclients"));
            assertThat(cfg).containsKey("maxmemory");
            assertThat(redis.configGet("*")).containsKeys("port", "timeout", "proto-max-bulk-len", "databases");
            assertThat(redis.clientInfo()).contains("resp=3");
            assertThat(redis.info("server")).contains("redis_version:7.2.0");
            assertEquals("embstr", redis.objectEncoding("lt:k"));
            assertEquals("OK", redis.rename("lt:k", "lt:k2"));
            assertEquals("v", redis.get("lt:k2"));
            assertEquals(Boolean.TRUE, redis.copy("lt:k2", "lt:k3"));
            assertEquals(2L, redis.exists("lt:k2", "lt:k3"));
            assertEquals(Boolean.TRUE, redis.expire("lt:k3", 100));
            assertThat(redis.ttl("lt:k3")).isBetween(99L, 100L);
            assertThat(redis.command()).isNotEmpty();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void jedisInResp3() {
        try (Jedis j = new Jedis(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build())) {
            assertEquals("OK", j.set("jr3:k", "v"));
            assertEquals("v", j.get("jr3:k"));
            assertNull(j.get("jr3:missing"));
            Map<String, String> cfg = j.configGet("maxclients");
            assertEquals(Map.of("maxclients", "10000"), cfg);
            assertThat(j.clientInfo()).contains("resp=3");
            assertEquals(1.5, j.incrByFloat("jr3:f", 1.5));
            assertThat(j.info("keyspace")).contains("# Keyspace");
        }
    }
}
