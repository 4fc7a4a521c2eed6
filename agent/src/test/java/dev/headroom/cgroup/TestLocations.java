package dev.headroom.cgroup;

import dev.headroom.sample.CgroupLocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Synthetic {@link CgroupLocation}s for tests that build samples by hand (no files behind them). */
public final class TestLocations {

    private TestLocations() {
    }

    /** A v1 location: the leaf first, then its visible ancestors. */
    public static CgroupLocation v1(String... levels) {
        return of(1, levels);
    }

    /** A v2 location: the leaf first, then its visible ancestors. */
    public static CgroupLocation v2(String... levels) {
        return of(2, levels);
    }

    private static CgroupLocation of(int version, String... levels) {
        List<String> dirs = new ArrayList<>(Arrays.asList(levels));
        String mount = version == 1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup";
        String path = levels[0].startsWith(mount) ? levels[0].substring(mount.length()) : levels[0];
        return new CgroupLocation(version, path.isEmpty() ? "/" : path, mount, "/", dirs, false, new ArrayList<>());
    }
}
