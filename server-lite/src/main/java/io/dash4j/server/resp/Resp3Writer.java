package io.dash4j.server.resp;

import io.dash4j.server.OutBuf;

import java.nio.charset.StandardCharsets;

/**
 * RESP3 encoding (after {@code HELLO 3}): null {@code _}, map {@code %}, set {@code ~}, boolean
 * {@code #t/#f}, double {@code ,}, verbatim text {@code =len\r\ntxt:...}; everything else as in RESP2.
 */
public final class Resp3Writer extends Resp2Writer {

    private static final byte[] NULL = ascii("_\r\n");
    private static final byte[] TRUE = ascii("#t\r\n");
    private static final byte[] FALSE = ascii("#f\r\n");

    public Resp3Writer(OutBuf out) {
        super(out);
    }

    @Override
    public void nullValue() {
        out.write(NULL);
    }

    @Override
    public void nullArray() {
        out.write(NULL);
    }

    @Override
    public void mapHeader(int pairs) {
        out.write('%');
        out.decimal(pairs);
        out.crlf();
    }

    @Override
    public void setHeader(int n) {
        out.write('~');
        out.decimal(n);
        out.crlf();
    }

    @Override
    public void bool(boolean b) {
        out.write(b ? TRUE : FALSE);
    }

    @Override
    public void dbl(double d) {
        out.write(',');
        out.ascii(formatDouble(d));
        out.crlf();
    }

    @Override
    public void verbatim(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write('=');
        out.decimal(b.length + 4L);
        out.crlf();
        out.ascii("txt:");
        out.write(b);
        out.crlf();
    }
}
