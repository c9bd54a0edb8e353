package io.dash4j.server;

import io.dash4j.server.memcache.binary.BinaryWire;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-back of an owner-written reply ({@link OwnerReplies}): a scratch buffer written in part
 * to a socket that takes only {@code budget} bytes, its rest moved out ({@link OutBuf#takeRest})
 * and put before a connection's own queued bytes ({@link OutBuf#prepend}). The bytes that reach the
 * client are exactly the reply followed by the connection's bytes; the scratch buffer is empty and
 * its next reply is unharmed, even though its chunks are reused.
 */
class OutBufRestTest {

    @Property(tries = 300)
    void partialWriteThenRestThenPrependKeepsEveryByteInOrder(
            @ForAll @Size(max = 6) List<@IntRange(max = 20_000) Integer> replyParts,
            @ForAll @IntRange(max = 60_000) int budget,
            @ForAll @IntRange(max = 3) int ownParts,
            @ForAll @IntRange(max = 12_000) int ownLen) throws Exception {
        OutBuf scratch = new OutBuf();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int seed = 0;
        for (int len : replyParts) {
            byte[] part = pattern(len, seed++);
            scratch.write(part, 0, len); // small parts are copied, large ones queued by reference
            reply.writeBytes(part);
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        scratch.writeTo(new CollectingChannel(wire, budget));
        OutBuf rest = scratch.takeRest();
        assertEquals(0, scratch.pending());
        assertEquals(reply.size() - wire.size(), rest.pending());

        // the scratch buffer serves the next reply at once: it must not disturb the rest
        byte[] next = pattern(100, 99);
        scratch.write(next);
        assertArrayEquals(next, BinaryWire.drain(scratch));

        OutBuf conn = new OutBuf();
        ByteArrayOutputStream own = new ByteArrayOutputStream();
        for (int i = 0; i < ownParts; i++) {
            byte[] b = pattern(ownLen, 50 + i);
            conn.write(b);
            own.writeBytes(b);
        }
        long heldBefore = conn.held();
        conn.prepend(rest);
        assertEquals(0, rest.pending());
        assertTrue(conn.held() >= heldBefore);
        conn.write('!');
        wire.writeBytes(BinaryWire.drain(conn));

        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(reply.toByteArray());
        want.writeBytes(own.toByteArray());
        want.write('!');
        assertArrayEquals(want.toByteArray(), wire.toByteArray());
    }

    private static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }
}
