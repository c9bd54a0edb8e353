package io.dash4j.server.persist;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's {@code save} parameter: pairs "SECONDS CHANGES" — save in the background when at least
 * CHANGES keys changed and at least SECONDS passed since the last successful save. An empty
 * string means no automatic saves (and no save at SHUTDOWN unless it says SAVE).
 */
public record SaveRules(List<Rule> rules) {

    /** One "SECONDS CHANGES" pair. */
    public record Rule(long seconds, long changes) {
    }

    public static final SaveRules NONE = new SaveRules(List.of());
    /** Redis's default without a config file, and dash4j's in store mode: "3600 1 300 100 60 10000". */
    public static final SaveRules REDIS_DEFAULT = parse("3600 1 300 100 60 10000");

    /**
     * Parses "SECONDS CHANGES [SECONDS CHANGES ...]" or "" (none).
     *
     * @throws IllegalArgumentException on an odd count or a value that is not a non-negative integer
     */
    public static SaveRules parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return NONE;
        }
        String[] parts = t.split("\\s+");
        if (parts.length % 2 != 0) {
            throw new IllegalArgumentException("save rules come in pairs \"SECONDS CHANGES\": '" + text + "'");
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < parts.length; i += 2) {
            long seconds = nonNegative(parts[i], text);
            long changes = nonNegative(parts[i + 1], text);
            rules.add(new Rule(seconds, changes));
        }
        return new SaveRules(List.copyOf(rules));
    }

    private static long nonNegative(String s, String text) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("invalid save rule value '" + s + "' in '" + text + "'");
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** True when some rule is met: {@code changes} keys changed {@code secondsSinceSave} after the last save. */
    public boolean due(long changes, long secondsSinceSave) {
        for (Rule r : rules) {
            if (changes >= r.changes && secondsSinceSave >= r.seconds && changes > 0) {
                return true;
            }
        }
        return false;
    }

    /** As CONFIG GET save answers: "3600 1 300 100". */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Rule r : rules) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(r.seconds).append(' ').append(r.changes);
        }
        return b.toString();
    }
}
