package io.dash4j.server.tx;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Grant order, shared vs exclusive, release, no starvation, shard-wide requests. */
class IntentLocksTest {

    /** A request that records when it is granted, and may release itself at once (a one-key command). */
    static final class Req extends LockRequest {
        final String name;
        final List<String> log;
        final IntentLocks locks;
        final boolean releaseOnGrant;
        int grants;

        Req(String name, List<String> log, IntentLocks locks, boolean wholeShard, boolean releaseOnGrant) {
            super(wholeShard);
            this.name = name;
            this.log = log;
            this.locks = locks;
            this.releaseOnGrant = releaseOnGrant;
        }

        Req key(String k, boolean write) {
            byte[] b = k.getBytes(StandardCharsets.ISO_8859_1);
            add(b, java.util.Arrays.hashCode(b), write);
            return this;
        }

        @Override
        protected void granted() {
            grants++;
            log.add(name);
            if (releaseOnGrant) {
                locks.release(this);
            }
        }
    }

    private final IntentLocks locks = new IntentLocks();
    private final List<String> log = new ArrayList<>();

    private Req req(String name) {
        return new Req(name, log, locks, false, false);
    }

    private static byte[] b(String k) {
        return k.getBytes(StandardCharsets.ISO_8859_1);
    }

    private boolean mayRun(String key, boolean write) {
        return locks.mayRunNow(b(key), java.util.Arrays.hashCode(b(key)), write);
    }

    @Test
    void sharedRequestsShareAndExclusiveWaitsForAllOfThem() {
        Req r1 = req("r1").key("a", false);
        Req r2 = req("r2").key("a", false).key("b", false);
        Req w = req("w").key("a", true);
        assertThat(locks.acquire(r1)).isTrue();
        assertThat(locks.acquire(r2)).isTrue();
        assertThat(locks.acquire(w)).isFalse();
        assertThat(log).containsExactly("r1", "r2");
        locks.release(r1);
        assertThat(log).containsExactly("r1", "r2");
        locks.release(r2);
        assertThat(log).containsExactly("r1", "r2", "w");
        locks.release(w);
        assertThat(locks.idle()).isTrue();
        assertThat(locks.lockedKeys()).isZero();
    }

    @Test
    void aWaitingExclusiveIsNotOvertakenByLaterReaders() {
        Req r1 = req("r1").key("a", false);
        Req w = req("w").key("a", true);
        Req r2 = req("r2").key("a", false);
        Req r3 = req("r3").key("a", false);
        locks.acquire(r1);
        locks.acquire(w);
        locks.acquire(r2);
        locks.acquire(r3);
        assertThat(log).containsExactly("r1");
        assertThat(mayRun("a", false)).as("a one-key read queues behind the waiting writer").isFalse();
        locks.release(r1);
        assertThat(log).containsExactly("r1", "w");
        locks.release(w);
        assertThat(log).containsExactly("r1", "w", "r2", "r3");
        assertThat(mayRun("a", false)).isTrue();
        assertThat(mayRun("a", true)).isFalse();
    }

    @Test
    void exclusiveRequestsOnAKeyAreGrantedInArrivalOrder() {
        Req[] rs = new Req[5];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = req("x" + i).key("k", true).key("other" + i, i % 2 == 0);
            locks.acquire(rs[i]);
        }
        for (int i = 0; i < rs.length; i++) {
            assertThat(log).hasSize(i + 1).last().isEqualTo("x" + i);
            locks.release(rs[i]);
        }
        assertThat(locks.idle()).isTrue();
    }

    @Test
    void aRequestIsGrantedOnlyWhenAllItsKeysAre() {
        Req ha = req("ha").key("a", true);
        Req hb = req("hb").key("b", true);
        Req both = req("both").key("a", false).key("b", true);
        locks.acquire(ha);
        locks.acquire(hb);
        locks.acquire(both);
        locks.release(ha);
        assertThat(log).containsExactly("ha", "hb");
        locks.release(hb);
        assertThat(log).containsExactly("ha", "hb", "both");
        assertThat(both.isGranted()).isTrue();
    }

    @Test
    void disjointKeysDoNotWait() {
        locks.acquire(req("a").key("a", true));
        assertThat(locks.acquire(req("b").key("b", true))).isTrue();
        assertThat(mayRun("c", true)).isTrue();
        assertThat(mayRun("a", false)).isFalse();
        assertThat(locks.idle()).isFalse();
    }

    @Test
    void aKeyNamedTwiceIsAskedOnceInTheStrongerMode() {
        Req r = req("r").key("a", false).key("a", true).key("a", false);
        assertThat(r.size()).isEqualTo(1);
        locks.acquire(r);
        assertThat(mayRun("a", false)).isFalse();
        locks.release(r);
        assertThat(locks.lockedKeys()).isZero();
    }

    @Test
    void manyKeysAreMergedThroughTheIndex() {
        Req r = req("r");
        for (int i = 0; i < 100; i++) {
            r.key("k" + (i % 40), i >= 60);
        }
        assertThat(r.size()).isEqualTo(40);
        locks.acquire(r);
        assertThat(mayRun("k0", false)).as("k0 was asked again later as a write").isFalse();
        assertThat(locks.lockedKeys()).isEqualTo(40);
        locks.release(r);
        assertThat(locks.idle()).isTrue();
    }

    @Test
    void wholeShardWaitsForEarlierRequestsAndHoldsBackLaterOnes() {
        Req early = req("early").key("a", false);
        Req all = new Req("all", log, locks, true, false);
        Req late = req("late").key("z", false);
        locks.acquire(early);
        assertThat(locks.acquire(all)).isFalse();
        assertThat(locks.acquire(late)).isFalse();
        assertThat(mayRun("q", false)).as("every key waits behind a shard-wide request").isFalse();
        assertThat(locks.waitingRequests()).isEqualTo(2);
        locks.release(early);
        assertThat(log).containsExactly("early", "all");
        locks.release(all);
        assertThat(log).containsExactly("early", "all", "late");
        locks.release(late);
        assertThat(locks.idle()).isTrue();
    }

    @Test
    void oneKeyCommandsReleasingInTheirCallbackChainThrough() {
        Req holder = req("holder").key("a", true);
        locks.acquire(holder);
        for (int i = 0; i < 3; i++) {
            locks.acquire(new Req("cmd" + i, log, locks, false, true).key("a", i == 1));
        }
        locks.release(holder);
        assertThat(log).containsExactly("holder", "cmd0", "cmd1", "cmd2");
        assertThat(locks.idle()).isTrue();
    }

    @Test
    void misuseIsRefused() {
        Req r = req("r").key("a", true);
        assertThatThrownBy(() -> locks.release(r)).isInstanceOf(IllegalStateException.class);
        locks.acquire(r);
        assertThatThrownBy(() -> locks.acquire(r)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.key("b", true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailingCallbackDoesNotCostOthersTheirGrant() {
        Req holder = req("holder").key("a", true);
        locks.acquire(holder);
        LockRequest failing = new LockRequest() {
            @Override
            protected void granted() {
                log.add("failing");
                throw new IllegalStateException("boom");
            }
        }.add(b("a"), java.util.Arrays.hashCode(b("a")), false);
        Req reader = req("reader").key("a", false);
        locks.acquire(failing);
        locks.acquire(reader);
        assertThatThrownBy(() -> locks.release(holder)).hasMessage("boom");
        assertThat(log).containsExactly("holder", "failing", "reader");
        assertThat(reader.isGranted()).isTrue();
        locks.release(failing);
        locks.release(reader);
        assertThat(locks.idle()).isTrue();
    }
}
