package io.dash4j.bench.sim.trace;

import java.io.IOException;
import java.io.InputStream;

/**
 * One key per line, any string (the line without its line ending; empty lines are skipped).
 * A line spelling a {@code long} in canonical decimal is that number; any other line is mapped
 * to a 64-bit hash of its bytes ({@link Keys#hash}), so two different strings collide only with
 * probability about n²/2⁶⁵ over n distinct keys.
 */
public final class PlainTraceReader implements KeySource {

    private final InputStream in;
    private final LineScanner lines;

    public PlainTraceReader(InputStream in) {
        this.in = in;
        this.lines = new LineScanner(in);
    }

    @Override
    public int read(long[] buf, int off, int len) throws IOException {
        int n = 0;
        while (n < len && lines.next()) {
            int s = lines.start();
            int e = lines.end();
            if (s == e) {
                continue;
            }
            buf[off + n++] = Keys.keyOf(lines.buffer(), s, e);
        }
        return n == 0 ? -1 : n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
