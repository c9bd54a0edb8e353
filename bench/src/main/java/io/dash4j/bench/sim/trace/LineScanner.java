package io.dash4j.bench.sim.trace;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it: after {@link #next()} returns true the
 * current line is {@code buffer()[start() .. end())}, without its {@code \n} or {@code \r\n}.
 */
final class LineScanner {

    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int pos;        // first byte not yet returned
    private int limit;      // end of valid data
    private int scanFrom;   // where to continue looking for '\n'
    private boolean eof;
    private int start;
    private int end;
    private long lineNumber;

    LineScanner(InputStream in) {
        this.in = in;
    }

    boolean next() throws IOException {
        while (true) {
            for (int i = scanFrom; i < limit; i++) {
                if (buf[i] == '\n') {
                    emit(i);
                    pos = i + 1;
                    scanFrom = pos;
                    return true;
                }
            }
            scanFrom = limit;
            if (eof) {
                if (pos < limit) {
                    emit(limit);
                    pos = limit;
                    return true;
                }
                return false;
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                scanFrom -= pos;
                pos = 0;
            }
            if (limit == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
    }

    private void emit(int lineEnd) {
        start = pos;
        end = lineEnd > pos && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        lineNumber++;
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** 1-based number of the current line. */
    long lineNumber() {
        return lineNumber;
    }
}
