package io.dash4j.server.resp;

import io.dash4j.server.OutBuf;
import io.dash4j.server.command.CommandError;
import io.dash4j.server.command.ReplyWriter;

import java.nio.charset.StandardCharsets;

/**
 * RESP2 encoding: the types RESP3 adds are written as Redis writes them to a RESP2 client (a map
 * as a flat array, a set as an array, a boolean as 1/0, a double and verbatim text as bulk
 * strings, every null as {@code $-1} except the null array {@code *-1}).
 */
public class Resp2Writer implements ReplyWriter {

    private static final byte[] NIL = ascii("$-1\r\n");
    private static final byte[] NIL_ARR = ascii("*-1\r\n");
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] ZERO = ascii(":0\r\n");
    private static final byte[] ONE = ascii(":1\r\n");

    protected final OutBuf out;

    public Resp2Writer(OutBuf out) {
        this.out = out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The reply of most writes: one copy of a constant. */
    public void ok() {
        out.write(OK);
    }

    @Override
    public void simple(String text) {
        if (text.equals("OK")) {
            out.write(OK);
            return;
        }
        out.write('+');
        out.utf8(text);
        out.crlf();
    }

    @Override
    public void error(CommandError e) {
        out.write('-');
        out.utf8(e.text());
        out.crlf();
    }

    @Override
    public void integer(long v) {
        if (v == 0) {
            out.write(ZERO);
        } else if (v == 1) {
            out.write(ONE);
        } else {
            out.write(':');
            out.decimal(v);
            out.crlf();
        }
    }

    @Override
    public void bulk(byte[] a, int off, int len) {
        out.bulk(a, off, len);
    }

    @Override
    public void nullValue() {
        out.write(NIL);
    }

    @Override
    public void nullArray() {
        out.write(NIL_ARR);
    }

    @Override
    public void arrayHeader(int n) {
        out.write('*');
        out.decimal(n);
        out.crlf();
    }

    @Override
    public void mapHeader(int pairs) {
        arrayHeader(2 * pairs);
    }

    @Override
    public void setHeader(int n) {
        arrayHeader(n);
    }

    @Override
    public void bool(boolean b) {
        integer(b ? 1 : 0);
    }

    @Override
    public void dbl(double d) {
        byte[] b = ascii(formatDouble(d));
        bulk(b, 0, b.length);
    }

    @Override
    public void verbatim(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        bulk(b, 0, b.length);
    }

    /** Redis's double text: {@code inf}, {@code -inf}, {@code nan}, else the shortest exact form. */
    static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        return Double.toString(d).replace("E", "e");
    }
}
