package dev.headroom.runtime;

import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

import dev.headroom.cgroup.CgroupDiscovery;
import dev.headroom.sample.CgroupLocation;
import dev.headroom.cgroup.CgroupReader;
import dev.headroom.io.FileSource;
import dev.headroom.parse.Values;
import dev.headroom.proc.ProcReader;

/**
 * Reads one {@link Sample} per call: discovery once, then the cgroup and proc readers. When the
 * leaf's usage can no longer be read (the cgroup was removed or the process moved), the next
 * call discovers again, at most once per {@link #REDISCOVER_NANOS}.
 *
 * <p>Not thread-safe: owned by one thread (the sampler, or the CLI).
 */
public final class SampleReader {

    static final long REDISCOVER_NANOS = 5_000_000_000L;

    private final FileSource files;
    private final String root;
    private final Sample.Builder builder = new Sample.Builder();
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
        builder.start(location, nanoTime, wallMillis);
        // indexed: no iterator per tick
        for (int i = 0; i < location.warnings.size(); i++) {
            builder.warn(location.warnings.get(i));
        }
        cgroup.read(builder);
        proc.read(builder);
        lost = location.version != 0 && !Values.known(builder.get(Metric.USAGE))
                && !location.isHierarchyRoot(0);
        return builder.build();
    }

    /** Reads now with the system clocks. */
    public Sample read() {
        return read(System.nanoTime(), System.currentTimeMillis());
    }

    private void discover(long nanoTime) {
        files.close();
        location = new CgroupDiscovery(files, root).discover();
        cgroup = CgroupReader.forLocation(files, root, location);
        proc = new ProcReader(files, root, location.version != 2);
        discoveredAt = nanoTime;
    }

    public CgroupLocation location() {
        return location;
    }
}
