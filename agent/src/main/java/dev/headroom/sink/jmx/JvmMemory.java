package dev.headroom.sink.jmx;

import dev.headroom.jmx.JvmMemoryMXBean;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Component;
import dev.headroom.analysis.Growth;
import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.Values;
import dev.headroom.report.Grown;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The {@link JvmMemoryMXBean} over the latest assessment's JVM breakdown; never does I/O or JVM calls. */
public final class JvmMemory implements JvmMemoryMXBean {

    public static final String OBJECT_NAME = "dev.headroom:type=JvmMemory";

    /** Components with a growth figure, in a stable order. */

    private final Supplier<Assessment> latest;

    public JvmMemory(Supplier<Assessment> latest) {
        this.latest = latest;
    }

    private JvmSnapshot jvm() {
        Assessment a = latest.get();
        return a == null ? null : a.jvm;
    }

    @Override
    public long getHeapUsedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.heapUsed);
    }

    @Override
    public long getHeapCommittedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.heapCommitted);
    }

    @Override
    public long getHeapMaxBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.heapMax);
    }

    @Override
    public long getMetaspaceUsedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.metaspaceUsed);
    }

    @Override
    public long getMetaspaceCommittedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.metaspaceCommitted);
    }

    @Override
    public long getClassSpaceCommittedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.classSpaceCommitted);
    }

    @Override
    public long getCodeCacheUsedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.codeCacheUsed);
    }

    @Override
    public long getCodeCacheCommittedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.codeCacheCommitted);
    }

    @Override
    public long getDirectBufferCount() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.directCount);
    }

    @Override
    public long getDirectBufferUsedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.directUsed);
    }

    @Override
    public long getDirectBufferCapacityBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.directCapacity);
    }

    @Override
    public long getMaxDirectMemoryBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.maxDirectMemory);
    }

    @Override
    public long getMappedBufferCount() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.mappedCount);
    }

    @Override
    public long getMappedBufferUsedBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.mappedUsed);
    }

    @Override
    public long getMappedBufferCapacityBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.mappedCapacity);
    }

    @Override
    public long getThreadCount() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.threads);
    }

    @Override
    public long getThreadStackSizeBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.threadStackSize);
    }

    @Override
    public long getThreadStackBytes() {
        JvmSnapshot j = jvm();
        return j == null || j.threadStackSize < 0 ? Open.UNKNOWN : j.threadStackBytes();
    }

    @Override
    public long getAccountedAnonBytes() {
        JvmSnapshot j = jvm();
        return j == null ? Open.UNKNOWN : Open.jvm(j.accountedAnon());
    }

    @Override
    public long getNativeGapBytes() {
        Assessment a = latest.get();
        return a == null ? Open.UNKNOWN : Open.size(a.nativeGapBytes());
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
    public Map<String, Long> getGrownBytes() {
        Map<String, Long> out = new LinkedHashMap<>();
        Assessment a = latest.get();
        Growth g = a == null ? null : a.growth;
        for (Component c : Component.GROWING) {
            long grown = g == null ? Values.UNKNOWN : g.grown(c);
            // signed (a component can shrink), so unknown cannot be -1: it is left out
            if (Values.known(grown)) {
                out.put(c.id, grown);
            }
        }
        return out;
    }

    @Override
    public String getGrown() {
        Assessment a = latest.get();
        return a == null || a.growth == null ? "" : Open.text(Grown.describe(a.growth, Component.GROWING.size()));
    }
}
