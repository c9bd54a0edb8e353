package io.dash4j.bench.sim.trace;

import java.util.Locale;

/** The text formats of trace files. */
public enum TraceFormat {
    /** The ARC paper's {@code .lis}: {@code start count _ _} per line. */
    ARC,
    /** One key per line. */
    PLAIN;

    /** {@code arc} or {@code plain} (case-insensitive). */
    public static TraceFormat parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "arc", "lis" -> ARC;
            case "plain", "text", "txt" -> PLAIN;
            default -> throw new IllegalArgumentException("unknown trace format '" + s + "' (arc, plain)");
        };
    }

    /** The format a file name suggests: {@code .lis} (optionally compressed) is ARC, anything else plain. */
    public static TraceFormat guess(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        n = TraceFile.stripCompression(n);
        return n.endsWith(".lis") ? ARC : PLAIN;
    }
}
