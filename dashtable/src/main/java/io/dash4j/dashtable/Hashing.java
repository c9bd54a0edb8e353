package io.dash4j.dashtable;

/** Bit mixing shared by the key strategies. */
public final class Hashing {

    /** Dragonfly's seed for XXH3 (24061983), used when a table is built without its own. */
    public static final long DEFAULT_SEED = 24061983L;

    private Hashing() {
    }

    /**
     * A strong 64-bit finaliser (the SplitMix64 / Stafford "mix13" variant): every input bit
     * affects every output bit, so a 32-bit {@code hashCode} feeds all of fingerprint, bucket and
     * segment bits.
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
