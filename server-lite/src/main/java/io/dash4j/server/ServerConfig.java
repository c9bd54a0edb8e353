package io.dash4j.server;

import io.dash4j.eviction.SlotPolicy;
import io.dash4j.server.persist.DumpWriter;
import io.dash4j.server.persist.SaveRules;
import io.dash4j.server.store.ShardStoreFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Everything the server can be told on its command line. Fields marked "runtime" can also be
 * changed with CONFIG SET while the server runs.
 */
public final class ServerConfig {

    public String bind = "127.0.0.1";
    /** RESP port; 0 = an ephemeral port (tests). */
    public int port = 6379;
    /** memcached text-protocol port; 0 = disabled (-1 = ephemeral, for tests). */
    public int memcachedPort = 11211;
    public int threads = Runtime.getRuntime().availableProcessors();
    /** Bytes of data (entries and tables) the shards may hold together (runtime). */
    public volatile long maxmemory = defaultMaxmemory();
    /**
     * Cache mode evicts at maxmemory under {@link #slotPolicy}; store mode (Redis's
     * {@code noeviction}) answers OOM (runtime).
     */
    public volatile boolean cacheMode = true;
    /** Connections accepted at once over both protocols (runtime). */
    public volatile int maxclients = 10_000;
    /** Longest bulk string a RESP client may send (runtime). */
    public volatile long protoMaxBulkLen = 512L * 1024 * 1024;
    /** Longest inline command or header line. */
    public int maxInlineLen = 64 * 1024;
    /** Most arguments in one RESP multibulk command. */
    public int maxMultibulkLen = 1024 * 1024;
    /** Output queued for one client beyond which it is disconnected (runtime). */
    public volatile long clientOutputBufferLimit = 64L * 1024 * 1024;
    /** All client buffers (input, in-flight arguments, output) over all connections (runtime). */
    public volatile long maxmemoryClients = defaultClientMemory();
    /** Seconds a client may stay idle before it is closed; 0 = never (runtime). */
    public volatile int timeout = 0;
    /** Largest memcached item value (runtime). */
    public volatile int itemSizeMax = 1024 * 1024;
    /**
     * The cache-mode eviction order: a {@link SlotPolicy} preset's name (runtime, through
     * {@code maxmemory-policy}). Default: the library's default, with its ghost filter.
     */
    public volatile String slotPolicy = SlotPolicy.DEFAULT.name();
    /** Makes each shard's store (tests may substitute one). */
    public ShardStoreFactory storeFactory = ShardStoreFactory.DASH;
    /**
     * The shard that owns a key writes the reply of a single-key GET/SET/INCR (memcached, text and
     * binary: get/gets, set/add/replace/append/prepend, incr/decr) sent from another shard's connection itself, instead of sending the result back (runtime; see OwnerReplies).
     */
    public volatile boolean ownerReplies = true;
    /** Commands one connection may have in flight (pipelined) before the server stops reading it. */
    public int maxInflight = 1024;
    /** Wall clock in epoch milliseconds (tests may substitute one). */
    public LongSupplier clock = System::currentTimeMillis;
    /**
     * Where the dump lives ({@code --dir}, Redis's {@code dir}); relative to the working directory.
     * From the command line the default is {@code .}, as Redis; a config built in code (tests,
     * embedding) has none: it neither loads nor saves a dump until a directory is set.
     */
    public volatile String dir;
    /** The dump's file name ({@code --dbfilename}). */
    public volatile String dbfilename = "dump.rdb";
    /**
     * Redis's {@code save} rules ({@code --save "SECONDS CHANGES ..."}, runtime). From the command
     * line without {@code --save}: none in cache mode, {@link SaveRules#REDIS_DEFAULT} in store mode
     * ({@link #parse}). A config built in code (tests, embedding) has none unless it sets them.
     */
    public volatile SaveRules save;
    /** LZF-compress strings in the dump as Redis does ({@code --rdbcompression}). */
    public volatile boolean rdbcompression = true;
    /** Opens the file a dump is written to (tests substitute a full disk). */
    public DumpWriter.Opener dumpOpener = DumpWriter.Opener.FILES;
    /** Print the banner and log lines to stderr/stdout. */
    public boolean verbose = false;

    /** Data budget when none is given: 45% of the maximum heap, leaving room for buffers and GC. */
    public static long defaultMaxmemory() {
        return (long) (Runtime.getRuntime().maxMemory() * 0.45);
    }

    /** Client buffer budget when none is given: 20% of the maximum heap. */
    public static long defaultClientMemory() {
        return (long) (Runtime.getRuntime().maxMemory() * 0.20);
    }

    /** Parses {@code --name value} pairs; throws IllegalArgumentException with a usage line. */
    public static ServerConfig parse(String[] args) {
        ServerConfig c = new ServerConfig();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException(usage());
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + usage());
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for --" + name + "\n" + usage());
                }
                value = args[++i];
            }
            c.set(name.replace('_', '-'), value);
        }
        if (c.dir == null) {
            c.dir = "."; // as redis-server: the working directory
        }
        if (c.save == null) {
            c.save = c.cacheMode ? SaveRules.NONE : SaveRules.REDIS_DEFAULT; // as redis-server without a config file
        }
        return c;
    }

    /** Sets one option by its command-line name (also used by CONFIG SET). */
    public void set(String name, String value) {
        try {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "port" -> port = port(value);
                case "memcached-port" -> memcachedPort = port(value);
                case "bind" -> bind = value;
                case "threads" -> threads = positive(value);
                case "maxmemory" -> {
                    long m = parseMemory(value);
                    maxmemory = m == 0 ? Long.MAX_VALUE / 4 : m; // 0 = no limit, as in Redis (not advised)
                }
                case "cache-mode" -> cacheMode = parseBool(value);
                case "maxmemory-policy" -> setMaxmemoryPolicy(value);
                case "maxclients" -> maxclients = positive(value);
                case "proto-max-bulk-len" -> protoMaxBulkLen = Math.max(1024, parseMemory(value));
                case "max-inline-len" -> maxInlineLen = positive(value);
                case "max-multibulk-len" -> maxMultibulkLen = positive(value);
                case "client-output-buffer-limit" -> clientOutputBufferLimit = parseMemory(value);
                case "maxmemory-clients" -> maxmemoryClients = parseMemory(value);
                case "timeout" -> timeout = nonNegative(value);
                case "item-size-max" -> itemSizeMax = (int) Math.min(Integer.MAX_VALUE - 64, Math.max(1024, parseMemory(value)));
                case "max-inflight" -> maxInflight = positive(value);
                case "slot-policy" -> slotPolicy = policyNamed(value).name();
                case "verbose" -> verbose = parseBool(value);
                case "owner-replies" -> ownerReplies = parseBool(value);
                case "dir" -> dir = value;
                case "dbfilename" -> dbfilename = dbfilename(value);
                case "save" -> save = SaveRules.parse(value);
                case "rdbcompression" -> rdbcompression = parseBool(value);
                default -> throw new IllegalArgumentException("unknown option --" + name + "\n" + usage());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad value '" + value + "' for --" + name);
        }
    }

    /** The save rules in force ({@link SaveRules#NONE} when none were set). */
    public SaveRules saveRules() {
        SaveRules s = save;
        return s != null ? s : SaveRules.NONE;
    }

    private static String dbfilename(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains(java.io.File.separator)) {
            throw new IllegalArgumentException("dbfilename can't be a path, just a filename: '" + name + "'");
        }
        return name;
    }

    /** Redis's name for store mode, accepted by {@code maxmemory-policy}. */
    public static final String NOEVICTION = "noeviction";

    /** The eviction order cache mode uses. */
    public SlotPolicy slotPolicy() {
        return SlotPolicy.named(slotPolicy);
    }

    /**
     * What {@code CONFIG GET maxmemory-policy} and {@code INFO}'s {@code maxmemory_policy} answer:
     * the slot policy's name in cache mode, {@code noeviction} in store mode.
     */
    public String maxmemoryPolicy() {
        return cacheMode ? slotPolicy().name() : NOEVICTION;
    }

    /**
     * {@code maxmemory-policy}: {@code noeviction} selects store mode; a slot policy's name (or
     * {@code default}) selects cache mode with that order. Redis's other policies (allkeys-lru,
     * volatile-ttl, ...) are refused: this cache has one eviction order, the slot order.
     */
    public void setMaxmemoryPolicy(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals(NOEVICTION)) {
            cacheMode = false;
            return;
        }
        slotPolicy = policyNamed(n).name();
        cacheMode = true;
    }

    /** The names {@code maxmemory-policy} accepts. */
    public static List<String> maxmemoryPolicies() {
        List<String> names = new ArrayList<>();
        names.add(NOEVICTION);
        names.addAll(SlotPolicy.names());
        return names;
    }

    private static SlotPolicy policyNamed(String name) {
        try {
            return SlotPolicy.named(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown maxmemory-policy '" + name + "'; accepted: "
                    + String.join(", ", maxmemoryPolicies())
                    + " (Redis's allkeys-*/volatile-* policies do not apply: the cache evicts in slot order)");
        }
    }

    private static int port(String v) {
        int p = Integer.parseInt(v);
        if (p < -1 || p > 65535) {
            throw new NumberFormatException(v);
        }
        return p;
    }

    private static int positive(String v) {
        int n = Integer.parseInt(v);
        if (n <= 0) {
            throw new NumberFormatException(v);
        }
        return n;
    }

    private static int nonNegative(String v) {
        int n = Integer.parseInt(v);
        if (n < 0) {
            throw new NumberFormatException(v);
        }
        return n;
    }

    public static boolean parseBool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new NumberFormatException(v);
        };
    }

    /**
     * Redis's memory notation: a plain number of bytes, or with a unit: k/m/g (powers of 1000)
     * and kb/mb/gb (powers of 1024), case-insensitive.
     */
    public static long parseMemory(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"},
                {"m", "1000000"}, {"k", "1000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        long n = Long.parseLong(s);
        if (n < 0 || n > Long.MAX_VALUE / mul) {
            throw new NumberFormatException(v);
        }
        return n * mul;
    }

    public static String usage() {
        return """
                usage: java -jar dash-server.jar [options]
                  --port N                 RESP port (default 6379)
                  --memcached-port N       memcached text port (default 11211; 0 disables)
                  --bind ADDR              address to listen on (default 127.0.0.1)
                  --threads N              shard threads (default: available cores)
                  --maxmemory SIZE         data budget, e.g. 512mb (default 45% of the heap)
                  --cache-mode true|false  evict at maxmemory (true, default) or answer OOM
                  --maxclients N           connections at once (default 10000)
                  --timeout SECONDS        close idle clients (default 0 = never)
                  --proto-max-bulk-len SIZE     largest RESP bulk string (default 512mb)
                  --client-output-buffer-limit SIZE  per-client output limit (default 64mb)
                  --maxmemory-clients SIZE  all client buffers together (default 20% of the heap)
                  --item-size-max SIZE     largest memcached value (default 1mb)
                  --maxmemory-policy NAME  noeviction (= --cache-mode false) or a cache-mode order:
                                           default (the library's, with its ghost filter) or
                                           dragonfly (Dragonfly's faithful order)
                  --slot-policy NAME       the cache-mode order alone, without changing the mode
                  --dir PATH               where the RDB dump is saved and loaded from (default .)
                  --dbfilename NAME        the dump's file name (default dump.rdb)
                  --save "SECS CHANGES ..." BGSAVE after SECS seconds and CHANGES key changes;
                                           "" = never (default in cache mode); store mode's
                                           default is Redis's "3600 1 300 100 60 10000"
                  --rdbcompression yes|no  LZF-compress long strings in the dump (default yes)
                  --owner-replies yes|no   a key's owner shard writes a cross-shard GET/SET/INCR
                                           (memcached: get/set/incr) reply itself, saving
                                           the hop back (default yes)""";
    }
}
