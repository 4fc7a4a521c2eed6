package dev.headroom.api;

/**
 * What headroom concluded at one tick, read-only: the public view for applications that use
 * headroom as a library ({@code ContainerMemoryMetrics.latest()}, or the source a
 * {@code ContainerMemoryMetrics} binder reads). The same numbers as the
 * {@code dev.headroom:type=ContainerMemory} MXBean, under the same names: byte values and
 * counters as {@code double}, NaN when unknown, +Infinity for an unset limit. Instances come from
 * headroom's sampler and are immutable; applications do not implement this interface (a binder
 * given another implementation reports NaN).
 */
public interface ContainerMemoryState {

    /** The tick's number, counting from 0. */
    long getSequence();

    /** When the tick's files were read, epoch milliseconds. */
    long getSampleTimeMillis();

    /** OK, WARNING, CRITICAL or UNKNOWN. */
    String getLevel();

    /** What raised the level: utilization, trend or pressure; empty at OK. */
    String getCause();

    /** Working set / binding limit (usually 0..1); NaN when unknown. */
    double getUtilization();

    /** The cgroup's working set (usage minus inactive file), bytes. */
    double getWorkingSetBytes();

    /** The smallest limit over the cgroup and its ancestors, bytes; +Infinity when none is set. */
    double getLimitBytes();

    /** Memory left before the binding limit (host memory counts), bytes. */
    double getHeadroomBytes();

    /** Growth of the binding working set, bytes per second. */
    double getGrowthBytesPerSecond();

    /** Seconds until the limit at the current steady growth; NaN when not growing steadily. */
    double getSecondsToLimit();

    /** OOM kills in the cgroup since it was created (a counter). */
    double getOomKills();
}
