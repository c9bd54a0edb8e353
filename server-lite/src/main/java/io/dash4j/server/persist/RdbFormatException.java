package io.dash4j.server.persist;

import java.io.IOException;

/** A dump that cannot be loaded: names the file and the byte offset where reading stopped. */
public final class RdbFormatException extends IOException {

    private final long offset;

    public RdbFormatException(String file, long offset, String problem) {
        super(file + ": offset " + offset + ": " + problem);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
