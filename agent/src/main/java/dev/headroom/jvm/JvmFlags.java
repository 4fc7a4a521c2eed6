package dev.headroom.jvm;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JVM options that size memory, read once: from the HotSpot diagnostic MXBean when there
 * is one (no MBean server is created for it), else from the command line.
 */
public final class JvmFlags {

    public final long maxHeap;
    /** -1 when MaxMetaspaceSize is not set (unlimited). */
    public final long maxMetaspace;
    public final long maxDirectMemory;
    public final long reservedCodeCache;
    /** -XX:MaxDirectMemorySize given: the cap is a choice, not the default (the max heap). */
    public final boolean directMemorySet;
    /** -XX:ReservedCodeCacheSize given: the reservation is a choice, not the JIT's default 240 MiB. */
    public final boolean codeCacheSet;
    public final long threadStackSize;
    public final boolean heapSizeSet;
    public final boolean ramPercentageSet;
    public final boolean nmtEnabled;

    private JvmFlags(long maxHeap, long maxMetaspace, long maxDirectMemory, long reservedCodeCache, boolean directMemorySet,
                     boolean codeCacheSet, long threadStackSize, boolean heapSizeSet, boolean ramPercentageSet,
                     boolean nmtEnabled) {
        this.maxHeap = maxHeap;
        this.maxMetaspace = maxMetaspace;
        this.maxDirectMemory = maxDirectMemory;
        this.reservedCodeCache = reservedCodeCache;
        this.directMemorySet = directMemorySet;
        this.codeCacheSet = codeCacheSet;
        this.threadStackSize = threadStackSize;
        this.heapSizeSet = heapSizeSet;
        this.ramPercentageSet = ramPercentageSet;
        this.nmtEnabled = nmtEnabled;
    }

    public static JvmFlags read() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        // -Xmx as given: Runtime.maxMemory() leaves out a survivor space with some collectors
        long maxHeap = option("MaxHeapSize", Runtime.getRuntime().maxMemory());
        long maxMetaspace = option("MaxMetaspaceSize", -1);
        // a huge MaxMetaspaceSize is the "unlimited" default
        if (maxMetaspace >= Long.MAX_VALUE / 4 || maxMetaspace > (1L << 50)) {
            maxMetaspace = -1;
        }
        long maxDirect = option("MaxDirectMemorySize", 0);
        if (maxDirect <= 0) {
            maxDirect = maxHeap;
        }
        long codeCache = option("ReservedCodeCacheSize", 240L * 1024 * 1024);
        long stackKb = option("ThreadStackSize", 1024);
        boolean heapSet = false;
        boolean percentSet = false;
        boolean nmt = false;
        boolean directSet = false;
        boolean codeCacheSet = false;
        for (String a : args) {
            directSet |= a.startsWith("-XX:MaxDirectMemorySize=");
            codeCacheSet |= a.startsWith("-XX:ReservedCodeCacheSize=");
            heapSet |= a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize=");
            percentSet |= a.startsWith("-XX:MaxRAMPercentage=") || a.startsWith("-XX:MaxRAMFraction=")
                    || a.startsWith("-XX:MaxRAM=");
            nmt |= (a.startsWith("-XX:NativeMemoryTracking=") && !a.endsWith("=off"));
        }
        return new JvmFlags(maxHeap, maxMetaspace, maxDirect, codeCache, directSet, codeCacheSet, stackKb * 1024,
                heapSet, percentSet, nmt);
    }

    /** A numeric -XX option's value, or the fallback when it cannot be read. */
    private static long option(String name, long fallback) {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hotspot =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hotspot == null) {
                return fallback;
            }
            return Long.parseLong(hotspot.getVMOption(name).getValue());
        } catch (Throwable t) {
            return fallback;
        }
    }
}
