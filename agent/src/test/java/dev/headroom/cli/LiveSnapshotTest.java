package dev.headroom.cli;

import dev.headroom.testing.Contract;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot of "/" against what this test reads itself from the same files, resolving this
 * process's memory cgroup independently of the code under test.
 */
class LiveSnapshotTest {

    private static final long TOLERANCE = 16L << 20;
    private static final long V1_UNLIMITED_FLOOR = 0x7FFFFFFFFF000000L;

    /** Our memory cgroup as this test resolves it: version, path, directory and mount point. */
    record Own(int version, String path, String dir, String mountPoint) {
    }

    static Own resolve() throws IOException {
        List<String> cgroup = Files.readAllLines(Path.of("/proc/self/cgroup"));
        List<String> mountinfo = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        String v1Path = null;
        String v2Path = null;
        for (String line : cgroup) {
            String[] p = line.split(":", 3);
            if (p.length < 3) {
                continue;
            }
            if (List.of(p[1].split(",")).contains("memory")) {
                v1Path = p[2];
            } else if (p[0].equals("0") && p[1].isEmpty()) {
                v2Path = p[2];
            }
        }
        int version = v1Path != null ? 1 : v2Path != null ? 2 : 0;
        if (version == 0) {
            return new Own(0, null, null, null);
        }
        String bestMount = null;
        String bestRoot = null;
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            int sep = List.of(f).subList(6, f.length).indexOf("-") + 6;
            if (sep < 6 || sep + 3 >= f.length) {
                continue;
            }
            String type = f[sep + 1];
            boolean match = version == 1
                    ? type.equals("cgroup") && List.of(f[sep + 3].split(",")).contains("memory")
                    : type.equals("cgroup2");
            if (match && (bestMount == null || f[4].startsWith("/sys/fs/cgroup"))) {
                bestMount = f[4].replace("\\040", " ");
                bestRoot = f[3].replace("\\040", " ");
            }
        }
        assertNotNull(bestMount, "no mount for the memory cgroup");
        String path = version == 1 ? v1Path : v2Path;
        String relative = bestRoot.equals("/") ? path
                : path.equals(bestRoot) ? "/"
                : path.startsWith(bestRoot + "/") ? path.substring(bestRoot.length()) : null;
        assertNotNull(relative, "this test cannot resolve " + path + " under mount root " + bestRoot);
        String dir = relative.equals("/") ? bestMount : bestMount + relative;
        if (version == 2 && !Files.exists(Path.of(dir, "memory.max")) && !Files.exists(Path.of(dir, "memory.current"))) {
            return new Own(0, null, null, null);
        }
        return new Own(version, path, dir, bestMount);
    }

    static String read(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.US_ASCII).trim();
    }

    static long stat(String file, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of(file))) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length >= 2 && kv[0].equals(key)) {
                return Long.parseUnsignedLong(kv[1]) < 0 ? Long.MAX_VALUE : Long.parseLong(kv[1]);
            }
        }
        throw new AssertionError(key + " not in " + file);
    }

    /** A limit as the contract reports it: null when unlimited. */
    static Long limitOf(String text) {
        if (text.equals("max")) {
            return null;
        }
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null; // above Long.MAX: unlimited
        }
        return v >= V1_UNLIMITED_FLOOR ? null : v;
    }

    static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    @Test
    void snapshotOfRootAgreesWithTheFiles() throws IOException {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/cgroup")), "/proc/self/cgroup is not readable");
        Own own = resolve();
        boolean v1 = own.version() == 1;
        String usageFile = v1 ? "memory.usage_in_bytes" : "memory.current";
        String limitFile = v1 ? "memory.limit_in_bytes" : "memory.max";
        String inactiveKey = v1 ? "total_inactive_file" : "inactive_file";

        long usageBefore = own.version() == 0 ? 0 : Long.parseLong(read(own.dir() + "/" + usageFile));
        long inactiveBefore = own.version() == 0 ? 0 : stat(own.dir() + "/memory.stat", inactiveKey);
        Map<String, Object> json = Contract.parseSnapshot(Main.snapshot("/", true));
        long usageAfter = own.version() == 0 ? 0 : Long.parseLong(read(own.dir() + "/" + usageFile));
        long inactiveAfter = own.version() == 0 ? 0 : stat(own.dir() + "/memory.stat", inactiveKey);

        long memTotal = stat("/proc/meminfo", "MemTotal:") * 1024;
        assertEquals(memTotal, Contract.longOrNull(json, "hostMemoryBytes"), "MemTotal x 1024");
        assertEquals(Long.parseLong(read("/proc/self/oom_score_adj")), Contract.longOrNull(json, "oomScoreAdj"));

        if (own.version() == 0) {
            assertNull(json.get("cgroupVersion"), json::toString);
            assertNull(json.get("cgroupDir"), json::toString);
            assertFalse(((List<?>) json.get("warnings")).isEmpty());
            return;
        }
        assertEquals((long) own.version(), Contract.longOrNull(json, "cgroupVersion"));
        assertEquals(own.path(), json.get("cgroupPath"));
        assertEquals(own.dir(), json.get("cgroupDir"));
        assertEquals(Boolean.FALSE, json.get("approximate"));

        // the tightest limit over the leaf and its visible ancestors (and v1 hierarchical_memory_limit)
        Long limit = null;
        for (Path d = Path.of(own.dir()); d.startsWith(own.mountPoint()); d = d.getParent()) {
            if (Files.exists(d.resolve(limitFile))) {
                limit = min(limit, limitOf(read(d.resolve(limitFile).toString())));
            }
            if (d.equals(Path.of(own.mountPoint()))) {
                break;
            }
        }
        if (v1) {
            limit = min(limit, limitOf(Long.toUnsignedString(stat(own.dir() + "/memory.stat", "hierarchical_memory_limit"))));
        }
        assertEquals(limit, Contract.longOrNull(json, "limitBytes"), json::toString);

        Long usage = Contract.longOrNull(json, "usageBytes");
        assertNotNull(usage, json::toString);
        assertTrue(usage >= Math.min(usageBefore, usageAfter) - TOLERANCE
                        && usage <= Math.max(usageBefore, usageAfter) + TOLERANCE,
                () -> "usage " + usage + " vs " + usageBefore + ".." + usageAfter);

        Long inactive = Contract.longOrNull(json, "inactiveFileBytes");
        assertNotNull(inactive, json::toString);
        assertTrue(Math.abs(inactive - inactiveBefore) <= TOLERANCE || Math.abs(inactive - inactiveAfter) <= TOLERANCE);
        long expectedWorkingSet = Math.max(0, usageAfter - inactiveAfter);
        Long workingSet = Contract.longOrNull(json, "workingSetBytes");
        assertNotNull(workingSet, json::toString);
        assertTrue(Math.abs(workingSet - expectedWorkingSet) <= TOLERANCE,
                () -> "working set " + workingSet + " vs usage - " + inactiveKey + " = " + expectedWorkingSet);
        assertEquals(Math.max(0, usage - inactive), workingSet, "the snapshot's own working set formula");

        if (v1) {
            assertEquals(stat(own.dir() + "/memory.oom_control", "oom_kill"), Contract.longOrNull(json, "oomKills"));
            assertEquals(Long.parseLong(read(own.dir() + "/memory.failcnt")), Contract.longOrNull(json, "limitHits"));
        }
        Long headroom = Contract.longOrNull(json, "headroomBytes");
        assertNotNull(headroom, json::toString);
        long ceiling = limit == null || limit >= memTotal ? memTotal : limit;
        assertTrue(headroom <= ceiling - workingSet + TOLERANCE, () -> "headroom " + headroom + " above " + ceiling + " - " + workingSet);
    }
}
