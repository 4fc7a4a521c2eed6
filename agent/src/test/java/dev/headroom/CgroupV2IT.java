package dev.headroom;

import dev.headroom.testing.ChildJvm;
import dev.headroom.testing.Contract;
import dev.headroom.testing.Required;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real cgroup v2, in a throw-away QEMU guest booted by the project's {@code scripts/cgroup2-vm.sh}
 * (its job cgroup has memory.max 256M, swap 0), with the JDK under test. The guest side is one
 * script, {@code scripts/v2-guest-check.sh}, so each guest boot does several checks; there are
 * two boots per run:
 * <ul>
 * <li>plain ({@code /proc/self/cgroup} = {@code 0::/job}): snapshot + the JDK's own view, the OOM
 *     kill under the agent, then a child with a higher memory.max below the job (tighter parent);
 * <li>with a cgroup namespace ({@code CG2VM_CGROUPNS=1}, {@code 0::/}, Docker/Kubernetes style):
 *     snapshot + the JDK's view, then the tighter parent again (the parent is the namespace root).
 * </ul>
 * Only a fresh directory under target/ is writable in the guest ({@code CG2VM_RW_DIRS}); the
 * guest script leaves every step's output there. Skips only when the guest cannot be booted here
 * (not Linux on x86-64, or the script's setup/boot fails with exit 125: no root to install qemu,
 * no package archive), and never under {@code CI=true}. {@code CG2VM_VERBOSE=1} passes through
 * for debugging.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CgroupV2IT {

    private static final long LIMIT = 256L << 20;
    private static final long CHILD_MAX = 512L << 20;
    /** Bytes per second for Grow: Java runs ~15x slower in the guest, and the agent must see it coming. */
    private static final String OOM_RATE = "16M";
    /** Guest time limits (CG2VM_TIMEOUT): measured ~110 s / ~45 s on an idle 2-core box, 190 s / 64 s at load 16; the relief step adds a JVM run to the first. */
    private static final int PLAIN_TIMEOUT_S = 480;
    private static final int NAMESPACE_TIMEOUT_S = 300;
    /** On top of the guest time: first use installs qemu and fetches a kernel (apt). */
    private static final int SETUP_ALLOWANCE_S = 300;

    /** One guest boot: the tool's run and the directory the guest script filled. */
    record Boot(String name, ChildJvm.Result run, Path out) {

        String file(String name) {
            Path p = out.resolve(name);
            try {
                return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A step's stdout, asserting the step ran and exited with the expected status. */
        String step(String step, int expectedExit) {
            String rc = file(step + ".rc");
            assertNotNull(rc, () -> "guest step " + step + " did not run\n" + describe());
            assertEquals(expectedExit, Integer.parseInt(rc.trim()), () -> "guest step " + step + "\n" + describe());
            return file(step + ".out");
        }

        String describe() {
            StringBuilder b = new StringBuilder("boot ").append(name).append(": ").append(run.describe());
            try (var files = Files.list(out)) {
                for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                    b.append("\n--- guest ").append(p.getFileName()).append('\n').append(Files.readString(p));
                }
            } catch (IOException e) {
                b.append("\n(cannot list ").append(out).append(": ").append(e).append(')');
            }
            return b.toString();
        }
    }

    private static final Map<Boolean, Object> BOOTS = new LinkedHashMap<>();

    /** The boot for that namespace mode, run once and shared by the tests (or its failure/skip, rethrown). */
    private static synchronized Boot boot(boolean cgroupns) throws Exception {
        Object b = BOOTS.get(cgroupns);
        if (b == null) {
            try {
                b = runBoot(cgroupns);
            } catch (Exception | Error e) {
                b = e;
            }
            BOOTS.put(cgroupns, b);
        }
        if (b instanceof Exception) {
            throw (Exception) b;
        }
        if (b instanceof Error) {
            throw (Error) b;
        }
        return (Boot) b;
    }

    private static Boot runBoot(boolean cgroupns) throws Exception {
        requireLinuxX86();
        Path agentJar = ChildJvm.agentJar();
        Path project = agentJar.toAbsolutePath().getParent().getParent().getParent();
        Path tool = project.resolve("scripts/cgroup2-vm.sh");
        Path script = project.resolve("scripts/v2-guest-check.sh");
        assertTrue(Files.isExecutable(script), () -> script + " missing or not executable");
        Path examples = examplesJar();
        Path target = agentJar.toAbsolutePath().getParent();
        Path out = Files.createTempDirectory(target, "cg2vm-it-" + (cgroupns ? "ns-" : "plain-"));
        assertTrue(out.toString().matches("/[^ ,:]*"), () -> "CG2VM_RW_DIRS cannot hold " + out);

        List<String> steps = cgroupns
                ? List.of("info", "snapshot", "nested:" + CHILD_MAX)
                : List.of("precache", "info", "snapshot", "oom:" + OOM_RATE, "relief", "nested:" + CHILD_MAX);
        int timeout = cgroupns ? NAMESPACE_TIMEOUT_S : PLAIN_TIMEOUT_S;
        ChildJvm.Result r = ChildJvm.builder()
                .wrap(java -> {
                    List<String> c = new ArrayList<>(List.of(tool.toString(), "--", script.toString(), out.toString(),
                            java.get(0), agentJar.toAbsolutePath().toString(), examples.toString()));
                    c.addAll(steps);
                    return c;
                })
                .env("CG2VM_CGROUPNS", cgroupns ? "1" : "0")
                .env("CG2VM_MEM_MAX", "256M")
                .env("CG2VM_SWAP_MAX", "0")
                .env("CG2VM_RW_DIRS", out.toString())
                .env("CG2VM_TIMEOUT", Integer.toString(timeout))
                .workDir(project)
                .timeout(Duration.ofSeconds(timeout + SETUP_ALLOWANCE_S))
                .run();
        Boot boot = new Boot(cgroupns ? "cgroupns" : "plain", r, out);
        System.out.println("[CgroupV2IT] boot " + boot.name() + " (" + System.getProperty("java.home") + "): exit "
                + r.exitCode() + " after " + r.elapsed().toMillis() + " ms\n" + r.stdout());
        if (r.exitCode() == 125 && boot.file("started") == null) {
            unavailable("the cgroup v2 guest could not be set up or booted (" + tool + " exit 125): "
                    + lastLines(r.stderr(), 5));
        }
        assertEquals(0, r.exitCode(), () -> "the guest run failed" + (r.exitCode() == 124 ? " (CG2VM_TIMEOUT "
                + timeout + " s hit)" : "") + "\n" + boot.describe());
        assertNotNull(boot.file("done"), boot::describe);
        return boot;
    }

    private static void unavailable(String reason) {
        Required.unavailable("cgroup v2 tests", reason);
    }

    private static void requireLinuxX86() {
        if (!"Linux".equals(System.getProperty("os.name")) || !"amd64".equals(System.getProperty("os.arch"))) {
            unavailable("the guest needs Linux on x86-64, this is " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch"));
        }
    }

    private static Path examplesJar() {
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (p.getFileName().toString().startsWith("headroom-examples") && e.endsWith(".jar") && Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("headroom-examples jar not on the test class path: "
                + System.getProperty("java.class.path"));
    }

    private static String lastLines(String text, int n) {
        List<String> lines = Arrays.asList(text.strip().split("\n"));
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    // ------------------------------------------------------------------ checks

    /** Item 1: the snapshot in the job cgroup, and the JDK's own "Memory Limit" from the same JVM. */
    private static Map<String, Object> checkSnapshot(Boot boot, String cgroupPath, String dir) {
        String info = boot.file("info.txt");
        assertNotNull(info, boot::describe);
        assertTrue(info.startsWith("cgroup: 0::" + cgroupPath + "\n"), () -> "/proc/self/cgroup\n" + boot.describe());
        String stdout = boot.step("snapshot", 0);
        Map<String, Object> json = Contract.parseSnapshot(stdout);
        System.out.println("[CgroupV2IT] snapshot (" + boot.name() + "): " + stdout.strip());
        assertEquals(2L, Contract.longOrNull(json, "cgroupVersion"), boot::describe);
        assertEquals(cgroupPath, json.get("cgroupPath"), boot::describe);
        assertEquals(dir, json.get("cgroupDir"), boot::describe);
        assertEquals(Boolean.FALSE, json.get("approximate"), boot::describe);
        assertEquals(LIMIT, Contract.longOrNull(json, "limitBytes"), boot::describe);
        assertEquals(dir, json.get("limitDir"), boot::describe);
        assertEquals(dir, json.get("bindingDir"), boot::describe);
        Long usage = Contract.longOrNull(json, "usageBytes");
        assertNotNull(usage, boot::describe);
        assertTrue(usage > 0 && usage <= LIMIT, () -> "0 < usage <= limit: " + usage + "\n" + boot.describe());
        Long workingSet = Contract.longOrNull(json, "workingSetBytes");
        assertNotNull(workingSet, boot::describe);
        assertTrue(workingSet > 0 && workingSet <= usage, boot::describe);
        assertEquals(LIMIT - workingSet, Contract.longOrNull(json, "headroomBytes"), boot::describe);
        assertEquals(0L, Contract.longOrNull(json, "swapLimitBytes"), "memory.swap.max is 0 in the guest");
        assertEquals(0L, Contract.longOrNull(json, "oomKills"), boot::describe);

        // PSI: read from memory.pressure (v2 only); its totals only grow, so ours <= the file's afterwards
        Object pressure = json.get("pressure");
        assertTrue(pressure instanceof Map, () -> "pressure must be read from memory.pressure on v2\n" + boot.describe());
        String file = boot.file("snapshot.pressure");
        assertNotNull(file, boot::describe);
        Matcher some = Pattern.compile("(?m)^some avg10=\\S+ avg60=\\S+ avg300=\\S+ total=(\\d+)$").matcher(file);
        assertTrue(some.find(), () -> "memory.pressure: " + file);
        BigDecimal total = Contract.number(((Map<?, ?>) pressure).get("someTotalMicros"));
        assertTrue(total.longValueExact() <= Long.parseLong(some.group(1)), () -> "someTotalMicros " + total
                + " beyond memory.pressure's later total\n" + file);

        // the JDK's own container support, same JVM (-XshowSettings:system goes to stderr)
        String settings = boot.file("snapshot.err");
        assertTrue(settings.contains("Provider: cgroupv2"), () -> "JDK provider\n" + boot.describe());
        Matcher m = Pattern.compile("(?m)^\\s*Memory Limit:\\s*(\\S+)\\s*$").matcher(settings);
        assertTrue(m.find(), () -> "no 'Memory Limit:' line\n" + boot.describe());
        assertEquals("256.00M", m.group(1), boot::describe);
        return json;
    }

    /** Item 2: a child with memory.max 512M below the job: limit, limitDir and headroom from the parent. */
    private static void checkTighterParent(Boot boot, String parentPath, String parentDir) {
        String childDir = parentDir + "/v2check-child";
        String childPath = (parentPath.equals("/") ? "" : parentPath) + "/v2check-child";
        String setup = boot.file("nested.txt");
        assertNotNull(setup, boot::describe);
        assertTrue(setup.contains("child memory.max: " + CHILD_MAX + "\n"), () -> "child setup\n" + boot.describe());
        String stdout = boot.step("nested", 0);
        Map<String, Object> json = Contract.parseSnapshot(stdout);
        System.out.println("[CgroupV2IT] nested snapshot (" + boot.name() + "): " + stdout.strip());
        assertEquals(2L, Contract.longOrNull(json, "cgroupVersion"), boot::describe);
        assertEquals(childPath, json.get("cgroupPath"), boot::describe);
        assertEquals(childDir, json.get("cgroupDir"), boot::describe);
        assertEquals(LIMIT, Contract.longOrNull(json, "limitBytes"), "the parent's 256M binds, not the child's 512M");
        assertEquals(parentDir, json.get("limitDir"), boot::describe);
        assertEquals(parentDir, json.get("bindingDir"), boot::describe);
        long workingSet = Contract.longOrNull(json, "workingSetBytes");
        long headroom = Contract.longOrNull(json, "headroomBytes");
        // against the parent: the parent's working set (the child's plus the leaf's) counts
        assertTrue(headroom > 0 && headroom <= LIMIT - workingSet,
                () -> "headroom " + headroom + " must be within the parent's limit\n" + boot.describe());
        BigDecimal utilization = Contract.number(json.get("utilization"));
        double expected = (double) (LIMIT - headroom) / LIMIT;
        assertEquals(expected, utilization.doubleValue(), 0.001, boot::describe);
    }

    @Test
    @Order(1)
    void snapshotOnV2WithoutNamespace() throws Exception {
        checkSnapshot(boot(false), "/job", "/sys/fs/cgroup/job");
    }

    @Test
    @Order(2)
    void oomKillOnV2UnderTheAgent() throws Exception {
        Boot boot = boot(false);
        boot.step("oom", 137);
        String err = boot.file("oom.err");
        List<String> lines = Arrays.asList(err.split("\n"));
        int start = agentStart(boot, lines);
        int warning = indexOf(lines, "[headroom] WARNING level: ");
        int critical = indexOf(lines, "[headroom] CRITICAL level: ");
        assertTrue(warning > start, () -> "no WARNING level line\n" + boot.describe());
        assertTrue(critical > warning, () -> "no CRITICAL level line after the WARNING\n" + boot.describe());
        assertTrue(boot.file("oom.out").startsWith("grow start kind=direct"), boot::describe);
        assertTrue(!err.contains("java.lang.OutOfMemoryError") && !err.contains("grow error"), () -> "the kernel, not the JVM, must end it\n" + boot.describe());
        long before = event(boot.file("oom.events-before"), "oom_kill");
        long after = event(boot.file("oom.events-after"), "oom_kill");
        assertTrue(after > before, () -> "memory.events oom_kill must rise: " + before + " -> " + after + "\n"
                + boot.describe());
    }

    @Test
    @Order(3)
    void reliefGivesTheEmptiedHeapBackOnV2() throws Exception {
        Boot boot = boot(false);
        // survived (exit 0): 150 MiB of direct buffers fit in 256 MiB only once the heap was returned
        boot.step("relief", 0);
        List<String> lines = Arrays.asList(boot.file("relief.err").split("\n"));
        int start = agentStart(boot, lines);
        int heap = indexOf(lines, "[headroom] INFO relief: heap: heap committed");
        assertTrue(heap > start, () -> "no relief line saying what the heap gave back\n" + boot.describe());
        System.out.println("[CgroupV2IT] " + lines.get(heap));
        assertTrue(boot.file("relief.out").contains("MinHeapFreeRatio=0 MaxHeapFreeRatio=10"), boot::describe);
    }

    /** The line where the agent started in the job cgroup (plain boot), asserted to be there. */
    private static int agentStart(Boot boot, List<String> lines) {
        int start = indexOf(lines, "[headroom] INFO start: cgroup v2 /job (/sys/fs/cgroup/job), limit 256.0 MiB");
        assertTrue(start >= 0, () -> "no agent start line\n" + boot.describe());
        return start;
    }

    @Test
    @Order(4)
    void tighterParentWithoutNamespace() throws Exception {
        checkTighterParent(boot(false), "/job", "/sys/fs/cgroup/job");
    }

    @Test
    @Order(5)
    void snapshotOnV2InCgroupNamespace() throws Exception {
        checkSnapshot(boot(true), "/", "/sys/fs/cgroup");
    }

    @Test
    @Order(6)
    void tighterParentInCgroupNamespace() throws Exception {
        checkTighterParent(boot(true), "/", "/sys/fs/cgroup");
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static long event(String events, String key) {
        assertNotNull(events, "memory.events not captured");
        Matcher m = Pattern.compile("(?m)^" + key + " (\\d+)$").matcher(events);
        assertTrue(m.find(), () -> key + " missing from memory.events: " + events);
        return Long.parseLong(m.group(1));
    }
}
