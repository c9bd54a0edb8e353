package io.dash4j.bench.report;

import io.dash4j.bench.sim.SimRun;
import io.dash4j.bench.sim.Simulator;
import io.dash4j.bench.sim.policy.Policies;
import io.dash4j.bench.sim.trace.SyntheticTrace;
import io.dash4j.bench.sim.trace.TraceFile;
import io.dash4j.bench.sim.trace.TraceFormat;
import io.dash4j.bench.sim.trace.TraceSource;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hit ratio versus cache size per trace, through the simulator's Java API
 * ({@link Simulator#run}, {@link SimRun}, {@link Policies}): one pass per trace, every policy and
 * size fed from it.
 */
final class HitRatio {

    /** One trace's plan: the sizes and policies to run. */
    record Plan(String label, TraceSource trace, int[] sizes, List<String> policies, String note) {
    }

    /** One trace's result: hit ratio (percent) per policy, aligned with {@code sizes}. */
    record Curve(Plan plan, long requests, Map<String, double[]> hitRatio, Map<String, double[]> heldPercent,
                 double seconds) {
    }

    static final List<String> POLICIES = List.of("lru", "sampled-lru", "clock", "sieve", "2q", "arc", "lirs", "s3fifo", "caffeine", "dash-dragonfly", "dash2q", "dash2q-concurrent", "opt");

    private HitRatio() {
    }

    /** The traces the report runs: the ARC traces when {@code arcDir} holds them, and four synthetic ones. */
    static List<Plan> plans(Path arcDir, boolean quick, PrintStream log) {
        List<Plan> plans = new ArrayList<>();
        Path oltp = find(arcDir, "OLTP.lis");
        if (oltp != null) {
            plans.add(new Plan("OLTP", new TraceFile(oltp, TraceFormat.ARC),
                    new int[] {1000, 2000, 5000, 10000, 15000}, POLICIES,
                    "ARC paper trace (Megiddo & Modha, FAST'03), " + oltp.getFileName()));
        } else {
            log.println("report: no OLTP trace under " + arcDir + " (pass --traces DIR)");
        }
        Path p3 = find(arcDir, "P3.lis");
        if (p3 != null) {
            int[] sizes = quick ? new int[] {8192, 32768, 131072, 524288}
                    : new int[] {1024, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288};
            List<String> policies = quick ? POLICIES.stream().filter(p -> !p.equals("opt")).toList() : POLICIES;
            plans.add(new Plan("P3", new TraceFile(p3, TraceFormat.ARC), sizes, policies,
                    "ARC paper trace, " + p3.getFileName() + (quick ? " (quick: fewer sizes, no OPT)" : "")));
        } else {
            log.println("report: no P3 trace under " + arcDir);
        }
        int[] synthSizes = {1000, 2500, 5000, 10000, 25000, 50000};
        int[] edgeSizes = {1000, 5000, 20000, 25000};
        plans.add(synthetic("zipf:0.9:100000:2000000", synthSizes, "Zipf(0.9) over 100,000 keys, 2M requests"));
        plans.add(synthetic("scan:0.9:100000:2000000:20000:100000", synthSizes,
                "Zipf(0.9) with a 20,000-key scan every 100,000 requests"));
        plans.add(synthetic("loop:20000:1000000", edgeSizes, "a loop over 20,000 keys, 1M requests (exactly fits at 20,000)"));
        plans.add(synthetic("shift:100000:1000000:5000:10", edgeSizes,
                "10 phases; in each, 90 % of requests go to a new hot set of 5,000 keys, the rest to all 100,000"));
        return plans;
    }

    /** A synthetic trace from its spec, seed 42, with every report policy. */
    private static Plan synthetic(String spec, int[] sizes, String what) {
        return new Plan(spec, SyntheticTrace.parse(spec, 42), sizes, POLICIES, "synthetic: " + what + ", seed 42");
    }

    private static Path find(Path dir, String base) {
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        for (String ext : new String[] {"", ".zst", ".gz"}) {
            Path p = dir.resolve(base + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static Curve run(Plan plan, PrintStream log) throws IOException {
        List<SimRun> runs = new ArrayList<>();
        List<String> policies = new ArrayList<>();
        for (String name : plan.policies()) {
            Policies.Entry e = Policies.get(name);
            if (e == null) {
                log.println("report: the simulator has no policy '" + name + "', skipped");
                continue;
            }
            policies.add(name);
            for (int size : plan.sizes()) {
                runs.add(new SimRun(name, size, e.create(size)));
            }
        }
        long t0 = System.nanoTime();
        Simulator.Pass pass = Simulator.run(plan.trace(), runs);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, double[]> ratios = new LinkedHashMap<>();
        Map<String, double[]> held = new LinkedHashMap<>();
        for (String name : policies) {
            ratios.put(name, new double[plan.sizes().length]);
        }
        for (SimRun r : runs) {
            double[] row = ratios.get(r.policyName());
            for (int i = 0; i < plan.sizes().length; i++) {
                if (plan.sizes()[i] == r.size()) {
                    row[i] = r.hitRatioPercent();
                    // a policy that ended holding noticeably fewer entries than an exact cache would
                    if (r.finalOccupancy() < 0.99 * r.expectedOccupancy()) {
                        held.computeIfAbsent(r.policyName(), k -> {
                            double[] a = new double[plan.sizes().length];
                            java.util.Arrays.fill(a, Double.NaN);
                            return a;
                        });
                    }
                }
            }
        }
        for (SimRun r : runs) {
            double[] row = held.get(r.policyName());
            if (row != null) {
                for (int i = 0; i < plan.sizes().length; i++) {
                    if (plan.sizes()[i] == r.size() && r.expectedOccupancy() > 0) {
                        row[i] = 100.0 * r.finalOccupancy() / r.expectedOccupancy();
                    }
                }
            }
        }
        log.printf(Locale.ROOT, "report: sim %s: %,d requests, %d runs, %.1f s%n", plan.label(), pass.requests(),
                runs.size(), seconds);
        return new Curve(plan, pass.requests(), ratios, held, seconds);
    }
}
