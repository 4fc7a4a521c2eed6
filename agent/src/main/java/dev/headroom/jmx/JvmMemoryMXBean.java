package dev.headroom.jmx;

import dev.headroom.sink.jmx.JvmMemory;

import java.util.Map;

/**
 * What the JVM accounts for at the latest sample, and the native memory it does not, registered
 * as {@value JvmMemory#OBJECT_NAME}. Same conventions as {@link ContainerMemoryMXBean}: doubles,
 * NaN when unknown (no JVM breakdown measured, or a pool this collector does not have).
 */
public interface JvmMemoryMXBean {

    double getHeapUsedBytes();

    double getHeapCommittedBytes();

    double getHeapMaxBytes();

    double getMetaspaceUsedBytes();

    double getMetaspaceCommittedBytes();

    double getClassSpaceCommittedBytes();

    double getCodeCacheUsedBytes();

    double getCodeCacheCommittedBytes();

    double getDirectBufferCount();

    double getDirectBufferUsedBytes();

    double getDirectBufferCapacityBytes();

    double getMaxDirectMemoryBytes();

    double getMappedBufferCount();

    double getMappedBufferUsedBytes();

    double getMappedBufferCapacityBytes();

    double getThreadCount();

    double getThreadStackSizeBytes();

    double getThreadStackBytes();

    double getAccountedAnonBytes();

    double getNativeGapBytes();

    double getNativeGapBytesPerSecond();

    String getTopGrower();

    double getGrowthSeconds();

    /** Bytes grown since the last OK state, by component id (heap, metaspace, ..., native, pagecache). */
    Map<String, Double> getGrownBytes();
}
