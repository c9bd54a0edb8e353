package io.dash4j.server.store;

/** A write was refused: it would cross maxmemory (store mode) or nothing can be evicted. Nothing changed. */
public final class StoreFullException extends RuntimeException {
    public StoreFullException(String message) {
        super(message, null, false, false);
    }
}
