package io.dash4j.dashtable;

/**
 * An insert found no room and the table could not make any: the policy refused growth and
 * eviction freed nothing, or too many keys share one hash for any split to separate them.
 * The table is unchanged by the failed insert; nothing already stored is lost.
 */
public class TableFullException extends IllegalStateException {
    public TableFullException(String message) {
        super(message);
    }
}
