package io.dash4j.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A test channel that collects what is written to it, up to a budget of bytes in all; past the
 * budget every write takes 0 bytes, as a socket whose send buffer is full.
 */
public final class CollectingChannel implements GatheringByteChannel {

    private final ByteArrayOutputStream sink;
    private long left;

    /** Collects into {@code sink}, at most {@code budget} bytes. */
    public CollectingChannel(ByteArrayOutputStream sink, long budget) {
        this.sink = sink;
        this.left = budget;
    }

    /** Collects everything into {@code sink}. */
    public CollectingChannel(ByteArrayOutputStream sink) {
        this(sink, Long.MAX_VALUE);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += write(srcs[i]);
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) {
        int n = (int) Math.min(left, src.remaining());
        byte[] a = new byte[n];
        src.get(a);
        sink.writeBytes(a);
        left -= n;
        return n;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
