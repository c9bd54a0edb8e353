package io.dash4j.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * memjs, node's memcached client (binary protocol only), against the memcached port:
 * {@code src/test/node/memjs-check.js} runs each command family and checks the answers (it passes
 * against memcached 1.6 too). Skipped unless {@code node} is on the PATH and memjs is installed
 * there: {@code npm install --prefix server-lite/src/test/node} (which {@code .ci/run} can do).
 */
class MemjsClientTest {

    static final Path SCRIPT_DIR = Path.of("src/test/node");

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void memjsPasses() throws Exception {
        Optional<Path> node = ExternalTools.find("node", "nodejs");
        assumeTrue(node.isPresent(), "node not installed");
        assumeTrue(Files.isDirectory(SCRIPT_DIR.resolve("node_modules/memjs")),
                "memjs not installed: npm install --prefix server-lite/src/test/node");
        Server server = TestServers.start(c -> c.memcachedPort = -1);
        try {
            ExternalTools.Result r = ExternalTools.run(List.of(node.get().toString(),
                    SCRIPT_DIR.resolve("memjs-check.js").toString(), Integer.toString(server.memcachedPort())), 40);
            assertThat(r.timedOut()).as("memjs-check.js finished in 40 s:\n%s", r.output()).isFalse();
            assertThat(r.output().lines().toList()).as(r.output()).containsSubsequence("ok set/get", "ok add/replace",
                    "ok append/prepend", "ok increment/decrement", "ok touch/delete", "ok stats", "ok flush", "done");
            assertThat(r.exitCode()).as(r.output()).isZero();
        } finally {
            server.close();
        }
    }
}
