package io.dash4j.bench.jmh;

import org.openjdk.jmh.annotations.Threads;

/** {@link CacheBench} on two threads: ConcurrentDashCache, ArenaLruCache behind a lock. */
@Threads(2)
public class CacheBench2T extends CacheBench {
}
