package io.dash4j.bench.sim.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The ARC paper's {@code .lis} format (Megiddo &amp; Modha): each line {@code start count ...}
 * stands for {@code count} requests to the consecutive keys {@code start, start+1, ...}; further
 * fields are ignored, and a line with only {@code start} is one request. Blank lines and lines
 * starting with {@code #} are skipped.
 */
public final class ArcTraceReader implements KeySource {

    private final InputStream in;
    private final LineScanner lines;
    private final String name;
    private long nextKey;
    private long remaining;

    public ArcTraceReader(InputStream in, String name) {
        this.in = in;
        this.lines = new LineScanner(in);
        this.name = name;
    }

    @Override
    public int read(long[] buf, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            if (remaining > 0) {
                int k = (int) Math.min(remaining, len - n);
                long key = nextKey;
                for (int i = 0; i < k; i++) {
                    buf[off + n + i] = key + i;
                }
                nextKey = key + k;
                remaining -= k;
                n += k;
                continue;
            }
            if (!lines.next()) {
                break;
            }
            parseLine();
        }
        return n == 0 ? -1 : n;
    }

    private void parseLine() throws IOException {
        byte[] b = lines.buffer();
        int i = skipBlanks(b, lines.start(), lines.end());
        int end = lines.end();
        if (i == end || b[i] == '#') {
            return;
        }
        int fieldEnd = fieldEnd(b, i, end);
        long start = parse(b, i, fieldEnd);
        i = skipBlanks(b, fieldEnd, end);
        long count = 1;
        if (i < end) {
            fieldEnd = fieldEnd(b, i, end);
            count = parse(b, i, fieldEnd);
        }
        if (count < 0) {
            throw error("negative count " + count);
        }
        nextKey = start;
        remaining = count;
    }

    private static int skipBlanks(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int fieldEnd(byte[] b, int i, int end) {
        while (i < end && b[i] != ' ' && b[i] != '\t') {
            i++;
        }
        return i;
    }

    private long parse(byte[] b, int from, int to) throws IOException {
        long v = Keys.parseCanonicalLong(b, from, to);
        if (v == Keys.NOT_A_NUMBER) {
            // a non-canonical spelling (leading zeros, '+') is still a number here
            try {
                return Long.parseLong(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException e) {
                throw error("not an integer: '" + new String(b, from, to - from, StandardCharsets.UTF_8) + "'");
            }
        }
        return v;
    }

    private IOException error(String message) {
        return new IOException(name + ":" + lines.lineNumber() + ": " + message);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
