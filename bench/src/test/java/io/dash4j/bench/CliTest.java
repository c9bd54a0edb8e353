package io.dash4j.bench;

import io.dash4j.bench.memory.MemoryBench;
import io.dash4j.bench.report.ReportCommand;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subcommands' front door: a bad option says so with the usage on stderr (2), --help the usage on stdout (0). */
class CliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Cli.Command c, String... args) {
        return c.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aBadOptionIsNamedWithTheUsageOnStderr() {
        assertEquals(2, run(ReportCommand::run, "--bogus"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("report: unknown option --bogus\nusage: report"), err::toString);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsageOnStdout() {
        assertEquals(0, run(MemoryBench::run, "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: "), out::toString);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, run(ReportCommand::run, "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: report"), out::toString);
    }
}
