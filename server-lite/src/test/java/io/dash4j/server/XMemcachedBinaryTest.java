package io.dash4j.server;

import net.rubyeye.xmemcached.GetsResponse;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;
import net.rubyeye.xmemcached.utils.AddrUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second binary-protocol client: xmemcached with its {@link BinaryCommandFactory}. Its
 * {@code ...WithNoReply} calls send the quiet opcodes (SETQ, DELETEQ, ...), its multi-get GETKQ
 * ... NOOP, and its incr an initial value.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XMemcachedBinaryTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(c -> c.itemSizeMax = 64 * 1024);
    static MemcachedClient xmc;

    @BeforeAll
    static void connect() throws Exception {
        XMemcachedClientBuilder b = new XMemcachedClientBuilder(
                AddrUtil.getAddresses("127.0.0.1:" + server.memcachedPort()));
        b.setCommandFactory(new BinaryCommandFactory());
        b.setConnectTimeout(3000);
        b.setOpTimeout(3000);
        xmc = b.build();
    }

    @AfterAll
    static void disconnect() throws Exception {
        xmc.shutdown();
    }

    @Test
    void storageAndRetrieval() throws Exception {
        assertThat(xmc.set("x:k", 0, "value")).isTrue();
        assertThat((String) xmc.get("x:k")).isEqualTo("value");
        assertThat(xmc.add("x:k", 0, "other")).isFalse();
        assertThat(xmc.add("x:k2", 0, "two")).isTrue();
        assertThat(xmc.replace("x:k2", 0, "TWO")).isTrue();
        assertThat(xmc.replace("x:none", 0, "x")).isFalse();
        assertThat(xmc.append("x:k", "!")).isTrue();
        assertThat(xmc.prepend("x:k", ">")).isTrue();
        assertThat((String) xmc.get("x:k")).isEqualTo(">value!");
        Map<String, Object> many = xmc.get(List.of("x:k", "x:k2", "x:none"));
        assertThat(many).containsOnlyKeys("x:k", "x:k2").containsEntry("x:k2", "TWO");
        assertThat(xmc.delete("x:k2")).isTrue();
        assertThat(xmc.delete("x:k2")).isFalse();
    }

    @Test
    void casCountersTouch() throws Exception {
        assertThat(xmc.set("x:c", 0, "v1")).isTrue();
        GetsResponse<Object> g = xmc.gets("x:c");
        assertThat(xmc.cas("x:c", 0, "v2", g.getCas())).isTrue();
        assertThat(xmc.cas("x:c", 0, "v3", g.getCas())).isFalse();
        assertThat((String) xmc.get("x:c")).isEqualTo("v2");

        assertThat(xmc.incr("x:n", 5, 100)).isEqualTo(100); // created with the initial value
        assertThat(xmc.incr("x:n", 5, 100)).isEqualTo(105);
        assertThat(xmc.decr("x:n", 200, 0)).isZero();

        assertThat(xmc.touch("x:c", 100)).isTrue();
        assertThat(xmc.touch("x:none", 100)).isFalse();
        assertThat((String) xmc.getAndTouch("x:c", 200)).isEqualTo("v2");
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", server.port())) {
            assertThat(j.ttl("x:c")).isBetween(190L, 200L);
        }
    }

    @Test
    void quietWritesThenAnswers() throws Exception {
        for (int i = 0; i < 100; i++) {
            xmc.setWithNoReply("x:q" + i, 0, "q" + i); // SETQ
        }
        xmc.deleteWithNoReply("x:q0"); // DELETEQ
        xmc.deleteWithNoReply("x:never-there"); // its error answer must not confuse the client
        assertThat((Object) xmc.get("x:q0")).isNull();
        assertThat((String) xmc.get("x:q99")).isEqualTo("q99");
        assertThat(xmc.set("x:after", 0, "ok")).isTrue();
        assertThat((String) xmc.get("x:after")).isEqualTo("ok");
    }

    @Test
    void statsAndVersion() throws Exception {
        Map<InetSocketAddress, Map<String, String>> stats = xmc.getStats();
        assertThat(stats.values().iterator().next()).containsKeys("curr_items", "get_hits", "cmd_set");
        assertThat(xmc.getVersions().values()).containsExactly("1.6.21");
    }
}
