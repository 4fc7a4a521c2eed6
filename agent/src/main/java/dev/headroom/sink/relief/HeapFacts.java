package dev.headroom.sink.relief;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * What heap relief needs to know about this JVM at the moment it would act: the collector, the
 * heap's used and committed bytes, how far it may shrink, and which sizing flags are manageable.
 * Read through the HotSpot diagnostic MXBean (no MBean server is created); tests build it directly.
 */
final class HeapFacts {

    enum Collector {
        /** Size by MinHeapFreeRatio/MaxHeapFreeRatio after a full GC. */
        G1(true), PARALLEL(true), SERIAL(true),
        /** Size by SoftMaxHeapSize. */
        Z(false), SHENANDOAH(false),
        /** Never gives memory back. */
        EPSILON(false),
        UNKNOWN(false);

        final boolean byFreeRatio;

        Collector(boolean byFreeRatio) {
            this.byFreeRatio = byFreeRatio;
        }
    }

    final Collector collector;
    final long used;
    final long committed;
    /** The heap never shrinks below this (-Xms: MinHeapSize, InitialHeapSize before JDK 13). */
    final long floor;
    final boolean freeRatiosManageable;
    final boolean softMaxManageable;
    final boolean explicitGcDisabled;
    /** How long ZGC waits before it uncommits unused memory, s; infinite with -XX:-ZUncommit; 0 for the others. */
    final double uncommitDelaySeconds;

    HeapFacts(Collector collector, long used, long committed, long floor, boolean freeRatiosManageable,
              boolean softMaxManageable, boolean explicitGcDisabled, double uncommitDelaySeconds) {
        this.collector = collector;
        this.used = used;
        this.committed = committed;
        this.floor = floor;
        this.freeRatiosManageable = freeRatiosManageable;
        this.softMaxManageable = softMaxManageable;
        this.explicitGcDisabled = explicitGcDisabled;
        this.uncommitDelaySeconds = uncommitDelaySeconds;
    }

    static HeapFacts read() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Collector collector = collector(hotspot);
        long floor = number(hotspot, "MinHeapSize", -1);
        if (floor < 0) {
            floor = number(hotspot, "InitialHeapSize", 0);
        }
        double delay = 0;
        if (collector == Collector.Z) {
            delay = "true".equals(value(hotspot, "ZUncommit")) ? number(hotspot, "ZUncommitDelay", Long.MAX_VALUE)
                    : Double.POSITIVE_INFINITY;
        }
        return new HeapFacts(collector, heap.getUsed(), heap.getCommitted(), floor,
                writable(hotspot, "MinHeapFreeRatio") && writable(hotspot, "MaxHeapFreeRatio"),
                writable(hotspot, "SoftMaxHeapSize"), "true".equals(value(hotspot, "DisableExplicitGC")), delay);
    }

    /** Collections so far, over every collector of this JVM; -1 when none counts. */
    static long collections() {
        long total = -1;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            long count = gc.getCollectionCount();
            if (count >= 0) {
                total = Math.max(total, 0) + count;
            }
        }
        return total;
    }

    private static Collector collector(HotSpotDiagnosticMXBean hotspot) {
        String[][] flags = {{"UseG1GC", "G1"}, {"UseParallelGC", "PARALLEL"}, {"UseSerialGC", "SERIAL"},
            {"UseZGC", "Z"}, {"UseShenandoahGC", "SHENANDOAH"}, {"UseEpsilonGC", "EPSILON"}};
        for (String[] flag : flags) {
            if ("true".equals(value(hotspot, flag[0]))) {
                return Collector.valueOf(flag[1]);
            }
        }
        return Collector.UNKNOWN;
    }

    /** An option's value, or null when this JVM has no such option (or no diagnostic MXBean). */
    static String value(HotSpotDiagnosticMXBean hotspot, String name) {
        VMOption option = option(hotspot, name);
        return option == null ? null : option.getValue();
    }

    private static boolean writable(HotSpotDiagnosticMXBean hotspot, String name) {
        VMOption option = option(hotspot, name);
        return option != null && option.isWriteable();
    }

    private static long number(HotSpotDiagnosticMXBean hotspot, String name, long fallback) {
        try {
            return Long.parseLong(value(hotspot, name));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static VMOption option(HotSpotDiagnosticMXBean hotspot, String name) {
        try {
            return hotspot == null ? null : hotspot.getVMOption(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
