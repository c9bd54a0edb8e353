package io.dash4j.bench.sim;

import io.dash4j.bench.sim.policy.Policies;
import io.dash4j.bench.sim.trace.SyntheticTrace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The eviction module's caches through the generic Cache&lt;Long, Long&gt; adapter. */
class CachePolicyAdapterTest {

    @Test
    void exactLruBaselinesMatchTheReferenceLru() throws Exception {
        for (String trace : new String[] {"zipf:0.9:5000:30000", "scan:0.8:3000:30000:1000:5000"}) {
            List<SimRun> runs = new ArrayList<>();
            for (String policy : new String[] {"lru", "arena-lru", "linked-lru"}) {
                for (int size : new int[] {1, 100, 1000}) {
                    runs.add(new SimRun(policy, size, Policies.get(policy).create(size)));
                }
            }
            Simulator.run(SyntheticTrace.parse(trace, 3), runs);
            for (int i = 3; i < runs.size(); i++) {
                SimRun ref = runs.get(i % 3);
                SimRun r = runs.get(i);
                assertEquals(ref.hits(), r.hits(), trace + ": " + r.policyName() + " at " + r.size());
                assertEquals(ref.finalOccupancy(), r.finalOccupancy());
            }
        }
    }

    @Test
    void everyRegisteredPolicyRunsAndStaysWithinItsBound() throws Exception {
        List<SimRun> runs = new ArrayList<>();
        for (String policy : Policies.all().keySet()) {
            for (int size : new int[] {50, 2000}) {
                runs.add(new SimRun(policy, size, Policies.get(policy).create(size)));
            }
        }
        Simulator.run(SyntheticTrace.parse("zipf:0.9:10000:40000", 5), runs);
        long optHitsAt50 = runs.stream().filter(r -> r.policyName().equals("opt") && r.size() == 50)
                .findFirst().orElseThrow().hits();
        for (SimRun r : runs) {
            assertNotNull(r.policy());
            assertEquals(40_000, r.requests());
            assertTrue(r.hits() > 0, r.policyName());
            assertTrue(r.maxOccupancy() <= r.size(), r.policyName() + " at " + r.size() + " held " + r.maxOccupancy());
            if (r.size() == 50) {
                assertTrue(r.hits() <= optHitsAt50, r.policyName() + " beats OPT");
            }
        }
    }
}
