import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JFR recording and prints the top frames of the shard threads ({@code dash4j-shard-*}):
 * CPU samples ({@code jdk.ExecutionSample}) by leaf method and by the leaf's 3-frame stack, and
 * allocation samples ({@code jdk.ObjectAllocationSample}, weighted by the bytes they stand for)
 * by allocated class and by allocating frame (the first frame outside java.*, jdk.* and the
 * JCTools queue, so an ArrayList growth is charged to its dash4j caller). Run with the source
 * launcher: {@code java bench/profile/JfrTop.java rec.jfr [topN] [ops]}; with {@code ops} (the
 * commands the recording covered) allocation is also printed as bytes per command.
 */
public final class JfrTop {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long ops = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Map<String, Long> leaf = new HashMap<>();
        Map<String, Long> depth3 = new HashMap<>();
        Map<String, Long> allocClass = new HashMap<>();
        Map<String, Long> allocSite = new HashMap<>();
        long samples = 0;
        long allocBytes = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            boolean cpu = type.equals("jdk.ExecutionSample");
            boolean alloc = type.equals("jdk.ObjectAllocationSample");
            if (!cpu && !alloc) {
                continue;
            }
            var thread = e.getThread(cpu ? "sampledThread" : "eventThread");
            if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith("dash4j-shard")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            List<RecordedFrame> frames = st == null ? List.of() : st.getFrames();
            if (cpu) {
                samples++;
                leaf.merge(frames.isEmpty() ? "?" : name(frames.get(0)), 1L, Long::sum);
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < Math.min(3, frames.size()); i++) {
                    b.append(i == 0 ? "" : " <- ").append(name(frames.get(i)));
                }
                depth3.merge(b.toString(), 1L, Long::sum);
            } else {
                long w = e.getLong("weight");
                allocBytes += w;
                allocClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
                String site = "?";
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (!n.startsWith("java.") && !n.startsWith("jdk.") && !n.startsWith("sun.") && !n.startsWith("org.jctools")) {
                        site = n + ":" + f.getLineNumber();
                        break;
                    }
                }
                allocSite.merge(site, w, Long::sum);
            }
        }
        System.out.printf("shard-thread CPU samples: %d%n", samples);
        print("CPU, leaf frame", leaf, samples, top, 0);
        print("CPU, leaf and its two callers", depth3, samples, top, 0);
        System.out.printf("%nshard-thread allocation (sampled, weighted): %,d bytes%s%n", allocBytes,
                ops > 0 ? String.format(" = %.0f B per command over %,d commands", (double) allocBytes / ops, ops) : "");
        print("allocation by class", allocClass, allocBytes, top, ops);
        print("allocation by first dash4j frame", allocSite, allocBytes, top, ops);
    }

    private static String name(RecordedFrame f) {
        String cls = f.getMethod().getType().getName();
        int dot = cls.lastIndexOf('.');
        String pkg = dot < 0 ? "" : cls.substring(0, dot);
        String simple = cls.substring(dot + 1);
        if (pkg.startsWith("io.dash4j")) {
            pkg = pkg.replace("io.dash4j.", "");
        }
        return (pkg.isEmpty() ? "" : pkg + ".") + simple + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> m, long total, int top, long ops) {
        System.out.printf("%n%s%n", title);
        List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
        l.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (int i = 0; i < Math.min(top, l.size()); i++) {
            var en = l.get(i);
            System.out.printf("  %5.1f%%  %s%s%n", 100.0 * en.getValue() / Math.max(1, total), en.getKey(),
                    ops > 0 ? String.format("  (%.1f B/cmd)", (double) en.getValue() / ops) : "");
        }
    }
}
