package io.dash4j.bench.sim.trace;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generated traces, named by a spec string {@code KIND:P1:P2:...}; a missing or empty trailing
 * parameter takes its default, so plain {@code scan} is a valid spec. Keys of the base
 * distribution are {@code 0..KEYS-1}. Every trace is a pure function of its spec and the seed.
 *
 * <ul>
 *   <li>{@code zipf:ALPHA:KEYS:REQUESTS} — key {@code r-1} with probability ∝ r^-ALPHA
 *       (rejection-inversion, {@link ZipfSampler}); defaults 0.9:100000:1000000.</li>
 *   <li>{@code uniform:KEYS:REQUESTS} — defaults 100000:1000000.</li>
 *   <li>{@code scan:ALPHA:KEYS:REQUESTS:SCANLEN:PERIOD} — Zipf requests, and after every PERIOD of
 *       them a one-pass scan of SCANLEN keys never seen before ({@code KEYS, KEYS+1, ...});
 *       REQUESTS counts both; defaults 0.9:100000:1000000:20000:100000.</li>
 *   <li>{@code loop:KEYS:REQUESTS} — {@code 0, 1, ..., KEYS-1, 0, 1, ...}; defaults 100000:1000000.</li>
 *   <li>{@code shift:KEYS:REQUESTS:HOT:PHASES} — REQUESTS split into PHASES equal phases; in phase
 *       {@code j} 90% of requests go uniformly to the HOT keys starting at {@code j·HOT mod KEYS}
 *       (wrapping), the rest uniformly to all KEYS; defaults 100000:1000000:5000:10.</li>
 * </ul>
 */
public final class SyntheticTrace implements TraceSource {

    /** The share of {@code shift} requests that go to the current hot set. */
    public static final double SHIFT_HOT_FRACTION = 0.9;

    private static final List<String> KINDS = List.of("zipf", "uniform", "scan", "loop", "shift");

    private final String spec;
    private final String kind;
    private final double alpha;
    private final long[] p;      // the integer parameters after ALPHA (or all of them)
    private final long requests;
    private final long seed;

    private SyntheticTrace(String spec, String kind, double alpha, long[] p, long requests, long seed) {
        this.spec = spec;
        this.kind = kind;
        this.alpha = alpha;
        this.p = p;
        this.requests = requests;
        this.seed = seed;
    }

    /** True when {@code s} names a synthetic trace ({@code zipf}, {@code zipf:...}, ...). */
    public static boolean isSpec(String s) {
        int colon = s.indexOf(':');
        return KINDS.contains(colon < 0 ? s : s.substring(0, colon));
    }

    /** Parses a spec (see the class comment); throws {@link IllegalArgumentException} on a bad one. */
    public static SyntheticTrace parse(String spec, long seed) {
        String[] f = spec.split(":", -1);
        String kind = f[0];
        String[] a = Arrays.copyOfRange(f, 1, f.length);
        switch (kind) {
            case "zipf" -> {
                check(spec, a, 3, "zipf:ALPHA:KEYS:REQUESTS");
                double alpha = dbl(spec, a, 0, 0.9);
                long keys = positive(spec, a, 1, 100_000, "KEYS");
                long req = count(spec, a, 2, 1_000_000, "REQUESTS");
                new ZipfSampler(keys, alpha);   // validates ALPHA
                return new SyntheticTrace(spec, kind, alpha, new long[] {keys}, req, seed);
            }
            case "uniform", "loop" -> {
                check(spec, a, 2, kind + ":KEYS:REQUESTS");
                long keys = positive(spec, a, 0, 100_000, "KEYS");
                long req = count(spec, a, 1, 1_000_000, "REQUESTS");
                return new SyntheticTrace(spec, kind, 0, new long[] {keys}, req, seed);
            }
            case "scan" -> {
                check(spec, a, 5, "scan:ALPHA:KEYS:REQUESTS:SCANLEN:PERIOD");
                double alpha = dbl(spec, a, 0, 0.9);
                long keys = positive(spec, a, 1, 100_000, "KEYS");
                long req = count(spec, a, 2, 1_000_000, "REQUESTS");
                long scanLen = count(spec, a, 3, 20_000, "SCANLEN");
                long period = positive(spec, a, 4, 100_000, "PERIOD");
                new ZipfSampler(keys, alpha);
                return new SyntheticTrace(spec, kind, alpha, new long[] {keys, scanLen, period}, req, seed);
            }
            case "shift" -> {
                check(spec, a, 4, "shift:KEYS:REQUESTS:HOT:PHASES");
                long keys = positive(spec, a, 0, 100_000, "KEYS");
                long req = count(spec, a, 1, 1_000_000, "REQUESTS");
                long hot = positive(spec, a, 2, Math.min(5_000, keys), "HOT");
                long phases = positive(spec, a, 3, 10, "PHASES");
                if (hot > keys) {
                    throw new IllegalArgumentException(spec + ": HOT (" + hot + ") exceeds KEYS (" + keys + ")");
                }
                return new SyntheticTrace(spec, kind, 0, new long[] {keys, hot, phases}, req, seed);
            }
            default -> throw new IllegalArgumentException("unknown synthetic trace '" + kind + "' (" + KINDS + ")");
        }
    }

    @Override
    public String name() {
        return spec;
    }

    @Override
    public long knownLength() {
        return requests;
    }

    /** The spec with every default filled in, e.g. {@code scan:0.9:100000:1000000:20000:100000}. */
    public String canonical() {
        return switch (kind) {
            case "zipf" -> "zipf:" + num(alpha) + ":" + p[0] + ":" + requests;
            case "uniform", "loop" -> kind + ":" + p[0] + ":" + requests;
            case "scan" -> "scan:" + num(alpha) + ":" + p[0] + ":" + requests + ":" + p[1] + ":" + p[2];
            default -> "shift:" + p[0] + ":" + requests + ":" + p[1] + ":" + p[2];
        };
    }

    @Override
    public KeySource open() {
        SplittableRandom random = new SplittableRandom(seed);
        Generator g = switch (kind) {
            case "zipf" -> {
                ZipfSampler z = new ZipfSampler(p[0], alpha);
                yield t -> z.sample(random) - 1;
            }
            case "uniform" -> {
                long keys = p[0];
                yield t -> random.nextLong(keys);
            }
            case "loop" -> {
                long keys = p[0];
                yield t -> t % keys;
            }
            case "scan" -> {
                ZipfSampler z = new ZipfSampler(p[0], alpha);
                long keys = p[0];
                long scanLen = p[1];
                long period = p[2];
                long cycle = period + scanLen;
                yield t -> {
                    long c = t / cycle;
                    long r = t - c * cycle;
                    return r < period ? z.sample(random) - 1 : keys + c * scanLen + (r - period);
                };
            }
            default -> {
                long keys = p[0];
                long hot = p[1];
                long phases = p[2];
                long phaseLength = Math.max(1, (requests + phases - 1) / phases);
                yield t -> {
                    if (random.nextDouble() < SHIFT_HOT_FRACTION) {
                        long start = Math.multiplyExact(t / phaseLength, hot) % keys;
                        return (start + random.nextLong(hot)) % keys;
                    }
                    return random.nextLong(keys);
                };
            }
        };
        return new GeneratedKeys(g, requests);
    }

    @FunctionalInterface
    private interface Generator {
        long key(long t);
    }

    private static final class GeneratedKeys implements KeySource {
        private final Generator generator;
        private final long requests;
        private long t;

        GeneratedKeys(Generator generator, long requests) {
            this.generator = generator;
            this.requests = requests;
        }

        @Override
        public int read(long[] buf, int off, int len) {
            int n = (int) Math.min(len, requests - t);
            if (n <= 0) {
                return -1;
            }
            Generator g = generator;
            long base = t;
            for (int i = 0; i < n; i++) {
                buf[off + i] = g.key(base + i);
            }
            t = base + n;
            return n;
        }
    }

    private static void check(String spec, String[] a, int max, String usage) {
        if (a.length > max) {
            throw new IllegalArgumentException(spec + ": too many parameters (" + usage + ")");
        }
    }

    private static boolean missing(String[] a, int i) {
        return i >= a.length || a[i].isBlank();
    }

    private static double dbl(String spec, String[] a, int i, double def) {
        if (missing(a, i)) {
            return def;
        }
        try {
            return Double.parseDouble(a[i].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(spec + ": not a number: '" + a[i] + "'");
        }
    }

    private static long count(String spec, String[] a, int i, long def, String what) {
        long v = missing(a, i) ? def : integer(spec, a[i], what);
        if (v < 0) {
            throw new IllegalArgumentException(spec + ": " + what + " must be >= 0");
        }
        return v;
    }

    private static long positive(String spec, String[] a, int i, long def, String what) {
        long v = missing(a, i) ? def : integer(spec, a[i], what);
        if (v < 1) {
            throw new IllegalArgumentException(spec + ": " + what + " must be >= 1");
        }
        return v;
    }

    /** An integer written plainly, with {@code _} separators, or as an exact {@code 1e6}. */
    static long integer(String spec, String s, String what) {
        String t = s.trim().replace("_", "");
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            try {
                return new BigDecimal(t.toUpperCase(Locale.ROOT)).longValueExact();
            } catch (NumberFormatException | ArithmeticException e2) {
                throw new IllegalArgumentException(spec + ": " + what + " is not an integer: '" + s + "'");
            }
        }
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
