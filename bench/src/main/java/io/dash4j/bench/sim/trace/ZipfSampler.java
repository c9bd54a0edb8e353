package io.dash4j.bench.sim.trace;

import java.util.SplittableRandom;

/**
 * Samples ranks {@code 1..n} with probability proportional to {@code rank^-s} ({@code s ≥ 0}) in
 * constant time and memory, by rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-
 * inversion to generate variates from monotone discrete distributions", ACM TOMACS 6(3), 1996).
 *
 * <p>With h(x) = x^-s and H an antiderivative of h, a uniform point u of
 * (H(1.5) - h(1), H(n + 0.5)] is inverted to x = H⁻¹(u) and rounded to k; k is accepted when
 * x falls within the region where h's integral is known to dominate h(k) (the
 * {@code k - x <= squeeze} shortcut) or when u ≥ H(k + 0.5) - h(k). Because h is decreasing,
 * the acceptance region of every k has area exactly h(k), so the accepted ranks follow the law.
 */
public final class ZipfSampler {

    private final long n;
    private final double s;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double squeeze;

    public ZipfSampler(long n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("number of elements must be positive: " + n);
        }
        if (!(exponent >= 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("exponent must be finite and >= 0: " + exponent);
        }
        this.n = n;
        this.s = exponent;
        this.hIntegralX1 = hIntegral(1.5) - 1.0;
        this.hIntegralN = hIntegral(n + 0.5);
        this.squeeze = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2.0));
    }

    /** A rank in {@code 1..n}. */
    public long sample(SplittableRandom random) {
        while (true) {
            double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
            double x = hIntegralInverse(u);
            long k = (long) (x + 0.5);
            if (k < 1) {
                k = 1;
            } else if (k > n) {
                k = n;
            }
            if (k - x <= squeeze || u >= hIntegral(k + 0.5) - h(k)) {
                return k;
            }
        }
    }

    /** h(x) = x^-s. */
    private double h(double x) {
        return Math.exp(-s * Math.log(x));
    }

    /** H(x) = (x^(1-s) - 1) / (1 - s), or log(x) when s = 1, computed stably near s = 1. */
    private double hIntegral(double x) {
        double logX = Math.log(x);
        return expm1OverX((1.0 - s) * logX) * logX;
    }

    /** The inverse of {@link #hIntegral}. */
    private double hIntegralInverse(double y) {
        double t = y * (1.0 - s);
        if (t < -1.0) {
            t = -1.0;   // only reachable through rounding at the lower end
        }
        return Math.exp(log1pOverX(t) * y);
    }

    /** log(1 + x) / x, with its limit 1 at 0. */
    private static double log1pOverX(double x) {
        if (Math.abs(x) > 1e-8) {
            return Math.log1p(x) / x;
        }
        return 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
    }

    /** (e^x - 1) / x, with its limit 1 at 0. */
    private static double expm1OverX(double x) {
        if (Math.abs(x) > 1e-8) {
            return Math.expm1(x) / x;
        }
        return 1.0 + x * 0.5 * (1.0 + x / 3.0 * (1.0 + 0.25 * x));
    }
}
