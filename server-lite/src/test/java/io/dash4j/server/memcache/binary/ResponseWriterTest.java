package io.dash4j.server.memcache.binary;

import io.dash4j.server.OutBuf;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static io.dash4j.server.memcache.binary.BinaryWire.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/** Responses encoded by {@link ResponseWriter} decode, with a separate decoder, to what was written. */
class ResponseWriterTest {

    @Property(tries = 200)
    void itemsRoundTrip(@ForAll @IntRange(min = 0, max = 255) int opcode, @ForAll int opaque, @ForAll long cas,
                        @ForAll int flags, @ForAll @Size(min = 1, max = 250) byte[] key,
                        @ForAll @Size(max = 20_000) byte[] value, @ForAll boolean withKey, @ForAll boolean withValue)
            throws IOException {
        // key and value as slices of one stored-entry-like array, with bytes around them
        byte[] entry = BinaryWire.concat(new byte[]{9, 9}, key, new byte[]{7}, value, new byte[]{5});
        int keyOffset = 2;
        int valueOffset = 3 + key.length;
        OutBuf out = new OutBuf();
        ResponseWriter w = new ResponseWriter();
        w.item(out, opcode, opaque, cas, flags, entry, keyOffset, key.length, withKey, valueOffset,
                withValue ? value.length : -1);
        List<BinaryWire.Response> rs = BinaryWire.readAll(BinaryWire.drain(out));
        assertThat(rs).hasSize(1);
        BinaryWire.Response r = rs.get(0);
        assertThat(r.magic()).isEqualTo(0x81);
        assertThat(r.opcode()).isEqualTo(opcode);
        assertThat(r.status()).isZero();
        assertThat(r.opaque()).isEqualTo(opaque);
        assertThat(r.cas()).isEqualTo(cas);
        assertThat(r.flags()).isEqualTo(flags);
        assertThat(r.key()).isEqualTo(withKey ? key : new byte[0]);
        assertThat(r.value()).isEqualTo(withValue ? value : new byte[0]);
    }

    @Property(tries = 100)
    void countersAndErrorsRoundTrip(@ForAll int opaque, @ForAll long cas, @ForAll long value) throws IOException {
        OutBuf out = new OutBuf();
        ResponseWriter w = new ResponseWriter();
        w.counter(out, Opcode.INCREMENT.code, opaque, cas, value);
        w.error(out, Opcode.ADD.code, Status.KEY_EXISTS, opaque);
        w.empty(out, Opcode.NOOP.code, opaque, cas);
        List<BinaryWire.Response> rs = BinaryWire.readAll(BinaryWire.drain(out));
        assertThat(rs).hasSize(3);
        assertThat(rs.get(0).counter()).isEqualTo(value);
        assertThat(rs.get(0).cas()).isEqualTo(cas);
        assertThat(rs.get(1).status()).isEqualTo(Status.KEY_EXISTS);
        assertThat(rs.get(1).text()).isEqualTo("Data exists for key.");
        assertThat(rs.get(1).cas()).isZero();
        assertThat(rs.get(2).opcode()).isEqualTo(Opcode.NOOP.code);
        assertThat(rs.get(2).value()).isEmpty();
        assertThat(rs).allMatch(r -> r.opaque() == opaque);
    }

    @Test
    void textStatsAndMisses() throws IOException {
        OutBuf out = new OutBuf();
        ResponseWriter w = new ResponseWriter();
        w.text(out, Opcode.VERSION.code, 1, "1.6.21");
        w.stat(out, Opcode.STAT.code, 2, "pid", "42");
        w.stat(out, Opcode.STAT.code, 2, "", "");
        w.missWithKey(out, Opcode.GETK.code, 3, bytes("gone"));
        w.error(out, Opcode.GET.code, Status.KEY_NOT_FOUND, 4);
        List<BinaryWire.Response> rs = BinaryWire.readAll(BinaryWire.drain(out));
        assertThat(rs).extracting(BinaryWire.Response::text).containsExactly("1.6.21", "42", "", "", "Not found");
        assertThat(rs).extracting(BinaryWire.Response::keyText).containsExactly("", "pid", "", "gone", "");
        assertThat(rs).extracting(BinaryWire.Response::status).containsExactly(0, 0, 0, 1, 1);
        assertThat(Arrays.stream(new int[]{Status.KEY_NOT_FOUND, Status.KEY_EXISTS, Status.VALUE_TOO_LARGE,
                Status.INVALID_ARGUMENTS, Status.NOT_STORED, Status.NON_NUMERIC, Status.UNKNOWN_COMMAND,
                Status.OUT_OF_MEMORY}).mapToObj(Status::message)).doesNotContain("").doesNotHaveDuplicates();
    }
}
