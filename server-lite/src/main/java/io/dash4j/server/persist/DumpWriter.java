package io.dash4j.server.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes one dump durably: the bytes go to a temporary file beside the target, the CRC-64 is
 * kept as they pass, and {@link #commit} ends the stream (EOF and checksum), forces it to disk,
 * renames it over the target in one atomic step and forces the directory. Until that rename the
 * previous dump is untouched, so a failed, killed or crashed save never damages it; a failure
 * deletes the temporary file ({@link #discard}).
 */
public final class DumpWriter implements AutoCloseable {

    /** Opens the channel a dump is written through (tests substitute a failing device). */
    @FunctionalInterface
    public interface Opener {
        FileChannel open(Path temp) throws IOException;

        Opener FILES = temp -> FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private long crc;
    private long written;
    private boolean closed;

    public DumpWriter(Path target, String tempName, Opener opener) throws IOException {
        this.target = target;
        Path dir = target.toAbsolutePath().getParent();
        this.temp = dir.resolve(tempName);
        Files.deleteIfExists(temp); // a leftover of a killed save with the same name
        this.channel = opener.open(temp);
    }

    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    public void write(byte[] b, int off, int len) throws IOException {
        crc = Crc64.update(crc, b, off, len);
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        written += len;
    }

    public long bytesWritten() {
        return written;
    }

    /** Writes EOF and the checksum, forces, renames over the target, forces the directory. */
    public void commit() throws IOException {
        byte[] end = new byte[9];
        end[0] = (byte) Rdb.OP_EOF;
        long sum = Crc64.update(crc, end, 0, 1);
        for (int i = 0; i < 8; i++) {
            end[1 + i] = (byte) (sum >>> (8 * i));
        }
        ByteBuffer buf = ByteBuffer.wrap(end);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        written += end.length;
        channel.force(true);
        channel.close();
        closed = true;
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /** Drops the temporary file (after a failure); the target is untouched. */
    public void discard() {
        close();
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // nothing more to do: the target was never touched
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // failing already
            }
        }
    }

    /** Makes the rename itself durable (fsync of the directory; a no-op where it cannot be opened). */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some platforms cannot open a directory; the file itself was forced
        }
    }
}
