package io.dash4j.server.codec;

import io.dash4j.server.ServerConfig;
import io.dash4j.server.memcache.McTextCodec;
import io.dash4j.server.memcache.binary.McBinaryCodec;
import io.dash4j.server.resp.RespCodec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's listeners and the codecs plugged into them: RESP on {@code port}; on
 * {@code memcached-port} the memcached text protocol, with the binary protocol chosen per
 * connection by its first byte (magic 0x80), as memcached does.
 */
public final class Protocols {

    private Protocols() {
    }

    /** memcached's binary request magic. */
    public static final int MEMCACHED_BINARY_MAGIC = 0x80;

    public static final CodecFactory RESP = RespCodec::new;
    public static final CodecFactory MEMCACHED_TEXT = McTextCodec::new;

    /** The memcached binary protocol, chosen on the memcached port by the first byte (magic 0x80). */
    public static CodecFactory memcachedBinary() {
        return McBinaryCodec::new;
    }

    /** The memcached port's protocols: text, or binary when the first byte is the magic. */
    public static CodecFactory memcachedPort() {
        return new FirstByteDetector(MEMCACHED_TEXT).on(MEMCACHED_BINARY_MAGIC, memcachedBinary());
    }

    /** The listeners {@code config} asks for (port 0 = ephemeral RESP; memcached-port 0 = none, -1 = ephemeral). */
    public static List<Listener> listeners(ServerConfig config) {
        List<Listener> l = new ArrayList<>();
        l.add(new Listener("resp", config.port, RESP, ascii("-ERR max number of clients reached\r\n")));
        if (config.memcachedPort != 0) {
            l.add(new Listener("memcached", Math.max(0, config.memcachedPort), memcachedPort(),
                    ascii("SERVER_ERROR max number of clients reached\r\n")));
        }
        return l;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
