package io.dash4j.server.resp;

import io.dash4j.server.Connection;
import io.dash4j.server.Shard;

import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * A RESP2 client. Frames multibulk commands ({@code *N\r\n$len\r\n...}) and inline commands (a
 * line of space-separated, optionally quoted words, for telnet and nc), with Redis's limits and
 * its protocol error texts. A bulk argument is copied out of the input buffer as it arrives, so a
 * large value never has to fit in the buffer.
 */
public final class RespConnection extends Connection {

    /** Bulk arguments above this size grow as their bytes arrive instead of being allocated up front. */
    private static final int EAGER_BULK = 1024 * 1024;

    private int multibulk;
    private byte[][] argv;
    private int argc;
    private long bulkLen = -1;
    private byte[] bulk;
    private int bulkFill;

    public RespConnection(Shard shard, SocketChannel ch) {
        super(shard, ch);
    }

    @Override
    protected String protocol() {
        return "resp";
    }

    @Override
    protected Object internalError(Throwable t) {
        if (t instanceof io.dash4j.server.store.StoreFullException full) {
            return Resp.err(full.getMessage()); // names the limit that refused
        }
        if (t instanceof OutOfMemoryError) {
            return Resp.OOM;
        }
        return Resp.err("ERR internal error: " + String.valueOf(t).replace('\r', ' ').replace('\n', ' '));
    }

    @Override
    protected void protocolError(String message) {
        countProtocolError();
        replyNow(Resp.err("ERR Protocol error: " + printable(message)), Resp.RESULT);
        multibulk = 0;
        argv = null;
        bulk = null;
        bulkLen = -1;
        rpos = wpos;
        closeAfterReplies();
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < ' ' || c == 127 ? ' ' : c);
        }
        return b.toString();
    }

    /** Index of {@code b} in {@code in[from, wpos)}, or -1. */
    private int find(int from, byte b) {
        for (int i = from; i < wpos; i++) {
            if (in[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Override
    protected boolean parseOne() {
        if (multibulk == 0) {
            if (in[rpos] == '*') {
                int cr = find(rpos, (byte) '\r');
                if (cr < 0) {
                    if (wpos - rpos > config().maxInlineLen) {
                        protocolError("too big mbulk count string");
                    }
                    return false;
                }
                if (cr + 1 >= wpos) {
                    return false; // wait for the \n
                }
                long[] n = new long[1];
                if (!Resp.parseLong(in, rpos + 1, cr - rpos - 1, n) || n[0] > config().maxMultibulkLen) {
                    protocolError("invalid multibulk length");
                    return false;
                }
                rpos = cr + 2;
                if (n[0] <= 0) {
                    return true; // empty command: ignored, as Redis does
                }
                multibulk = (int) n[0];
                argv = new byte[Math.min(multibulk, 1024)][];
                argc = 0;
            } else {
                return inline();
            }
        }
        while (multibulk > 0) {
            if (bulkLen < 0) {
                if (rpos >= wpos) {
                    return false;
                }
                int cr = find(rpos, (byte) '\r');
                if (cr < 0) {
                    if (wpos - rpos > config().maxInlineLen) {
                        protocolError("too big bulk count string");
                    }
                    return false;
                }
                if (cr + 1 >= wpos) {
                    return false;
                }
                if (in[rpos] != '$') {
                    protocolError("expected '$', got '" + (char) (in[rpos] & 0xFF) + "'");
                    return false;
                }
                long[] n = new long[1];
                if (!Resp.parseLong(in, rpos + 1, cr - rpos - 1, n) || n[0] < 0 || n[0] > config().protoMaxBulkLen
                        || n[0] > Integer.MAX_VALUE - 64) {
                    protocolError("invalid bulk length");
                    return false;
                }
                int first = (int) Math.min(n[0], EAGER_BULK);
                if (first > 64 * 1024 && !mayHold(first)) {
                    clientMemoryExceeded();
                    return false;
                }
                rpos = cr + 2;
                bulkLen = n[0];
                bulk = new byte[first];
                account(first);
                bulkFill = 0;
            }
            int take = (int) Math.min(bulkLen - bulkFill, wpos - rpos);
            if (take > 0) {
                if (bulkFill + take > bulk.length) {
                    int grown = (int) Math.min(bulkLen, Math.max((long) bulk.length * 2, bulkFill + take));
                    if (!mayHold(grown - bulk.length)) {
                        clientMemoryExceeded();
                        return false;
                    }
                    account(grown - bulk.length);
                    bulk = Arrays.copyOf(bulk, grown);
                }
                System.arraycopy(in, rpos, bulk, bulkFill, take);
                bulkFill += take;
                rpos += take;
            }
            if (bulkFill < bulkLen || wpos - rpos < 2) {
                return false;
            }
            rpos += 2; // the CRLF after the data (not checked, as in Redis)
            if (argc == argv.length) {
                argv = Arrays.copyOf(argv, Math.min(multibulk + argc, argv.length * 2));
            }
            account(-bulk.length);
            argv[argc++] = bulk;
            bulk = null;
            bulkLen = -1;
            multibulk--;
        }
        byte[][] args = argc == argv.length ? argv : Arrays.copyOf(argv, argc);
        argv = null;
        RespCommands.execute(this, args);
        return true;
    }

    private void clientMemoryExceeded() {
        countClientMemoryDisconnect();
        protocolError("client buffers over maxmemory-clients, closing the connection");
    }

    private boolean inline() {
        int nl = find(rpos, (byte) '\n');
        if (nl < 0) {
            if (wpos - rpos > config().maxInlineLen) {
                protocolError("too big inline request");
            }
            return false;
        }
        int end = nl;
        if (end > rpos && in[end - 1] == '\r') {
            end--;
        }
        byte[][] args = splitArgs(in, rpos, end);
        rpos = nl + 1;
        if (args == null) {
            protocolError("unbalanced quotes in request");
            return false;
        }
        if (args.length == 0) {
            return true;
        }
        RespCommands.execute(this, args);
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
}
