package io.dash4j.server.command;

import java.util.List;

/**
 * Encodes reply values in one wire format. RESP2 and RESP3 implement it (resp package); commands
 * never call it: they return {@link Replies} values and the connection's codec writes them with
 * {@link #write(Object)} when the reply's turn comes.
 */
public interface ReplyWriter {

    void simple(String text);

    void error(CommandError e);

    void integer(long v);

    void bulk(byte[] a, int off, int len);

    void nullValue();

    void nullArray();

    void arrayHeader(int n);

    void mapHeader(int pairs);

    void setHeader(int n);

    void bool(boolean b);

    void dbl(double d);

    void verbatim(String text);

    /** Writes any {@link Replies} value. */
    default void write(Object o) {
        if (o == null) {
            nullValue();
        } else if (o instanceof Replies.Bulk b) {
            bulk(b.a(), b.off(), b.len());
        } else if (o instanceof Long l) {
            integer(l);
        } else if (o instanceof Replies.Int i) {
            integer(i.value());
        } else if (o instanceof byte[] b) {
            bulk(b, 0, b.length);
        } else if (o instanceof Replies.Status s) {
            simple(s.text());
        } else if (o instanceof CommandError e) {
            error(e);
        } else if (o instanceof String s) {
            byte[] b = Replies.bytes(s);
            bulk(b, 0, b.length);
        } else if (o instanceof Integer i) {
            integer(i);
        } else if (o == Replies.NIL_ARRAY) {
            nullArray();
        } else if (o instanceof Object[] arr) {
            arrayHeader(arr.length);
            for (Object x : arr) {
                write(x);
            }
        } else if (o instanceof List<?> list) {
            arrayHeader(list.size());
            for (Object x : list) {
                write(x);
            }
        } else if (o instanceof Replies.MapReply m) {
            mapHeader(m.size());
            for (Object x : m.items()) {
                write(x);
            }
        } else if (o instanceof Replies.SetReply s) {
            setHeader(s.items().length);
            for (Object x : s.items()) {
                write(x);
            }
        } else if (o instanceof Replies.Verbatim v) {
            verbatim(v.text());
        } else if (o instanceof Boolean b) {
            bool(b);
        } else if (o instanceof Double d) {
            dbl(d);
        } else {
            throw new IllegalArgumentException("not a reply value: " + o.getClass());
        }
    }
}
