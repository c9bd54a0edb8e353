package io.dash4j.bench.sim.trace;

import com.github.luben.zstd.ZstdOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceReadersTest {

    @TempDir
    Path dir;

    static long[] readAll(KeySource in, int batch) throws IOException {
        long[] out = new long[1024];
        int size = 0;
        long[] buf = new long[batch];
        int n;
        while ((n = in.read(buf, 0, batch)) >= 0) {
            assertTrue(n > 0, "a read returns keys or -1");
            if (size + n > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, size + n));
            }
            System.arraycopy(buf, 0, out, size, n);
            size += n;
        }
        assertEquals(-1, in.read(buf, 0, batch), "stays at the end");
        in.close();
        return Arrays.copyOf(out, size);
    }

    private static KeySource arc(String text) {
        return new ArcTraceReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.lis");
    }

    private static KeySource plain(String text) {
        return new PlainTraceReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void arcLinesExpandToConsecutiveKeys() throws IOException {
        String text = "10 3 0 0\n5 1 0 1\n\n# a comment\n  7\t2 x y\r\n42\n0 0 0 0\n100 2 0 9";
        long[] expected = {10, 11, 12, 5, 7, 8, 42, 100, 101};
        for (int batch : new int[] {1, 2, 3, 1000}) {
            assertArrayEquals(expected, readAll(arc(text), batch), "batch " + batch);
        }
    }

    @Test
    void arcRangesLongerThanABatchAreSplit() throws IOException {
        long[] keys = readAll(arc("1000000000000 100000 0 0\n"), 4096);
        assertEquals(100_000, keys.length);
        assertEquals(1_000_000_000_000L, keys[0]);
        assertEquals(1_000_000_099_999L, keys[99_999]);
    }

    @Test
    void arcErrorsNameTheLine() {
        IOException e = assertThrows(IOException.class, () -> readAll(arc("1 1 0 0\nabc 1 0 0\n"), 16));
        assertTrue(e.getMessage().contains("t.lis:2"), e.getMessage());
        IOException neg = assertThrows(IOException.class, () -> readAll(arc("1 -3 0 0\n"), 16));
        assertTrue(neg.getMessage().contains("t.lis:1"), neg.getMessage());
    }

    @Test
    void plainLinesAreKeys() throws IOException {
        long[] keys = readAll(plain("17\r\n-5\nuser:42\n\nuser:42\n007\n7\nÅngström\n"), 3);
        assertEquals(7, keys.length, "the empty line is skipped");
        assertEquals(17, keys[0]);
        assertEquals(-5, keys[1]);
        assertEquals(keys[2], keys[3], "the same string, the same key");
        assertEquals(Keys.keyOf("user:42"), keys[2]);
        assertNotEquals(7, keys[4], "'007' is a string, not the number 7");
        assertEquals(7, keys[5]);
        assertEquals(Keys.keyOf("Ångström"), keys[6]);
    }

    @Test
    void canonicalNumbersOnly() {
        assertEquals(0, Keys.keyOf("0"));
        assertEquals(Long.MAX_VALUE, Keys.keyOf(Long.toString(Long.MAX_VALUE)));
        assertEquals(Long.MIN_VALUE + 1, Keys.keyOf(Long.toString(Long.MIN_VALUE + 1)));
        assertNotEquals(0, Keys.keyOf("-0"));
        assertNotEquals(1, Keys.keyOf("+1"));
        assertNotEquals(Keys.keyOf("9223372036854775807"), Keys.keyOf("9223372036854775808"));
        assertNotEquals(Keys.keyOf("a"), Keys.keyOf("b"));
        assertNotEquals(Keys.keyOf("abcdefgh"), Keys.keyOf("abcdefgh\0"));
    }

    @Test
    void longLinesGrowTheBuffer() throws IOException {
        String longKey = "k".repeat(200_000);
        long[] keys = readAll(plain(longKey + "\n" + longKey + "x\n" + longKey), 8);
        assertEquals(3, keys.length);
        assertEquals(keys[0], keys[2]);
        assertNotEquals(keys[0], keys[1]);
    }

    @Test
    void compressedFilesStreamThrough() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            b.append(i * 3).append(' ').append(1 + i % 3).append(" 0 ").append(i).append('\n');
        }
        byte[] text = b.toString().getBytes(StandardCharsets.US_ASCII);
        Path raw = dir.resolve("t.lis");
        Files.write(raw, text);
        Path zst = dir.resolve("t.lis.zst");
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(zst))) {
            out.write(text);
        }
        Path gz = dir.resolve("t.lis.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text);
        }
        long[] expected = readAll(new TraceFile(raw, null).open(), 1000);
        assertEquals(99_999, expected.length);   // counts 1, 2, 3 repeating, 50000 lines
        assertArrayEquals(expected, readAll(new TraceFile(zst, null).open(), 777));
        assertArrayEquals(expected, readAll(new TraceFile(gz, TraceFormat.ARC).open(), 4096));
        assertEquals("t.lis.zst", new TraceFile(zst, null).name());
        assertEquals(TraceFormat.ARC, new TraceFile(zst, null).format());
        assertEquals(TraceFormat.PLAIN, new TraceFile(dir.resolve("keys.txt.zst"), null).format());
    }

    @Test
    void formatNames() {
        assertEquals(TraceFormat.ARC, TraceFormat.parse("arc"));
        assertEquals(TraceFormat.PLAIN, TraceFormat.parse("PLAIN"));
        assertThrows(IllegalArgumentException.class, () -> TraceFormat.parse("csv"));
    }
}
