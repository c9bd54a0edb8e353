package io.dash4j.server.persist;

import com.ning.compress.lzf.ChunkDecoder;
import com.ning.compress.lzf.ChunkEncoder;
import com.ning.compress.lzf.LZFEncoder;
import com.ning.compress.lzf.LZFException;
import com.ning.compress.lzf.util.ChunkDecoderFactory;
import com.ning.compress.lzf.util.ChunkEncoderFactory;

import java.util.Arrays;

/**
 * Raw LZF blocks as Redis stores compressed strings in an RDB file (liblzf's
 * {@code lzf_compress} output: no header, no chunking), on top of the compress-lzf library.
 *
 * <p>An LZF stream is a sequence of commands: a control byte below 32 starts a literal run of
 * {@code ctrl + 1} bytes; any other starts a back reference into the bytes already produced. The
 * library writes its own framing ({@code "ZV"}, a type byte, lengths) around blocks of at most
 * 64 KiB; {@link #compress} strips it. A compressed block's payload is raw LZF as it is, and since
 * a block never refers back into the previous one, the payloads concatenate into one valid stream;
 * a block the library stored uncompressed becomes literal runs of 32 bytes.
 *
 * <p>An instance compresses (its encoder's hash table and scratch buffers are reused: one per
 * writer thread, not thread-safe); decompression is static.
 */
public final class Lzf {

    /** The library's block header: 'Z', 'V', type; then the lengths (2 bytes each, big-endian). */
    private static final int BLOCK_COMPRESSED = 1;
    private static final int MAX_LITERAL = 32;

    private static final ChunkDecoder DECODER = ChunkDecoderFactory.safeInstance();

    private final ChunkEncoder encoder = ChunkEncoderFactory.safeInstance();
    private byte[] framed = new byte[0];
    private byte[] out = new byte[0];

    /**
     * Redis's rule ({@code rdbSaveLzfStringObject}): a string of more than 4 bytes is compressed
     * when the result fits in {@code len - 4} bytes. Returns the raw LZF bytes, or null when the
     * string should be written as it is.
     */
    public byte[] compress(byte[] src, int off, int len) {
        if (len <= 4) {
            return null;
        }
        int workspace = LZFEncoder.estimateMaxWorkspaceSize(len);
        if (framed.length < workspace) {
            framed = new byte[workspace];
        }
        int end = LZFEncoder.appendEncoded(encoder, src, off, len, framed, 0);
        int limit = len - 4;
        if (out.length < limit) {
            out = new byte[limit];
        }
        int n = 0;
        int p = 0;
        while (p < end) {
            int type = framed[p + 2];
            if (type == BLOCK_COMPRESSED) {
                int clen = u16(framed, p + 3);
                if (n + clen > limit) {
                    return null;
                }
                System.arraycopy(framed, p + 7, out, n, clen);
                n += clen;
                p += 7 + clen;
            } else {
                int ulen = u16(framed, p + 3);
                int data = p + 5;
                for (int i = 0; i < ulen; i += MAX_LITERAL) {
                    int run = Math.min(MAX_LITERAL, ulen - i);
                    if (n + 1 + run > limit) {
                        return null;
                    }
                    out[n++] = (byte) (run - 1);
                    System.arraycopy(framed, data + i, out, n, run);
                    n += run;
                }
                p = data + ulen;
            }
        }
        return Arrays.copyOf(out, n);
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

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }
}
