package io.dash4j.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the report was measured on. */
final class Machine {

    private Machine() {
    }

    static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    static long totalMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    static String os() {
        String pretty = null;
        try {
            for (String l : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (l.startsWith("PRETTY_NAME=")) {
                    pretty = l.substring(12).replace("\"", "");
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        return pretty == null ? kernel : pretty + " (" + kernel + ")";
    }

    static String jdk() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")";
    }

    static String describe() {
        long mem = totalMemoryBytes();
        return String.format(Locale.ROOT, "%d cores (%s), %s memory, %s", Runtime.getRuntime().availableProcessors(),
                cpuModel(), mem < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", mem / (double) (1L << 30)), os());
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
