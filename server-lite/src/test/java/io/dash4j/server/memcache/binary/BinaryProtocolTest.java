package io.dash4j.server.memcache.binary;

import io.dash4j.server.Server;
import io.dash4j.server.TestServers;
import io.dash4j.server.TestServers.Raw;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.dash4j.server.memcache.binary.BinaryWire.bytes;
import static io.dash4j.server.memcache.binary.BinaryWire.concat;
import static io.dash4j.server.memcache.binary.BinaryWire.counterExtras;
import static io.dash4j.server.memcache.binary.BinaryWire.expirationExtras;
import static io.dash4j.server.memcache.binary.BinaryWire.frame;
import static io.dash4j.server.memcache.binary.BinaryWire.request;
import static io.dash4j.server.memcache.binary.BinaryWire.setExtras;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The binary protocol on raw sockets: the answers a client library hides (quiet variants, opaque
 * and CAS fields, statuses and their texts, pipelining, partial frames, refusals), checked byte
 * for byte against memcached 1.6's behaviour.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BinaryProtocolTest {

    static final byte[] NONE = new byte[0];
    /**
     * {@code -Ddash4j.memcached.port=N} runs these expectations against a real memcached on
     * 127.0.0.1:N instead (started with {@code -I 64k}), to check them; the RESP checks are skipped.
     */
    static final Integer EXTERNAL = Integer.getInteger("dash4j.memcached.port");
    static Server server;

    @BeforeAll
    static void up() {
        if (EXTERNAL == null) {
            server = TestServers.start(c -> c.itemSizeMax = 64 * 1024);
        }
    }

    @AfterAll
    static void down() {
        if (server != null) {
            server.close();
        }
    }

    static int port() {
        return EXTERNAL != null ? EXTERNAL : server.memcachedPort();
    }

    /** The TTL of {@code key} through RESP (in-process server only), or null against a real memcached. */
    static Long ttl(String key) {
        if (server == null) {
            return null;
        }
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            return j.ttl(key);
        }
    }

    /** A raw connection to the memcached port. */
    static final class Conn implements AutoCloseable {
        final Raw raw;
        final InputStream in;

        Conn() throws IOException {
            raw = new Raw(port());
            in = raw.socket.getInputStream();
        }

        Conn send(byte[]... frames) throws IOException {
            raw.send(concat(frames));
            return this;
        }

        BinaryWire.Response read() throws IOException {
            return BinaryWire.read(in);
        }

        List<BinaryWire.Response> read(int n) throws IOException {
            List<BinaryWire.Response> rs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rs.add(read());
            }
            return rs;
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }

    static byte[] set(int opcode, String key, String value, int flags, int exp, int opaque, long cas) {
        return request(opcode, opaque, cas, setExtras(flags, exp), bytes(key), bytes(value));
    }

    static byte[] set(String key, String value, int opaque) {
        return set(Opcode.SET.code, key, value, 0, 0, opaque, 0);
    }

    static byte[] keyOnly(Opcode op, String key, int opaque) {
        return request(op.code, opaque, NONE, key, "");
    }

    static byte[] noop(int opaque) {
        return request(Opcode.NOOP.code, opaque, NONE, "", "");
    }

    static byte[] counter(Opcode op, String key, long delta, long initial, int exp, int opaque) {
        return request(op.code, opaque, 0, counterExtras(delta, initial, exp), bytes(key), NONE);
    }

    @Test
    void setGetAndTheHeaderFields() throws IOException {
        try (Conn c = new Conn()) {
            BinaryWire.Response stored = c.send(set(Opcode.SET.code, "r:k", "hello", 0xDEADBEEF, 0, 41, 0)).read();
            assertThat(stored.magic()).isEqualTo(0x81);
            assertThat(stored.opcode()).isEqualTo(Opcode.SET.code);
            assertThat(stored.status()).isEqualTo(Status.OK);
            assertThat(stored.opaque()).isEqualTo(41);
            assertThat(stored.cas()).isNotZero();
            assertThat(stored.extras()).isEmpty();
            assertThat(stored.value()).isEmpty();

            BinaryWire.Response get = c.send(keyOnly(Opcode.GET, "r:k", 42)).read();
            assertThat(get.status()).isZero();
            assertThat(get.opaque()).isEqualTo(42);
            assertThat(get.cas()).isEqualTo(stored.cas());
            assertThat(get.flags()).isEqualTo(0xDEADBEEF);
            assertThat(get.key()).isEmpty();
            assertThat(get.text()).isEqualTo("hello");

            BinaryWire.Response getk = c.send(keyOnly(Opcode.GETK, "r:k", 43)).read();
            assertThat(getk.keyText()).isEqualTo("r:k");
            assertThat(getk.text()).isEqualTo("hello");

            BinaryWire.Response miss = c.send(keyOnly(Opcode.GET, "r:none", 44)).read();
            assertThat(miss.status()).isEqualTo(Status.KEY_NOT_FOUND);
            assertThat(miss.text()).isEqualTo("Not found");
            assertThat(miss.opaque()).isEqualTo(44);

            BinaryWire.Response missk = c.send(keyOnly(Opcode.GETK, "r:none", 45)).read();
            assertThat(missk.status()).isEqualTo(Status.KEY_NOT_FOUND);
            assertThat(missk.keyText()).isEqualTo("r:none");
        }
    }

    @Test
    void quietGetsAnswerOnlyHitsAndNoopEndsTheBatch() throws IOException {
        try (Conn c = new Conn()) {
            c.send(set(Opcode.SETQ.code, "q:a", "A", 1, 0, 1, 0), set(Opcode.SETQ.code, "q:b", "B", 2, 0, 2, 0),
                    keyOnly(Opcode.GETQ, "q:a", 3), keyOnly(Opcode.GETQ, "q:missing", 4),
                    keyOnly(Opcode.GETKQ, "q:b", 5), keyOnly(Opcode.GETKQ, "q:missing", 6), noop(7));
            List<BinaryWire.Response> rs = c.read(3);
            assertThat(rs).extracting(BinaryWire.Response::opaque).containsExactly(3, 5, 7);
            assertThat(rs.get(0).opcode()).isEqualTo(Opcode.GETQ.code);
            assertThat(rs.get(0).text()).isEqualTo("A");
            assertThat(rs.get(0).flags()).isEqualTo(1);
            assertThat(rs.get(1).keyText()).isEqualTo("q:b");
            assertThat(rs.get(1).text()).isEqualTo("B");
            assertThat(rs.get(2).opcode()).isEqualTo(Opcode.NOOP.code);
        }
    }

    @Test
    void quietWritesAnswerOnlyErrors() throws IOException {
        try (Conn c = new Conn()) {
            c.send(set("qw:k", "v", 1), keyOnly(Opcode.GET, "qw:k", 2));
            long cas = c.read(2).get(1).cas();
            c.send(set(Opcode.ADDQ.code, "qw:k", "x", 0, 0, 10, 0),        // exists -> 0x0002
                    set(Opcode.ADDQ.code, "qw:new", "x", 0, 0, 11, 0),     // ok, silent
                    set(Opcode.REPLACEQ.code, "qw:none", "x", 0, 0, 12, 0), // missing -> 0x0001
                    set(Opcode.SETQ.code, "qw:k", "y", 0, 0, 13, cas + 1000), // CAS mismatch -> 0x0002
                    set(Opcode.SETQ.code, "qw:k", "z", 0, 0, 14, cas),     // CAS ok, silent
                    request(Opcode.APPENDQ.code, 15, NONE, "qw:none", "x"), // missing -> 0x0005
                    request(Opcode.PREPENDQ.code, 16, NONE, "qw:k", ">"),  // ok, silent
                    keyOnly(Opcode.DELETEQ, "qw:none", 17),                // missing -> 0x0001
                    keyOnly(Opcode.DELETEQ, "qw:new", 18),                 // ok, silent
                    counter(Opcode.INCREMENTQ, "qw:k", 1, 0, 0, 19),       // non-numeric -> 0x0006
                    counter(Opcode.INCREMENTQ, "qw:n", 1, 5, 0, 20),       // created, silent
                    counter(Opcode.DECREMENTQ, "qw:n", 2, 0, 0, 21),       // 3, silent
                    request(Opcode.FLUSHQ.code, 22, expirationExtras(3600), "", ""), // silent (delayed flush)
                    keyOnly(Opcode.GET, "qw:k", 23), keyOnly(Opcode.GET, "qw:n", 24), noop(25));
            List<BinaryWire.Response> rs = c.read(9);
            assertThat(rs).extracting(BinaryWire.Response::opaque).containsExactly(10, 12, 13, 15, 17, 19, 23, 24, 25);
            assertThat(rs).extracting(BinaryWire.Response::status).containsExactly(Status.KEY_EXISTS,
                    Status.KEY_NOT_FOUND, Status.KEY_EXISTS, Status.NOT_STORED, Status.KEY_NOT_FOUND,
                    Status.NON_NUMERIC, 0, 0, 0);
            assertThat(rs.get(6).text()).isEqualTo(">z");
            assertThat(rs.get(7).text()).isEqualTo("3");
            assertThat(rs.get(5).text()).isEqualTo("Non-numeric server-side value for incr or decr");
        }
        try (Conn c = new Conn()) {
            c.send(request(Opcode.FLUSH.code, 1, NONE, "", "")).read(); // undo the delayed flush
        }
    }

    @Test
    void countersFollowMemcached() throws IOException {
        try (Conn c = new Conn()) {
            c.send(counter(Opcode.INCREMENT, "c:none", 1, 9, BinaryRequest.NO_CREATE, 1));
            BinaryWire.Response noCreate = c.read();
            assertThat(noCreate.status()).isEqualTo(Status.KEY_NOT_FOUND);

            c.send(counter(Opcode.INCREMENT, "c:n", 5, 10, 0, 2), counter(Opcode.INCREMENT, "c:n", 5, 10, 0, 3),
                    counter(Opcode.DECREMENT, "c:n", 100, 0, 0, 4), keyOnly(Opcode.GET, "c:n", 5));
            List<BinaryWire.Response> rs = c.read(4);
            assertThat(rs.get(0).counter()).isEqualTo(10); // created with the initial value, not incremented
            assertThat(rs.get(1).counter()).isEqualTo(15);
            assertThat(rs.get(2).counter()).isEqualTo(0); // decr stops at 0
            assertThat(rs.get(3).text().strip()).isEqualTo("0"); // memcached pads a shrunk number with spaces
            assertThat(rs.get(3).cas()).isEqualTo(rs.get(2).cas()); // the response carries the new CAS
            assertThat(rs.get(1).cas()).isNotEqualTo(rs.get(0).cas());

            c.send(set("c:max", "18446744073709551615", 6), counter(Opcode.INCREMENT, "c:max", 2, 0, 0, 7));
            assertThat(c.read(2).get(1).counter()).isEqualTo(1); // wraps at 2^64

            // a CAS on a counter is checked
            c.send(counter(Opcode.INCREMENT, "c:n", 1, 0, 0, 8));
            BinaryWire.Response one = c.read();
            c.send(request(Opcode.INCREMENT.code, 9, one.cas() + 77, counterExtras(1, 0, 0), bytes("c:n"), NONE),
                    request(Opcode.INCREMENT.code, 10, one.cas(), counterExtras(1, 0, 0), bytes("c:n"), NONE));
            rs = c.read(2);
            assertThat(rs.get(0).status()).isEqualTo(Status.KEY_EXISTS);
            assertThat(rs.get(1).counter()).isEqualTo(2);

            // an initial value with an expiration keeps it
            c.send(counter(Opcode.DECREMENT, "c:ttl", 1, 50, 100, 11));
            assertThat(c.read().counter()).isEqualTo(50);
        }
        if (server != null) {
            assertThat(ttl("c:ttl")).isBetween(90L, 100L);
        }
    }

    @Test
    void casOnEveryWrite() throws IOException {
        try (Conn c = new Conn()) {
            long cas = c.send(set("w:k", "v1", 1)).read().cas();
            c.send(set(Opcode.REPLACE.code, "w:k", "v2", 0, 0, 2, cas + 1),
                    set(Opcode.ADD.code, "w:absent", "v", 0, 0, 3, 5), // a CAS on a missing key: not found
                    request(Opcode.APPEND.code, 4, cas + 1, NONE, bytes("w:k"), bytes("+")),
                    request(Opcode.DELETE.code, 5, cas + 1, NONE, bytes("w:k"), NONE),
                    request(Opcode.APPEND.code, 6, cas, NONE, bytes("w:k"), bytes("+")));
            List<BinaryWire.Response> rs = c.read(5);
            assertThat(rs).extracting(BinaryWire.Response::status).containsExactly(Status.KEY_EXISTS,
                    Status.KEY_NOT_FOUND, Status.KEY_EXISTS, Status.KEY_EXISTS, Status.OK);
            long appended = rs.get(4).cas();
            c.send(request(Opcode.DELETE.code, 7, appended, NONE, bytes("w:k"), NONE), keyOnly(Opcode.GET, "w:k", 8));
            rs = c.read(2);
            assertThat(rs.get(0).status()).isZero();
            assertThat(rs.get(1).status()).isEqualTo(Status.KEY_NOT_FOUND);
        }
    }

    @Test
    void touchAndGetAndTouch() throws IOException {
        try (Conn c = new Conn()) {
            c.send(set(Opcode.SET.code, "t:k", "tv", 9, 0, 1, 0));
            long cas = c.read().cas();
            c.send(request(Opcode.TOUCH.code, 2, expirationExtras(100), "t:k", ""),
                    request(Opcode.GAT.code, 3, expirationExtras(200), "t:k", ""),
                    request(Opcode.GATK.code, 4, expirationExtras(300), "t:k", ""),
                    request(Opcode.GATQ.code, 5, expirationExtras(300), "t:none", ""),
                    request(Opcode.GATKQ.code, 6, expirationExtras(400), "t:k", ""),
                    request(Opcode.TOUCH.code, 7, expirationExtras(10), "t:none", ""),
                    request(Opcode.GATK.code, 8, expirationExtras(10), "t:none", ""));
            List<BinaryWire.Response> rs = c.read(6);
            assertThat(rs).extracting(BinaryWire.Response::opaque).containsExactly(2, 3, 4, 6, 7, 8);
            assertThat(rs.get(0).flags()).isEqualTo(9); // TOUCH: flags, no value
            assertThat(rs.get(0).value()).isEmpty();
            assertThat(rs.get(0).cas()).isEqualTo(cas);
            assertThat(rs.get(1).text()).isEqualTo("tv");
            assertThat(rs.get(1).key()).isEmpty();
            assertThat(rs.get(2).keyText()).isEqualTo("t:k");
            assertThat(rs.get(3).keyText()).isEqualTo("t:k");
            assertThat(rs.get(4).status()).isEqualTo(Status.KEY_NOT_FOUND);
            assertThat(rs.get(5).status()).isEqualTo(Status.KEY_NOT_FOUND);
            assertThat(rs.get(5).keyText()).isEqualTo("t:none");
        }
        if (server != null) {
            assertThat(ttl("t:k")).isBetween(390L, 400L);
        }
    }

    @Test
    void versionStatsFlushQuit() throws IOException {
        try (Conn c = new Conn()) {
            BinaryWire.Response v = c.send(request(Opcode.VERSION.code, 1, NONE, "", "")).read();
            assertThat(v.text()).matches(server != null ? "1\\.6\\.21" : "1\\.6\\.\\d+");

            c.send(request(Opcode.STAT.code, 2, NONE, "", ""));
            List<BinaryWire.Response> stats = new ArrayList<>();
            BinaryWire.Response s;
            while ((s = c.read()).key().length > 0) {
                stats.add(s);
            }
            assertThat(s.value()).isEmpty();
            assertThat(s.opaque()).isEqualTo(2);
            assertThat(stats).extracting(BinaryWire.Response::keyText).contains("pid", "curr_items", "get_hits",
                    "cmd_set", "version");
            assertThat(stats).allMatch(r -> r.opaque() == 2 && r.status() == 0 && r.opcode() == Opcode.STAT.code);

            c.send(request(Opcode.STAT.code, 3, NONE, "settings", ""));
            List<String> names = new ArrayList<>();
            while ((s = c.read()).key().length > 0) {
                names.add(s.keyText() + "=" + s.text());
            }
            assertThat(names).contains("item_size_max=65536");

            BinaryWire.Response unknown = c.send(request(Opcode.STAT.code, 4, NONE, "nonsense", "")).read();
            assertThat(unknown.status()).isEqualTo(Status.KEY_NOT_FOUND);

            // reset: only the end packet; the counters start again from zero
            c.send(keyOnly(Opcode.GET, "st:miss", 40), request(Opcode.STAT.code, 41, NONE, "reset", ""));
            assertThat(c.read(2)).extracting(BinaryWire.Response::opaque, BinaryWire.Response::keyText)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(40, ""), org.assertj.core.groups.Tuple.tuple(41, ""));
            c.send(request(Opcode.STAT.code, 42, NONE, "", ""));
            java.util.Map<String, String> after = new java.util.HashMap<>();
            while ((s = c.read()).key().length > 0) {
                after.put(s.keyText(), s.text());
            }
            assertThat(after).containsEntry("get_misses", "0").containsEntry("cmd_get", "0");

            c.send(set("f:k", "v", 5), request(Opcode.FLUSH.code, 6, NONE, "", ""), keyOnly(Opcode.GET, "f:k", 7));
            assertThat(c.read(3)).extracting(BinaryWire.Response::status).containsExactly(0, 0, Status.KEY_NOT_FOUND);

            BinaryWire.Response quit = c.send(request(Opcode.QUIT.code, 8, NONE, "", ""), noop(9)).read();
            assertThat(quit.opcode()).isEqualTo(Opcode.QUIT.code);
            assertThat(quit.opaque()).isEqualTo(8);
            assertThat(c.raw.closedByPeer()).isTrue(); // the NOOP after QUIT is not answered
        }
        try (Conn c = new Conn()) {
            c.send(request(Opcode.QUITQ.code, 1, NONE, "", ""));
            assertThat(c.raw.closedByPeer()).isTrue(); // closed without an answer
        }
    }

    @Test
    void pipelinedAcrossShardsInOrder() throws IOException {
        try (Conn c = new Conn()) {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                frames.add(set("p:" + i, "v" + i, 2 * i));
                frames.add(keyOnly(Opcode.GET, "p:" + i, 2 * i + 1));
            }
            c.send(frames.toArray(byte[][]::new));
            List<BinaryWire.Response> rs = c.read(1000);
            for (int i = 0; i < 500; i++) {
                assertThat(rs.get(2 * i).opaque()).isEqualTo(2 * i);
                assertThat(rs.get(2 * i + 1).opaque()).isEqualTo(2 * i + 1);
                assertThat(rs.get(2 * i + 1).text()).isEqualTo("v" + i);
            }
        }
    }

    @Test
    void endOfInputStillAnswersEveryRequestReceived() throws IOException {
        // the client pipelines over every shard, quiet requests included, then shuts down its sending side
        for (int round = 0; round < 10; round++) {
            try (Conn c = new Conn()) {
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    frames.add(set(Opcode.SETQ.code, "h:" + i, "v" + round + ":" + i, 0, 0, 3 * i, 0));
                    frames.add(keyOnly(Opcode.GETK, "h:" + i, 3 * i + 1));
                    frames.add(keyOnly(Opcode.GETQ, "h:none" + i, 3 * i + 2));
                }
                frames.add(noop(-1));
                c.send(frames.toArray(byte[][]::new));
                c.raw.socket.shutdownOutput();
                List<BinaryWire.Response> rs = c.read(201);
                for (int i = 0; i < 200; i++) {
                    assertThat(rs.get(i).opaque()).isEqualTo(3 * i + 1);
                    assertThat(rs.get(i).text()).isEqualTo("v" + round + ":" + i);
                }
                assertThat(rs.get(200).opcode()).isEqualTo(Opcode.NOOP.code);
                assertThat(c.raw.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void framesSplitAcrossWritesAreReassembled() throws IOException, InterruptedException {
        byte[] stream = concat(set("s:k", "x".repeat(3000), 1), keyOnly(Opcode.GET, "s:k", 2),
                counter(Opcode.INCREMENT, "s:n", 1, 1, 0, 3));
        try (Conn c = new Conn()) {
            for (int i = 0; i < stream.length; i += 7) {
                c.raw.send(java.util.Arrays.copyOfRange(stream, i, Math.min(stream.length, i + 7)));
                if (i < 200 || i % 700 == 0) {
                    Thread.sleep(1); // let some pieces arrive alone
                }
            }
            List<BinaryWire.Response> rs = c.read(3);
            assertThat(rs.get(0).status()).isZero();
            assertThat(rs.get(1).value()).hasSize(3000);
            assertThat(rs.get(2).counter()).isEqualTo(1);
        }
    }

    @Test
    void refusalsKeepTheConnection() throws IOException {
        assumeTrue(server != null, "memcached closes the connection after 'invalid arguments'");
        try (Conn c = new Conn()) {
            c.send(set("e:k", "old", 1));
            c.read();
            byte[] big = new byte[70 * 1024];
            c.send(request(Opcode.SET.code, 2, 0, setExtras(0, 0), bytes("e:k"), big),
                    keyOnly(Opcode.GET, "e:k", 3),                         // the refused set dropped the old value
                    request(0x1b, 4, expirationExtras(1), "", ""),         // VERBOSITY: unknown here
                    request(0x20, 5, NONE, "", ""),                        // SASL list mechs: unsupported
                    request(0x21, 6, NONE, "PLAIN", "\0u\0p"),             // SASL auth: unsupported
                    request(Opcode.GET.code, 7, expirationExtras(1), "e:k", ""), // malformed
                    keyOnly(Opcode.GET, "k".repeat(251), 8),               // key too long
                    set("e:k", "new", 9), keyOnly(Opcode.GET, "e:k", 10));
            List<BinaryWire.Response> rs = c.read(9);
            assertThat(rs).extracting(BinaryWire.Response::opaque).containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10);
            assertThat(rs).extracting(BinaryWire.Response::status).containsExactly(Status.VALUE_TOO_LARGE,
                    Status.KEY_NOT_FOUND, Status.UNKNOWN_COMMAND, Status.UNKNOWN_COMMAND, Status.UNKNOWN_COMMAND,
                    Status.INVALID_ARGUMENTS, Status.INVALID_ARGUMENTS, 0, 0);
            assertThat(rs.get(0).text()).isEqualTo("Too large.");
            assertThat(rs.get(2).text()).isEqualTo("Unknown command");
            assertThat(rs.get(2).opcode()).isEqualTo(0x1b);
            assertThat(rs.get(5).text()).isEqualTo("Invalid arguments");
            assertThat(rs.get(8).text()).isEqualTo("new");
        }
    }

    @Test
    void aBadMagicIsAnsweredThenClosedAndTheServerGoesOn() throws IOException {
        try (Conn c = new Conn()) {
            c.send(set("m:k", "v", 1), frame(0x81, Opcode.GET.code, 3, 0, 3, 2, 0, bytes("m:k")),
                    keyOnly(Opcode.GET, "m:k", 3));
            if (server != null) { // memcached closes without a word, dropping even the SET's answer
                BinaryWire.Response ok = c.read();
                assertThat(ok.opaque()).isEqualTo(1);
                BinaryWire.Response bad = c.read();
                assertThat(bad.status()).isEqualTo(Status.INVALID_ARGUMENTS);
                assertThat(bad.opaque()).isEqualTo(2);
            }
            assertThat(c.raw.closedByPeer()).isTrue();
        }
        if (server != null) {
            try (Conn c = new Conn()) {
                // a header whose extras and key overrun its body: no frame boundary left, closed
                // (memcached answers the same once 200 bytes of key arrived; it waits for them)
                c.send(frame(0x80, Opcode.GET.code, 200, 0, 10, 1, 0, new byte[10]));
                assertThat(c.read().status()).isEqualTo(Status.UNKNOWN_COMMAND);
                assertThat(c.raw.closedByPeer()).isTrue();
            }
        }
        try (Conn c = new Conn()) {
            // a header announcing ~4 GB: refused at once, the body skipped as it comes
            c.send(frame(0x80, Opcode.SET.code, 6, 8, 0xFFFF_FFF0L, 1, 0, concat(setExtras(0, 0), bytes("m:huge"))));
            assertThat(c.read().status()).isEqualTo(Status.VALUE_TOO_LARGE);
        }
        try (Conn c = new Conn()) {
            assertThat(c.send(keyOnly(Opcode.GET, "m:k", 1)).read().text()).isEqualTo("v"); // nothing lost
        }
    }

    @Test
    void aConnectionClosingOnABadMagicKeepsASaneInputBuffer() throws Exception {
        assumeTrue(server != null, "reads CLIENT LIST through RESP");
        try (Conn c = new Conn()) {
            // replies the client does not read keep the connection open (closing after they are written)
            c.send(set("qb:big", "x".repeat(60_000), 1));
            c.read();
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                frames.add(keyOnly(Opcode.GET, "qb:big", i));
            }
            frames.add(frame(0x42, 0, 0, 0, 0, 0, 0, NONE));
            frames.add(keyOnly(Opcode.GET, "qb:big", 999));
            c.send(frames.toArray(byte[][]::new));
            String line = null;
            for (int tries = 0; tries < 50 && line == null; tries++) {
                Thread.sleep(20);
                try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                    line = j.clientList().lines().filter(l -> l.contains("protocol=memcached-binary")).findFirst()
                            .orElse(null);
                }
            }
            assertThat(line).isNotNull();
            long qbuf = Long.parseLong(line.replaceAll(".* qbuf=(-?\\d+) .*", "$1"));
            assertThat(qbuf).isZero(); // everything after the bad magic is swallowed, nothing double-counted
        }
    }

    @Test
    void aValueOverTheClientMemoryBudgetIsRefusedThenClosed() throws IOException {
        assumeTrue(server != null, "an in-process server with a small maxmemory-clients");
        Server small = TestServers.start(c -> {
            c.threads = 1;
            c.maxmemoryClients = 128 * 1024;
        });
        try (Raw raw = new Raw(small.memcachedPort())) {
            raw.send(request(Opcode.SET.code, 7, 0, setExtras(0, 0), bytes("cm:k"), new byte[300 * 1024]));
            BinaryWire.Response r = BinaryWire.read(raw.socket.getInputStream());
            assertThat(r.status()).isEqualTo(Status.OUT_OF_MEMORY);
            assertThat(r.opaque()).isEqualTo(7);
            assertThat(raw.closedByPeer()).isTrue();
            try (Raw next = new Raw(small.memcachedPort())) {
                next.send(set("cm:k", "fits", 8));
                assertThat(BinaryWire.read(next.socket.getInputStream()).status()).isZero();
            }
        } finally {
            small.close();
        }
    }

    @Test
    void expirationsAreUnsignedExptimes() throws IOException {
        try (Conn c = new Conn()) {
            // 30 days + 1 s is an absolute time in 1970: stored already expired; 0xfffffffe is in 2106
            c.send(set(Opcode.SET.code, "x:past", "v", 0, 2_592_001, 1, 0), keyOnly(Opcode.GET, "x:past", 2),
                    set(Opcode.SET.code, "x:far", "v", 0, 0xFFFF_FFFE, 3, 0), keyOnly(Opcode.GET, "x:far", 4),
                    request(Opcode.GAT.code, 5, expirationExtras(0xFFFF_FFFF), "x:far", ""));
            assertThat(c.read(5)).extracting(BinaryWire.Response::status).containsExactly(0, Status.KEY_NOT_FOUND, 0,
                    0, 0);
        }
        if (server != null) {
            long left = 0xFFFF_FFFFL - System.currentTimeMillis() / 1000;
            assertThat(ttl("x:far")).isBetween(left - 10, left + 10);
        }
    }

    @Test
    void textAndBinaryClientsShareItems() throws IOException {
        try (Conn c = new Conn(); Raw text = new Raw(port())) {
            text.send("set x:k 123 0 3\r\nabc\r\ngets x:k\r\n");
            assertThat(text.line()).isEqualTo("STORED\r\n");
            String line = text.line();
            long cas = Long.parseLong(line.trim().split(" ")[4]);
            text.line();
            text.line();
            BinaryWire.Response r = c.send(keyOnly(Opcode.GET, "x:k", 1)).read();
            assertThat(r.flags()).isEqualTo(123);
            assertThat(r.cas()).isEqualTo(cas);
            assertThat(r.text()).isEqualTo("abc");
            // unsigned flags over 2^31 read the same on both sides
            c.send(set(Opcode.SET.code, "x:f", "v", 0xFFFFFFFE, 0, 2, 0)).read();
            text.send("get x:f\r\n");
            assertThat(text.line()).isEqualTo("VALUE x:f 4294967294 1\r\n");
        }
    }
}
