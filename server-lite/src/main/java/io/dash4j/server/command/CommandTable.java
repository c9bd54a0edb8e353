package io.dash4j.server.command;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The command table: every RESP command's {@link CommandSpec}, registered by its family
 * ({@link ConnectionFamily}, {@link KeyspaceFamily}, {@link StringFamily}, {@link ServerFamily}).
 * One source for dispatch (arity), MULTI (flags), routing (key positions) and COMMAND.
 */
public final class CommandTable {

    private final Map<String, CommandSpec> byName = new HashMap<>();
    private final Map<String, CommandSpec> sorted = new TreeMap<>();

    /** The server's table: all families. */
    public static final CommandTable STANDARD = standard();

    private static CommandTable standard() {
        CommandTable t = new CommandTable();
        ConnectionFamily.register(t);
        KeyspaceFamily.register(t);
        StringFamily.register(t);
        ServerFamily.register(t);
        io.dash4j.server.tx.TransactionFamily.register(t);
        PersistenceFamily.register(t);
        return t;
    }

    /**
     * Adds a command. {@code flags} is a space-separated list of {@link Flag} names
     * ({@code "write denyoom fast"}).
     */
    public CommandTable add(String name, int arity, String flags, int firstKey, int lastKey, int step, String group,
                            String summary, Handler handler) {
        EnumSet<Flag> set = EnumSet.noneOf(Flag.class);
        for (String f : flags.trim().split("\\s+")) {
            if (!f.isEmpty()) {
                set.add(Flag.parse(f));
            }
        }
        if (firstKey > 0 && (lastKey < 0 || lastKey > firstKey)) {
            set.add(Flag.MULTI_KEY);
        }
        CommandSpec spec = new CommandSpec(name, arity, set, firstKey, lastKey, step, group, summary, handler);
        if (byName.put(name, spec) != null) {
            throw new IllegalStateException("command registered twice: " + name);
        }
        sorted.put(name, spec);
        index();
        return this;
    }

    /**
     * Gives the registered command {@code name} an in-place handler for its {@code argc}-word form
     * (see {@link InPlaceHandler}).
     */
    public CommandTable inPlace(String name, int argc, InPlaceHandler h) {
        CommandSpec spec = byName.get(name);
        if (spec == null || !spec.arityOk(argc)) {
            throw new IllegalStateException("no " + argc + "-word form of " + name + " to run in place");
        }
        CommandSpec with = spec.withInPlace(argc, h);
        byName.put(name, with);
        sorted.put(name, with);
        index();
        return this;
    }

    /** The spec of command {@code name} (any case), or null. */
    public CommandSpec lookup(byte[] name) {
        return lookup(name, 0, name.length);
    }

    /**
     * The spec of the command named {@code a[off, off+len)} in any ASCII case, or null. The hot
     * path of every command: no String, no allocation (an open-addressing table of the lowercase
     * names' bytes, rebuilt when a command is added).
     */
    public CommandSpec lookup(byte[] a, int off, int len) {
        byte[][] names = byteNames;
        int mask = names.length - 1;
        for (int i = foldedHash(a, off, len) & mask; names[i] != null; i = (i + 1) & mask) {
            if (equalsFolded(names[i], a, off, len)) {
                return bySlot[i];
            }
        }
        return null;
    }

    private byte[][] byteNames = new byte[1][];
    private CommandSpec[] bySlot = new CommandSpec[1];

    private void index() {
        int cap = Integer.highestOneBit(Math.max(4, byName.size() * 4) - 1) << 1;
        byte[][] names = new byte[cap][];
        CommandSpec[] specs = new CommandSpec[cap];
        for (Map.Entry<String, CommandSpec> e : byName.entrySet()) {
            byte[] n = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
            int i = foldedHash(n, 0, n.length) & (cap - 1);
            while (names[i] != null) {
                i = (i + 1) & (cap - 1);
            }
            names[i] = n;
            specs[i] = e.getValue();
        }
        byteNames = names;
        bySlot = specs;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static int foldedHash(byte[] a, int off, int len) {
        int h = len;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + lower(a[i]);
        }
        return h ^ (h >>> 16);
    }

    private static boolean equalsFolded(byte[] lowerName, byte[] a, int off, int len) {
        if (lowerName.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (lowerName[i] != lower(a[off + i])) {
                return false;
            }
        }
        return true;
    }

    public CommandSpec lookup(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every command, sorted by name. */
    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(sorted.values());
    }

    public int size() {
        return byName.size();
    }
}
