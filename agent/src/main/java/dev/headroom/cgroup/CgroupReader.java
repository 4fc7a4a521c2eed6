package dev.headroom.cgroup;

import dev.headroom.sample.CgroupLocation;

import dev.headroom.io.FileSource;
import dev.headroom.io.Refresh;
import dev.headroom.sample.Sample;

/** Reads one cgroup version's files into a sample; callers never ask which version they have. */
public interface CgroupReader {

    void read(Sample.Builder sample);

    /**
     * The reader for the location's version; one that reads nothing when there is no memory cgroup.
     * Files whose values rarely change (limits) are read again only when {@code settled} is due;
     * the event counters, swap usage and PSI (figures a calm tick can do without) when {@code detail} is.
     */
    static CgroupReader forLocation(FileSource files, String root, CgroupLocation location, Refresh settled,
                                    Refresh detail) {
        switch (location.version) {
            case 1:
                return new V1Reader(files, Paths.normalizeRoot(root), location, settled, detail);
            case 2:
                return new V2Reader(files, Paths.normalizeRoot(root), location, settled, detail);
            default:
                return sample -> { };
        }
    }
}
