package dev.headroom.sink.relief;

import dev.headroom.jvm.VmOptions;

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
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Collector collector = collector();
        long floor = VmOptions.number("MinHeapSize", -1);
        if (floor < 0) {
            floor = VmOptions.number("InitialHeapSize", 0);
        }
        double delay = 0;
        if (collector == Collector.Z) {
            delay = VmOptions.isTrue("ZUncommit") ? VmOptions.number("ZUncommitDelay", Long.MAX_VALUE)
                    : Double.POSITIVE_INFINITY;
        }
        return new HeapFacts(collector, heap.getUsed(), heap.getCommitted(), floor,
                VmOptions.writable("MinHeapFreeRatio") && VmOptions.writable("MaxHeapFreeRatio"),
                VmOptions.writable("SoftMaxHeapSize"), VmOptions.isTrue("DisableExplicitGC"), delay);
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

    private static Collector collector() {
        String[][] flags = {{"UseG1GC", "G1"}, {"UseParallelGC", "PARALLEL"}, {"UseSerialGC", "SERIAL"},
            {"UseZGC", "Z"}, {"UseShenandoahGC", "SHENANDOAH"}, {"UseEpsilonGC", "EPSILON"}};
        for (String[] flag : flags) {
            if (VmOptions.isTrue(flag[0])) {
                return Collector.valueOf(flag[1]);
            }
        }
        return Collector.UNKNOWN;
    }
}
