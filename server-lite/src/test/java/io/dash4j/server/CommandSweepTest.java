package io.dash4j.server;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command of the table, with a handful of argument shapes, in RESP2 and in RESP3: each gets
 * exactly one well-formed reply and the connection stays usable (a reply value a writer cannot
 * encode would close it).
 */
class CommandSweepTest {

    /** Commands that end the connection or the server, or change the session for later lines. */
    static final Set<String> SKIP = Set.of("shutdown", "quit", "hello", "multi", "exec", "discard", "watch", "unwatch");
    static final String[][] SHAPES = {{}, {"sw:k"}, {"sw:k", "v"}, {"sw:k", "1", "2"}, {"sw:k", "sw:j", "3"},
        {"HELP"}, {"sw:k", "EX", "10"}, {"0", "COUNT", "5"}, {"GET", "*"}, {"INFO", "get"}};

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass();

    /** A RESP2/RESP3 reply reader: returns the reply as text, reading every nested element. */
    static String read(InputStream in) throws IOException {
        String line = line(in);
        char t = line.charAt(0);
        String rest = line.substring(1);
        switch (t) {
            case '+', '-', ':', ',', '#', '_', '(' -> {
                return line;
            }
            case '$', '=', '!' -> {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return line;
                }
                byte[] b = in.readNBytes(n + 2);
                assertEquals("\r\n", new String(b, n, 2, StandardCharsets.ISO_8859_1), "bulk ends with CRLF");
                return line + ":" + new String(b, 0, n, StandardCharsets.ISO_8859_1);
            }
            case '*', '~', '>', '%' -> {
                int n = Integer.parseInt(rest);
                StringBuilder b = new StringBuilder(line);
                for (int i = 0; i < (t == '%' ? 2 * n : n); i++) {
                    b.append(' ').append(read(in));
                }
                return b.toString();
            }
            default -> throw new AssertionError("not a RESP type: " + line);
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed after: " + b);
            }
            b.append((char) c);
        }
        assertTrue(b.length() > 0 && b.charAt(b.length() - 1) == '\r', "line ends with CRLF: " + b);
        return b.substring(0, b.length() - 1);
    }

    static byte[] command(String name, String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length + 1).append("\r\n");
        for (String a : (String[]) java.util.stream.Stream.concat(java.util.stream.Stream.of(name),
                java.util.Arrays.stream(args)).toArray(String[]::new)) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void everyCommandAnswersOnceAndTheConnectionSurvives(int proto) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(command("HELLO", String.valueOf(proto)));
            assertTrue(read(in).startsWith(proto == 3 ? "%7" : "*14"));
            out.write(command("COMMAND", "LIST"));
            List<String> names = new ArrayList<>();
            for (String part : read(in).split(" ")) {
                if (part.startsWith("$")) {
                    names.add(part.substring(part.indexOf(':') + 1));
                }
            }
            assertTrue(names.size() > 50, "COMMAND LIST: " + names);
            for (String name : names) {
                if (SKIP.contains(name)) {
                    continue;
                }
                for (String[] args : SHAPES) {
                    out.write(command(name, args));
                    String reply = read(in);
                    assertTrue(!reply.isEmpty(), name);
                    out.write(command("ECHO", "alive"));
                    assertEquals("$5:alive", read(in), "after " + name + " " + String.join(" ", args));
                }
            }
        }
    }
}
