package io.dash4j.server;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/dash4j-server} sizes the JVM from {@code --maxmemory} and {@code --threads}, as its
 * header and docs/server.md ("The JVM: heap, collector and RSS") document: Serial GC, -Xmx =
 * maxmemory x 3/2 + 64 MiB, a young generation of 4 MiB per shard thread (at most a quarter of the
 * heap), -Xms = young + 64 MiB (the old generation's floor, at most a quarter of the heap), free ratios 10/20, no class-data archive, C2 only, native heap trimming,
 * MALLOC_ARENA_MAX=2. Checked through its {@code --print-jvm-flags} dry run (nothing is built or
 * started), with the size notation parsed by {@link ServerConfig#parseMemory} as the model, and the
 * computed flags fed to the JVM running this test to prove it accepts them.
 */
class LauncherFlagsTest {

    static final Path LAUNCHER = Path.of("..", "bin", "dash4j-server");
    static final long MIB = 1024 * 1024;

    /** The launcher's output, split into words, and its exit status. */
    record Run(int status, List<String> words, String text) {
        String flagStarting(String prefix) {
            return words.stream().filter(w -> w.startsWith(prefix)).findFirst().orElse(null);
        }

        long megabytes(String prefix) {
            String f = flagStarting(prefix);
            assertThat(f).as("flag %s in %s", prefix, text).isNotNull();
            assertThat(f).endsWith("m");
            return Long.parseLong(f.substring(prefix.length(), f.length() - 1));
        }

        /** The JVM flags: the words between the java binary and -jar. */
        List<String> jvmFlags() {
            int java = words.indexOf(javaBinary());
            int jar = words.indexOf("-jar");
            return words.subList(java + 1, jar);
        }
    }

    static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    static Run launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString(), "--print-jvm-flags"));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("DASH4J_JAVA_OPTS");
        pb.environment().remove("MALLOC_ARENA_MAX");
        pb.environment().put("DASH4J_JAVA", javaBinary());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out.isEmpty() ? List.of() : List.of(out.split("\\s+")), out);
    }

    static Run launcher(String... args) throws IOException, InterruptedException {
        return launcher(Map.of(), args);
    }

    /** The documented heap cap for a data budget of {@code bytes}. */
    static long heapMiB(long bytes) {
        return (bytes * 3 / 2 + MIB - 1) / MIB + 64;
    }

    @Test
    @Timeout(60)
    void sizesTheJvmFromMaxmemoryAndThreads() throws Exception {
        Run r = launcher("--port", "7000", "--maxmemory", "512mb", "--threads", "2");
        assertThat(r.status()).as(r.text()).isZero();
        assertThat(r.words().get(0)).isEqualTo("MALLOC_ARENA_MAX=2");
        assertThat(r.megabytes("-Xmx")).isEqualTo(512 * 3 / 2 + 64);
        assertThat(r.megabytes("-Xmn")).isEqualTo(8);
        assertThat(r.megabytes("-Xms")).isEqualTo(8 + 64);
        assertThat(r.jvmFlags()).contains("-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=20", "-Xshare:off", "-XX:-TieredCompilation");
        // The server's own arguments pass through unchanged, after the jar.
        int jar = r.words().indexOf("-jar");
        assertThat(r.words().get(jar + 1)).endsWith("dash-server.jar");
        assertThat(r.words().subList(jar + 2, r.words().size()))
                .containsExactly("--port", "7000", "--maxmemory", "512mb", "--threads", "2");
        assertThat(r.words()).doesNotContain("--print-jvm-flags");
    }

    @Test
    @Timeout(60)
    void theJvmAcceptsTheFlags() throws Exception {
        Run r = launcher("--maxmemory", "64mb", "--threads", "3");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(r.jvmFlags());
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }

    @Test
    @Timeout(60)
    void withoutMaxmemoryTheHeapCapIsTheJvmsDefault() throws Exception {
        for (String[] args : new String[][]{{"--threads", "1"}, {"--maxmemory", "0", "--threads", "1"}}) {
            Run r = launcher(args);
            assertThat(r.status()).as(r.text()).isZero();
            assertThat(r.flagStarting("-Xmx")).as(r.text()).isNull();
            assertThat(r.megabytes("-Xmn")).isEqualTo(4);
            assertThat(r.megabytes("-Xms")).isEqualTo(4 + 64);
            assertThat(r.jvmFlags()).contains("-XX:+UseSerialGC");
        }
    }

    @Test
    @Timeout(60)
    void javaOptsReplaceTheComputedFlags() throws Exception {
        Run r = launcher(Map.of("DASH4J_JAVA_OPTS", "-Xmx2g -XX:+UseG1GC"), "--maxmemory", "100mb");
        assertThat(r.status()).as(r.text()).isZero();
        assertThat(r.jvmFlags()).containsExactly("-Xmx2g", "-XX:+UseG1GC");
        assertThat(r.words().get(0)).isEqualTo(javaBinary());
    }

    @Test
    @Timeout(60)
    void badSizesAreRefusedWithTheirValue() throws Exception {
        for (String bad : new String[]{"12xb", "-5mb", "", "mb", "1.5gb"}) {
            Run r = launcher("--maxmemory", bad);
            assertThat(r.status()).as(r.text()).isEqualTo(2);
            assertThat(r.text()).contains("bad value '" + bad + "' for --maxmemory");
        }
        Run r = launcher("--threads", "0");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.text()).contains("bad value '0' for --threads");
        assertThat(launcher("--maxmemory").text()).contains("missing value for --maxmemory");
    }

    @Provide
    Arbitrary<String> sizes() {
        Arbitrary<String> unit = Arbitraries.of("", "b", "k", "kb", "m", "mb", "g", "gb", "MB", "Gb", "K");
        return Arbitraries.longs().between(1, 20_000).flatMap(n -> unit.map(u -> n + u));
    }

    /** Whatever the notation, the launcher reads the size as the server does and applies the formula. */
    @Property(tries = 15)
    void heapAndYoungFollowTheFormula(@ForAll("sizes") String size, @ForAll @IntRange(min = 1, max = 64) int threads,
                                      @ForAll boolean equalsForm) throws Exception {
        Run r = equalsForm ? launcher("--maxmemory=" + size, "--threads=" + threads)
                : launcher("--threads", String.valueOf(threads), "--maxmemory", size);
        assertThat(r.status()).as(r.text()).isZero();
        long heap = heapMiB(ServerConfig.parseMemory(size));
        assertThat(r.megabytes("-Xmx")).isEqualTo(heap);
        long young = Math.min(4L * threads, heap / 4);
        assertThat(r.megabytes("-Xmn")).isEqualTo(young);
        assertThat(r.megabytes("-Xms")).isEqualTo(young + Math.min(64, heap / 4));
    }

    @Test
    void theLauncherIsExecutable() {
        assertThat(Files.isExecutable(LAUNCHER)).isTrue();
    }
}
