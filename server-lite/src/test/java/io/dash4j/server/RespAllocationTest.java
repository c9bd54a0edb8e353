package io.dash4j.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.dash4j.server.McAllocationTest.settled;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RESP write hot paths allocate nothing when they overwrite: a SET of a stored key with a
 * value of the same length, and an INCR that keeps the number's digit count, write into the
 * stored entry ({@code ShardStore.write}); bounds on the shard thread's bytes per command
 * ({@link McAllocationProbe#resp()}; counts, not timings). Before the in-place overwrite these
 * were 107 and 50 bytes (SET: the new 104-byte entry of a 16-byte key and a 64-byte value; INCR: a
 * 48-byte entry of 10 digits), measured by the probe on main at 971193a; now 2.4 and 1.8.
 */
class RespAllocationTest {

    @Test
    void sameLengthOverwritesAllocateNothing() throws IOException {
        try (McAllocationProbe p = McAllocationProbe.resp()) {
            McAllocationProbe.Batch set = p.respSet(100);
            McAllocationProbe.Batch incr = p.respIncr(100);
            McAllocationProbe.Batch get = p.respGet(100);
            assertThat(settled(p, set, 8)).as("bytes per SET overwrite of 64 bytes").isLessThanOrEqualTo(8);
            assertThat(settled(p, incr, 8)).as("bytes per INCR overwrite").isLessThanOrEqualTo(8);
            // a GET shares the entry it reads: the next SET of that key allocates once, then no more
            assertThat(settled(p, get, 32)).as("bytes per GET hit").isLessThanOrEqualTo(32);
            assertThat(settled(p, set, 8)).as("bytes per SET overwrite after the GETs").isLessThanOrEqualTo(8);
        }
    }
}
