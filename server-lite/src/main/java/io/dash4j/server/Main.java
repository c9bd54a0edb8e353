package io.dash4j.server;

/** Entry point of the dash4j server (RESP + memcached text); the server itself is being built. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("dash4j server-lite: not built yet (see issue: server-lite)");
        System.exit(1);
    }
}
