package io.dash4j.server;

import io.dash4j.server.TestServers.Raw;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Every offset, length, count and time argument at its edges (Long.MIN/MAX, +-1): the answers
 * Redis 7.2 gives, and no write refused for a limit loses the value it would have replaced.
 * SETRANGE at 2^63-1 (answered :5 and deleted the key) and PEXPIREAT far in the past (kept the
 * key) were the reported defects.
 */
@Timeout(60)
class OverflowEdgesTest extends JedisPerTest {

    static final String MAX = String.valueOf(Long.MAX_VALUE);
    static final String MIN = String.valueOf(Long.MIN_VALUE);

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(c -> c.protoMaxBulkLen = 1024 * 1024);

    OverflowEdgesTest() {
        super(server);
    }

    static final String TOO_BIG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    @Test
    void setrangeBeyondTheLimitIsRefusedAndKeepsTheKey() {
        j.set("k", "hello");
        assertEquals(TOO_BIG, error("SETRANGE", "k", MAX, "A"));
        assertEquals(TOO_BIG, error("SETRANGE", "k", String.valueOf(Long.MAX_VALUE - 1), "AB"));
        assertEquals(TOO_BIG, error("SETRANGE", "k", String.valueOf(1024 * 1024), "A"));
        assertEquals(TOO_BIG, error("SETRANGE", "absent", MAX, "A"));
        assertEquals("hello", j.get("k"));
        assertEquals(-1L, j.ttl("k"));
        assertEquals(5L, send("SETRANGE", "k", MAX, "")); // empty value: nothing to write, no limit
        assertEquals(0L, send("SETRANGE", "absent", MAX, ""));
        assertNull(j.get("absent"));
        assertEquals("ERR offset is out of range", error("SETRANGE", "k", "-1", "A"));
        assertEquals("ERR offset is out of range", error("SETRANGE", "k", MIN, "A"));
        assertEquals("ERR value is not an integer or out of range", error("SETRANGE", "k", "9223372036854775808", "A"));
        assertEquals(1024L * 1024, send("SETRANGE", "k", String.valueOf(1024 * 1024 - 1), "A")); // exactly the limit
        assertEquals(1024 * 1024, j.strlen("k"));
        assertEquals("hello", j.getrange("k", 0, 4));
    }

    @Test
    void appendBeyondTheLimitKeepsTheValue() {
        j.set("a", "x".repeat(1024 * 1024 - 1));
        assertEquals(1024L * 1024, j.append("a", "y"));
        assertEquals(TOO_BIG, error("APPEND", "a", "z"));
        assertEquals(1024 * 1024, j.strlen("a"));
    }

    @Test
    void getrangeAtTheEdges() {
        j.set("k", "hello");
        assertEquals("hello", j.getrange("k", Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals("", j.getrange("k", Long.MAX_VALUE, Long.MIN_VALUE));
        assertEquals("o", j.getrange("k", -1, Long.MAX_VALUE));
        assertEquals("h", j.getrange("k", Long.MIN_VALUE, Long.MIN_VALUE)); // both clamp to 0, as in Redis 7.2
        assertEquals("h", j.getrange("k", Long.MIN_VALUE, 0));
        assertEquals("", j.getrange("k", 5, Long.MAX_VALUE));
        assertEquals("", j.getrange("absent", Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void integersAtTheEdges() {
        j.set("n", MAX);
        assertEquals("ERR increment or decrement would overflow", error("INCR", "n"));
        assertEquals("ERR increment or decrement would overflow", error("INCRBY", "n", "1"));
        assertEquals(-1L, j.incrBy("n", Long.MIN_VALUE));
        assertEquals("ERR decrement would overflow", error("DECRBY", "n", MIN));
        assertEquals(Long.MIN_VALUE, j.decrBy("n", Long.MAX_VALUE));
        assertEquals("ERR increment or decrement would overflow", error("DECR", "n"));
        assertEquals("ERR increment or decrement would overflow", error("DECRBY", "n", "1"));
        assertEquals(MIN, j.get("n")); // refused writes change nothing
        assertEquals("ERR value is not an integer or out of range", error("INCRBY", "n", "9223372036854775808"));
        assertEquals("ERR value is not an integer or out of range", error("INCRBY", "n", "-9223372036854775809"));
        j.set("big", "9223372036854775808");
        assertEquals("ERR value is not an integer or out of range", error("INCR", "big"));
    }

    @Test
    void floatsAtTheEdges() {
        assertEquals("ERR value is not a valid float", error("INCRBYFLOAT", "f", "nan"));
        assertEquals("ERR increment would produce NaN or Infinity", error("INCRBYFLOAT", "f", "inf"));
        assertEquals("ERR increment would produce NaN or Infinity", error("INCRBYFLOAT", "f", "-infinity"));
        assertEquals("ERR value is not a valid float", error("INCRBYFLOAT", "f", "1e5000")); // beyond long double
        assertEquals("ERR value is not a valid float", error("INCRBYFLOAT", "f", "1e-5000"));
        assertNull(j.get("f"));
        j.set("huge", "1e999999999"); // main: "ERR internal error: ... BigInteger would overflow"
        assertEquals("ERR value is not a valid float", error("INCRBYFLOAT", "huge", "0.1"));
        assertEquals("1e999999999", j.get("huge"));
        j.set("slow", "1e99999999"); // main: an exact 10^8-digit sum kept the shard busy for more than 15 s
        assertEquals("ERR value is not a valid float", error("INCRBYFLOAT", "slow", "0.1"));
        assertEquals("ERR value is not a valid float", error("INCRBYFLOAT", "f", "1e99999999"));
        j.set("inf", "inf");
        assertEquals("ERR increment would produce NaN or Infinity", error("INCRBYFLOAT", "inf", "1"));
        assertEquals(1.5, j.incrByFloat("ok", 1.5));
    }

    @Test
    void expiresInThePastDeleteTheKey() {
        for (String[] c : List.of(new String[] {"PEXPIREAT", "-9223372036854770000"}, new String[] {"PEXPIREAT", MIN},
                new String[] {"EXPIREAT", String.valueOf(Long.MIN_VALUE / 1000)}, new String[] {"EXPIREAT", "1"},
                new String[] {"EXPIRE", "-1"}, new String[] {"PEXPIRE", MIN},
                new String[] {"EXPIRE", String.valueOf(Long.MIN_VALUE / 1000)}, new String[] {"PEXPIREAT", "0"})) {
            j.set("k", "v");
            assertEquals(1L, send(c[0], "k", c[1]), String.join(" ", c));
            assertEquals(-2L, j.ttl("k"), String.join(" ", c));
            assertNull(j.get("k"), String.join(" ", c));
        }
        j.set("k", "v");
        assertEquals("ERR invalid expire time in 'expireat' command",
                error("EXPIREAT", "k", String.valueOf(Long.MIN_VALUE / 1000 - 1)));
        assertEquals("ERR invalid expire time in 'expire' command", error("EXPIRE", "k", String.valueOf(Long.MAX_VALUE / 1000)));
        assertEquals("ERR invalid expire time in 'pexpire' command", error("PEXPIRE", "k", MAX));
        assertEquals(-1L, j.ttl("k")); // refused: nothing changed
        j.set("absent-check", "v");
        assertEquals(0L, send("PEXPIREAT", "nope", MIN)); // absent: 0, nothing created
        // GT/LT are judged before the deadline: a past GT deadline does not delete a key without TTL
        assertEquals(0L, send("PEXPIREAT", "k", "1", "GT"));
        assertEquals("v", j.get("k"));
        assertEquals(1L, send("PEXPIREAT", "k", "1", "LT"));
        assertNull(j.get("k"));
    }

    @Test
    void hugeExpiriesAreKeptNotLost() {
        j.set("k", "v");
        assertEquals(1L, send("PEXPIREAT", "k", MAX));
        assertThat(j.ttl("k")).isGreaterThan(99L * 365 * 24 * 3600); // stored as 100 years, not as "no expiry"
        assertEquals("OK", str(send("SET", "e", "v", "EXAT", String.valueOf(Long.MAX_VALUE / 1000))));
        assertThat(j.ttl("e")).isGreaterThan(99L * 365 * 24 * 3600);
        assertEquals("OK", str(send("SET", "p", "v", "PXAT", MAX)));
        assertThat(j.pttl("p")).isGreaterThan(99L * 365 * 24 * 3600 * 1000);
        assertEquals(1L, send("EXPIRE", "k", String.valueOf(Long.MAX_VALUE / 1000 - System.currentTimeMillis() / 1000 - 10)));
        assertThat(j.ttl("k")).isGreaterThan(99L * 365 * 24 * 3600);
    }

    @Test
    void setAndSetexExpiryLimits() {
        String invalid = "ERR invalid expire time in '%s' command";
        assertEquals(String.format(invalid, "set"), error("SET", "k", "v", "EX", String.valueOf(Long.MAX_VALUE / 1000)));
        assertEquals(String.format(invalid, "set"), error("SET", "k", "v", "EX", String.valueOf(Long.MAX_VALUE / 1000 + 1)));
        assertEquals(String.format(invalid, "set"), error("SET", "k", "v", "PX", MAX));
        assertEquals(String.format(invalid, "set"), error("SET", "k", "v", "PX", "0"));
        assertEquals(String.format(invalid, "set"), error("SET", "k", "v", "EXAT", MIN));
        assertEquals(String.format(invalid, "setex"), error("SETEX", "k", String.valueOf(Long.MAX_VALUE / 1000), "v"));
        assertEquals(String.format(invalid, "setex"), error("SETEX", "k", "0", "v"));
        assertEquals(String.format(invalid, "psetex"), error("PSETEX", "k", MAX, "v"));
        assertNull(send("GETEX", "k", "EX", String.valueOf(Long.MAX_VALUE / 1000))); // absent: looked up first
        assertNull(j.get("k"));
        j.set("g", "v");
        assertEquals(String.format(invalid, "getex"), error("GETEX", "g", "EX", String.valueOf(Long.MAX_VALUE / 1000)));
        assertEquals(String.format(invalid, "getex"), error("GETEX", "g", "PX", "0"));
        assertEquals("ERR value is not an integer or out of range", error("GETEX", "g", "EX", "x"));
        assertEquals(-1L, j.ttl("g"));
        j.set("k", "v");
        assertEquals("OK", str(send("SET", "k", "w", "EXAT", "1"))); // in the past: set, then gone
        assertNull(j.get("k"));
        j.set("k", "v");
        assertEquals("v", str(send("GETEX", "k", "PXAT", "1")));
        assertNull(j.get("k"));
    }

    @Test
    void scanAndRandomkeyEdges() {
        assertNull(j.randomKey());
        assertEquals("ERR syntax error", error("SCAN", "0", "COUNT", "0"));
        assertEquals("ERR syntax error", error("SCAN", "0", "COUNT", MIN));
        assertEquals("ERR invalid cursor", error("SCAN", "18446744073709551616"));
        assertEquals("ERR invalid cursor", error("SCAN", "x"));
        for (int i = 0; i < 50; i++) {
            j.set("s" + i, "v");
        }
        for (String cursor : List.of("18446744073709551615", "-1", MAX)) {
            List<?> r = (List<?>) send("SCAN", cursor);
            assertEquals("0", str(r.get(0)), cursor);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        do {
            List<?> r = (List<?>) send("SCAN", cursor, "COUNT", MAX);
            cursor = str(r.get(0));
            for (Object k : (List<?>) r.get(1)) {
                seen.add(str(k));
            }
        } while (!cursor.equals("0"));
        assertEquals(50, seen.size());
        assertThat(j.randomKey()).startsWith("s");
    }

    @Test
    void memcachedNumbersAtTheEdges() throws IOException {
        try (Raw r = new Raw(server.memcachedPort())) {
            r.send("set c 0 0 20\r\n18446744073709551615\r\nincr c 1\r\n");
            assertEquals("STORED\r\n", r.line());
            assertEquals("0\r\n", r.line()); // 64-bit unsigned wrap
            r.send("incr c 18446744073709551615\r\ndecr c 18446744073709551615\r\ndecr c 1\r\n");
            assertEquals("18446744073709551615\r\n", r.line());
            assertEquals("0\r\n", r.line());
            assertEquals("0\r\n", r.line()); // decr stops at 0
            r.send("incr c 18446744073709551616\r\nincr c -1\r\n");
            assertEquals("CLIENT_ERROR invalid numeric delta argument\r\n", r.line());
            assertEquals("CLIENT_ERROR invalid numeric delta argument\r\n", r.line());
            r.send("set t 0 2147483648 1\r\nx\r\nset t 4294967296 0 1\r\nx\r\nget t\r\n");
            assertEquals("CLIENT_ERROR bad command line format\r\n", r.line());
            assertEquals("CLIENT_ERROR bad command line format\r\n", r.line());
            assertEquals("END\r\n", r.line());
            r.send("set t 4294967295 2147483647 1\r\nx\r\nget t\r\n"); // the largest flags, exptime far ahead
            assertEquals("STORED\r\n", r.line());
            assertEquals("VALUE t 4294967295 1\r\nx\r\nEND\r\n", r.line() + r.line() + r.line());
            r.send("touch t -2147483648\r\nget t\r\nset u 0 -1 1\r\nx\r\nget u\r\n");
            assertEquals("TOUCHED\r\n", r.line());
            assertEquals("END\r\n", r.line());
            assertEquals("STORED\r\n", r.line());
            assertEquals("END\r\n", r.line());
            r.send("set n 0 0 21\r\n184467440737095516150\r\nincr n 1\r\n");
            assertEquals("STORED\r\n", r.line());
            assertEquals("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n", r.line());
        }
    }
}
