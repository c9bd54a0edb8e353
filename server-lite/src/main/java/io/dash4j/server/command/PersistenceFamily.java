package io.dash4j.server.command;

import io.dash4j.server.Call;
import io.dash4j.server.Persistence;
import io.dash4j.server.Shard;
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

    /**
     * Starts a save and ends the call when its images are fixed on every shard, at one instant
     * ({@link Persistence#fixImagesTogether}): a command sent after the reply, on any connection,
     * is not in the image. With {@code untilOnDisk} the call waits for the dump to be on disk
     * instead and answers its outcome (SAVE). False when a save is already running.
     */
    private static boolean start(Call c, boolean untilOnDisk, Object reply) {
        Persistence p = c.client.server().persistence();
        Shard home = c.owner.home();
        SnapshotJob job;
        try {
            job = p.begin(untilOnDisk ? o -> home.postTask(() -> c.eventArrived(reply(o))) : null);
        } catch (IllegalStateException e) {
            throw CommandError.err("ERR " + e.getMessage()).exception();
        }
        if (job == null) {
            return false;
        }
        c.awaitEvent(); // ended on the home thread by the outcome (SAVE) or by the fixed images
        p.fixImagesTogether(job, home, untilOnDisk ? () -> { } : () -> c.eventArrived(reply));
        return true;
    }

    /** SAVE: the images are fixed as for BGSAVE, and the call answers when the dump is on disk. */
    private static void save(Call c) {
        if (!start(c, true, null)) {
            throw CommandError.err("ERR Background save already in progress").exception();
        }
    }

    private static void bgsave(Call c) {
        boolean schedule = c.argv.length == 2 && is(c.argv[1], "SCHEDULE");
        if (c.argv.length > 2 || (c.argv.length == 2 && !schedule)) {
            throw CommandError.SYNTAX.exception();
        }
        if (start(c, false, new Replies.Status("Background saving started"))) {
            return;
        }
        if (!schedule) {
            throw CommandError.err("ERR Background save already in progress").exception();
        }
        Persistence p = c.client.server().persistence();
        p.whenSaved(done -> p.startBackgroundSave(null));
        c.finish(new Replies.Status("Background saving scheduled"));
    }

    private static void lastsave(Call c) {
        c.finish(c.client.server().persistence().lastSaveSeconds());
    }

    /** A save's outcome as a reply. */
    static Object reply(SnapshotJob.Outcome o) {
        return o.ok() ? Replies.OK : CommandError.err("ERR " + o.error());
    }
}
