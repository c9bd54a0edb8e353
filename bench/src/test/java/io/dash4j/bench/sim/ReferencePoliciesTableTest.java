package io.dash4j.bench.sim;

import io.dash4j.bench.sim.policy.Policies;
import io.dash4j.bench.sim.trace.TraceFile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reference policies against the numbers of issue 16 (S3-FIFO as the authors' artifact runs
 * it, SIEVE as in its paper, LIRS as Caffeine's simulator with 1 % HIR and 2x non-resident keys),
 * to within 0.05 points, on the ARC paper's OLTP and P3 traces.
 */
class ReferencePoliciesTableTest {

    private static final String[] POLICIES = {"sieve", "lirs", "s3fifo"};

    @Test
    void oltp() throws Exception {
        check("OLTP.lis.zst", new int[] {1000, 5000, 15000}, new double[][] {
                {32.56, 51.89, 65.10},     // SIEVE
                {34.82, 52.80, 63.99},     // LIRS
                {40.84, 55.88, 66.04}});   // S3-FIFO
    }

    @Test
    void p3() throws Exception {
        check("P3.lis.zst", new int[] {8192, 32768, 131072, 524288}, new double[][] {
                {2.95, 10.02, 43.98, 79.58},
                {5.08, 16.10, 51.20, 79.70},
                {4.09, 16.94, 49.20, 78.64}});
    }

    private static void check(String trace, int[] sizes, double[][] expected) throws Exception {
        List<SimRun> runs = new ArrayList<>();
        for (String p : POLICIES) {
            for (int size : sizes) {
                runs.add(new SimRun(p, size, Policies.get(p).create(size)));
            }
        }
        Simulator.run(new TraceFile(TestTraces.arc(trace), null), runs);
        int i = 0;
        for (int p = 0; p < POLICIES.length; p++) {
            for (int s = 0; s < sizes.length; s++) {
                SimRun run = runs.get(i++);
                assertEquals(expected[p][s], run.hitRatioPercent(), 0.05,
                        trace + " " + POLICIES[p] + " at " + sizes[s]);
                assertEquals(sizes[s], run.finalOccupancy(), POLICIES[p] + " fills the cache");
            }
        }
    }
}
