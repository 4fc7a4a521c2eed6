package dev.headroom.cgroup;

import dev.headroom.sample.CgroupLocation;

import dev.headroom.io.FileSource;
import dev.headroom.io.Refresh;
import dev.headroom.sample.Sample;

/** Reads one cgroup version's files into a sample; callers never ask which version they have. */
public interface CgroupReader {

    /**
     * Reads into {@code sample}; without {@code detail} (a calm tick) only what every tick needs
     * (each level's usage, memory.stat and limit) is read, and the rest put back from the last
     * read that had it.
     */
    void read(Sample.Builder sample, boolean detail);

    /**
     * The reader for the location's version; one that reads nothing when there is no memory cgroup.
     * Files whose values rarely change (limits) are read again only when {@code settled} is due.
     */
    static CgroupReader forLocation(FileSource files, String root, CgroupLocation location, Refresh settled) {
        switch (location.version) {
            case 1:
                return new V1Reader(files, Paths.normalizeRoot(root), location, settled);
            case 2:
                return new V2Reader(files, Paths.normalizeRoot(root), location, settled);
            default:
                return (sample, detail) -> { };
        }
    }
}
