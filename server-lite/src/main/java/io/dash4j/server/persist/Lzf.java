package io.dash4j.server.persist;

import com.ning.compress.lzf.ChunkDecoder;
import com.ning.compress.lzf.LZFException;
import com.ning.compress.lzf.util.ChunkDecoderFactory;

import java.util.Arrays;

/**
 * Raw LZF blocks as Redis stores compressed strings in an RDB file (liblzf's
 * {@code lzf_compress} output: no header, no chunking). Decoding uses the compress-lzf library's
 * raw chunk decoder; encoding is done here, because a dump compresses millions of short values
 * one by one and the library's encoder is built for 64 KiB chunks (a 64 KiB hash table touched
 * per value, its own block framing to strip, a copy per call).
 *
 * <p>An LZF stream is a sequence of commands. A control byte {@code c < 32} starts a literal run
 * of {@code c + 1} bytes. Any other is a back reference: length {@code L} (3 to 264) and distance
 * {@code d} (1 to 8192) of bytes already produced, written as {@code (L-2) << 5 | (d-1) >> 8} and
 * {@code (d-1) & 0xFF}, with one extra length byte {@code L-9} between them when {@code L >= 9}.
 *
 * <p>The encoder is greedy, as liblzf's: at each position it looks the next three bytes up in a
 * small hash table of the positions where three bytes were last seen (4096 entries, 16 KiB: it
 * stays in the L1 cache), takes the match when the bytes agree, extends it, and otherwise emits
 * the byte as a literal. The table is never cleared: each call numbers its positions from a
 * running base, so a position left by an earlier call is below the base and ignored, and every
 * candidate is checked byte by byte anyway. One instance per thread (the table is its state).
 */
public final class Lzf {

    private static final int HASH_BITS = 12;
    private static final int MAX_LITERAL = 32;
    private static final int MAX_DISTANCE = 1 << 13;
    private static final int MAX_MATCH = 264;

    private static final ChunkDecoder DECODER = ChunkDecoderFactory.safeInstance();

    /** Per hash of three bytes: {@code base + position} where they were last seen. */
    private final int[] table = new int[1 << HASH_BITS];
    /** Added to this call's positions; grows by each input's length (0 entries are always stale). */
    private int base = 1;
    private byte[] out = new byte[64];

    /**
     * Redis's rule ({@code rdbSaveLzfStringObject}): a string of more than 4 bytes is compressed
     * when the result fits in {@code len - 4} bytes. Returns the number of raw LZF bytes now at
     * the start of {@link #output()}, or -1 when the string should be written as it is.
     */
    public int compress(byte[] src, int off, int len) {
        if (len <= 4) {
            return -1;
        }
        int limit = len - 4;
        if (out.length < limit) {
            out = new byte[Math.max(limit, out.length * 2)];
        }
        if (base > Integer.MAX_VALUE - len - 1) {
            Arrays.fill(table, 0);
            base = 1;
        }
        int shift = base - off; // table value of position p: p + shift
        base += len;
        byte[] o = out;
        int op = 0;
        int end = off + len;
        int literalFrom = off;
        int ip = off;
        int last = end - 2; // the last position with three bytes to hash
        // the three bytes at ip, kept rolling: one load per position
        int window = (src[ip] & 0xFF) << 8 | (src[ip + 1] & 0xFF);
        while (ip < last) {
            window = (window << 8 | (src[ip + 2] & 0xFF)) & 0xFFFFFF;
            int h = hash(window);
            int ref = table[h] - shift;
            table[h] = ip + shift;
            if (ref < off || ip - ref > MAX_DISTANCE || three(src, ref) != window) {
                ip++;
                continue;
            }
            int max = Math.min(MAX_MATCH, end - ip);
            int differ = Arrays.mismatch(src, ref + 3, ref + max, src, ip + 3, ip + max); // vectorized
            int n = differ < 0 ? max : 3 + differ;
            // the pending literals, then the reference: bail out as soon as it cannot fit
            op = literals(src, literalFrom, ip, o, op, limit);
            if (op < 0 || op + 3 > limit) {
                return -1;
            }
            int distance = ip - ref - 1;
            if (n - 2 < 7) {
                o[op++] = (byte) ((n - 2) << 5 | distance >>> 8);
            } else {
                o[op++] = (byte) (7 << 5 | distance >>> 8);
                o[op++] = (byte) (n - 2 - 7);
            }
            o[op++] = (byte) distance;
            // remember the positions inside the match too (better matches later), then skip it
            int stop = Math.min(ip + n, last);
            for (int p = ip + 1; p < stop; p++) {
                table[hash(three(src, p))] = p + shift;
            }
            ip += n;
            literalFrom = ip;
            if (ip < last) {
                window = (src[ip] & 0xFF) << 8 | (src[ip + 1] & 0xFF);
            }
        }
        op = literals(src, literalFrom, end, o, op, limit);
        return op;
    }

    /** The buffer {@link #compress} wrote into (valid until the next call). */
    public byte[] output() {
        return out;
    }

    /** Writes {@code src[from, to)} as literal runs at {@code o[op]}; the new end, or -1 past {@code limit}. */
    private static int literals(byte[] src, int from, int to, byte[] o, int op, int limit) {
        while (from < to) {
            int run = Math.min(MAX_LITERAL, to - from);
            if (op + 1 + run > limit) {
                return -1;
            }
            o[op++] = (byte) (run - 1);
            System.arraycopy(src, from, o, op, run);
            op += run;
            from += run;
        }
        return op;
    }

    /** The three bytes at {@code b[i]} as one int. */
    private static int three(byte[] b, int i) {
        return (b[i] & 0xFF) << 16 | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF);
    }

    private static int hash(int three) {
        return (three * 0x9E3779B1) >>> (32 - HASH_BITS);
    }

    /**
     * Decodes {@code clen} raw LZF bytes at {@code in[off]} into exactly {@code ulen} bytes.
     *
     * @throws IllegalArgumentException when the data is not LZF or does not decode to {@code ulen} bytes
     */
    public static byte[] decompress(byte[] in, int off, int clen, int ulen) {
        byte[] out = new byte[ulen];
        try {
            // the decoder reads up to the end of the output; bound its input to this block
            byte[] block = off == 0 && clen == in.length ? in : Arrays.copyOfRange(in, off, off + clen);
            DECODER.decodeChunk(block, 0, out, 0, ulen);
        } catch (LZFException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("invalid LZF data (" + clen + " bytes for " + ulen + "): "
                    + e.getMessage());
        }
        return out;
    }
}
