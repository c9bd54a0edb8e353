package io.dash4j.server.codec;

/**
 * A connection's received bytes not yet parsed: {@code bytes[rpos, wpos)}. The connection reads
 * into it (growing or compacting {@link #bytes}, so a codec re-reads the field on every call);
 * the codec advances {@link #rpos} past what it framed.
 */
public final class InputBuffer {

    public byte[] bytes;
    public int rpos;
    public int wpos;

    public InputBuffer(int size) {
        this.bytes = new byte[size];
    }

    public int available() {
        return wpos - rpos;
    }

    /** Index of {@code b} in {@code bytes[from, wpos)}, or -1. */
    public int indexOf(int from, byte b) {
        byte[] a = bytes;
        for (int i = from; i < wpos; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Drops everything buffered (after a protocol error). */
    public void discard() {
        rpos = wpos;
    }
}
