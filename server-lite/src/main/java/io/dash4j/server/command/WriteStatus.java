package io.dash4j.server.command;

/** The outcome of a conditional write ({@link StringOps#set}), named as memcached names them. */
public enum WriteStatus {
    /** Written (or, with an expiry already past, the key deleted). */
    STORED,
    /** The condition failed: NX / add on a present key, XX / replace / append on an absent one. */
    NOT_STORED,
    /** CAS mismatch: the key changed since its unique was read. */
    EXISTS,
    /** CAS on an absent key. */
    NOT_FOUND
}
