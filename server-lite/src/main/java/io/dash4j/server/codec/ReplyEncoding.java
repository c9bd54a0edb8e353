package io.dash4j.server.codec;

import io.dash4j.server.OutBuf;
import io.dash4j.server.Shard;

/**
 * A protocol's reply encoding when it needs no connection state: a finished call's
 * {@link io.dash4j.server.Call#result} (and {@link io.dash4j.server.Call#proto} or
 * {@link io.dash4j.server.Call#render}) is all it reads. What it counts while encoding (memcached's
 * hit and miss statistics) goes to the shard that opened the encoder, whose thread encodes.
 * Such a protocol lets the shard that owns a call's key write the reply itself (the owner-written
 * reply, {@code io.dash4j.server.OwnerReplies}): that shard opens one {@link Encoder} per encoding
 * on its own scratch buffer and uses it for every connection speaking the protocol.
 */
@FunctionalInterface
public interface ReplyEncoding {

    /**
     * An encoder writing into {@code out}, for the thread of {@code shard}, which owns {@code out}
     * (and the counters the encoder may bump).
     */
    Encoder open(Shard shard, OutBuf out);

    /** Encodes finished calls into the buffer it was opened on. */
    @FunctionalInterface
    interface Encoder {
        void encode(io.dash4j.server.Call call);
    }
}
