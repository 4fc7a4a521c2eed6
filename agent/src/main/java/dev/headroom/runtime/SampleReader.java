package dev.headroom.runtime;

import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

import dev.headroom.cgroup.CgroupDiscovery;
import dev.headroom.sample.CgroupLocation;
import dev.headroom.cgroup.CgroupReader;
import dev.headroom.io.FileSource;
import dev.headroom.io.Refresh;
import dev.headroom.parse.Values;
import dev.headroom.proc.ProcReader;

/**
 * Reads one {@link Sample} per call: discovery once, then the cgroup and proc readers. When the
 * leaf's usage can no longer be read (the cgroup was removed or the process moved), the next
 * call discovers again, at most once per {@link #REDISCOVER_NANOS}.
 *
 * <p>Files whose values rarely change (every level's limit, swap and soft limits, memory.high,
 * the process list, {@code oom_score_adj}, {@code oom_score}), or that are only reported (the peak,
 * v1's kernel memory; the host's {@code /proc/meminfo} and {@code /proc/pressure/memory}) are read again every {@link #SETTLED_TICKS}th tick
 * and at least once per {@link #SETTLED_NANOS}, not every tick: at the default 1 s interval a
 * resized limit is seen within 5 s, sooner at the fast interval. On cgroup v1 it is seen sooner: the
 * leaf's memory.stat, read every tick, carries {@code hierarchical_memory_limit} (the smallest
 * limit above and at the leaf), and when that moves the next tick reads every limit again.
 *
 * <p>Not thread-safe: owned by one thread (the sampler, or the CLI).
 */
public final class SampleReader {

    static final long REDISCOVER_NANOS = 5_000_000_000L;
    /** How often the files of rarely changing values are read again: every this many ticks, and within this time. */
    static final int SETTLED_TICKS = 5;
    static final long SETTLED_NANOS = 5_000_000_000L;

    private final FileSource files;
    private final String root;
    private final Sample.Builder builder = new Sample.Builder();
    private final Refresh settled = new Refresh();
    private long settledAt;
    private int ticksSinceSettled;
    private long hierarchicalLimit = Values.UNKNOWN;
    private CgroupLocation location;
    private CgroupReader cgroup;
    private ProcReader proc;
    private long discoveredAt;
    private boolean lost;

    public SampleReader(FileSource files, String root) {
        this.files = files;
        this.root = root;
    }

    public Sample read(long nanoTime, long wallMillis) {
        if (location == null || (lost && nanoTime - discoveredAt >= REDISCOVER_NANOS)) {
            discover(nanoTime);
        }
        if (++ticksSinceSettled >= SETTLED_TICKS || nanoTime - settledAt >= SETTLED_NANOS) {
            settled.due();
            settledAt = nanoTime;
            ticksSinceSettled = 0;
        }
        builder.start(location, nanoTime, wallMillis);
        // indexed: no iterator per tick
        for (int i = 0; i < location.warnings.size(); i++) {
            builder.warn(location.warnings.get(i));
        }
        cgroup.read(builder);
        proc.read(builder);
        lost = location.version != 0 && !Values.known(builder.get(Metric.USAGE))
                && !location.isHierarchyRoot(0);
        long hierarchical = builder.get(Metric.HIERARCHICAL_LIMIT);
        if (hierarchical != hierarchicalLimit && Values.known(hierarchicalLimit)) {
            // a limit at or above the leaf moved (v1): read every limit at the next tick
            ticksSinceSettled = SETTLED_TICKS;
        }
        hierarchicalLimit = hierarchical;
        return builder.build();
    }

    /** Reads now with the system clocks. */
    public Sample read() {
        return read(System.nanoTime(), System.currentTimeMillis());
    }

    private void discover(long nanoTime) {
        files.close();
        location = new CgroupDiscovery(files, root).discover();
        cgroup = CgroupReader.forLocation(files, root, location, settled);
        proc = new ProcReader(files, root, location.version != 2, settled);
        discoveredAt = nanoTime;
        // the new readers' files are read at their first load
        settledAt = nanoTime;
        ticksSinceSettled = 0;
        hierarchicalLimit = Values.UNKNOWN;
    }

    public CgroupLocation location() {
        return location;
    }
}
