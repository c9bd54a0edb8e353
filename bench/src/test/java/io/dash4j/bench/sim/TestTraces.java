package io.dash4j.bench.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finds the ARC paper's traces in the repository's own copy, {@code bench/traces/arc/} (found by
 * walking up from the working directory, so it works from the project root and from this module),
 * or in the folder named by {@code -Ddash4j.traces=DIR} or {@code $DASH4J_TRACES}.
 */
public final class TestTraces {

    private TestTraces() {
    }

    /** The path of the trace {@code name} (e.g. {@code OLTP.lis.zst}); fails the test clearly when missing. */
    public static Path arc(String name) {
        List<Path> tried = new ArrayList<>();
        String property = System.getProperty("dash4j.traces");
        String env = System.getenv("DASH4J_TRACES");
        for (String dir : new String[] {property, env}) {
            if (dir != null && !dir.isBlank()) {
                Path p = Path.of(dir).resolve(name);
                if (Files.isReadable(p)) {
                    return p;
                }
                tried.add(p);
            }
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("bench").resolve("traces").resolve("arc").resolve(name);
            if (Files.isReadable(p)) {
                return p;
            }
            tried.add(p);
        }
        return fail("trace " + name + " not found; the repository keeps it in bench/traces/arc/ "
                + "(or pass -Ddash4j.traces=DIR). Looked at: " + tried);
    }
}
