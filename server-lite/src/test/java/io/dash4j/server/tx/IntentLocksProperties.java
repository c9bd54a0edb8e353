package io.dash4j.server.tx;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IntentLocks} against a model that states the grant rule directly: among the live
 * requests in arrival order, a shard-wide request is granted when it is the oldest; a key request
 * when no live shard-wide request is older and, on each of its keys, it is the oldest live request
 * naming that key, or it and every older one naming that key are shared.
 */
class IntentLocksProperties {

    /** One step: admit a request (keys, modes, shard-wide, releases itself when granted) or release the i-th granted. */
    record Step(boolean admit, int[] keys, boolean[] writes, boolean wholeShard, boolean oneShot, int pick) {
        @Override
        public String toString() {
            if (!admit) {
                return "release#" + pick;
            }
            if (wholeShard) {
                return "admit(all)";
            }
            StringBuilder b = new StringBuilder(oneShot ? "cmd(" : "admit(");
            for (int i = 0; i < keys.length; i++) {
                b.append(i == 0 ? "" : " ").append('k').append(keys[i]).append(writes[i] ? "X" : "S");
            }
            return b.append(')').toString();
        }
    }

    @Provide
    Arbitrary<List<Step>> scripts() {
        Arbitrary<Step> admit = Combinators.combine(
                Arbitraries.integers().between(0, 5).array(int[].class).ofMinSize(1).ofMaxSize(4),
                Arbitraries.of(true, false).array(boolean[].class).ofSize(4),
                Arbitraries.integers().between(0, 19),
                Arbitraries.integers().between(0, 3))
                .as((keys, writes, kind, pick) -> new Step(true, keys, writes, kind == 0, kind == 1 || kind == 2, pick));
        Arbitrary<Step> release = Arbitraries.integers().between(0, 50)
                .map(pick -> new Step(false, null, null, false, false, pick));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, admit), net.jqwik.api.Tuple.of(2, release))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    /** The model's view of a live request. */
    static final class Live {
        final int id;
        final Step step;
        final Map<Integer, Boolean> modes = new LinkedHashMap<>();
        IntentLocksTest.Req real;

        Live(int id, Step step) {
            this.id = id;
            this.step = step;
            if (!step.wholeShard) {
                for (int i = 0; i < step.keys.length; i++) {
                    modes.merge(step.keys[i], step.writes[i], Boolean::logicalOr);
                }
            }
        }
    }

    static boolean modelGranted(Live r, List<Live> live) {
        for (Live o : live) {
            if (o == r) {
                return true;
            }
            if (r.step.wholeShard || o.step.wholeShard) {
                return false;
            }
            for (Map.Entry<Integer, Boolean> e : r.modes.entrySet()) {
                Boolean other = o.modes.get(e.getKey());
                if (other != null && (other || e.getValue())) {
                    return false;
                }
            }
        }
        throw new AssertionError("not live");
    }

    private static byte[] key(int k) {
        return ("key:" + k).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Property(tries = 400)
    void grantsFollowTheModel(@ForAll("scripts") List<Step> script) {
        IntentLocks locks = new IntentLocks();
        List<String> log = new ArrayList<>();
        List<Live> live = new ArrayList<>();
        int ids = 0;
        for (Step step : script) {
            if (step.admit) {
                Live l = new Live(ids++, step);
                IntentLocksTest.Req req = new IntentLocksTest.Req("r" + l.id, log, locks, step.wholeShard, step.oneShot);
                if (!step.wholeShard) {
                    for (int i = 0; i < step.keys.length; i++) {
                        req.key("key:" + step.keys[i], step.writes[i]);
                    }
                }
                l.real = req;
                live.add(l);
                locks.acquire(req);
            } else {
                List<Live> held = live.stream().filter(l -> l.real.isGranted()).toList();
                if (held.isEmpty()) {
                    continue;
                }
                Live victim = held.get(step.pick % held.size());
                locks.release(victim.real);
            }
            // the model: one-shot requests leave as soon as they are granted, which may grant others
            live.removeIf(l -> l.real.grants > 0 && (l.step.oneShot || !l.real.isGranted()));
            for (Live l : live) {
                boolean expected = modelGranted(l, live);
                assertThat(l.real.isGranted()).as("request %s (%s) after %s", l.id, l.step, script).isEqualTo(expected);
                assertThat(l.real.grants).isEqualTo(expected ? 1 : 0);
            }
            // the fast path agrees with "a one-key request would be granted now"
            for (int k = 0; k < 6; k++) {
                for (boolean w : new boolean[] {false, true}) {
                    Live probe = new Live(-1, new Step(true, new int[] {k}, new boolean[] {w}, false, true, 0));
                    List<Live> with = new ArrayList<>(live);
                    with.add(probe);
                    assertThat(locks.mayRunNow(key(k), Arrays.hashCode(key(k)), w))
                            .as("mayRunNow k%s %s", k, w ? "write" : "read").isEqualTo(modelGranted(probe, with));
                }
            }
            assertThat(locks.idle()).isEqualTo(live.isEmpty());
        }
        for (Live l : live) {
            if (l.real.isGranted()) {
                locks.release(l.real);
            }
        }
    }
}
