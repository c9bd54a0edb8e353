package io.dash4j.server.command;

import io.dash4j.server.store.Entry;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The typed values commands answer with, independent of any wire format. A codec walks them with
 * a {@link ReplyWriter}: RESP2 and RESP3 differ only in how a few of them look on the wire (null,
 * map, set, double, boolean, verbatim text), and the memcached codecs map results of the typed
 * operations onto their own lines.
 *
 * <table>
 *   <tr><td>{@code null}</td><td>a null (RESP2 {@code $-1}, RESP3 {@code _})</td></tr>
 *   <tr><td>{@link Long}, {@link Integer}</td><td>an integer</td></tr>
 *   <tr><td>{@link Bulk}, {@code byte[]}, {@link String}</td><td>a bulk string (a String is UTF-8)</td></tr>
 *   <tr><td>{@link Status}</td><td>a simple string ({@link #OK}, {@link #PONG})</td></tr>
 *   <tr><td>{@link CommandError}</td><td>an error</td></tr>
 *   <tr><td>{@code Object[]}, {@link List}</td><td>an array; {@link #NIL_ARRAY} a null array</td></tr>
 *   <tr><td>{@link MapReply}</td><td>a map (RESP2: a flat array of 2n)</td></tr>
 *   <tr><td>{@link SetReply}</td><td>a set (RESP2: an array)</td></tr>
 *   <tr><td>{@link Verbatim}</td><td>verbatim text (RESP2: a bulk string)</td></tr>
 *   <tr><td>{@link Boolean}</td><td>a boolean (RESP2: integer 1/0)</td></tr>
 *   <tr><td>{@link Double}</td><td>a double (RESP2: a bulk string)</td></tr>
 * </table>
 */
public final class Replies {

    private Replies() {
    }

    /** A simple string. */
    public record Status(String text) {
    }

    /**
     * A bulk string that is a slice of an array (usually a stored entry's value: no copy). A
     * pooled {@link io.dash4j.server.Call} owns one and re-points it per command ({@link #set}),
     * so a GET's reply costs no object; it is read only while its call is the one being encoded.
     */
    public static final class Bulk {
        private byte[] a;
        private int off;
        private int len;

        public Bulk(byte[] a, int off, int len) {
            set(a, off, len);
        }

        /** Re-points this slice (the call's own, for its next command). */
        public Bulk set(byte[] a, int off, int len) {
            this.a = a;
            this.off = off;
            this.len = len;
            return this;
        }

        /** Points this slice at a stored entry's value. */
        public Bulk entryValue(byte[] entry) {
            int o = Entry.valueOffset(entry);
            return set(entry, o, entry.length - o);
        }

        public byte[] a() {
            return a;
        }

        public int off() {
            return off;
        }

        public int len() {
            return len;
        }

        @Override
        public String toString() {
            return "Bulk[" + new String(a, off, len, StandardCharsets.ISO_8859_1) + "]";
        }
    }

    /**
     * An integer reply held in a pooled {@link io.dash4j.server.Call} ({@code call.integer(v)}), so
     * INCR answers without boxing; like {@link Bulk}, read only while its call is encoded.
     */
    public static final class Int {
        private long value;

        public Int set(long v) {
            this.value = v;
            return this;
        }

        public long value() {
            return value;
        }

        @Override
        public String toString() {
            return "Int[" + value + "]";
        }
    }

    /** Key/value pairs in order: {@code items} alternates keys and values. */
    public record MapReply(Object[] items) {
        public int size() {
            return items.length / 2;
        }

        public static MapReply of(List<Object> pairs) {
            return new MapReply(pairs.toArray());
        }
    }

    /** An unordered collection (RESP3 {@code ~}). */
    public record SetReply(Object[] items) {
    }

    /** Text meant for humans (INFO, CLIENT LIST): RESP3 verbatim {@code =txt:}, RESP2 bulk. */
    public record Verbatim(String text) {
    }

    /** The null array ({@code *-1} in RESP2). */
    public static final Object NIL_ARRAY = new Object() {
        @Override
        public String toString() {
            return "NIL_ARRAY";
        }
    };

    public static final Status OK = new Status("OK");
    public static final Status PONG = new Status("PONG");
    public static final Status QUEUED = new Status("QUEUED");
    public static final Long ZERO = 0L;
    public static final Long ONE = 1L;
    public static final byte[] EMPTY = new byte[0];

    /** The value of a stored entry, as a bulk string (no copy: entries are immutable). */
    public static Bulk value(byte[] entry) {
        int off = Entry.valueOffset(entry);
        return new Bulk(entry, off, entry.length - off);
    }

    /** The value of {@code entry} or null. */
    public static Bulk valueOrNull(byte[] entry) {
        return entry == null ? null : value(entry);
    }

    public static Long bool(boolean b) {
        return b ? ONE : ZERO;
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
