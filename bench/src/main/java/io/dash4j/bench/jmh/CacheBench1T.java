package io.dash4j.bench.jmh;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@link CacheBench} on one thread: DashCache single owner, ConcurrentDashCache (for its 2T/1T
 * ratio), Caffeine (default executor, and {@code executor(Runnable::run)}), and an unsynchronized
 * access-ordered LinkedHashMap, as a single-threaded user would run each.
 */
@Threads(1)
public class CacheBench1T extends CacheBench {

    @Param({"dash", "cdash", "caffeine", "caffeine-sync", "lhm"})
    public String cache;

    @Override
    String contender() {
        return cache;
    }
}
