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
        return this;
    }

    /** The spec of command {@code name} (any case), or null. */
    public CommandSpec lookup(byte[] name) {
        return byName.get(new String(name, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
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
