package io.dash4j.server.command;

import java.util.EnumSet;
import java.util.Set;

/**
 * One row of the command table: Redis's arity (negative = at least |arity| words, the name
 * included), flags, key positions ({@code firstKey}, {@code lastKey} (-1 = the last argument, -2
 * the one before), {@code step}; 0 0 0 = no keys), the family it belongs to (COMMAND DOCS' group)
 * and a one-line summary, and the handler that runs it. The same row serves dispatch (arity),
 * MULTI (flags, queueing), routing (key positions), COMMAND/COMMAND INFO/DOCS and a future ACL.
 */
public record CommandSpec(String name, int arity, Set<Flag> flags, int firstKey, int lastKey, int step,
                          String group, String summary, Handler handler, InPlaceHandler inPlace, int inPlaceArgc) {

    public CommandSpec {
        flags = flags.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(flags);
    }

    public CommandSpec(String name, int arity, Set<Flag> flags, int firstKey, int lastKey, int step,
                       String group, String summary, Handler handler) {
        this(name, arity, flags, firstKey, lastKey, step, group, summary, handler, null, 0);
    }

    /** This row with an in-place handler for commands of exactly {@code argc} words (name included). */
    public CommandSpec withInPlace(int argc, InPlaceHandler h) {
        return new CommandSpec(name, arity, flags, firstKey, lastKey, step, group, summary, handler, h, argc);
    }

    /** True when a command of {@code argc} words can run from its slices ({@link InPlaceHandler}). */
    public boolean runsInPlace(int argc) {
        return inPlace != null && argc == inPlaceArgc;
    }

    public boolean has(Flag f) {
        return flags.contains(f);
    }

    /** True when {@code argc} words (name included) satisfy the arity. */
    public boolean arityOk(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    /** Indices in argv of this command's keys (from the key positions), possibly empty. */
    public int[] keyIndices(int argc) {
        if (firstKey <= 0) {
            return new int[0];
        }
        int last = lastKey >= 0 ? lastKey : argc + lastKey;
        if (last >= argc) {
            last = argc - 1;
        }
        if (last < firstKey) {
            return new int[0];
        }
        int n = (last - firstKey) / step + 1;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = firstKey + i * step;
        }
        return idx;
    }
}
