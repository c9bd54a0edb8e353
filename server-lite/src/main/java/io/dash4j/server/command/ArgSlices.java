package io.dash4j.server.command;

/**
 * A command's arguments as slices of the bytes they arrived in (the connection's input buffer):
 * argument {@code i} is {@code buf[off(i), off(i)+len(i))}. The RESP codec frames a complete
 * command this way without copying a byte, and the dispatcher hands it to a command's in-place
 * handler ({@link InPlaceHandler}).
 *
 * <p>Valid only during that handler's {@code start}: the buffer is reused for the next bytes
 * read. Whatever outlives the call's start is copied out first (the key into the call's own
 * buffer, a SET's value into the entry it builds). One instance per codec, reused per command.
 */
public final class ArgSlices {

    /** Most arguments a command framed in place may have (longer commands take the copying path). */
    public static final int MAX = 8;

    public byte[] buf;
    private final int[] off = new int[MAX];
    private final int[] len = new int[MAX];
    private int count;

    public void clear(byte[] buf) {
        this.buf = buf;
        this.count = 0;
    }

    /** Appends a slice; false when {@link #MAX} are already held. */
    public boolean add(int offset, int length) {
        if (count == MAX) {
            return false;
        }
        off[count] = offset;
        len[count] = length;
        count++;
        return true;
    }

    public int count() {
        return count;
    }

    public int off(int i) {
        return off[i];
    }

    public int len(int i) {
        return len[i];
    }

    /** Argument {@code i} copied into an array of its own. */
    public byte[] copy(int i) {
        return java.util.Arrays.copyOfRange(buf, off[i], off[i] + len[i]);
    }

    /** Every argument copied: the {@code argv} of the copying path. */
    public byte[][] toArgv() {
        byte[][] argv = new byte[count][];
        for (int i = 0; i < count; i++) {
            argv[i] = copy(i);
        }
        return argv;
    }

    /** Bytes the arguments take, as the connection accounts an argv. */
    public long bytes() {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += len[i];
        }
        return n;
    }
}
