package io.dash4j.server.command;

import io.dash4j.server.Call;
import io.dash4j.server.Persistence;
import io.dash4j.server.persist.SnapshotJob;

import java.util.function.Consumer;

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
     * Starts a save whose images are fixed on every shard before the call completes: a command
     * pipelined after it on any connection reaches each shard after its image was fixed.
     * {@code whenDone} gets the outcome; false when a save is already running.
     */
    private static boolean startFixed(Call c, Consumer<SnapshotJob.Outcome> whenDone, Object reply) {
        Persistence p = c.client.server().persistence();
        SnapshotJob job;
        try {
            job = p.begin(whenDone);
        } catch (IllegalStateException e) {
            c.then = null;
            throw CommandError.err("ERR " + e.getMessage()).exception();
        }
        if (job == null) {
            return false;
        }
        c.onAllShards((s, call, part) -> {
            p.fixImage(s, job);
            return null;
        }, call -> reply);
        return true;
    }

    /**
     * SAVE: the images are fixed on every shard (phase 1, as BGSAVE), then the call waits for the
     * dump to be on disk (phase 2, an event). The outcome may come back before phase 1 has
     * gathered (a tiny dataset): both run on the caller's home thread, so a holder settles it.
     */
    private static void save(Call c) {
        Object[] outcome = {null};
        boolean[] waiting = {false};
        c.then = () -> { // set first: with one shard the parts are all back inside startFixed
            if (outcome[0] != null) {
                Object r = outcome[0];
                c.gather = call -> r;
            } else {
                waiting[0] = true;
                c.awaitEvent();
            }
        };
        boolean started = startFixed(c, o -> c.owner.home().postTask(() -> {
            if (waiting[0]) {
                c.eventArrived(reply(o));
            } else {
                outcome[0] = reply(o);
            }
        }), null);
        if (!started) {
            c.then = null;
            throw CommandError.err("ERR Background save already in progress").exception();
        }
    }

    private static void bgsave(Call c) {
        boolean schedule = c.argv.length == 2 && is(c.argv[1], "SCHEDULE");
        if (c.argv.length > 2 || (c.argv.length == 2 && !schedule)) {
            throw CommandError.SYNTAX.exception();
        }
        if (startFixed(c, null, new Replies.Status("Background saving started"))) {
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
