package dev.headroom.sample;

import dev.headroom.cgroup.CgroupDiscovery;

import java.util.Collections;
import java.util.List;

/**
 * Where this process's memory cgroup is: decided once by {@link CgroupDiscovery} and used by
 * the readers every sample. Directories are absolute paths inside the root ("/sys/fs/cgroup/..."),
 * as a person inside the container sees them.
 */
public final class CgroupLocation {

    /** 1, 2, or 0 when no memory cgroup was found. */
    public final int version;
    /** The memory path from /proc/self/cgroup, or null. */
    public final String cgroupPath;
    /** The mount point of the memory hierarchy, or null. */
    public final String mountPoint;
    /** The mount's root inside the hierarchy ("/" unless a namespace or bind mount hides the top). */
    public final String mountRoot;
    /** The leaf first, then each visible ancestor up to the mount point. Empty when version is 0. */
    public final List<String> levels;
    /** True when the leaf could not be located and the mount point is read instead. */
    public final boolean approximate;
    /** What was missing, ambiguous or approximate during discovery. */
    public final List<String> warnings;

    public CgroupLocation(int version, String cgroupPath, String mountPoint, String mountRoot, List<String> levels,
                   boolean approximate, List<String> warnings) {
        this.version = version;
        this.cgroupPath = cgroupPath;
        this.mountPoint = mountPoint;
        this.mountRoot = mountRoot;
        this.levels = Collections.unmodifiableList(levels);
        this.approximate = approximate;
        this.warnings = Collections.unmodifiableList(warnings);
    }

    public static CgroupLocation none(String cgroupPath, List<String> warnings) {
        return new CgroupLocation(0, cgroupPath, null, null, Collections.<String>emptyList(), false, warnings);
    }

    /** The cgroup directory read for this process's own values, or null. */
    public String leaf() {
        return levels.isEmpty() ? null : levels.get(0);
    }

    /** True for the top of a hierarchy (the v2 root cgroup has no memory.max or memory.current). */
    public boolean isHierarchyRoot(int level) {
        return level == levels.size() - 1 && "/".equals(mountRoot);
    }

    @Override
    public String toString() {
        return version == 0 ? "no memory cgroup" : "cgroup v" + version + " " + cgroupPath + " at " + leaf()
                + (approximate ? " (approximate)" : "");
    }
}
