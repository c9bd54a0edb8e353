package io.dash4j.server;

import io.dash4j.server.memcache.binary.BinaryWire;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link OutBuf#bulk}'s one-step encoding writes exactly {@code $len\r\n<bytes>\r\n}, whatever
 * the value's size (copied or queued by reference) and wherever the tail chunk is filled to.
 */
class OutBufBulkTest {

    @Property(tries = 300)
    void bulkIsHeaderValueCrlf(@ForAll @IntRange(max = 20_000) int len, @ForAll @IntRange(max = 20_000) int before,
                               @ForAll @IntRange(max = 9) int offset) throws Exception {
        byte[] value = new byte[len + offset];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        OutBuf out = new OutBuf();
        byte[] filler = new byte[before];
        out.write(filler, 0, before);
        out.bulk(value, offset, len);
        out.write('+');
        byte[] got = BinaryWire.drain(out);
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(filler);
        want.writeBytes(("$" + len + "\r\n").getBytes(StandardCharsets.US_ASCII));
        want.write(value, offset, len);
        want.writeBytes("\r\n+".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(want.toByteArray(), got);
        assertEquals(0, out.pending());
    }
}
