package io.dash4j.bench.jmh;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;

/** {@link CacheBench} on two threads: the thread-safe contenders only. */
@Threads(2)
public class CacheBench2T extends CacheBench {

    @Param({"cdash", "caffeine", "caffeine-sync"})
    public String cache;

    @Override
    String contender() {
        return cache;
    }
}
