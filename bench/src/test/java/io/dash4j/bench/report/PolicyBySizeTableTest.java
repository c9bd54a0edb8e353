package io.dash4j.bench.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hit-ratio section's tables: a row per policy in the map's order, a column per size, cells as asked. */
class PolicyBySizeTableTest {

    @Test
    void rendersHeaderRowsAndCells() {
        ReportCommand.Report r = new ReportCommand.Report(new ReportCommand.Options(),
                new PrintStream(new ByteArrayOutputStream()));
        Map<String, double[]> rows = new LinkedHashMap<>();
        rows.put("lru", new double[] {12.345, 40.0});
        rows.put("opt", new double[] {Double.NaN, 51.5});
        r.policyBySizeTable(new int[] {1000, 25000}, rows,
                v -> Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f %%", v));
        assertEquals("""
                | policy | 1,000 | 25,000 |
                |---|---:|---:|
                | lru | 12.3 % | 40.0 % |
                | opt | – | 51.5 % |

                """, r.md.toString());
    }
}
