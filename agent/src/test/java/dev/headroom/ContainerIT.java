package dev.headroom;

import dev.headroom.testing.ChildJvm;
import dev.headroom.testing.Contract;
import dev.headroom.testing.RuncContainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent in a real OCI container run by runc ({@link RuncContainer}): 256 MiB memory limit,
 * swap off, the read-only cgroup mount a runtime gives, with its own cgroup namespace (Docker's
 * {@code --cgroupns=private}, the default on v2 hosts) and without one (Docker's default on v1
 * hosts: the full host path, the mount rooted at the container's cgroup). For each: the snapshot
 * command inside, and an application growing direct buffers under the agent until the kernel
 * OOM-kills it, with {@code terminationMessage=/dev/termination-log} as on Kubernetes.
 */
class ContainerIT {

    private static final long LIMIT = 256L << 20;
    private static final String CGROUP_DIR = "/sys/fs/cgroup/memory";
    private static final long MIN_LEAD_NANOS = 2_000_000_000L;
    /** The container's own OOM kill count, printed by its shell after the application ended. */
    private static final Pattern OOM_KILLS = Pattern.compile("(?m)^container oom_kill (\\d+)$");

    @BeforeAll
    static void requireRunc() {
        RuncContainer.require();
    }

    private static RuncContainer container(boolean cgroupNamespace) throws Exception {
        return RuncContainer.create(LIMIT, cgroupNamespace)
                .bind(Path.of(System.getProperty("java.home")), false)
                .bind(ChildJvm.agentJar(), false);
    }

    private static String expectedPath(boolean cgroupNamespace, RuncContainer c) {
        return cgroupNamespace ? "/" : c.cgroupPath();
    }

    @ParameterizedTest(name = "own cgroup namespace: {0}")
    @ValueSource(booleans = {true, false})
    void snapshotShowsTheContainersLimitAndCgroup(boolean cgroupNamespace) throws Exception {
        try (RuncContainer c = container(cgroupNamespace)) {
            ChildJvm.Result r = ChildJvm.builder().jar(ChildJvm.agentJar()).args("snapshot", "--json")
                    .wrap(c::wrap).timeout(Duration.ofSeconds(60)).run();
            System.out.println("[ContainerIT] snapshot in " + c.cgroupPath() + " (cgroup namespace " + cgroupNamespace
                    + "): " + r.stdout().strip());
            assertEquals(0, r.exitCode(), r::describe);
            Map<String, Object> json = Contract.parseSnapshot(r.stdout());
            assertEquals(1L, Contract.longOrNull(json, "cgroupVersion"), r::describe);
            assertEquals(expectedPath(cgroupNamespace, c), json.get("cgroupPath"), r::describe);
            assertEquals(CGROUP_DIR, json.get("cgroupDir"), "the mount is rooted at the container's cgroup");
            assertEquals(Boolean.FALSE, json.get("approximate"), r::describe);
            assertEquals(LIMIT, Contract.longOrNull(json, "limitBytes"), r::describe);
            assertEquals(CGROUP_DIR, json.get("limitDir"), r::describe);
            assertEquals(CGROUP_DIR, json.get("bindingDir"), r::describe);
            long workingSet = Contract.longOrNull(json, "workingSetBytes");
            long usage = Contract.longOrNull(json, "usageBytes");
            // one JVM running the snapshot: some MiB of heap, metaspace and code, far below the limit
            assertTrue(workingSet > (4L << 20) && workingSet < (128L << 20) && workingSet <= usage,
                    () -> "plausible working set: " + workingSet + "\n" + r.describe());
            assertEquals(LIMIT - workingSet, Contract.longOrNull(json, "headroomBytes"), r::describe);
            assertEquals(0L, Contract.longOrNull(json, "oomKills"), r::describe);
            if (RuncContainer.swapLimited()) {
                assertEquals(0L, Contract.longOrNull(json, "swapLimitBytes"), "swap off: memsw == limit");
            }
        }
    }

    @ParameterizedTest(name = "own cgroup namespace: {0}")
    @ValueSource(booleans = {true, false})
    void warnsBeforeTheKernelKillsAndLeavesATerminationMessage(boolean cgroupNamespace, @TempDir Path tmp)
            throws Exception {
        Path examples = Path.of("../examples/target/headroom-examples.jar").toAbsolutePath().normalize();
        Path log = Files.createFile(tmp.resolve("termination-log"));
        ChildJvm.Result r;
        String path;
        try (RuncContainer c = container(cgroupNamespace).bind(examples, false)
                .bindAt(log, "/dev/termination-log", true)) {
            path = expectedPath(cgroupNamespace, c);
            r = ChildJvm.builder().withAgent("terminationMessage=/dev/termination-log")
                    .jvmArgs("-XX:MaxDirectMemorySize=1g")
                    .mainClass("dev.headroom.examples.Grow", examples.toString()).args("--quiet", "direct", "20M")
                    .wrap(java -> c.wrap(countingOomKills(java))).timeout(Duration.ofSeconds(120)).run();
        }
        String message = Files.readString(log, StandardCharsets.UTF_8);
        show(cgroupNamespace, r, message);

        assertEquals(137, r.exitCode(), () -> "SIGKILL (128 + 9)\n" + r.describe());
        assertTrue(r.stdout().startsWith("grow start kind=direct rate=20 MiB/s"), r::describe);
        Matcher kills = OOM_KILLS.matcher(r.stdout());
        assertTrue(kills.find() && Long.parseLong(kills.group(1)) >= 1, () -> "the kernel's OOM killer\n" + r.describe());
        String start = "[headroom] INFO start: cgroup v1 " + path + " (" + CGROUP_DIR + "), limit 256.0 MiB";
        assertTrue(r.firstLine(l -> l.startsWith(start)).isPresent(), () -> "want: " + start + "\n" + r.describe());

        // a state line (with the numbers), not the start-up config check, at least 2 s before the kill
        Optional<ChildJvm.Line> warning = r.firstLine(l -> l.startsWith("[headroom] WARNING ")
                && l.contains(" of limit: working set "));
        assertTrue(warning.isPresent(), () -> "a WARNING line before the kill\n" + r.describe());
        long lead = r.endNanos() - warning.get().nanoTime();
        assertTrue(lead >= MIN_LEAD_NANOS, () -> "first warning " + lead / 1e9 + " s before the kill\n" + r.describe());
        assertTrue(warning.get().text().contains("of 256.0 MiB"), warning.get()::text);
        assertTrue(warning.get().text().matches(".*grew in the last [^:|]+: direct \\+\\d.*"), warning.get()::text);

        assertTrue(message.startsWith("headroom WARNING at ") || message.startsWith("headroom CRITICAL at "), message);
        assertTrue(message.contains("of 256.0 MiB"), () -> "names the limit\n" + message);
        assertTrue(message.contains("direct +"), () -> "names what grew\n" + message);
        String[] lines = message.stripTrailing().split("\n");
        assertTrue(lines[lines.length - 1].startsWith("cgroup v1 " + path + ", OOM kills so far "), () -> "whole, and the path\n" + message);
    }

    /** sh as the container's process runs java, then prints the container's OOM kill count, and exits as java did. */
    private static List<String> countingOomKills(List<String> java) {
        List<String> c = new ArrayList<>(List.of("sh", "-c", "\"$@\"; rc=$?; echo \"container oom_kill $(sed -n"
                + " 's/^oom_kill //p' " + CGROUP_DIR + "/memory.oom_control)\"; exit $rc", "sh"));
        c.addAll(java);
        return c;
    }

    private static void show(boolean cgroupNamespace, ChildJvm.Result r, String message) {
        StringBuilder b = new StringBuilder("[ContainerIT] Grow in a container (cgroup namespace " + cgroupNamespace
                + "): exit " + r.exitCode() + " after " + r.elapsed().toMillis() + " ms\n");
        for (ChildJvm.Line l : r.lines()) {
            if (l.text().startsWith("[headroom] ") || l.text().startsWith("container ")) {
                b.append(String.format("T-%5.2fs %s%n", (r.endNanos() - l.nanoTime()) / 1e9, l.text()));
            }
        }
        System.out.print(b.append("[ContainerIT] /dev/termination-log:\n").append(message).append('\n'));
    }
}
