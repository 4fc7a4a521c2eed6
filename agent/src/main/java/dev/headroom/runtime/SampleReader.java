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
 * <p>A calm tick (the sampler's word: healthy, far from warn, no limit predicted) reads only the
 * usage and memory.stat of each level that matters. The rest (the detail: event counters,
 * swap usage, PSI, and this process's own {@code status}) is read at every tick that is not calm,
 * at every {@link #SETTLED_TICKS}th and within {@link #SETTLED_NANOS}, and {@code status} also as
 * soon as the anonymous memory moved by {@link #STALE_BYTES}; in between, the readers put back
 * what they read last ({@link dev.headroom.sample.Held}), so a calm tick touches two files and
 * little else. Counters lose nothing by being read later (an OOM kill is seen within 5 s while
 * calm); the process figures and the JVM breakdown that goes with them ({@link #processRead()})
 * are never older than that movement.
 *
 * <p>Not thread-safe: owned by one thread (the sampler, or the CLI).
 */
public final class SampleReader {

    static final long REDISCOVER_NANOS = 5_000_000_000L;
    /** How often the files of rarely changing values are read again: every this many ticks, and within this time. */
    static final int SETTLED_TICKS = 5;
    static final long SETTLED_NANOS = 5_000_000_000L;
    /**
     * A move of the anonymous memory after which a calm tick reads the process's own figures (and
     * the sampler the JVM breakdown) again: older ones would count what the JVM grew (direct
     * buffers, heap) as native memory it does not account for.
     */
    static final long STALE_BYTES = 1L << 20;

    private final FileSource files;
    private final String root;
    private final Sample.Builder builder = new Sample.Builder();
    private final Refresh settled = new Refresh();
    private long anonAtProcess = Values.UNKNOWN;
    private boolean processRead;
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

    /**
     * Reads a sample; {@code calm} (healthy and far from warn: the sampler's slow pace) lets the
     * detail files (see the class comment) wait for their refresh.
     */
    public Sample read(long nanoTime, long wallMillis, boolean calm) {
        boolean all = !calm;
        if (location == null || (lost && nanoTime - discoveredAt >= REDISCOVER_NANOS)) {
            discover(nanoTime);
            all = true;
        }
        if (++ticksSinceSettled >= SETTLED_TICKS || nanoTime - settledAt >= SETTLED_NANOS) {
            settled.due();
            settledAt = nanoTime;
            ticksSinceSettled = 0;
            all = true;
        }

        builder.start(location, nanoTime, wallMillis);
        // indexed: no iterator per tick
        for (int i = 0; i < location.warnings.size(); i++) {
            builder.warn(location.warnings.get(i));
        }
        cgroup.read(builder, all);
        long anon = builder.get(Metric.ANON);
        processRead = all || !Values.known(anon) || !Values.known(anonAtProcess)
                || Math.abs(anon - anonAtProcess) >= STALE_BYTES;
        if (processRead) {
            anonAtProcess = anon;
        }
        proc.read(builder, processRead);
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

    /** Reads every file that is due, as at a tick that is not calm. */
    public Sample read(long nanoTime, long wallMillis) {
        return read(nanoTime, wallMillis, false);
    }

    /** Reads now with the system clocks, as at a tick that is not calm. */
    public Sample read() {
        return read(System.nanoTime(), System.currentTimeMillis(), false);
    }

    /**
     * Whether the last read read this process's own figures ({@code /proc/self/status}) again:
     * the JVM breakdown belongs with them (the native gap is the one minus the other).
     */
    public boolean processRead() {
        return processRead;
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
        anonAtProcess = Values.UNKNOWN;
    }

    public CgroupLocation location() {
        return location;
    }
}
