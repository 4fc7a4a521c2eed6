package dev.headroom.jmx;

import dev.headroom.sink.jmx.JvmMemory;

import java.util.Map;

/**
 * What the JVM accounts for at the latest sample, and the native memory it does not, registered
 * as {@value JvmMemory#OBJECT_NAME}. Same conventions as {@link ContainerMemoryMXBean}: sizes and
 * counts are {@code long}, -1 when unknown (no JVM breakdown measured, or a pool this collector
 * does not have); rates and seconds are {@code double}, NaN when unknown.
 */
public interface JvmMemoryMXBean {

    long getHeapUsedBytes();

    long getHeapCommittedBytes();

    long getHeapMaxBytes();

    long getMetaspaceUsedBytes();

    long getMetaspaceCommittedBytes();

    long getClassSpaceCommittedBytes();

    long getCodeCacheUsedBytes();

    long getCodeCacheCommittedBytes();

    long getDirectBufferCount();

    long getDirectBufferUsedBytes();

    long getDirectBufferCapacityBytes();

    long getMaxDirectMemoryBytes();

    long getMappedBufferCount();

    long getMappedBufferUsedBytes();

    long getMappedBufferCapacityBytes();

    long getThreadCount();

    long getThreadStackSizeBytes();

    long getThreadStackBytes();

    long getAccountedAnonBytes();

    long getNativeGapBytes();

    double getNativeGapBytesPerSecond();

    String getTopGrower();

    double getGrowthSeconds();

    /**
     * Bytes grown since the last OK state (negative: shrunk), by component id (heap, metaspace,
     * ..., native, pagecache); a component that cannot be measured is left out.
     */
    Map<String, Long> getGrownBytes();

    /** {@link #getGrownBytes()} as one line a person reads: the components that grew, largest first. */
    String getGrown();
}
