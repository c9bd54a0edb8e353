package io.dash4j.bench;

import io.dash4j.bench.sim.SimCommand;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar dash-bench.jar COMMAND ...}: the bench module's tools, one subcommand each.
 * Standard output carries only a command's result (CSV for {@code sim}); messages go to stderr.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        Cli.exit(BenchMain::run, args);
    }

    /** Runs a subcommand; returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(usage());
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "sim" -> SimCommand.run(rest, out, err);
            case "memory" -> io.dash4j.bench.memory.MemoryBench.run(rest, out, err);
            case "work" -> io.dash4j.bench.work.WorkCommand.run(rest, out, err);
            case "jmh" -> io.dash4j.bench.jmh.JmhCommand.run(rest, out, err);
            case "report" -> io.dash4j.bench.report.ReportCommand.run(rest, out, err);
            case "-h", "--help", "help" -> {
                out.print(usage());
                yield 0;
            }
            default -> {
                err.println("dash-bench: unknown command '" + args[0] + "'");
                err.print(usage());
                yield 2;
            }
        };
    }

    static String usage() {
        return """
                usage: java -jar dash-bench.jar COMMAND [ARGS]
                commands:
                  sim    hit-ratio simulator: traces x policies x sizes -> CSV (sim --help)
                  memory structure bytes per entry at 1M Long keys, with JOL (memory --help)
                  work   counted work of a DashCache miss and an evicting put (work --help)
                  jmh    JMH cache benchmarks: jmh quick | jmh full | jmh [JMH args] (jmh --help)
                  report regenerate docs/results.md and docs/img/*.png (report --help; bench/report.sh)
                """;
    }
}
