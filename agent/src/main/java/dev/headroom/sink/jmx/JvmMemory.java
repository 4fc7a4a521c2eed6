package dev.headroom.sink.jmx;

import dev.headroom.jmx.JvmMemoryMXBean;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Component;
import dev.headroom.analysis.Growth;
import dev.headroom.jvm.JvmSnapshot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The {@link JvmMemoryMXBean} over the latest assessment's JVM breakdown; never does I/O or JVM calls. */
public final class JvmMemory implements JvmMemoryMXBean {

    public static final String OBJECT_NAME = "dev.headroom:type=JvmMemory";

    /** Components with a growth figure, in a stable order. */
    private static final Component[] GROWING = {
        Component.HEAP, Component.METASPACE, Component.CODECACHE, Component.DIRECT, Component.MAPPED,
        Component.THREADS, Component.NATIVE, Component.PAGECACHE,
    };

    private final Supplier<Assessment> latest;

    public JvmMemory(Supplier<Assessment> latest) {
        this.latest = latest;
    }

    private JvmSnapshot jvm() {
        Assessment a = latest.get();
        return a == null ? null : a.jvm;
    }

    @Override
    public double getHeapUsedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.heapUsed);
    }

    @Override
    public double getHeapCommittedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.heapCommitted);
    }

    @Override
    public double getHeapMaxBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.heapMax);
    }

    @Override
    public double getMetaspaceUsedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.metaspaceUsed);
    }

    @Override
    public double getMetaspaceCommittedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.metaspaceCommitted);
    }

    @Override
    public double getClassSpaceCommittedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.classSpaceCommitted);
    }

    @Override
    public double getCodeCacheUsedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.codeCacheUsed);
    }

    @Override
    public double getCodeCacheCommittedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.codeCacheCommitted);
    }

    @Override
    public double getDirectBufferCount() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.directCount);
    }

    @Override
    public double getDirectBufferUsedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.directUsed);
    }

    @Override
    public double getDirectBufferCapacityBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.directCapacity);
    }

    @Override
    public double getMaxDirectMemoryBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.maxDirectMemory);
    }

    @Override
    public double getMappedBufferCount() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.mappedCount);
    }

    @Override
    public double getMappedBufferUsedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.mappedUsed);
    }

    @Override
    public double getMappedBufferCapacityBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.mappedCapacity);
    }

    @Override
    public double getThreadCount() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : j.threads;
    }

    @Override
    public double getThreadStackSizeBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : Open.jvm(j.threadStackSize);
    }

    @Override
    public double getThreadStackBytes() {
        JvmSnapshot j = jvm();
        return j == null || j.threadStackSize < 0 ? Double.NaN : j.threadStackBytes();
    }

    @Override
    public double getAccountedAnonBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Double.NaN : j.accountedAnon();
    }

    @Override
    public double getNativeGapBytes() {
        Assessment a = latest.get();
        return a == null ? Double.NaN : Open.number(a.nativeGapBytes());
    }

    @Override
    public double getNativeGapBytesPerSecond() {
        Assessment a = latest.get();
        return a == null ? Double.NaN : a.nativeGapBytesPerSecond();
    }

    @Override
    public String getTopGrower() {
        Assessment a = latest.get();
        Component top = a == null || a.growth == null ? null : a.topGrower();
        return top == null ? "" : top.id;
    }

    @Override
    public double getGrowthSeconds() {
        Assessment a = latest.get();
        return a == null || a.growth == null ? Double.NaN : a.growth.seconds;
    }

    @Override
    public Map<String, Double> getGrownBytes() {
        Map<String, Double> out = new LinkedHashMap<>();
        Assessment a = latest.get();
        Growth g = a == null ? null : a.growth;
        for (Component c : GROWING) {
            out.put(c.id, g == null ? Double.NaN : Open.number(g.grown(c)));
        }
        return out;
    }
}
