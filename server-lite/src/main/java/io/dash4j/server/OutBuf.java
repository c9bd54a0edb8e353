package io.dash4j.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A connection's queued output: small replies are copied into 16 KB chunks, large values are
 * queued by reference (stored entries are immutable, so the slice can be written later without
 * a copy). Written with one gathering write per flush.
 */
public final class OutBuf {

    static final int CHUNK = 16 * 1024;
    /** Values at least this large are queued by reference instead of copied. */
    static final int BY_REFERENCE = 8 * 1024;
    private static final int MAX_GATHER = 64;

    private static final class Chunk {
        final byte[] a;
        int r;
        int w;
        final boolean shared;
        /** Bytes this chunk counts toward {@link #held}. */
        final int size;
        /** The chunk as a ByteBuffer for gathering writes, made on its first write. */
        ByteBuffer view;

        ByteBuffer view() {
            if (view == null) {
                view = ByteBuffer.wrap(a);
            }
            return view.limit(w).position(r);
        }

        Chunk(byte[] a, int r, int w, boolean shared) {
            this.a = a;
            this.r = r;
            this.w = w;
            this.shared = shared;
            this.size = shared ? w - r : a.length;
        }
    }

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private Chunk tail;
    private long pending;
    /** Bytes of chunk arrays held (for client memory accounting). */
    private long held;
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];

    public long pending() {
        return pending;
    }

    public long held() {
        return held;
    }

    public boolean isEmpty() {
        return pending == 0;
    }

    private Chunk room(int n) {
        if (tail == null || tail.shared || tail.a.length - tail.w < n) {
            int size = Math.max(n, tail == null && chunks.isEmpty() ? 1024 : CHUNK);
            tail = new Chunk(new byte[size], 0, 0, false);
            chunks.addLast(tail);
            held += size;
        }
        return tail;
    }

    public void write(int b) {
        Chunk c = room(1);
        c.a[c.w++] = (byte) b;
        pending++;
    }

    public void write(byte[] a) {
        write(a, 0, a.length);
    }

    public void write(byte[] a, int off, int len) {
        if (len >= BY_REFERENCE) {
            Chunk c = new Chunk(a, off, off + len, true);
            chunks.addLast(c);
            tail = c;
            pending += len;
            held += len;
            return;
        }
        copy(a, off, len);
    }

    /** Copies {@code len} bytes into the chunks, whatever their size. */
    private void copy(byte[] a, int off, int len) {
        while (len > 0) {
            Chunk c = room(Math.min(len, CHUNK));
            int n = Math.min(len, c.a.length - c.w);
            System.arraycopy(a, off, c.a, c.w, n);
            c.w += n;
            off += n;
            len -= n;
            pending += n;
        }
    }

    public void ascii(String s) {
        int n = s.length();
        Chunk c = room(Math.min(n, CHUNK));
        if (c.a.length - c.w >= n) {
            for (int i = 0; i < n; i++) {
                c.a[c.w++] = (byte) s.charAt(i);
            }
            pending += n;
        } else {
            write(s.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    public void utf8(String s) {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    private final byte[] digits = new byte[20];

    public void decimal(long v) {
        if (v >= 0 && v < 10) {
            write('0' + (int) v);
            return;
        }
        if (v == Long.MIN_VALUE) {
            ascii("-9223372036854775808");
            return;
        }
        boolean neg = v < 0;
        if (neg) {
            v = -v;
        }
        int p = digits.length;
        while (v > 0) {
            digits[--p] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        if (neg) {
            write('-');
        }
        write(digits, p, digits.length - p);
    }

    /** Unsigned 64-bit decimal (memcached counters and CAS values). */
    public void unsigned(long v) {
        if (v >= 0) {
            decimal(v);
        } else {
            ascii(Long.toUnsignedString(v));
        }
    }

    /**
     * A RESP bulk string {@code $len\r\n<bytes>\r\n} in one step: a small value is copied with
     * its header into the tail chunk after a single room check; a large one is queued by reference
     * between its header and CRLF.
     */
    public void bulk(byte[] a, int off, int len) {
        if (len >= BY_REFERENCE) {
            write('$');
            decimal(len);
            crlf();
            write(a, off, len);
            crlf();
            return;
        }
        Chunk c = room(len + 9); // '$', at most 4 digits (len < BY_REFERENCE = 8192), two CRLFs
        byte[] b = c.a;
        int p = c.w;
        b[p++] = '$';
        int digits = len < 10 ? 1 : len < 100 ? 2 : len < 1000 ? 3 : 4;
        for (int i = digits - 1, v = len; i >= 0; i--, v /= 10) {
            b[p + i] = (byte) ('0' + v % 10);
        }
        p += digits;
        b[p++] = '\r';
        b[p++] = '\n';
        System.arraycopy(a, off, b, p, len);
        p += len;
        b[p++] = '\r';
        b[p++] = '\n';
        pending += p - c.w;
        c.w = p;
    }

    public void crlf() {
        Chunk c = room(2);
        c.a[c.w++] = '\r';
        c.a[c.w++] = '\n';
        pending += 2;
    }

    /**
     * Writes as much as the channel takes; returns bytes written. One chunk (every small reply
     * batch) goes out with a plain write, several with one gathering write.
     */
    public long writeTo(GatheringByteChannel ch) throws IOException {
        long total = 0;
        while (pending > 0) {
            int n = 0;
            long offered = 0;
            for (Chunk c : chunks) {
                if (n == MAX_GATHER) {
                    break;
                }
                if (c.w > c.r) {
                    gather[n++] = c.view();
                    offered += c.w - c.r;
                }
            }
            long w = n == 1 ? ch.write(gather[0]) : ch.write(gather, 0, n); // one chunk: a plain write
            for (int i = 0; i < n; i++) {
                gather[i] = null;
            }
            if (w <= 0) {
                break;
            }
            total += w;
            consume(w);
            if (w < offered) {
                break; // the socket buffer is full
            }
        }
        return total;
    }

    private void consume(long w) {
        pending -= w;
        while (w > 0 || (!chunks.isEmpty() && chunks.peekFirst().r == chunks.peekFirst().w && chunks.peekFirst() != tail)) {
            Chunk c = chunks.peekFirst();
            int avail = c.w - c.r;
            if (w < avail) {
                c.r += (int) w;
                return;
            }
            w -= avail;
            c.r = c.w;
            if (c == tail && !c.shared && c.a.length <= CHUNK) {
                c.r = 0; // keep the (small) tail chunk for the next replies
                c.w = 0;
                return;
            }
            chunks.pollFirst();
            held -= c.size;
            if (c == tail) {
                tail = null;
            }
        }
    }

    /**
     * Moves everything still queued into a new buffer and leaves this one empty (its small tail
     * chunk kept for reuse): slices of stored values move by reference (entries handed out are
     * never changed), bytes this buffer copied are copied, since its chunks serve again.
     */
    public OutBuf takeRest() {
        OutBuf rest = new OutBuf();
        for (Chunk c : chunks) {
            if (c.w == c.r) {
                continue;
            }
            if (c.shared) {
                Chunk moved = new Chunk(c.a, c.r, c.w, true);
                rest.chunks.addLast(moved);
                rest.tail = moved;
                rest.pending += c.w - c.r;
                rest.held += moved.size;
            } else {
                rest.copy(c.a, c.r, c.w - c.r);
            }
        }
        consume(pending);
        return rest;
    }

    /**
     * Puts everything queued in {@code first} before this buffer's bytes and empties {@code first}:
     * the rest of a reply that must reach the socket before the replies queued here.
     */
    public void prepend(OutBuf first) {
        if (first.chunks.isEmpty()) {
            return;
        }
        for (java.util.Iterator<Chunk> it = first.chunks.descendingIterator(); it.hasNext(); ) {
            chunks.addFirst(it.next());
        }
        if (tail == null) {
            tail = first.tail;
        }
        pending += first.pending;
        held += first.held;
        first.clear();
    }

    /** Drops everything queued (connection closed). */
    public void clear() {
        chunks.clear();
        tail = null;
        pending = 0;
        held = 0;
    }
}
