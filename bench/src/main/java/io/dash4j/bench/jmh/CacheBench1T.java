package io.dash4j.bench.jmh;

import org.openjdk.jmh.annotations.Threads;

/** {@link CacheBench} on one thread: DashCache single-owner, ArenaLruCache unsynchronized. */
@Threads(1)
public class CacheBench1T extends CacheBench {
}
