package io.dash4j.server.memcache;

import io.dash4j.server.Call;
import io.dash4j.server.OutBuf;
import io.dash4j.server.codec.ReplyEncoding;
import io.dash4j.server.command.CommandError;
import io.dash4j.server.command.WriteStatus;
import io.dash4j.server.store.Entry;

import static io.dash4j.server.memcache.McStats.*;
import static io.dash4j.server.memcache.McTextCodec.END;
import static io.dash4j.server.memcache.McTextCodec.OK;
import static io.dash4j.server.memcache.McTextCodec.ascii;

/**
 * Writes memcached text replies: a finished call's typed result ({@link Call#result}) in the form
 * its command chose ({@link McTextCodec.Form}, in {@link Call#render}) becomes memcached's lines.
 *
 * <p>memcached counts some statistics as it answers (get_hits and get_misses, incr/decr/delete/
 * touch hits and misses, cas outcomes), so encoding a reply also bumps a counter. The counters
 * are the per-shard {@code Shard.memcachedStats} arrays that {@code stats} sums, and each array is
 * written by its own shard's thread only: an encoder counts into the stats of the shard that
 * opened it, the one whose thread encodes. That makes the encoding independent of the connection
 * (it reads nothing but the call), so the shard owning a key may write a reply for a connection
 * of another shard ({@link #ENCODING}, {@code io.dash4j.server.OwnerReplies}); the count lands on
 * that shard and {@code stats} still sees it once.
 */
final class TextReplies implements ReplyEncoding.Encoder {

    /** Opens an encoder for the encoding shard's thread: its buffer, its counters. */
    static final ReplyEncoding ENCODING = (shard, out) -> new TextReplies(out, shard.memcachedStats);

    private static final byte[] STORED = ascii("STORED\r\n");
    private static final byte[] NOT_STORED = ascii("NOT_STORED\r\n");
    private static final byte[] EXISTS = ascii("EXISTS\r\n");
    private static final byte[] NOT_FOUND = ascii("NOT_FOUND\r\n");
    private static final byte[] DELETED = ascii("DELETED\r\n");
    private static final byte[] TOUCHED = ascii("TOUCHED\r\n");
    private static final byte[] VALUE = ascii("VALUE ");

    private final OutBuf out;
    /** The encoding shard's memcached counters: only that shard's thread calls {@link #encode}. */
    private final long[] stats;

    private TextReplies(OutBuf out, long[] stats) {
        this.out = out;
        this.stats = stats;
    }

    @Override
    public void encode(Call c) {
        McTextCodec.Form f = (McTextCodec.Form) c.render;
        McTextCodec.Kind kind = f == null ? McTextCodec.Kind.LINE : f.kind();
        Object r = c.result;
        if (r instanceof CommandError e) {
            out.ascii(McTextCodec.errorLine(e, kind));
            out.crlf();
            return;
        }
        switch (kind) {
            case LINE -> line(r);
            case STORE, CAS -> {
                WriteStatus w = (WriteStatus) r;
                if (kind == McTextCodec.Kind.CAS) {
                    stats[w == WriteStatus.STORED ? CAS_HITS : w == WriteStatus.EXISTS ? CAS_BADVAL
                            : w == WriteStatus.NOT_FOUND ? CAS_MISSES : 30]++;
                }
                if (!f.noreply()) {
                    out.write(switch (w) {
                        case STORED -> STORED;
                        case NOT_STORED -> NOT_STORED;
                        case EXISTS -> EXISTS;
                        case NOT_FOUND -> NOT_FOUND;
                    });
                }
            }
            case RETRIEVE -> {
                if (c.slots == null) {
                    // a single-key get: the result is the entry (or null)
                    long hits = r == null ? 0 : 1;
                    if (r != null) {
                        value((byte[]) r, f.withCas());
                    }
                    out.write(END);
                    countRetrieved(f, hits, 1);
                } else {
                    values(c.slots, f);
                }
            }
            case DELETE -> {
                boolean hit = r == Boolean.TRUE;
                stats[hit ? DELETE_HITS : DELETE_MISSES]++;
                if (!f.noreply()) {
                    out.write(hit ? DELETED : NOT_FOUND);
                }
            }
            case INCR, DECR -> {
                boolean hit = r instanceof Long;
                boolean incr = kind == McTextCodec.Kind.INCR;
                stats[incr ? (hit ? INCR_HITS : INCR_MISSES) : (hit ? DECR_HITS : DECR_MISSES)]++;
                if (!f.noreply()) {
                    if (hit) {
                        out.unsigned((Long) r);
                        out.crlf();
                    } else {
                        out.write(NOT_FOUND);
                    }
                }
            }
            case TOUCH -> {
                boolean hit = r == Boolean.TRUE;
                stats[hit ? TOUCH_HITS : TOUCH_MISSES]++;
                if (!f.noreply()) {
                    out.write(hit ? TOUCHED : NOT_FOUND);
                }
            }
            case FLUSH -> {
                if (!f.noreply()) {
                    out.write(OK);
                }
            }
        }
    }

    /** A raw reply: a line (String, CRLF added), raw bytes, or nothing (null). */
    private void line(Object r) {
        if (r instanceof byte[] b) {
            out.write(b);
        } else if (r instanceof String s) {
            out.ascii(s);
            out.crlf();
        }
    }

    private void values(Object[] slots, McTextCodec.Form f) {
        long hits = 0;
        for (Object o : slots) {
            if (o != null) {
                hits++;
                value((byte[]) o, f.withCas());
            }
        }
        out.write(END);
        countRetrieved(f, hits, slots.length);
    }

    /** {@code VALUE key flags bytes [cas]} and the data, written from the stored entry {@code e}. */
    private void value(byte[] e, boolean withCas) {
        int vo = Entry.valueOffset(e);
        out.write(VALUE);
        out.write(e, Entry.keyOffset(e), Entry.keyLength(e));
        out.write(' ');
        out.unsigned(Entry.flags(e) & 0xFFFFFFFFL);
        out.write(' ');
        out.decimal(e.length - vo);
        if (withCas) {
            out.write(' ');
            out.unsigned(Entry.cas(e));
        }
        out.crlf();
        out.write(e, vo, e.length - vo);
        out.crlf();
    }

    private void countRetrieved(McTextCodec.Form f, long hits, int keys) {
        stats[GET_HITS] += hits;
        stats[GET_MISSES] += keys - hits;
        if (f.touch()) {
            stats[TOUCH_HITS] += hits;
            stats[TOUCH_MISSES] += keys - hits;
        }
    }
}
