package dev.headroom.cgroup;

import dev.headroom.sample.CgroupLocation;

import dev.headroom.io.FileSource;
import dev.headroom.io.Refresh;
import dev.headroom.io.SourceFile;
import dev.headroom.parse.KeyValues;
import dev.headroom.parse.Pressure;
import dev.headroom.parse.Values;
import dev.headroom.sample.Held;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

/**
 * cgroup v2 memory controller. The root cgroup of a hierarchy has no memory.max or
 * memory.current: there, missing is normal and means "no limit".
 */
final class V2Reader implements CgroupReader {

    private static final KeyValues LEAF_STAT = new KeyValues(
            "inactive_file", "anon", "file", "shmem", "file_mapped", "kernel",
            "kernel_stack", "pagetables", "sock", "slab");
    private static final KeyValues LEVEL_STAT = new KeyValues("inactive_file");
    private static final KeyValues EVENTS = new KeyValues("max", "high", "oom", "oom_kill", "oom_group_kill");
    private static final Metric[] STAT_METRICS = {
        Metric.INACTIVE_FILE, Metric.ANON, Metric.FILE, Metric.SHMEM, Metric.MAPPED_FILE, Metric.KERNEL,
    };
    private static final Metric[] EVENT_METRICS = {
        Metric.LIMIT_HITS, Metric.HIGH_EVENTS, Metric.OOM_EVENTS, Metric.OOM_KILLS, Metric.OOM_GROUP_KILLS,
    };

    private final FileSource files;
    private final CgroupLocation location;
    private final SourceFile[] max;
    private final SourceFile[] current;
    private final SourceFile[] stat;
    private final String[] levelStatMissing;
    private final String[] statMissing;
    private final String[] eventsMissing;
    private final SourceFile swapCurrent;
    private final SourceFile[] swapMax;
    private final SourceFile peak;
    private final SourceFile high;
    private final SourceFile events;
    private final SourceFile pressure;
    private final SourceFile oomGroup;
    private final SourceFile procs;
    private final String pressureGarbled;
    private final long[] kv = new long[10];
    /** The leaf's figures a calm tick does not read (see {@link #read}). */
    private final Held detail;

    /**
     * Limits, memory.high, memory.oom.group, the process list and the peak (only reported) are
     * read again only when {@code settled} is due.
     */
    V2Reader(FileSource files, String root, CgroupLocation location, Refresh settled) {
        this.files = files;
        this.location = location;
        int n = location.levels.size();
        max = new SourceFile[n];
        current = new SourceFile[n];
        stat = new SourceFile[n];
        swapMax = new SourceFile[n];
        levelStatMissing = new String[n];
        for (int i = 0; i < n; i++) {
            String dir = root + location.levels.get(i);
            max[i] = new SourceFile(dir + "/memory.max", 64, settled);
            current[i] = new SourceFile(dir + "/memory.current", 64);
            stat[i] = new SourceFile(dir + "/memory.stat", 2048);
            swapMax[i] = new SourceFile(dir + "/memory.swap.max", 64, settled);
            levelStatMissing[i] = stat[i].path() + ": no valid inactive_file";
        }
        String leaf = root + location.leaf();
        procs = new SourceFile(leaf + "/cgroup.procs", 256, settled);
        statMissing = LEAF_STAT.missingWarnings(stat[0].path());
        swapCurrent = new SourceFile(leaf + "/memory.swap.current", 64);
        peak = new SourceFile(leaf + "/memory.peak", 64, settled);
        high = new SourceFile(leaf + "/memory.high", 64, settled);
        events = new SourceFile(leaf + "/memory.events", 256);
        pressure = new SourceFile(leaf + "/memory.pressure", 256);
        oomGroup = new SourceFile(leaf + "/memory.oom.group", 64, settled);
        eventsMissing = EVENTS.missingWarnings(events.path());
        pressureGarbled = pressure.path() + ": not valid PSI";
        detail = Held.of(new Metric[] {Metric.SWAP, Metric.SWAP_LIMIT, Metric.PEAK, Metric.HIGH, Metric.OOM_GROUP},
                EVENT_METRICS, Metric.PRESSURE);
    }

    @Override
    public void read(Sample.Builder s, boolean detail) {
        readLeaf(s, detail);
        for (int i = 1; i < max.length; i++) {
            readAncestor(i, s);
        }
    }

    private void readLeaf(Sample.Builder s, boolean detailDue) {
        s.set(Metric.PROCESSES, Tracked.lines(procs, files, s));
        boolean top = location.isHierarchyRoot(0);
        long limitBytes = limit(0, s);
        long usageBytes = Tracked.count(current[0], files, s, !top);
        s.set(Metric.USAGE, usageBytes);
        if (Tracked.keyValues(stat[0], files, LEAF_STAT, kv, s)) {
            for (int i = 0; i < STAT_METRICS.length; i++) {
                long v = kv[i];
                if (STAT_METRICS[i] == Metric.KERNEL && !Values.known(v)) {
                    // kernels before 5.18 have no "kernel" key: add up its parts
                    v = Values.plus(Values.plus(kv[6], kv[7]), Values.plus(kv[8], kv[9]));
                }
                if (!Values.known(v)) {
                    s.warn(statMissing[i]);
                }
                s.set(STAT_METRICS[i], v);
            }
        }
        s.level(0, limitBytes, usageBytes, s.get(Metric.INACTIVE_FILE));
        if (!detail.replay(s, detailDue)) {
            detail.begin(s);
            readDetail(s);
            detail.end(s);
        }
    }

    private void readDetail(Sample.Builder s) {
        s.set(Metric.SWAP, Tracked.count(swapCurrent, files, s));
        s.set(Metric.SWAP_LIMIT, Tracked.limit(swapMax[0], files, s));
        s.set(Metric.PEAK, Tracked.count(peak, files, s));
        s.set(Metric.HIGH, Tracked.limit(high, files, s));
        s.set(Metric.OOM_GROUP, Tracked.count(oomGroup, files, s));
        if (Tracked.keyValues(events, files, EVENTS, kv, s)) {
            for (int i = 0; i < EVENT_METRICS.length; i++) {
                // oom_group_kill exists from kernel 5.17 only
                if (!Values.known(kv[i]) && EVENT_METRICS[i] != Metric.OOM_GROUP_KILLS) {
                    s.warn(eventsMissing[i]);
                }
                s.set(EVENT_METRICS[i], kv[i]);
            }
        }
        if (pressure.load(files)) {
            Pressure.parse(pressure.bytes(), pressure.length(), kv);
            boolean any = false;
            for (int i = 0; i < Pressure.SIZE; i++) {
                s.set(Metric.PRESSURE[i], kv[i]);
                any |= Values.known(kv[i]);
            }
            if (!any) {
                s.warn(pressureGarbled);
            }
        } else {
            s.warn(pressure.problem());
        }
    }

    /** memory.max of a level; at the top of the hierarchy a missing file means no limit. */
    private long limit(int level, Sample.Builder s) {
        return Tracked.limit(max[level], files, s,
                location.isHierarchyRoot(level) ? Values.UNLIMITED : Values.UNKNOWN);
    }

    private void readAncestor(int i, Sample.Builder s) {
        long limitBytes = limit(i, s);
        long usageBytes = Values.UNKNOWN;
        long inactiveFile = Values.UNKNOWN;
        if (Values.limited(limitBytes)) {
            usageBytes = Tracked.count(current[i], files, s);
            if (Tracked.keyValues(stat[i], files, LEVEL_STAT, kv, s)) {
                inactiveFile = kv[0];
                if (!Values.known(inactiveFile)) {
                    s.warn(levelStatMissing[i]);
                }
            }
        }
        s.level(i, limitBytes, usageBytes, inactiveFile);
        // a parent's memory.swap.max binds its children too; missing above the leaf means no limit
        long swapLimit = Tracked.limit(swapMax[i], files, s, Values.UNLIMITED);
        long leafSwapLimit = s.get(Metric.SWAP_LIMIT);
        if (Values.known(swapLimit) && Values.known(leafSwapLimit) && swapLimit < leafSwapLimit) {
            s.set(Metric.SWAP_LIMIT, swapLimit);
        }
    }
}
