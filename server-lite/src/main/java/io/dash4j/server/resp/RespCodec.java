package io.dash4j.server.resp;

import io.dash4j.server.Call;
import io.dash4j.server.Connection;
import io.dash4j.server.OutBuf;
import io.dash4j.server.codec.Codec;
import io.dash4j.server.codec.InputBuffer;
import io.dash4j.server.codec.ReplyEncoding;
import io.dash4j.server.command.ArgSlices;
import io.dash4j.server.command.Args;
import io.dash4j.server.command.CommandError;
import io.dash4j.server.command.Dispatcher;
import io.dash4j.server.command.Replies;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * RESP on one connection. Frames multibulk commands ({@code *N\r\n$len\r\n...}) and inline
 * commands (a line of space-separated, optionally quoted words, for telnet and nc) with Redis's
 * limits and protocol error texts, hands each to the {@link Dispatcher}, and encodes results in
 * RESP2 or RESP3 (the version each call was dispatched under). A bulk argument is copied out of
 * the input buffer as it arrives, so a large value never has to fit in the buffer.
 */
public final class RespCodec extends Codec {

    /** Bulk arguments above this size grow as their bytes arrive instead of being allocated up front. */
    private static final int EAGER_BULK = 1024 * 1024;

    /**
     * RESP replies depend on the call alone (its result and RESP version), so any thread may encode
     * them into a buffer of its own.
     */
    public static final ReplyEncoding ENCODING = (shard, out) -> new Writers(out);

    /** This connection's encoder, on its output buffer. */
    private final ReplyEncoding.Encoder replies;
    private int multibulk;
    private byte[][] argv;
    private int argc;
    private long bulkLen = -1;
    private byte[] bulk;
    private int bulkFill;
    private final long[] number = new long[1];
    /** The slices of the command framed in place (reused). */
    private final ArgSlices slices = new ArgSlices();

    /** Largest command framed in place; a longer one is copied as it arrives. */
    static final int IN_PLACE_MAX_FRAME = 16 * 1024;
    private static final int FRAMED = 1;
    private static final int WAIT = 0;
    private static final int COPY = -1;

    public RespCodec(Connection conn) {
        super(conn);
        this.replies = ENCODING.open(conn.shard, conn.output());
    }

    @Override
    public String name() {
        return "resp";
    }

    @Override
    public void encode(Call call, OutBuf out) {
        replies.encode(call);
    }

    @Override
    public ReplyEncoding replyEncoding() {
        return ENCODING;
    }

    /** A RESP2 and a RESP3 writer on one buffer: each call is encoded in its own version. */
    private static final class Writers implements ReplyEncoding.Encoder {
        private final Resp2Writer resp2;
        private final Resp3Writer resp3;

        Writers(OutBuf out) {
            this.resp2 = new Resp2Writer(out);
            this.resp3 = new Resp3Writer(out);
        }

        @Override
        public void encode(Call call) {
            Resp2Writer w = call.proto == 3 ? resp3 : resp2;
            Object r = call.result;
            if (r == Replies.OK) {
                w.ok(); // a SET's reply: no type tests
            } else {
                w.write(r);
            }
        }
    }

    @Override
    public void protocolError(String message) {
        conn.countProtocolError();
        conn.replyNow(CommandError.err("ERR Protocol error: " + printable(message)));
        multibulk = 0;
        argv = null;
        bulk = null;
        bulkLen = -1;
        conn.input().discard();
        conn.closeAfterReplies();
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < ' ' || c == 127 ? ' ' : c);
        }
        return b.toString();
    }

    @Override
    public boolean parseOne() {
        InputBuffer in = conn.input();
        int maxInline = conn.config().maxInlineLen;
        if (multibulk == 0) {
            if (in.bytes[in.rpos] == '*') {
                int framed = frameInPlace(in);
                if (framed == FRAMED) {
                    Dispatcher.dispatch(conn, slices);
                    return true;
                }
                if (framed == WAIT) {
                    return false;
                }
                int cr = in.indexOf(in.rpos, (byte) '\r');
                if (cr < 0) {
                    if (in.available() > maxInline) {
                        protocolError("too big mbulk count string");
                    }
                    return false;
                }
                if (cr + 1 >= in.wpos) {
                    return false; // wait for the \n
                }
                if (!Args.parseLong(in.bytes, in.rpos + 1, cr - in.rpos - 1, number)
                        || number[0] > conn.config().maxMultibulkLen) {
                    protocolError("invalid multibulk length");
                    return false;
                }
                in.rpos = cr + 2;
                if (number[0] <= 0) {
                    return true; // empty command: ignored, as Redis does
                }
                multibulk = (int) number[0];
                argv = new byte[Math.min(multibulk, 1024)][];
                argc = 0;
            } else {
                return inline(in);
            }
        }
        while (multibulk > 0) {
            if (bulkLen < 0) {
                if (in.rpos >= in.wpos) {
                    return false;
                }
                int cr = in.indexOf(in.rpos, (byte) '\r');
                if (cr < 0) {
                    if (in.available() > maxInline) {
                        protocolError("too big bulk count string");
                    }
                    return false;
                }
                if (cr + 1 >= in.wpos) {
                    return false;
                }
                if (in.bytes[in.rpos] != '$') {
                    protocolError("expected '$', got '" + (char) (in.bytes[in.rpos] & 0xFF) + "'");
                    return false;
                }
                if (!Args.parseLong(in.bytes, in.rpos + 1, cr - in.rpos - 1, number) || number[0] < 0
                        || number[0] > conn.config().protoMaxBulkLen || number[0] > Integer.MAX_VALUE - 64) {
                    protocolError("invalid bulk length" + bulkLimit(number[0])); // Redis's text, plus the limit
                    return false;
                }
                int first = (int) Math.min(number[0], EAGER_BULK);
                if (first > 64 * 1024 && !conn.mayHold(first)) {
                    clientMemoryExceeded();
                    return false;
                }
                in.rpos = cr + 2;
                bulkLen = number[0];
                bulk = new byte[first];
                conn.account(first);
                bulkFill = 0;
            }
            int take = (int) Math.min(bulkLen - bulkFill, in.available());
            if (take > 0) {
                if (bulkFill + take > bulk.length) {
                    int grown = (int) Math.min(bulkLen, Math.max((long) bulk.length * 2, bulkFill + take));
                    if (!conn.mayHold(grown - bulk.length)) {
                        clientMemoryExceeded();
                        return false;
                    }
                    conn.account(grown - bulk.length);
                    bulk = Arrays.copyOf(bulk, grown);
                }
                System.arraycopy(in.bytes, in.rpos, bulk, bulkFill, take);
                bulkFill += take;
                in.rpos += take;
            }
            if (bulkFill < bulkLen || in.available() < 2) {
                return false;
            }
            in.rpos += 2; // the CRLF after the data (not checked, as in Redis)
            if (argc == argv.length) {
                argv = Arrays.copyOf(argv, Math.min(multibulk + argc, argv.length * 2));
            }
            conn.account(-bulk.length);
            argv[argc++] = bulk;
            bulk = null;
            bulkLen = -1;
            multibulk--;
        }
        byte[][] args = argc == argv.length ? argv : Arrays.copyOf(argv, argc);
        argv = null;
        Dispatcher.dispatch(conn, args);
        return true;
    }

    /**
     * Frames the whole multibulk command at {@code rpos} without copying a byte: its arguments
     * become {@link #slices} and {@code rpos} moves past it ({@link #FRAMED}). {@link #WAIT} when it
     * is well-formed so far but not all here, and small enough to wait for in the buffer;
     * {@link #COPY} when the copying parser must take it: more than {@link ArgSlices#MAX}
     * arguments, over {@link #IN_PLACE_MAX_FRAME} bytes or proto-max-bulk-len, or anything it
     * answers with a protocol error (it keeps Redis's texts in one place).
     */
    private int frameInPlace(InputBuffer in) {
        byte[] b = in.bytes;
        int end = in.wpos;
        int start = in.rpos;
        int p = start + 1;
        int n = 0;
        if (p >= end) {
            return WAIT;
        }
        if (b[p] < '1' || b[p] > '9') {
            return COPY;
        }
        n = b[p++] - '0';
        if (p < end && b[p] != '\r') {
            return COPY; // more than one digit: more than ArgSlices.MAX arguments
        }
        if (n > ArgSlices.MAX || n > conn.config().maxMultibulkLen) {
            return COPY; // the copying parser refuses what max-multibulk-len refuses
        }
        if (p + 1 >= end) {
            return WAIT;
        }
        p += 2;
        long maxBulk = conn.config().protoMaxBulkLen;
        slices.clear(b);
        for (int i = 0; i < n; i++) {
            if (p >= end) {
                return WAIT;
            }
            if (b[p] != '$') {
                return COPY;
            }
            p++;
            int len = 0;
            int digits = 0;
            while (p < end && b[p] != '\r') {
                int d = b[p] - '0';
                if (d < 0 || d > 9 || (digits == 1 && len == 0) || ++digits > 5) {
                    return COPY; // not a strict length, or too long for in place
                }
                len = len * 10 + d;
                p++;
            }
            if (p + 1 >= end) {
                return digits == 0 && p < end ? COPY : WAIT;
            }
            if (digits == 0 || len > maxBulk) {
                return COPY;
            }
            p += 2;
            if (p + len - start > IN_PLACE_MAX_FRAME) {
                return COPY;
            }
            if (p + len + 2 > end) {
                return WAIT;
            }
            slices.add(p, len);
            p += len + 2; // the CRLF after the data (not checked, as in Redis)
        }
        in.rpos = p;
        return FRAMED;
    }

    private void clientMemoryExceeded() {
        conn.countClientMemoryDisconnect();
        protocolError("client buffers over maxmemory-clients, closing the connection");
    }

    private boolean inline(InputBuffer in) {
        int nl = in.indexOf(in.rpos, (byte) '\n');
        if (nl < 0) {
            if (in.available() > conn.config().maxInlineLen) {
                protocolError("too big inline request");
            }
            return false;
        }
        int end = nl;
        if (end > in.rpos && in.bytes[end - 1] == '\r') {
            end--;
        }
        byte[][] args = splitArgs(in.bytes, in.rpos, end);
        in.rpos = nl + 1;
        if (args == null) {
            protocolError("unbalanced quotes in request");
            return false;
        }
        if (args.length == 0) {
            return true;
        }
        Dispatcher.dispatch(conn, args);
        return true;
    }

    /**
     * Redis's {@code sdssplitargs}: words separated by spaces; "double quotes" with \n \r \t \b \a
     * \\ \" and \xHH escapes; 'single quotes' with \' only. A closing quote must be followed by a
     * space or the end. Returns null on unbalanced quotes.
     */
    static byte[][] splitArgs(byte[] a, int from, int to) {
        ArrayList<byte[]> out = new ArrayList<>();
        int p = from;
        java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
        while (true) {
            while (p < to && isSpace(a[p])) {
                p++;
            }
            if (p >= to) {
                return out.toArray(new byte[0][]);
            }
            boolean inDq = false;
            boolean inSq = false;
            boolean done = false;
            cur.reset();
            while (!done) {
                if (inDq) {
                    if (p >= to) {
                        return null;
                    }
                    if (a[p] == '\\' && p + 3 < to && a[p + 1] == 'x' && isHex(a[p + 2]) && isHex(a[p + 3])) {
                        cur.write(Character.digit(a[p + 2], 16) * 16 + Character.digit(a[p + 3], 16));
                        p += 3;
                    } else if (a[p] == '\\' && p + 1 < to) {
                        p++;
                        byte c = a[p];
                        cur.write(switch (c) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> c;
                        });
                    } else if (a[p] == '"') {
                        if (p + 1 < to && !isSpace(a[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(a[p]);
                    }
                } else if (inSq) {
                    if (p >= to) {
                        return null;
                    }
                    if (a[p] == '\\' && p + 1 < to && a[p + 1] == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (a[p] == '\'') {
                        if (p + 1 < to && !isSpace(a[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(a[p]);
                    }
                } else {
                    if (p >= to) {
                        done = true;
                        break;
                    }
                    byte c = a[p];
                    if (isSpace(c)) {
                        done = true;
                    } else if (c == '"') {
                        inDq = true;
                    } else if (c == '\'') {
                        inSq = true;
                    } else {
                        cur.write(c);
                    }
                }
                if (p < to) {
                    p++;
                }
            }
            out.add(cur.toByteArray());
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    private static boolean isHex(byte c) {
        return Character.digit(c, 16) >= 0;
    }

    /** Which limit a bulk length broke, for the error text ("" when it is malformed or negative). */
    private String bulkLimit(long n) {
        long max = conn.config().protoMaxBulkLen;
        if (n > max) {
            return " (" + n + " bytes is over proto-max-bulk-len, " + max + ")";
        }
        return n > Integer.MAX_VALUE - 64 ? " (" + n + " bytes is over the largest value a JVM array holds)" : "";
    }
}
