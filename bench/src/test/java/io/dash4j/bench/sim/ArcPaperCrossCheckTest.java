package io.dash4j.bench.sim;

import io.dash4j.bench.sim.policy.Policies;
import io.dash4j.bench.sim.trace.TraceFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Proves the harness against published tables: the ARC paper (Megiddo &amp; Modha, FAST 2003)
 * reports, for the OLTP trace at a cache of 1000 pages, LRU 32.83% and ARC 38.93%, and for P3 at
 * 32768 pages, LRU 3.57% and ARC 17.12%.
 */
class ArcPaperCrossCheckTest {

    @Test
    void oltpAt1000MatchesThePaper() throws Exception {
        Path oltp = TestTraces.arc("OLTP.lis.zst");
        SimRun lru = new SimRun("lru", 1000, Policies.get("lru").create(1000));
        SimRun arc = new SimRun("arc", 1000, Policies.get("arc").create(1000));
        Simulator.Pass pass = Simulator.run(new TraceFile(oltp, null), List.of(lru, arc));

        assertEquals(914_145, pass.requests(), "OLTP has 914145 requests");
        assertEquals(32.83, lru.hitRatioPercent(), 0.005, "LRU at 1000 (paper: 32.83)");
        assertEquals(38.93, arc.hitRatioPercent(), 0.1, "ARC at 1000 (paper: 38.93)");
        assertEquals(1000, lru.finalOccupancy());
        assertEquals(1000, arc.finalOccupancy());
    }

    @Test
    void p3At32768MatchesThePaper() throws Exception {
        Path p3 = TestTraces.arc("P3.lis.zst");
        SimRun lru = new SimRun("lru", 32768, Policies.get("lru").create(32768));
        SimRun arc = new SimRun("arc", 32768, Policies.get("arc").create(32768));
        Simulator.Pass pass = Simulator.run(new TraceFile(p3, null), List.of(lru, arc));

        assertEquals(3_912_296, pass.requests(), "P3 has 3912296 requests");
        assertEquals(3.57, lru.hitRatioPercent(), 0.005, "LRU at 32768 (paper: 3.57)");
        assertEquals(17.12, arc.hitRatioPercent(), 0.1, "ARC at 32768 (paper: 17.12)");
    }
}
