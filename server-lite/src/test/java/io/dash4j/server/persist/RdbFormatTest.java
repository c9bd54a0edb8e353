package io.dash4j.server.persist;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** CRC-64 and LZF against known vectors, and the RDB encoder and reader against each other and against bytes Redis writes. */
class RdbFormatTest {

    @Test
    void crc64JonesCheckValue() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, Crc64.of(new byte[0]));
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        long split = Crc64.update(Crc64.update(0, b, 0, 4), b, 4, 5);
        assertEquals(Crc64.of(b), split);
    }

    @Property(tries = 200)
    void crc64SlicedEqualsByteAtATime(@ForAll @Size(max = 300) byte[] data, @ForAll @IntRange(max = 40) int skip,
                                      @ForAll long seed) {
        int off = Math.min(skip, data.length);
        long bytewise = seed;
        for (int i = off; i < data.length; i++) {
            bytewise = Crc64.update(bytewise, data[i]);
        }
        assertEquals(bytewise, Crc64.update(seed, data, off, data.length - off));
    }

    @Test
    void lzfDecodesLiblzfOutput() {
        // lzf_compress("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") (40 x 'a'): a literal 'a', then a back
        // reference of length 37 at distance 1 (ctrl 0xE0 | 0, extra length 37-2-7=28... as liblzf emits)
        byte[] text = "a".repeat(40).getBytes(StandardCharsets.US_ASCII);
        byte[] packed = compress(new Lzf(), text);
        assertThat(packed).isNotNull();
        assertThat(packed.length).isLessThan(text.length - 4);
        assertArrayEquals(text, Lzf.decompress(packed, 0, packed.length, text.length));
        // a hand-made raw block: literal run "abc" (ctrl 2), then back reference len 3 (ctrl 1<<5), offset 2 -> "abcabc"
        byte[] raw = {2, 'a', 'b', 'c', (byte) (1 << 5), 2};
        assertEquals("abcabc", new String(Lzf.decompress(raw, 0, raw.length, 6), StandardCharsets.US_ASCII));
    }

    /** The raw LZF bytes of {@code input}, or null when compressing would not save 4 bytes. */
    private static byte[] compress(Lzf lzf, byte[] input) {
        int n = lzf.compress(input, 0, input.length);
        return n < 0 ? null : Arrays.copyOf(lzf.output(), n);
    }

    /** One encoder for the whole run: its hash table carries positions from earlier inputs, which must never leak in. */
    private static final Lzf LZF = new Lzf();

    @Property(tries = 300)
    void lzfRoundTrips(@ForAll @Size(max = 200_000) byte[] data, @ForAll @IntRange(min = 1, max = 40) int alphabet) {
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) Math.floorMod(data[i], alphabet); // few symbols: long and overlapping matches
        }
        byte[] repetitive = new byte[data.length * 2];
        System.arraycopy(data, 0, repetitive, 0, data.length);
        System.arraycopy(data, 0, repetitive, data.length, data.length);
        for (byte[] input : List.of(data, repetitive)) {
            byte[] packed = compress(LZF, input);
            if (packed != null) {
                assertThat(packed.length).isLessThanOrEqualTo(input.length - 4);
                assertArrayEquals(input, Lzf.decompress(packed, 0, packed.length, input.length));
            }
        }
    }

    @Test
    void incompressibleAndShortStringsAreNotCompressed() {
        assertNull(compress(new Lzf(), new byte[] {1, 2, 3, 4}));
        byte[] random = new byte[1000];
        new java.util.Random(1).nextBytes(random);
        assertNull(compress(new Lzf(), random));
        // 64 random hex digits (the benchmark's values) do not compress, as with liblzf
        StringBuilder hex = new StringBuilder();
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 64; i++) {
            hex.append(Character.forDigit(r.nextInt(16), 16));
        }
        assertNull(compress(new Lzf(), hex.toString().getBytes(StandardCharsets.US_ASCII)));
        // redis-benchmark's values ("xxx...") do
        assertThat(compress(new Lzf(), "x".repeat(64).getBytes(StandardCharsets.US_ASCII))).hasSizeLessThan(8);
    }

    record Rec(String key, byte[] value, long expireAt, int flags, long cas) {
        Rec(String key, byte[] value, long expireAt) {
            this(key, value, expireAt, 0, 0);
        }
    }

    private static byte[] dump(List<Rec> recs, boolean compress) {
        RdbEncoder e = new RdbEncoder(64, compress);
        e.header();
        e.aux("redis-ver", "7.0.15");
        e.selectDb(0);
        e.resizeDb(recs.size(), 0);
        for (Rec r : recs) {
            byte[] k = r.key.getBytes(StandardCharsets.UTF_8);
            if (r.flags != 0 || r.cas != 0) {
                e.memcachedMeta(r.flags, r.cas);
            }
            e.stringRecord(k, 0, k.length, r.value, 0, r.value.length, r.expireAt);
        }
        e.eof();
        byte[] body = e.take();
        long crc = Crc64.of(body);
        byte[] out = Arrays.copyOf(body, body.length + 8);
        for (int i = 0; i < 8; i++) {
            out[body.length + i] = (byte) (crc >>> (8 * i));
        }
        return out;
    }

    private static List<Rec> read(byte[] file) throws IOException {
        List<Rec> out = new ArrayList<>();
        RdbReader.read("test.rdb", new ByteArrayInputStream(file),
                (k, v, at, flags, cas) -> out.add(new Rec(new String(k, StandardCharsets.UTF_8), v, at, flags, cas)));
        return out;
    }

    @Property(tries = 200)
    void encoderAndReaderRoundTrip(@ForAll @Size(max = 30) List<@Size(max = 300) byte[]> values, @ForAll boolean compress)
            throws IOException {
        List<Rec> recs = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            long expireAt = i % 3 == 0 ? -1 : 1_700_000_000_000L + i;
            recs.add(switch (i % 4) { // memcached metadata on some: small, none, the unsigned maxima, flags only
                case 0 -> new Rec("k" + i, values.get(i), expireAt, 31 * i + 1, (long) i << 40 | i);
                case 1 -> new Rec("k" + i, values.get(i), expireAt);
                case 2 -> new Rec("k" + i, values.get(i), expireAt, -1, -1L);
                default -> new Rec("k" + i, values.get(i), expireAt, i, 0);
            });
        }
        recs.add(new Rec("int", "12345".getBytes(StandardCharsets.US_ASCII), -1));
        recs.add(new Rec("neg", "-2147483648".getBytes(StandardCharsets.US_ASCII), -1));
        recs.add(new Rec("zero-led", "007".getBytes(StandardCharsets.US_ASCII), -1));
        recs.add(new Rec("long", "x".repeat(20_000).getBytes(StandardCharsets.US_ASCII), -1));
        List<Rec> back = read(dump(recs, compress));
        assertEquals(recs.size(), back.size());
        for (int i = 0; i < recs.size(); i++) {
            assertEquals(recs.get(i).key, back.get(i).key);
            assertArrayEquals(recs.get(i).value, back.get(i).value);
            assertEquals(recs.get(i).expireAt, back.get(i).expireAt);
            assertEquals(recs.get(i).flags, back.get(i).flags);
            assertEquals(recs.get(i).cas, back.get(i).cas);
        }
    }

    @Test
    void integersAreEncodedAsRedisDoes() {
        RdbEncoder e = new RdbEncoder(16, true);
        e.string("-1".getBytes(StandardCharsets.US_ASCII));
        e.string("300".getBytes(StandardCharsets.US_ASCII));
        e.string("70000".getBytes(StandardCharsets.US_ASCII));
        e.string("+1".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] {(byte) 0xC0, (byte) 0xFF, (byte) 0xC1, 0x2C, 0x01, (byte) 0xC2, 0x70, 0x11, 0x01, 0x00,
            2, '+', '1'}, e.take());
    }

    @Test
    void truncatedAndCorruptDumpsAreRefusedWithTheOffset() {
        List<Rec> recs = List.of(new Rec("a", "1".getBytes(), -1), new Rec("b", "hello world".getBytes(), 1_900_000_000_000L));
        byte[] good = dump(recs, true);
        for (int cut = 0; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            RdbFormatException ex = assertThrows(RdbFormatException.class, () -> read(truncated), "cut at " + cut);
            assertThat(ex.getMessage()).startsWith("test.rdb: offset ");
            assertThat(ex.offset()).isLessThanOrEqualTo(cut);
        }
        byte[] flipped = good.clone();
        flipped[good.length - 15] ^= 0x01; // inside the last value
        assertThat(assertThrows(RdbFormatException.class, () -> read(flipped)).getMessage())
                .contains("checksum mismatch");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertThat(assertThrows(RdbFormatException.class, () -> read(magic)).getMessage())
                .contains("not an RDB file");
    }

    @Test
    void memcachedMetadataIsAnAuxFieldBeforeItsKeyAndABadOneIsRefused() {
        RdbEncoder e = new RdbEncoder(16, true);
        e.memcachedMeta(-2, 1234567890123L);
        assertEquals("\u00fa\u0009dash4j-mc\u00184294967294 1234567890123",
                new String(e.take(), StandardCharsets.ISO_8859_1));
        // AUX fields of other names are kept in the summary; the metadata is not
        RdbEncoder bad = new RdbEncoder(64, false);
        bad.header();
        bad.aux(Rdb.AUX_MEMCACHED, "12 x");
        byte[] file = bad.take();
        RdbFormatException ex = assertThrows(RdbFormatException.class, () -> read(file));
        assertThat(ex.getMessage()).contains("bad dash4j-mc field \"12 x\"").contains("offset 20");
    }

    @Test
    void otherTypesAreRefusedNamingTheType() {
        // a Redis 7.0 dump fragment: a list (quicklist 2) under key "mylist"
        RdbEncoder e = new RdbEncoder(64, false);
        e.header();
        e.selectDb(0);
        e.u8(18);
        e.string("mylist".getBytes(StandardCharsets.US_ASCII));
        byte[] file = e.take();
        RdbFormatException ex = assertThrows(RdbFormatException.class, () -> read(file));
        assertThat(ex.getMessage()).contains("\"mylist\"").contains("list (quicklist2)").contains("offset 11");
    }

    @Test
    void saveRulesParse() {
        assertEquals("3600 1 300 100 60 10000", SaveRules.REDIS_DEFAULT.toString());
        assertThat(SaveRules.parse("").isEmpty()).isTrue();
        assertThat(SaveRules.parse("60 2").due(2, 60)).isTrue();
        assertThat(SaveRules.parse("60 2").due(1, 600)).isFalse();
        assertThat(SaveRules.parse("60 2").due(5, 59)).isFalse();
        assertThrows(IllegalArgumentException.class, () -> SaveRules.parse("60"));
        assertThrows(IllegalArgumentException.class, () -> SaveRules.parse("60 x"));
    }
}
