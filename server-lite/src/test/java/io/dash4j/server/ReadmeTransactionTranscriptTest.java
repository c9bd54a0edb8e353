package io.dash4j.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's MULTI/EXEC transcript, replayed through the real redis-cli against a four-shard
 * server: the commands typed at the prompts must produce exactly the lines printed under them.
 * Skipped without redis-cli (redis-tools).
 */
class ReadmeTransactionTranscriptTest {

    private static final Pattern PROMPT = Pattern.compile("^127\\.0\\.0\\.1:6379(?:\\(TX\\))?> (.*)$");

    static Path readme() {
        Path up = Path.of("..", "README.md");
        return Files.exists(up) ? up : Path.of("README.md");
    }

    /** The code block that follows the "Transactions work as in Redis" paragraph. */
    static List<String> transcript() throws Exception {
        String text = Files.readString(readme(), StandardCharsets.UTF_8);
        int at = text.indexOf("Transactions work as in Redis");
        assertThat(at).as("README has the transaction transcript").isPositive();
        int open = text.indexOf("```\n", at) + 4;
        int close = text.indexOf("```", open);
        return List.of(text.substring(open, close).split("\n"));
    }

    @Test
    void readmeTranscriptMatchesRedisCli() throws Exception {
        Optional<Path> cli = ExternalTools.find("redis-cli");
        assumeTrue(cli.isPresent(), "redis-cli not installed (Debian: redis-tools)");
        StringBuilder commands = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (String line : transcript()) {
            Matcher m = PROMPT.matcher(line);
            if (m.matches()) {
                commands.append(m.group(1)).append('\n');
            } else if (!line.startsWith("$ ")) {
                expected.add(line.stripTrailing());
            }
        }
        Server server = TestServers.start(c -> c.threads = 4);
        try {
            Process p = new ProcessBuilder(cli.get().toString(), "--no-raw", "-h", "127.0.0.1", "-p",
                    String.valueOf(server.port())).redirectErrorStream(true).start();
            p.getOutputStream().write(commands.toString().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            List<String> actual = out.lines().map(String::stripTrailing).toList();
            assertThat(actual).containsExactlyElementsOf(expected);
        } finally {
            server.close();
        }
    }
}
