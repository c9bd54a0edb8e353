package io.dash4j.server;

import io.dash4j.server.persist.RdbFormatException;
import io.dash4j.server.persist.RdbReader;
import io.dash4j.server.persist.SaveRules;
import io.dash4j.server.persist.SnapshotJob;
import io.dash4j.server.store.Entry;
import io.dash4j.server.store.Key;
import io.dash4j.server.store.ShardStore;
import io.dash4j.server.tx.Transaction;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's persistence: BGSAVE and SAVE (a {@link SnapshotJob} fed by every shard's
 * {@link ShardSaver}), the {@code save} rules that start a BGSAVE on their own, loading the dump
 * at start-up, and the figures of INFO persistence and LASTSAVE.
 *
 * <p>A save never stops service: the shards fix their images at one instant (a whole-keyspace
 * transaction held for one hop per shard, {@link #fixImagesTogether}) and walk them in slices
 * between their next commands (docs/persistence.md). One save runs at a time.
 */
public final class Persistence {

    /** Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed save, the rules wait this long. */
    static final long RETRY_DELAY_MILLIS = 5_000;

    private final Server server;
    private final ServerConfig config;
    private final AtomicInteger saveIds = new AtomicInteger();

    private volatile SnapshotJob running;
    private final List<Consumer<SnapshotJob.Outcome>> waiting = new ArrayList<>();
    private volatile long lastSaveMillis;
    private volatile long lastAttemptMillis;
    private volatile boolean lastOk = true;
    private volatile String lastError = "";
    private volatile long lastDurationMillis = -1;
    private volatile long lastKeys;
    private volatile long lastBytes;
    private volatile long lastWriterBusyMillis;
    private volatile long lastWriterPacedMillis;
    private volatile long saves;
    /** Per shard: the change counter the last successful save covered. */
    private final long[] savedChanges;
    /** Per shard: the change counter at the running save's start. */
    private final long[] startChanges;
    private volatile long loadedKeys;
    private volatile long loadedExpired;
    private volatile long loadMillis;
    /** Temporary files of killed saves deleted at start-up. */
    private volatile long staleTempFilesRemoved;

    Persistence(Server server) {
        this.server = server;
        this.config = server.config;
        this.savedChanges = new long[config.threads];
        this.startChanges = new long[config.threads];
        this.lastSaveMillis = config.clock.getAsLong();
    }

    /** The dump's path, or null when no directory is configured (a server built in code). */
    public Path dumpPath() {
        String dir = config.dir;
        return dir == null ? null : Path.of(dir).resolve(config.dbfilename);
    }

    /** Why nothing can be saved, or null. */
    private String unavailable() {
        return config.dir == null ? "no dump directory is configured (--dir, CONFIG SET dir)" : null;
    }

    // ------------------------------------------------------------------ saving

    /**
     * Starts a background save; {@code whenDone} (may be null) is called with its outcome on the
     * job's thread. Returns null when started, or the reason it was not (one already runs). The
     * images are fixed shortly after ({@link #fixImagesTogether}, coordinated from shard 0): a
     * command that must see them fixed before it answers uses {@link #begin} and
     * {@link #fixImagesTogether} itself.
     */
    public String startBackgroundSave(Consumer<SnapshotJob.Outcome> whenDone) {
        if (unavailable() != null) {
            return unavailable();
        }
        SnapshotJob job = begin(whenDone);
        if (job == null) {
            return "Background save already in progress";
        }
        fixImagesTogether(job, server.shard(0), () -> { });
        return null;
    }

    /**
     * Creates the save and starts its writer thread, which waits until every shard has fixed its
     * image ({@link #fixImage}). Returns null when a save is already running.
     *
     * @throws IllegalStateException when no dump directory is configured
     */
    public synchronized SnapshotJob begin(Consumer<SnapshotJob.Outcome> whenDone) {
        if (unavailable() != null) {
            throw new IllegalStateException(unavailable());
        }
        if (running != null) {
            return null;
        }
        int id = saveIds.incrementAndGet();
        Map<String, String> aux = new LinkedHashMap<>();
        aux.put("redis-ver", Server.REDIS_COMPAT_VERSION);
        aux.put("redis-bits", "64");
        aux.put("ctime", Long.toString(config.clock.getAsLong() / 1000));
        aux.put("used-mem", Long.toString(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()));
        aux.put("aof-base", "0");
        aux.put("dash4j-ver", Server.VERSION);
        SnapshotJob job = new SnapshotJob(dumpPath(), "temp-" + ProcessHandle.current().pid() + "-" + id + ".rdb",
                config.dumpOpener, server.shardCount(), aux, config.rdbcompression, ShardSaver::encode,
                this::wakeShards, this::commandsServed, this::finished);
        running = job;
        lastAttemptMillis = config.clock.getAsLong();
        if (whenDone != null) {
            waiting.add(whenDone);
        }
        Thread writer = new Thread(job, "dash4j-bgsave-" + id);
        writer.setDaemon(true);
        writer.start();
        return job;
    }

    /**
     * Fixes every shard's image for {@code job} at one instant, then lets writes go on while the
     * shards walk their images; {@code whenFixed} runs on {@code home}'s thread once all are fixed.
     *
     * <p>The save is a {@link Transaction} that takes every shard whole, in ascending shard order
     * as every transaction does (so it cannot deadlock with them). A shard grants the whole-shard
     * lock only when no transaction holds any of its keys, and then runs nothing else until the
     * release: its image is fixed the moment it is granted, and it stays exactly as it is until
     * the last shard is granted. So every image is the data at that one moment, and a cross-shard
     * MSET (a transaction) is either wholly before it or wholly after it. The locks are released
     * as soon as the last shard is granted: the shards stop for one hop each, not for the walk.
     */
    public void fixImagesTogether(SnapshotJob job, Shard home, Runnable whenFixed) {
        Transaction fix = new Transaction(home).addEveryShard();
        fix.lock(shard -> fixImage(shard, job), () -> {
            fix.release();
            whenFixed.run();
        });
    }

    /** On {@code shard}'s thread, between two commands: fixes its point-in-time image for {@code job}. */
    private void fixImage(Shard shard, SnapshotJob job) {
        shard.startSaving(job, changes -> startChanges[shard.id] = changes);
    }

    /**
     * Commands the shards have run: a hint for the save's writer, which stays in the background
     * while it moves. Read without synchronization (each shard writes its own counter): a stale
     * value only delays the hint.
     */
    private long commandsServed() {
        long n = 0;
        for (int i = 0; i < server.shardCount(); i++) {
            n += server.shard(i).commands;
        }
        return n;
    }

    /** Wakes every shard (a walk that waited for the writer may go on). */
    private void wakeShards() {
        for (int i = 0; i < server.shardCount(); i++) {
            server.shard(i).post(here -> { });
        }
    }

    /** Adds a listener to the running save; false when none runs. */
    public synchronized boolean whenSaved(Consumer<SnapshotJob.Outcome> listener) {
        if (running == null) {
            return false;
        }
        waiting.add(listener);
        return true;
    }

    private void finished(SnapshotJob.Outcome outcome) {
        List<Consumer<SnapshotJob.Outcome>> toTell;
        synchronized (this) {
            if (outcome.ok()) {
                System.arraycopy(startChanges, 0, savedChanges, 0, savedChanges.length);
                lastSaveMillis = config.clock.getAsLong();
                lastKeys = outcome.keys();
                lastBytes = outcome.bytes();
                lastWriterBusyMillis = outcome.writerBusyMillis();
                lastWriterPacedMillis = outcome.writerPacedMillis();
                saves++;
                lastError = "";
            } else {
                lastError = outcome.error();
                server.log("background save failed: " + outcome.error());
            }
            lastOk = outcome.ok();
            lastDurationMillis = outcome.millis();
            toTell = new ArrayList<>(waiting);
            waiting.clear();
            running = null;
        }
        if (!outcome.ok()) {
            System.err.println("dash4j: background save to " + dumpPath() + " failed: " + outcome.error());
        }
        for (Consumer<SnapshotJob.Outcome> c : toTell) {
            c.accept(outcome);
        }
    }

    /**
     * A save that starts now: when one is already running (its image is older), waits for it and
     * then starts another. {@code whenDone} gets the outcome of the fresh one.
     */
    public void saveFresh(Consumer<SnapshotJob.Outcome> whenDone) {
        String why = unavailable();
        if (why != null) {
            long now = System.currentTimeMillis();
            whenDone.accept(new SnapshotJob.Outcome(false, why, 0, 0, 0, now, 0, 0));
            return;
        }
        if (startBackgroundSave(whenDone) != null && !whenSaved(previous -> saveFresh(whenDone))) {
            saveFresh(whenDone); // the running one ended in between
        }
    }

    /** {@link #saveFresh} and wait (SIGTERM with save rules). */
    public SnapshotJob.Outcome saveAndWait() {
        CompletableFuture<SnapshotJob.Outcome> f = new CompletableFuture<>();
        saveFresh(f::complete);
        return f.join();
    }

    /** Called on shard 0's tick: starts a save when a {@code save} rule is met. */
    void cron(long now) {
        SaveRules rules = config.saveRules();
        if (running != null || rules.isEmpty() || unavailable() != null) {
            return;
        }
        if (!lastOk && now - lastAttemptMillis < RETRY_DELAY_MILLIS) {
            return;
        }
        if (rules.due(changesSinceLastSave(), (now - lastSaveMillis) / 1000)) {
            server.log("save rule met: background save started");
            startBackgroundSave(null);
        }
    }

    public boolean inProgress() {
        return running != null;
    }

    /** LASTSAVE: seconds since the epoch of the last successful save (start-up when none). */
    public long lastSaveSeconds() {
        return lastSaveMillis / 1000;
    }

    public long changesSinceLastSave() {
        long n = 0;
        for (int i = 0; i < server.shardCount(); i++) {
            n += Math.max(0, server.shard(i).publishedChanges() - savedChanges[i]);
        }
        return n;
    }

    // ------------------------------------------------------------------ loading

    /**
     * Loads the dump into the shards' stores (before their threads start). A missing file is an
     * empty start; a file that cannot be read whole stops the start with the file and offset.
     */
    void load() throws IOException {
        Path file = dumpPath();
        if (file == null) {
            return;
        }
        removeStaleTempFiles(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            return;
        }
        long t0 = System.nanoTime();
        long now = config.clock.getAsLong();
        int n = server.shardCount();
        for (int i = 0; i < n; i++) {
            server.shard(i).store.setNow(now);
        }
        long[] expired = {0};
        long[] maxCas = {0};
        RdbReader.Summary summary = RdbReader.read(file, (key, value, expireAt, flags, cas) -> {
            if (expireAt >= 0 && expireAt <= now) {
                expired[0]++; // as Redis's loader on a primary: an expired key is not loaded
                return;
            }
            Key k = new Key(key);
            try {
                ShardStore store = server.shard(k.shard(n)).store;
                store.put(k, Entry.of(key, value, 0, value.length, flags, cas), expireAt >= 0 ? expireAt - now : 0);
                maxCas[0] = Math.max(maxCas[0], cas);
            } catch (RuntimeException e) {
                throw new IOException(file + ": key \"" + new String(key, java.nio.charset.StandardCharsets.UTF_8)
                        + "\" cannot be loaded: " + e.getMessage(), e);
            }
        });
        for (int i = 0; i < n; i++) {
            server.shard(i).store.casAbove(maxCas[0]); // a unique handed out from now on is not in the dump
            long c = server.shard(i).store.changes();
            savedChanges[i] = c; // what was just loaded is what the dump holds
            server.shard(i).publishChanges();
        }
        loadedKeys = summary.keys() - expired[0];
        loadedExpired = expired[0];
        loadMillis = (System.nanoTime() - t0) / 1_000_000;
        server.log("loaded " + loadedKeys + " keys from " + file + " in " + loadMillis + " ms");
    }

    /** A save's temporary file: {@code temp-<pid>-<n>.rdb} ({@link #begin}). */
    private static final Pattern TEMP_FILE = Pattern.compile("temp-(\\d+)-\\d+\\.rdb");

    /**
     * Deletes the temporary files that saves of an earlier process left in {@code dir} (killed
     * in the middle of a save: the file was never renamed and nothing will read it), each one
     * logged on stderr. A file whose pid is a live process other than this one is left alone:
     * another server saving into the same directory.
     */
    private void removeStaleTempFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = TEMP_FILE.matcher(f.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(f)) {
                    continue;
                }
                long pid = m.group(1).length() > 18 ? -1 : Long.parseLong(m.group(1));
                if (pid > 0 && pid != self && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    System.err.println("dash4j: keeping " + f + ": process " + pid + " is alive and may be saving");
                    continue;
                }
                long size = Files.size(f);
                Files.delete(f);
                staleTempFilesRemoved++;
                System.err.println("dash4j: removed " + f + " (" + size + " bytes), the temporary file of a save"
                        + " that did not finish (the process was killed)");
            }
        } catch (IOException e) {
            System.err.println("dash4j: cannot clean up the temporary files in " + dir + ": " + e);
        }
    }

    // ------------------------------------------------------------------ INFO persistence

    Map<String, Object> info() {
        Map<String, Object> p = new LinkedHashMap<>();
        SnapshotJob job = running;
        p.put("loading", 0);
        p.put("async_loading", 0);
        p.put("rdb_changes_since_last_save", changesSinceLastSave());
        p.put("rdb_bgsave_in_progress", job != null ? 1 : 0);
        p.put("rdb_last_save_time", lastSaveSeconds());
        p.put("rdb_last_bgsave_status", lastOk ? "ok" : "err");
        p.put("rdb_last_bgsave_time_sec", lastDurationMillis < 0 ? -1 : lastDurationMillis / 1000);
        p.put("rdb_current_bgsave_time_sec", job != null ? (System.currentTimeMillis() - job.startedAtMillis()) / 1000 : -1);
        p.put("rdb_saves", saves);
        p.put("rdb_last_cow_size", 0);
        p.put("rdb_last_load_keys_expired", loadedExpired);
        p.put("rdb_last_load_keys_loaded", loadedKeys);
        p.put("rdb_last_bgsave_error", lastError);
        p.put("rdb_last_bgsave_time_ms", lastDurationMillis);
        p.put("rdb_last_save_keys", lastKeys);
        p.put("rdb_last_save_bytes", lastBytes);
        p.put("rdb_last_bgsave_writer_busy_ms", lastWriterBusyMillis);
        p.put("rdb_last_bgsave_writer_paced_ms", lastWriterPacedMillis);
        p.put("rdb_last_load_time_ms", loadMillis);
        p.put("rdb_stale_temp_files_removed", staleTempFilesRemoved);
        p.put("rdb_dir", config.dir == null ? "" : Path.of(config.dir).toAbsolutePath().normalize());
        p.put("rdb_dbfilename", config.dbfilename);
        p.put("rdb_save_rules", config.saveRules().toString());
        p.put("aof_enabled", 0);
        p.put("aof_rewrite_in_progress", 0);
        p.put("aof_last_bgrewrite_status", "ok");
        p.put("aof_last_write_status", "ok");
        return p;
    }

    /** The error a start-up load failure prints (file and offset are in the message). */
    static String describe(IOException e) {
        return e instanceof RdbFormatException ? "cannot load the dump: " + e.getMessage()
                : "cannot load the dump: " + e;
    }
}
