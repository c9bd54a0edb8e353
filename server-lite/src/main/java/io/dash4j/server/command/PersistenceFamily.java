package io.dash4j.server.command;

import io.dash4j.server.Call;
import io.dash4j.server.Persistence;
import io.dash4j.server.persist.SnapshotJob;

import static io.dash4j.server.command.Args.is;

/**
 * SAVE, BGSAVE and LASTSAVE over {@link Persistence}. Neither save stops the server: both take
 * the same forkless snapshot, walked by the shards between commands; SAVE only answers when the
 * dump is on disk (Redis's SAVE blocks every client; ours blocks only the caller).
 */
public final class PersistenceFamily {

    private PersistenceFamily() {
    }

    static void register(CommandTable t) {
        t.add("save", 1, "admin noscript no_multi", 0, 0, 0, "server",
                "Saves the dataset to disk and answers when it is there.", PersistenceFamily::save);
        t.add("bgsave", -1, "admin noscript no_multi", 0, 0, 0, "server",
                "Saves the dataset to disk in the background.", PersistenceFamily::bgsave);
        t.add("lastsave", 1, "fast loading stale", 0, 0, 0, "server",
                "Unix time of the last successful save.", PersistenceFamily::lastsave);
    }

    private static void save(Call c) {
        Persistence p = c.client.server().persistence();
        String refused = p.startBackgroundSave(outcome -> c.owner.home().postTask(() -> c.finish(reply(outcome))));
        if (refused != null) {
            throw CommandError.err("ERR " + refused).exception();
        }
    }

    private static void bgsave(Call c) {
        boolean schedule = c.argv.length == 2 && is(c.argv[1], "SCHEDULE");
        if (c.argv.length > 2 || (c.argv.length == 2 && !schedule)) {
            throw CommandError.SYNTAX.exception();
        }
        Persistence p = c.client.server().persistence();
        String refused = p.startBackgroundSave(null);
        if (refused == null) {
            c.finish(new Replies.Status("Background saving started"));
        } else if (schedule) {
            c.finish(new Replies.Status("Background saving scheduled"));
            p.whenSaved(done -> p.startBackgroundSave(null));
        } else {
            throw CommandError.err("ERR " + refused).exception();
        }
    }

    private static void lastsave(Call c) {
        c.finish(c.client.server().persistence().lastSaveSeconds());
    }

    /** A save's outcome as a reply. */
    static Object reply(SnapshotJob.Outcome o) {
        return o.ok() ? Replies.OK : CommandError.err("ERR " + o.error());
    }
}
