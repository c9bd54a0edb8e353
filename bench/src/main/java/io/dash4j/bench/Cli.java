package io.dash4j.bench;

import java.io.PrintStream;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What every {@code dash-bench} subcommand does around its work. A command is a function from its
 * arguments and two streams to an exit status (so tests run it in-process); {@link #exit} turns one
 * into a process, and {@link #parse} gives the options the same front door everywhere: a bad option
 * prints its message and the usage on stderr (status 2), {@code --help} prints the usage on stdout
 * (status 0).
 */
public final class Cli {

    /** A subcommand: {@code run(args, out, err)} returns the exit status. */
    @FunctionalInterface
    public interface Command {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    /** Parsed options, or (when {@link #options} is null) the status the command ends with now. */
    public record Parsed<O>(O options, int status) {
    }

    private Cli() {
    }

    /** Runs {@code command} on System.out / System.err, flushes stdout and exits with its status. */
    public static void exit(Command command, String[] args) {
        int status = command.run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Parses {@code args} with {@code parser} (which throws on a bad option, with a message naming
     * it). Returns the options, or no options and the status when the parse failed or asked for help.
     */
    public static <O> Parsed<O> parse(String[] args, Function<String[], O> parser, Predicate<O> wantsHelp,
                                      Consumer<PrintStream> usage, PrintStream out, PrintStream err) {
        O o;
        try {
            o = parser.apply(args);
        } catch (RuntimeException e) {
            err.println(e.getMessage());
            usage.accept(err);
            return new Parsed<>(null, 2);
        }
        if (wantsHelp.test(o)) {
            usage.accept(out);
            return new Parsed<>(null, 0);
        }
        return new Parsed<>(o, 0);
    }
}
