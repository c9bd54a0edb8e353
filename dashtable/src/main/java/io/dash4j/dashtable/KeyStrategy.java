package io.dash4j.dashtable;

import it.unimi.dsi.fastutil.Hash;
import net.openhft.hashing.LongHashFunction;

import java.util.Arrays;
import java.util.Objects;

/**
 * How a table hashes and compares its keys. The table takes the 64-bit hash as is: the low 8 bits
 * are the fingerprint, the next bits pick the bucket and the top bits pick the segment, so a
 * strategy must return well-mixed bits everywhere (use {@link Hashing#mix(long)} on weak hashes).
 */
public interface KeyStrategy<K> {

    /** A 64-bit hash of {@code key} under the table's {@code seed}; equal keys hash equal. */
    long hash(K key, long seed);

    boolean equals(K a, K b);

    /** {@code hashCode()} spread by a strong 64-bit mixer, and {@code equals()}. */
    @SuppressWarnings("unchecked")
    static <K> KeyStrategy<K> natural() {
        return (KeyStrategy<K>) Natural.INSTANCE;
    }

    /** {@code byte[]} keys by content, hashed with XXH3 (the hash Dragonfly uses). */
    static KeyStrategy<byte[]> bytes() {
        return Bytes.INSTANCE;
    }

    /** Adapts a fastutil strategy: its {@code hashCode} is spread by the mixer. */
    static <K> KeyStrategy<K> of(Hash.Strategy<? super K> strategy) {
        Objects.requireNonNull(strategy);
        return new KeyStrategy<>() {
            @Override
            public long hash(K key, long seed) {
                return Hashing.mix(strategy.hashCode(key) ^ seed);
            }

            @Override
            public boolean equals(K a, K b) {
                return strategy.equals(a, b);
            }
        };
    }

    /** The natural strategy. */
    final class Natural implements KeyStrategy<Object> {
        static final Natural INSTANCE = new Natural();

        private Natural() {
        }

        @Override
        public long hash(Object key, long seed) {
            return Hashing.mix(key.hashCode() ^ seed);
        }

        @Override
        public boolean equals(Object a, Object b) {
            return a == b || a.equals(b);
        }
    }

    /** XXH3 over the bytes; the hash function of the last seed used is kept. */
    final class Bytes implements KeyStrategy<byte[]> {
        static final Bytes INSTANCE = new Bytes();

        private record Seeded(long seed, LongHashFunction fn) {
        }

        /** Tables rarely differ in seed within one process, so one immutable slot suffices. */
        private volatile Seeded last = new Seeded(Hashing.DEFAULT_SEED, LongHashFunction.xx3(Hashing.DEFAULT_SEED));

        private Bytes() {
        }

        @Override
        public long hash(byte[] key, long seed) {
            Seeded s = last;
            if (s.seed != seed) {
                s = new Seeded(seed, LongHashFunction.xx3(seed));
                last = s;
            }
            return s.fn.hashBytes(key);
        }

        @Override
        public boolean equals(byte[] a, byte[] b) {
            return Arrays.equals(a, b);
        }
    }
}
