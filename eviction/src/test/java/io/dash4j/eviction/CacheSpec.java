package io.dash4j.eviction;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The configuration a contract test asks a {@link Cache} implementation for: a bound (a maximum
 * entry count, or a maximum weight with a {@link Weigher}), an optional expire-after-write time,
 * the ticker to read time from, and an optional removal listener. Immutable; the {@code with...}
 * methods return modified copies.
 *
 * <pre>{@code
 * CacheSpec<Integer, String> spec = CacheSpec.<Integer, String>ofMaximumWeight(100, (k, v) -> v.length())
 *         .withExpireAfterWrite(Duration.ofSeconds(10))
 *         .withTicker(ticker)
 *         .withRemovalListener(listener);
 * }</pre>
 *
 * An implementation under test maps it onto its own builder in
 * {@link CacheContractTest#newCache(CacheSpec)}.
 */
public final class CacheSpec<K, V> {
    /** Returned by {@link #maximumSize()} / {@link #maximumWeight()} for the bound not in use. */
    public static final long UNBOUNDED = -1L;

    private final long maximumSize;
    private final long maximumWeight;
    private final Weigher<? super K, ? super V> weigher;
    private final Duration expireAfterWrite;
    private final LongSupplier ticker;
    private final RemovalListener<? super K, ? super V> removalListener;

    private CacheSpec(long maximumSize, long maximumWeight, Weigher<? super K, ? super V> weigher,
                      Duration expireAfterWrite, LongSupplier ticker,
                      RemovalListener<? super K, ? super V> removalListener) {
        this.maximumSize = maximumSize;
        this.maximumWeight = maximumWeight;
        this.weigher = weigher;
        this.expireAfterWrite = expireAfterWrite;
        this.ticker = ticker;
        this.removalListener = removalListener;
    }

    /** At most {@code maximumSize} entries. */
    public static <K, V> CacheSpec<K, V> ofMaximumSize(long maximumSize) {
        if (maximumSize < 0) {
            throw new IllegalArgumentException("maximumSize < 0");
        }
        return new CacheSpec<>(maximumSize, UNBOUNDED, null, null, System::nanoTime, null);
    }

    /** At most {@code maximumWeight} total weight, as {@code weigher} measures it. */
    public static <K, V> CacheSpec<K, V> ofMaximumWeight(long maximumWeight, Weigher<? super K, ? super V> weigher) {
        if (maximumWeight < 0) {
            throw new IllegalArgumentException("maximumWeight < 0");
        }
        return new CacheSpec<>(UNBOUNDED, maximumWeight, Objects.requireNonNull(weigher), null, System::nanoTime, null);
    }

    public CacheSpec<K, V> withExpireAfterWrite(Duration ttl) {
        return new CacheSpec<>(maximumSize, maximumWeight, weigher, Objects.requireNonNull(ttl), ticker, removalListener);
    }

    public CacheSpec<K, V> withTicker(LongSupplier ticker) {
        return new CacheSpec<>(maximumSize, maximumWeight, weigher, expireAfterWrite, Objects.requireNonNull(ticker), removalListener);
    }

    public CacheSpec<K, V> withRemovalListener(RemovalListener<? super K, ? super V> listener) {
        return new CacheSpec<>(maximumSize, maximumWeight, weigher, expireAfterWrite, ticker, Objects.requireNonNull(listener));
    }

    /** True for a weight bound, false for an entry-count bound. */
    public boolean isWeighted() {
        return weigher != null;
    }

    /** The entry bound, or {@link #UNBOUNDED} for a weight bound. */
    public long maximumSize() {
        return maximumSize;
    }

    /** The weight bound, or {@link #UNBOUNDED} for an entry-count bound. */
    public long maximumWeight() {
        return maximumWeight;
    }

    /** The bound in force: the maximum weight if weighted, else the maximum size. */
    public long bound() {
        return isWeighted() ? maximumWeight : maximumSize;
    }

    /** The weigher, or null for an entry-count bound. */
    public Weigher<? super K, ? super V> weigher() {
        return weigher;
    }

    /** True when entries expire after write. */
    public boolean expires() {
        return expireAfterWrite != null;
    }

    /** The time to live after write, or null when entries never expire. */
    public Duration expireAfterWrite() {
        return expireAfterWrite;
    }

    /** Nanosecond time source; {@code System::nanoTime} unless a test set one. */
    public LongSupplier ticker() {
        return ticker;
    }

    /** The listener, or null when none. */
    public RemovalListener<? super K, ? super V> removalListener() {
        return removalListener;
    }

    @Override
    public String toString() {
        return "CacheSpec[" + (isWeighted() ? "maximumWeight=" + maximumWeight : "maximumSize=" + maximumSize)
                + (expires() ? ", expireAfterWrite=" + expireAfterWrite : "")
                + (removalListener != null ? ", listener" : "") + "]";
    }
}
