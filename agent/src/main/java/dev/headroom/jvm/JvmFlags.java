package dev.headroom.jvm;

/**
 * The JVM options that size memory, read once from the HotSpot diagnostic MXBean ({@link VmOptions});
 * without it, the JVM's own figures (the max heap) and the defaults.
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
        // -Xmx as given: Runtime.maxMemory() leaves out a survivor space with some collectors
        long maxHeap = VmOptions.number("MaxHeapSize", Runtime.getRuntime().maxMemory());
        long maxMetaspace = VmOptions.number("MaxMetaspaceSize", -1);
        // a huge MaxMetaspaceSize is the "unlimited" default
        if (maxMetaspace >= Long.MAX_VALUE / 4 || maxMetaspace > (1L << 50)) {
            maxMetaspace = -1;
        }
        long maxDirect = VmOptions.number("MaxDirectMemorySize", 0);
        if (maxDirect <= 0) {
            maxDirect = maxHeap;
        }
        long codeCache = VmOptions.number("ReservedCodeCacheSize", 240L * 1024 * 1024);
        long stackKb = VmOptions.number("ThreadStackSize", 1024);
        // who chose a value, by the option's origin: the command line, JAVA_TOOL_OPTIONS and
        // -XX:Flags files alike (the JVM's own ergonomics do not count)
        boolean percentSet = VmOptions.setByUser("MaxRAMPercentage") || VmOptions.setByUser("MaxRAMFraction")
                || VmOptions.setByUser("MaxRAM");
        String nmt = VmOptions.value("NativeMemoryTracking");
        return new JvmFlags(maxHeap, maxMetaspace, maxDirect, codeCache, VmOptions.setByUser("MaxDirectMemorySize"),
                VmOptions.setByUser("ReservedCodeCacheSize"), stackKb * 1024, VmOptions.setByUser("MaxHeapSize"),
                percentSet, nmt != null && !nmt.equals("off"));
    }
}
