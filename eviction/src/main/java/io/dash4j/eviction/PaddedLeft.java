package io.dash4j.eviction;

/**
 * 128 bytes of padding for the hot fields of a subclass. HotSpot lays a superclass's fields out
 * before its subclass's, so a field declared in a direct subclass starts at least two cache lines
 * (with the adjacent-line prefetch of x86) after whatever object precedes it in memory; the
 * subclass pads its own tail. Used where one thread writes a word that other threads only read:
 * {@link SequenceLock}'s version, a {@link ReadBuffer} stripe's head and tail.
 */
abstract class PaddedLeft {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}
