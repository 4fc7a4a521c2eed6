package dev.headroom.cgroup;

import dev.headroom.sample.CgroupLocation;

import dev.headroom.io.FileSource;
import dev.headroom.io.SourceFile;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds this process's memory cgroup from {@code /proc/self/cgroup} and
 * {@code /proc/self/mountinfo}, everything under a root directory (the real "/" or a
 * captured tree). The rules (ARCHITECTURE.md, "Kernel semantics we follow"): memory lives where the {@code memory}
 * controller is (v1 on hybrid hosts), v1 mounts match by super options, mounts under
 * /sys/fs/cgroup win, and a path that does not map onto the mount is trimmed until a
 * directory exists, else the mount point is read and the result is approximate.
 */
public final class CgroupDiscovery {

    private static final String PREFERRED = "/sys/fs/cgroup";

    private final FileSource files;
    private final String root;

    /** @param root the directory standing for "/": "" or "/" for the real root */
    public CgroupDiscovery(FileSource files, String root) {
        this.files = files;
        this.root = Paths.normalizeRoot(root);
    }

    public CgroupLocation discover() {
        List<String> warnings = new ArrayList<>();
        String cgroupText = readText("/proc/self/cgroup", warnings);
        String mountText = readText("/proc/self/mountinfo", warnings);
        if (cgroupText == null || mountText == null) {
            return CgroupLocation.none(null, warnings);
        }
        List<ProcCgroup> cgroups = ProcCgroup.parseAll(cgroupText);
        List<MountInfo> mounts = MountInfo.parseAll(mountText);

        for (ProcCgroup line : cgroups) {
            if (line.controllers.contains("memory")) {
                MountInfo mount = preferred(mounts, "cgroup", "memory");
                if (mount == null) {
                    warnings.add("/proc/self/cgroup names the memory controller but no cgroup mount has it");
                    return CgroupLocation.none(line.path, warnings);
                }
                return locate(1, line.path, mount, warnings);
            }
        }
        for (ProcCgroup line : cgroups) {
            if (line.isV2()) {
                MountInfo mount = preferred(mounts, "cgroup2", null);
                if (mount == null) {
                    warnings.add("no cgroup2 mount is visible: no memory cgroup to read");
                    return CgroupLocation.none(line.path, warnings);
                }
                CgroupLocation location = locate(2, line.path, mount, warnings);
                if (!hasMemoryController(location)) {
                    warnings.add("the memory controller is not enabled in " + location.leaf());
                    return CgroupLocation.none(line.path, warnings);
                }
                return location;
            }
        }
        warnings.add("this process is in no memory cgroup (not in a container?)");
        return CgroupLocation.none(null, warnings);
    }

    private boolean hasMemoryController(CgroupLocation location) {
        if (files.isDirectory(root + location.leaf()) && exists(location.leaf() + "/memory.current")) {
            return true;
        }
        SourceFile controllers = new SourceFile(root + location.mountPoint + "/cgroup.controllers");
        if (!controllers.load(files)) {
            return false;
        }
        for (String c : controllers.text().trim().split("\\s+")) {
            if (c.equals("memory")) {
                return true;
            }
        }
        return false;
    }

    private boolean exists(String insideRoot) {
        return new SourceFile(root + insideRoot, 64).load(files);
    }

    /** The mount of the given type (and v1 controller), preferring one under /sys/fs/cgroup. */
    private static MountInfo preferred(List<MountInfo> mounts, String fsType, String controller) {
        MountInfo first = null;
        for (MountInfo m : mounts) {
            if (!m.fsType.equals(fsType) || (controller != null && !m.hasSuperOption(controller))) {
                continue;
            }
            if (m.mountPoint.equals(PREFERRED) || m.mountPoint.startsWith(PREFERRED + "/")) {
                return m;
            }
            if (first == null) {
                first = m;
            }
        }
        return first;
    }

    private CgroupLocation locate(int version, String path, MountInfo mount, List<String> warnings) {
        String mountPoint = mount.mountPoint;
        String leaf = null;
        boolean approximate = false;
        if (version == 2 && (path.contains("/../") || path.endsWith("/..") || path.equals(".."))) {
            warnings.add("cgroup path " + path + " lies outside the namespace root: reading " + mountPoint
                    + " (approximate)");
            approximate = true;
            leaf = mountPoint;
        } else {
            String relative = relative(path, mount.root);
            if (relative != null && files.isDirectory(root + Paths.join(mountPoint, relative))) {
                leaf = Paths.join(mountPoint, relative);
            } else {
                leaf = trimmed(mountPoint, path);
                if (leaf == null) {
                    warnings.add("cgroup " + path + " is not visible under " + mountPoint + " (mount root "
                            + mount.root + "): reading " + mountPoint + " (approximate)");
                    approximate = true;
                    leaf = mountPoint;
                }
            }
        }
        List<String> levels = new ArrayList<>();
        for (String dir = leaf; dir != null; dir = Paths.parent(dir, mountPoint)) {
            levels.add(dir);
        }
        return new CgroupLocation(version, path, mountPoint, mount.root, levels, approximate, warnings);
    }

    /** The path relative to the mount's root, or null when it is not below it. */
    static String relative(String path, String mountRoot) {
        if (mountRoot.equals("/")) {
            return path;
        }
        if (path.equals(mountRoot)) {
            return "/";
        }
        if (path.startsWith(mountRoot + "/")) {
            return path.substring(mountRoot.length());
        }
        return null;
    }

    /** Mount point + path, then with leading components dropped one at a time; first directory wins. */
    private String trimmed(String mountPoint, String path) {
        String rest = path;
        while (!rest.isEmpty() && !rest.equals("/")) {
            String candidate = Paths.join(mountPoint, rest);
            if (files.isDirectory(root + candidate)) {
                return candidate;
            }
            int next = rest.indexOf('/', 1);
            rest = next < 0 ? "" : rest.substring(next);
        }
        return null;
    }

    private String readText(String insideRoot, List<String> warnings) {
        SourceFile file = new SourceFile(root + insideRoot, 4096);
        if (!file.load(files)) {
            warnings.add(file.problem());
            return null;
        }
        return file.text();
    }
}
