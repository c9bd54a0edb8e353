package io.dash4j.server;

/**
 * Redis glob patterns (KEYS, SCAN MATCH, CONFIG GET): {@code *}, {@code ?}, {@code [abc]},
 * {@code [^a-z]}, and {@code \} escaping the next character. Every token but {@code *} matches
 * exactly one byte, so a two-pointer match with backtracking to the last star is linear-ish and
 * immune to the exponential blow-up of naive recursion.
 */
public final class Glob {

    private Glob() {
    }

    public static boolean match(byte[] p, byte[] s) {
        return match(p, s, 0, s.length, false);
    }

    public static boolean match(byte[] p, byte[] s, int off, int len, boolean nocase) {
        int pi = 0;
        int si = off;
        int end = off + len;
        int starP = -1;
        int starS = -1;
        while (si < end) {
            if (pi < p.length && p[pi] == '*') {
                while (pi < p.length && p[pi] == '*') {
                    pi++;
                }
                if (pi == p.length) {
                    return true;
                }
                starP = pi;
                starS = si;
                continue;
            }
            int next = pi < p.length ? matchOne(p, pi, s[si], nocase) : -1;
            if (next >= 0) {
                pi = next;
                si++;
            } else if (starP >= 0) {
                pi = starP;
                si = ++starS;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == '*') {
            pi++;
        }
        return pi == p.length;
    }

    /** Matches the token at {@code p[pi]} against {@code c}: the index after the token, or -1. */
    private static int matchOne(byte[] p, int pi, byte c, boolean nocase) {
        byte t = p[pi];
        if (t == '?') {
            return pi + 1;
        }
        if (t == '\\' && pi + 1 < p.length) {
            return eq(p[pi + 1], c, nocase) ? pi + 2 : -1;
        }
        if (t == '[') {
            int i = pi + 1;
            boolean not = i < p.length && p[i] == '^';
            if (not) {
                i++;
            }
            boolean found = false;
            while (i < p.length && p[i] != ']') {
                if (p[i] == '\\' && i + 1 < p.length) {
                    i++;
                    if (eq(p[i], c, nocase)) {
                        found = true;
                    }
                    i++;
                } else if (i + 2 < p.length && p[i + 1] == '-' && p[i + 2] != ']') {
                    int lo = p[i] & 0xFF;
                    int hi = p[i + 2] & 0xFF;
                    if (lo > hi) {
                        int x = lo;
                        lo = hi;
                        hi = x;
                    }
                    int v = c & 0xFF;
                    if (nocase) {
                        v = Character.toLowerCase(v);
                        lo = Character.toLowerCase(lo);
                        hi = Character.toLowerCase(hi);
                    }
                    if (v >= lo && v <= hi) {
                        found = true;
                    }
                    i += 3;
                } else {
                    if (eq(p[i], c, nocase)) {
                        found = true;
                    }
                    i++;
                }
            }
            // an unterminated class is treated as ending at the pattern's end, as Redis does
            int after = i < p.length ? i + 1 : i;
            return found != not ? after : -1;
        }
        return eq(t, c, nocase) ? pi + 1 : -1;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        if (a == b) {
            return true;
        }
        return nocase && Character.toLowerCase(a & 0xFF) == Character.toLowerCase(b & 0xFF);
    }
}
