package dev.headroom.cgroup;

import dev.headroom.sample.CgroupLocation;

import dev.headroom.io.FileSource;
import dev.headroom.io.Refresh;
import dev.headroom.io.SourceFile;
import dev.headroom.parse.KeyValues;
import dev.headroom.parse.Numbers;
import dev.headroom.parse.Values;
import dev.headroom.sample.Held;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

/**
 * cgroup v1 memory controller. Hierarchical {@code total_*} keys of memory.stat are preferred
 * (they include descendants, as the limit does), with the local keys as a fallback for kernels
 * without hierarchy support. Swap is memsw minus memory.
 */
final class V1Reader implements CgroupReader {

    // leaf memory.stat keys: the hierarchical ones, which count descendants as the limit does
    private static final int INACTIVE_FILE = 0;
    private static final int RSS = 1;
    private static final int CACHE = 2;
    private static final int SHMEM = 3;
    private static final int MAPPED_FILE = 4;
    private static final int HIERARCHICAL_LIMIT = 5;
    private static final KeyValues LEAF_STAT = new KeyValues(
            "total_inactive_file", "total_rss", "total_cache", "total_shmem", "total_mapped_file",
            "hierarchical_memory_limit");
    private static final KeyValues LEVEL_STAT = new KeyValues("total_inactive_file");
    private static final KeyValues OOM_CONTROL = new KeyValues("under_oom", "oom_kill");

    private final FileSource files;
    private final SourceFile[] limit;
    private final SourceFile[] usage;
    private final SourceFile[] stat;
    private final String[] statMissing;
    private final String[] levelStatMissing;
    private final SourceFile memswUsage;
    private final SourceFile memswLimit;
    private final SourceFile maxUsage;
    private final SourceFile failcnt;
    private final SourceFile oomControl;
    private final SourceFile procs;
    private final SourceFile kmemUsage;
    private final SourceFile softLimit;
    private final String[] oomMissing;
    private final long[] kv = new long[6];
    /** The leaf's figures a calm tick does not read (see {@link #read}). */
    private final Held detail = new Held(Metric.SWAP, Metric.SWAP_LIMIT, Metric.PEAK, Metric.LIMIT_HITS,
            Metric.KERNEL, Metric.SOFT_LIMIT, Metric.UNDER_OOM, Metric.OOM_KILLS);

    /**
     * Limits, the soft limit, the process list and the figures only reported (peak, kernel memory)
     * are read again only when {@code settled} is due.
     */
    V1Reader(FileSource files, String root, CgroupLocation location, Refresh settled) {
        this.files = files;
        int n = location.levels.size();
        limit = new SourceFile[n];
        usage = new SourceFile[n];
        stat = new SourceFile[n];
        levelStatMissing = new String[n];
        for (int i = 0; i < n; i++) {
            String dir = root + location.levels.get(i);
            limit[i] = new SourceFile(dir + "/memory.limit_in_bytes", 64, settled);
            usage[i] = new SourceFile(dir + "/memory.usage_in_bytes", 64);
            stat[i] = new SourceFile(dir + "/memory.stat", 4096);
            levelStatMissing[i] = stat[i].path() + ": no valid total_inactive_file";
        }
        String leaf = root + location.leaf();
        procs = new SourceFile(leaf + "/cgroup.procs", 256, settled);
        statMissing = LEAF_STAT.missingWarnings(stat[0].path());
        memswUsage = new SourceFile(leaf + "/memory.memsw.usage_in_bytes", 64);
        memswLimit = new SourceFile(leaf + "/memory.memsw.limit_in_bytes", 64, settled);
        maxUsage = new SourceFile(leaf + "/memory.max_usage_in_bytes", 64, settled);
        failcnt = new SourceFile(leaf + "/memory.failcnt", 64);
        oomControl = new SourceFile(leaf + "/memory.oom_control", 128);
        kmemUsage = new SourceFile(leaf + "/memory.kmem.usage_in_bytes", 64, settled);
        softLimit = new SourceFile(leaf + "/memory.soft_limit_in_bytes", 64, settled);
        oomMissing = OOM_CONTROL.missingWarnings(oomControl.path());
    }

    @Override
    public void read(Sample.Builder s, boolean detail) {
        readLeaf(s, detail);
        for (int i = 1; i < limit.length; i++) {
            readAncestor(i, s);
        }
    }

    private void readLeaf(Sample.Builder s, boolean detailDue) {
        s.set(Metric.PROCESSES, Tracked.lines(procs, files, s));
        long limitBytes = Tracked.limit(limit[0], files, s);
        long usageBytes = Tracked.count(usage[0], files, s);
        long inactiveFile = Values.UNKNOWN;
        if (Tracked.keyValues(stat[0], files, LEAF_STAT, kv, s)) {
            inactiveFile = stat(s, INACTIVE_FILE);
            s.set(Metric.ANON, stat(s, RSS));
            s.set(Metric.FILE, stat(s, CACHE));
            s.set(Metric.SHMEM, stat(s, SHMEM));
            s.set(Metric.MAPPED_FILE, stat(s, MAPPED_FILE));
            long hierarchical = kv[HIERARCHICAL_LIMIT];
            if (!Values.known(hierarchical)) {
                s.warn(statMissing[HIERARCHICAL_LIMIT]);
            }
            s.set(Metric.HIERARCHICAL_LIMIT, Numbers.asLimit(hierarchical));
        }
        s.set(Metric.USAGE, usageBytes);
        s.set(Metric.INACTIVE_FILE, inactiveFile);
        s.level(0, limitBytes, usageBytes, inactiveFile);
        // put back whole: swap stays memsw minus the usage of the tick that read memsw
        if (!detail.replay(s, detailDue)) {
            detail.begin(s);
            readDetail(s, limitBytes, usageBytes);
            detail.end(s);
        }
    }

    private void readDetail(Sample.Builder s, long limitBytes, long usageBytes) {
        long memsw = Tracked.count(memswUsage, files, s);
        if (Values.known(memsw) && Values.known(usageBytes)) {
            s.set(Metric.SWAP, Math.max(0, memsw - usageBytes));
        }
        long memswMax = Tracked.limit(memswLimit, files, s);
        if (memswMax == Values.UNLIMITED) {
            s.set(Metric.SWAP_LIMIT, Values.UNLIMITED);
        } else if (Values.known(memswMax) && Values.limited(limitBytes)) {
            s.set(Metric.SWAP_LIMIT, Math.max(0, memswMax - limitBytes));
        } else if (Values.known(memswMax) && limitBytes == Values.UNLIMITED) {
            s.set(Metric.SWAP_LIMIT, memswMax);
        }
        s.set(Metric.PEAK, Tracked.count(maxUsage, files, s));
        s.set(Metric.LIMIT_HITS, Tracked.count(failcnt, files, s));
        s.set(Metric.KERNEL, Tracked.count(kmemUsage, files, s));
        s.set(Metric.SOFT_LIMIT, Tracked.limit(softLimit, files, s));
        if (Tracked.keyValues(oomControl, files, OOM_CONTROL, kv, s)) {
            for (int i = 0; i < 2; i++) {
                if (!Values.known(kv[i])) {
                    s.warn(oomMissing[i]);
                }
            }
            s.set(Metric.UNDER_OOM, kv[0]);
            s.set(Metric.OOM_KILLS, kv[1]);
        }
    }

    /** A hierarchical key; unknown with a warning when missing or garbled (never the local key instead). */
    private long stat(Sample.Builder s, int key) {
        long v = kv[key];
        if (!Values.known(v)) {
            s.warn(statMissing[key]);
        }
        return v;
    }

    /** An ancestor matters only through its limit: its usage is read only when it has one. */
    private void readAncestor(int i, Sample.Builder s) {
        long limitBytes = Tracked.limit(limit[i], files, s);
        long usageBytes = Values.UNKNOWN;
        long inactiveFile = Values.UNKNOWN;
        if (Values.limited(limitBytes)) {
            usageBytes = Tracked.count(usage[i], files, s);
            if (Tracked.keyValues(stat[i], files, LEVEL_STAT, kv, s)) {
                inactiveFile = kv[0];
                if (!Values.known(inactiveFile)) {
                    s.warn(levelStatMissing[i]);
                }
            }
        }
        s.level(i, limitBytes, usageBytes, inactiveFile);
    }
}
