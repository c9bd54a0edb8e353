package io.dash4j.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rows of a JMH JSON result file ({@code -rf json}) written by the {@code CacheBench} suites. */
final class JmhResults {

    /** One benchmark x parameter combination. {@code allocBytesPerOp} is NaN without {@code -prof gc}. */
    record Row(String benchmark, String operation, int threads, String cache, int capacity,
               double score, double error, String unit, double allocBytesPerOp, String jdk, String vm,
               int forks, int iterations, String iterationTime, double[] forkMeans) {
    }

    final List<Row> rows;

    private JmhResults(List<Row> rows) {
        this.rows = rows;
    }

    static JmhResults read(Path file) throws IOException {
        Object root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        List<Row> rows = new ArrayList<>();
        for (Object o : (List<?>) root) {
            Map<?, ?> m = (Map<?, ?>) o;
            String benchmark = (String) m.get("benchmark");
            String op = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            Map<?, ?> params = m.get("params") instanceof Map<?, ?> p ? p : Map.of();
            Map<?, ?> primary = (Map<?, ?>) m.get("primaryMetric");
            double alloc = Double.NaN;
            if (m.get("secondaryMetrics") instanceof Map<?, ?> sec && sec.get("gc.alloc.rate.norm") instanceof Map<?, ?> a) {
                alloc = num(a.get("score"));
            }
            rows.add(new Row(benchmark, op, (int) num(m.get("threads")),
                    String.valueOf(params.get("cache")),
                    params.get("capacity") == null ? 0 : Integer.parseInt(String.valueOf(params.get("capacity"))),
                    num(primary.get("score")), num(primary.get("scoreError")), String.valueOf(primary.get("scoreUnit")),
                    alloc, String.valueOf(m.get("jdkVersion")), String.valueOf(m.get("vmName")),
                    (int) num(m.get("forks")), (int) num(m.get("measurementIterations")),
                    String.valueOf(m.get("measurementTime")), forkMeans(primary.get("rawData"))));
        }
        return new JmhResults(rows);
    }

    /** The mean of each fork's measurement iterations ({@code rawData} holds one list per fork). */
    static double[] forkMeans(Object rawData) {
        if (!(rawData instanceof List<?> forks)) {
            return new double[0];
        }
        double[] means = new double[forks.size()];
        for (int f = 0; f < forks.size(); f++) {
            List<?> iterations = (List<?>) forks.get(f);
            double sum = 0;
            for (Object v : iterations) {
                sum += num(v);
            }
            means[f] = iterations.isEmpty() ? Double.NaN : sum / iterations.size();
        }
        return means;
    }

    static double num(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    List<Integer> capacities() {
        return rows.stream().map(Row::capacity).distinct().sorted().toList();
    }

    List<Integer> threadCounts() {
        return rows.stream().map(Row::threads).distinct().sorted().toList();
    }

    Optional<Row> find(String operation, int threads, String cache, int capacity) {
        return rows.stream().filter(r -> r.operation().equals(operation) && r.threads() == threads
                && r.cache().equals(cache) && r.capacity() == capacity).findFirst();
    }
}
