package io.dash4j.bench.servers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** compare-servers rewrites docs/results-servers.md; the section persist-bench wrote must survive. */
class ServersReportTest {

    @TempDir
    Path dir;

    private String kept(String content) throws IOException {
        Path f = dir.resolve("results-servers.md");
        Files.writeString(f, content);
        return ServersReport.Run.keptPersistenceSection(f);
    }

    @Test
    void keepsTheSectionAtTheEnd() throws IOException {
        String section = ServersReport.Run.PERSISTENCE_HEADING + ", 12-byte keys\n\n| keys |\n|---:|\n| 1000000 |\n";
        assertEquals(section, kept("# title\n\n## Memory\n\ntext\n\n" + section));
    }

    @Test
    void keepsTheSectionBetweenOthersWithoutTheNext() throws IOException {
        String section = ServersReport.Run.PERSISTENCE_HEADING + "\n\nrows\n";
        assertEquals(section, kept("# title\n\n" + section + "\n## Reproduce\n\nsh\n"));
    }

    @Test
    void keepsNothingWhenThereIsNoSectionOrNoFile() throws IOException {
        assertEquals("", kept("# title\n\n## Memory\n\ntext\n"));
        assertEquals("", ServersReport.Run.keptPersistenceSection(dir.resolve("absent.md")));
    }
}
