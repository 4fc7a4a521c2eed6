package dev.headroom.sink.jmx;

import java.util.HashMap;
import java.util.Map;

/**
 * What every attribute means, carried in the MBeanInfo so JConsole shows it as a tooltip and the
 * Prometheus JMX exporter uses it as the metric's HELP text. Sizes are bytes and, like counts,
 * integers: -1 unknown, 9223372036854775807 (Long.MAX_VALUE) an unset limit. Ratios are in [0..1],
 * PSI averages percent, rates and seconds doubles: NaN unknown.
 */
final class Descriptions {

    private static final Map<String, String> TEXT = new HashMap<>();

    static {
        // ContainerMemory: where
        d("CgroupVersion", "Memory cgroup version: 1, 2, or 0 when no memory cgroup was found (host memory applies); -1 before the first sample");
        d("CgroupPath", "The memory cgroup path from /proc/self/cgroup");
        d("CgroupDir", "The leaf cgroup directory read for this process (as seen inside the container)");
        d("Approximate", "True when the leaf cgroup is not visible and the mount point is read instead");
        d("LimitBytes", "The tightest memory limit over the leaf and its visible ancestors, bytes; 9223372036854775807 (Long.MAX_VALUE) when unlimited, -1 unknown");
        d("LimitDir", "The cgroup directory the tightest limit was found in; empty when unlimited");
        d("BindingDir", "The level whose limit binds first (least headroom): a cgroup directory, or 'host' for host memory; empty when unknown");
        d("BindingLimitBytes", "The limit that binds first (least headroom; host memory when no cgroup limit is lower), bytes; -1 unknown");
        d("BindingWorkingSetBytes", "The working set counted against the binding limit, bytes");
        d("HostMemoryBytes", "Host memory (/proc/meminfo MemTotal), bytes");
        d("HostAvailableBytes", "Host available memory (/proc/meminfo MemAvailable), bytes");
        // the leaf's memory
        d("UsageBytes", "Leaf cgroup memory usage (memory.current / memory.usage_in_bytes), bytes");
        d("WorkingSetBytes", "Leaf working set: usage minus inactive file, as kubectl top and the kubelet count it, bytes");
        d("AnonBytes", "Anonymous memory in the leaf cgroup (heap, stacks, native allocations), bytes");
        d("FileBytes", "Page cache charged to the leaf cgroup, bytes");
        d("ShmemBytes", "Shared memory and tmpfs charged to the leaf cgroup, bytes");
        d("InactiveFileBytes", "Inactive page cache (reclaimable, not in the working set), bytes");
        d("MappedFileBytes", "Memory-mapped file pages, bytes");
        d("KernelBytes", "Kernel memory charged to the cgroup (slab, stacks, page tables), bytes");
        d("SwapBytes", "Swap used by the leaf cgroup, bytes");
        d("SwapLimitBytes", "Swap limit of the leaf cgroup, bytes; 9223372036854775807 when unlimited, -1 unknown (swap accounting off)");
        d("PeakBytes", "Peak usage of the leaf cgroup (memory.peak / max_usage_in_bytes), bytes");
        d("HighBytes", "cgroup v2 memory.high (throttling and reclaim, never an OOM kill), bytes; 9223372036854775807 when unset, -1 unknown (cgroup v1)");
        d("SoftLimitBytes", "cgroup v1 memory.soft_limit_in_bytes (a reclaim hint), bytes; 9223372036854775807 when unset, -1 unknown (cgroup v2)");
        d("Processes", "Processes in the leaf cgroup");
        // verdict
        d("HeadroomBytes", "Memory left before the binding limit, bytes");
        d("HeadroomRatio", "Headroom / binding limit, 0..1");
        d("Utilization", "Working set / binding limit, 0..1 (can exceed 1 briefly)");
        d("Level", "OK, WARNING, CRITICAL or UNKNOWN");
        d("LevelNumber", "The level as a number: 0 OK, 1 WARNING, 2 CRITICAL, -1 UNKNOWN");
        d("PreviousLevel", "The level before the latest sample");
        d("Cause", "What raised the level: utilization, trend or pressure (PSI; never on cgroup v1, where PSI is host-wide); empty at OK");
        d("GrowthBytesPerSecond", "Growth of the binding working set over the trend window (over the last 3 s when fast growth decides the time to the limit), bytes per second");
        d("AnonGrowthBytesPerSecond", "Growth of the leaf's anonymous memory over the trend window, bytes per second");
        d("SecondsToLimit", "Seconds until the binding limit at the current steady growth; NaN when not steadily growing");
        d("Predicted", "True while steady growth predicts the limit within the horizon");
        // events
        d("OomKills", "OOM kills in the cgroup since it was created (memory.events oom_kill)");
        d("OomGroupKills", "cgroup v2 memory.events oom_group_kill");
        d("OomEvents", "cgroup v2 memory.events oom: times the limit was hit and reclaim failed");
        d("LimitHits", "Times usage hit the limit (memory.events max / memory.failcnt)");
        d("ReliefActions", "Relief actions done in this JVM (relief=heap, native; readinessFile removed at CRITICAL); skips not counted");
        d("ReliefFreedBytes", "Memory relief made the JVM give back, by the JVM's own count (heap committed, native RSS), bytes");
        d("HighEvents", "cgroup v2 memory.events high: times usage went over memory.high");
        d("UnderOom", "cgroup v1 memory.oom_control under_oom: the cgroup is frozen in an OOM condition");
        // pressure
        d("PressureSomeAvg10", "Memory PSI 'some' average over 10 s, percent of time some task stalled on memory. cgroup v2: this cgroup's memory.pressure, and pressureSome raises WARNING; cgroup v1: the host-wide /proc/pressure/memory, shown only, never raises the level");
        d("PressureSomeAvg60", "Memory PSI 'some' average over 60 s, percent (host-wide on cgroup v1)");
        d("PressureSomeAvg300", "Memory PSI 'some' average over 300 s, percent (host-wide on cgroup v1)");
        d("PressureSomeTotalMicros", "Memory PSI 'some' total stall time, microseconds (a counter; host-wide on cgroup v1)");
        d("PressureFullAvg10", "Memory PSI 'full' average over 10 s, percent of time all tasks stalled on memory. cgroup v2: this cgroup's, and pressureFull raises CRITICAL; cgroup v1: host-wide, shown only, never raises the level");
        d("PressureFullAvg60", "Memory PSI 'full' average over 60 s, percent (host-wide on cgroup v1)");
        d("PressureFullAvg300", "Memory PSI 'full' average over 300 s, percent (host-wide on cgroup v1)");
        d("PressureFullTotalMicros", "Memory PSI 'full' total stall time, microseconds (a counter; host-wide on cgroup v1)");
        // process
        d("OomScoreAdj", "/proc/self/oom_score_adj (-1000..1000); null when unknown (-1 is a real value here)");
        d("OomScoreAdjClass", "What oom_score_adj implies: guaranteed, burstable, besteffort, default, adjusted, never-killed, node-critical or unknown");
        d("OomScoreAdjMeaning", "oom_score_adj explained in one phrase (Kubernetes QoS class, implied memory request)");
        d("ImpliedMemoryRequestBytes", "The pod memory request a Kubernetes Burstable oom_score_adj implies, bytes; -1 otherwise");
        d("OomScore", "/proc/self/oom_score: the OOM killer's current badness score for this process (0..2000); -1 unknown");
        d("ProcessRssBytes", "This process's resident memory (VmRSS), bytes");
        d("ProcessRssAnonBytes", "This process's resident anonymous memory (RssAnon), bytes");
        d("ProcessRssFileBytes", "This process's resident file-backed memory (RssFile), bytes");
        d("ProcessRssShmemBytes", "This process's resident shared memory (RssShmem), bytes");
        d("ProcessSwapBytes", "This process's swapped-out memory (VmSwap), bytes");
        d("ProcessPeakRssBytes", "This process's peak resident memory (VmHWM), bytes");
        // sample
        d("Sequence", "Number of the sample the values come from (0 is the first); -1 before the first sample");
        d("SampleTimeMillis", "When the sample was taken, milliseconds since the epoch; -1 before the first sample");
        d("Warnings", "What could not be read or was ambiguous in the latest sample");

        // JvmMemory
        d("HeapUsedBytes", "Heap used, all heap pools, bytes");
        d("HeapCommittedBytes", "Heap committed, all heap pools, bytes");
        d("HeapMaxBytes", "Maximum heap (-Xmx / MaxHeapSize), bytes");
        d("MetaspaceUsedBytes", "Metaspace used, bytes");
        d("MetaspaceCommittedBytes", "Metaspace plus compressed class space committed, bytes");
        d("ClassSpaceCommittedBytes", "Compressed class space committed, bytes");
        d("CodeCacheUsedBytes", "Code cache used, all code heaps, bytes");
        d("CodeCacheCommittedBytes", "Code cache committed, all code heaps, bytes");
        d("DirectBufferCount", "Direct byte buffers alive");
        d("DirectBufferUsedBytes", "Memory the JVM uses for direct buffers, bytes");
        d("DirectBufferCapacityBytes", "Total capacity of direct buffers, bytes");
        d("MaxDirectMemoryBytes", "Direct memory limit (-XX:MaxDirectMemorySize or the heap maximum), bytes");
        d("MappedBufferCount", "Mapped byte buffers alive");
        d("MappedBufferUsedBytes", "Memory used by mapped buffers, bytes");
        d("MappedBufferCapacityBytes", "Total capacity of mapped buffers, bytes");
        d("ThreadCount", "Live threads");
        d("ThreadStackSizeBytes", "Thread stack size (-Xss / ThreadStackSize), bytes");
        d("ThreadStackBytes", "Threads x stack size: the stack memory threads may use (an upper bound), bytes");
        d("AccountedAnonBytes", "Anonymous memory the JVM accounts for: committed heap, metaspace, code cache, direct buffers, thread stacks, bytes");
        d("NativeGapBytes", "Anonymous memory the JVM does not account for (glibc arenas, JNI, native libraries, JVM internals): the process's anonymous memory minus AccountedAnonBytes, bytes; 0 when the JVM has committed more than is resident (heap committed but not touched yet); -1 unknown");
        d("NativeGapBytesPerSecond", "Growth of the native gap since the last OK state, bytes per second");
        d("TopGrower", "The component that grew most since the last OK state (heap, metaspace, codecache, direct, mapped, threads, native, pagecache); other when none grew by 1 MiB or more; empty when unknown");
        d("GrowthSeconds", "Seconds since the last OK state that growth is measured over");
        d("Grown", "What grew since the last OK state, as text: the components that grew by 1 MiB or more, largest first, with their rates");
        d("GrownBytes", "Bytes grown since the last OK state by component (negative: shrunk); a component that cannot be measured is left out");
    }

    private Descriptions() {
    }

    private static void d(String attribute, String text) {
        TEXT.put(attribute, text);
    }

    /** The description of an attribute, or null when there is none. */
    static String of(String attribute) {
        return TEXT.get(attribute);
    }
}
