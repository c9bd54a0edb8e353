package io.dash4j.bench.sim.trace;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * A trace file in {@link TraceFormat#ARC} or {@link TraceFormat#PLAIN} format. A name ending in
 * {@code .zst} is decompressed while it is read (zstd-jni, streaming; nothing goes to disk), as
 * is one ending in {@code .gz}.
 */
public final class TraceFile implements TraceSource {

    private final Path path;
    private final TraceFormat format;

    public TraceFile(Path path, TraceFormat format) {
        this.path = Objects.requireNonNull(path, "path");
        this.format = format != null ? format : TraceFormat.guess(fileName(path));
    }

    @Override
    public String name() {
        return fileName(path);
    }

    public Path path() {
        return path;
    }

    public TraceFormat format() {
        return format;
    }

    @Override
    public KeySource open() throws IOException {
        InputStream in = openDecompressed(path);
        return format == TraceFormat.ARC ? new ArcTraceReader(in, name()) : new PlainTraceReader(in);
    }

    /** The file's bytes, decompressed on the fly according to its extension. */
    public static InputStream openDecompressed(Path path) throws IOException {
        InputStream raw = Files.newInputStream(path);
        try {
            String n = fileName(path).toLowerCase(Locale.ROOT);
            if (n.endsWith(".zst") || n.endsWith(".zstd")) {
                return new ZstdInputStreamNoFinalizer(raw);
            }
            if (n.endsWith(".gz")) {
                return new GZIPInputStream(raw, 1 << 16);
            }
            return new BufferedInputStream(raw, 1 << 16);
        } catch (IOException | RuntimeException | Error e) {
            raw.close();
            throw e;
        }
    }

    static String stripCompression(String lowerName) {
        for (String ext : new String[] {".zst", ".zstd", ".gz"}) {
            if (lowerName.endsWith(ext)) {
                return lowerName.substring(0, lowerName.length() - ext.length());
            }
        }
        return lowerName;
    }

    private static String fileName(Path path) {
        Path f = path.getFileName();
        return f == null ? path.toString() : f.toString();
    }
}
