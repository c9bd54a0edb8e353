package io.dash4j.server;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/dash4j-server} rebuilds the jar when any module's source or pom.xml is newer than it,
 * and otherwise runs the jar as it is, with the JVM flags its dry run prints. The real script runs in a copy of the repository's layout
 * with stand-ins for {@code mvn} and {@code java} that record how they were called.
 */
class StartScriptTest {

    @TempDir
    Path repo;
    Path calls;
    Path jar;
    long base;

    static final Path SCRIPT = locate();

    static Path locate() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("bin/dash4j-server"))) {
            p = p.getParent();
        }
        return p == null ? null : p.resolve("bin/dash4j-server");
    }

    void file(String path, long mtime) throws IOException {
        Path f = repo.resolve(path);
        Files.createDirectories(f.getParent());
        if (!Files.exists(f)) {
            Files.writeString(f, "x");
        }
        Files.setLastModifiedTime(f, FileTime.fromMillis(mtime));
    }

    void executable(Path f, String body) throws IOException {
        Files.writeString(f, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @BeforeEach
    void layout() throws IOException {
        assertThat(SCRIPT).as("bin/dash4j-server").isNotNull();
        Files.createDirectories(repo.resolve("bin"));
        Files.copy(SCRIPT, repo.resolve("bin/dash4j-server"));
        base = System.currentTimeMillis() - 3_600_000;
        for (String f : List.of("pom.xml", "dashtable/pom.xml", "dashtable/src/main/java/A.java",
                "eviction/pom.xml", "eviction/src/main/java/B.java", "server-lite/pom.xml",
                "server-lite/src/main/java/C.java", "server-lite/src/main/resources/r.txt",
                "bench/pom.xml", "bench/src/main/java/D.java", "server-lite/target/classes/C.class")) {
            file(f, base);
        }
        jar = repo.resolve("server-lite/target/dash-server.jar");
        file("server-lite/target/dash-server.jar", base + 60_000);
        calls = repo.resolve("calls.txt");
        Path tools = Files.createDirectories(repo.resolve("tools"));
        // the stand-in mvn "builds": it records its arguments and writes a fresh jar
        executable(tools.resolve("mvn"), "echo \"mvn $*\" >> '" + calls + "'\ntouch '" + jar + "'");
        executable(tools.resolve("java"), "echo \"java $*\" >> '" + calls + "'");
    }

    /** Runs the launcher with fixed JVM options (the build decision is what these tests are about). */
    List<String> run() throws Exception {
        return run(Map.of("DASH4J_JAVA_OPTS", "-Xmx64m"), "--port", "7000");
    }

    List<String> run(Map<String, String> env, String... args) throws Exception {
        Files.deleteIfExists(calls);
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("bin/dash4j-server").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", repo.resolve("tools") + ":" + System.getenv("PATH"));
        pb.environment().remove("DASH4J_JAVA_OPTS");
        pb.environment().remove("DASH4J_JAVA");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Files.readAllLines(calls);
    }

    static final String RUN = "java -Xmx64m -jar server-lite/target/dash-server.jar --port 7000";
    static final String BUILD = "mvn -B -q -pl server-lite -am package -DskipTests";

    @Test
    void runsTheJarAsItIsWhenNothingChanged() throws Exception {
        assertThat(run()).containsExactly(RUN);
        // build output (target/) does not count as source
        file("server-lite/target/classes/C.class", base + 120_000);
        assertThat(run()).containsExactly(RUN);
    }

    @Test
    void rebuildsWhenAnyModulesSourceIsNewer() throws Exception {
        for (String source : List.of("eviction/src/main/java/B.java", "dashtable/src/main/java/A.java",
                "server-lite/src/main/java/C.java", "server-lite/src/main/resources/r.txt",
                "bench/src/main/java/D.java")) {
            file(source, System.currentTimeMillis() + 60_000); // newer than the jar, and than its rebuild
            assertThat(run()).as(source).containsExactly(BUILD, RUN);
            file(source, base);
            assertThat(run()).as("after the rebuild of " + source).containsExactly(RUN);
        }
    }

    @Test
    void rebuildsWhenAPomIsNewer() throws Exception {
        for (String pom : List.of("pom.xml", "server-lite/pom.xml", "eviction/pom.xml")) {
            file(pom, System.currentTimeMillis() + 60_000);
            assertThat(run()).as(pom).containsExactly(BUILD, RUN);
            file(pom, base);
            assertThat(run()).as("rebuilt after " + pom).containsExactly(RUN);
        }
    }

    /** Without DASH4J_JAVA_OPTS the JVM gets exactly the flags {@code --print-jvm-flags} shows. */
    @Test
    void runsTheJvmWithTheFlagsItPrints() throws Exception {
        String[] args = {"--maxmemory", "512mb", "--threads", "2", "--port", "7000"};
        List<String> printed = new ArrayList<>(List.of("--print-jvm-flags"));
        printed.addAll(List.of(args));
        Files.deleteIfExists(calls);
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("bin/dash4j-server").toString());
        pb.command().addAll(printed);
        pb.environment().put("PATH", repo.resolve("tools") + ":" + System.getenv("PATH"));
        pb.environment().remove("DASH4J_JAVA_OPTS");
        pb.environment().remove("DASH4J_JAVA");
        Process p = pb.start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(line).startsWith("MALLOC_ARENA_MAX=2 java -XX:+UseSerialGC -Xmx832m");

        List<String> ran = run(Map.of(), args);
        // the last call is the server; before it, the launcher may ask the JVM whether it knows a flag
        assertThat(ran.get(ran.size() - 1)).isEqualTo(line.substring("MALLOC_ARENA_MAX=2 ".length()));
    }

    @Test
    void buildsWhenTheJarIsMissing() throws Exception {
        Files.delete(jar);
        assertThat(run()).containsExactly(BUILD, RUN);
        assertThat(jar).exists();
    }
}
