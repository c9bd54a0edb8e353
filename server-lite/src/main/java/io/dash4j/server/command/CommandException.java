package io.dash4j.server.command;

/**
 * Carries a {@link CommandError} out of argument parsing or a shard-side operation; the dispatcher
 * and the shard turn it back into the call's result. No stack trace: it is control flow, not a bug.
 */
public final class CommandException extends RuntimeException {

    private final CommandError error;

    public CommandException(CommandError error) {
        super(error.text(), null, false, false);
        this.error = error;
    }

    public CommandError error() {
        return error;
    }
}
