package dev.headroom.sample;

/**
 * Every raw number a sample holds, for the leaf cgroup unless said otherwise. Byte counts are
 * bytes; PSI averages are hundredths of a percent; PSI totals are microseconds.
 */
public enum Metric {
    USAGE,
    INACTIVE_FILE,
    ANON,
    FILE,
    SHMEM,
    MAPPED_FILE,
    KERNEL,
    SWAP,
    SWAP_LIMIT,
    PEAK,
    /** v2 memory.high: throttling and reclaim, never an OOM kill. */
    HIGH,
    /** v1 memory.soft_limit_in_bytes: a reclaim hint only. */
    SOFT_LIMIT,
    /** v2 memory.events max, v1 memory.failcnt. */
    LIMIT_HITS,
    /** v2 memory.events high. */
    HIGH_EVENTS,
    /** v2 memory.events oom. */
    OOM_EVENTS,
    OOM_KILLS,
    OOM_GROUP_KILLS,
    /** v1 memory.oom_control under_oom (0 or 1). */
    UNDER_OOM,
    /** v2 memory.oom.group (0 or 1). */
    OOM_GROUP,
    /** v1 memory.stat hierarchical_memory_limit: the tightest limit over all ancestors, seen or not. */
    HIERARCHICAL_LIMIT,
    PSI_SOME_AVG10,
    PSI_SOME_AVG60,
    PSI_SOME_AVG300,
    PSI_SOME_TOTAL,
    PSI_FULL_AVG10,
    PSI_FULL_AVG60,
    PSI_FULL_AVG300,
    PSI_FULL_TOTAL,
    /** Processes in the leaf cgroup (lines of cgroup.procs). */
    PROCESSES,
    /** From /proc/self: this process, not the cgroup. */
    OOM_SCORE_ADJ,
    OOM_SCORE,
    VM_RSS,
    RSS_ANON,
    RSS_FILE,
    RSS_SHMEM,
    VM_SWAP,
    VM_HWM,
    /** From /proc/meminfo: the host (or what the container runtime shows as the host). */
    MEM_TOTAL,
    MEM_AVAILABLE;

    static final Metric[] ALL = values();

    /** The PSI metrics in the order of {@link dev.headroom.parse.Pressure}'s indices. */
    public static final Metric[] PRESSURE = {
        PSI_SOME_AVG10, PSI_SOME_AVG60, PSI_SOME_AVG300, PSI_SOME_TOTAL,
        PSI_FULL_AVG10, PSI_FULL_AVG60, PSI_FULL_AVG300, PSI_FULL_TOTAL,
    };
}
