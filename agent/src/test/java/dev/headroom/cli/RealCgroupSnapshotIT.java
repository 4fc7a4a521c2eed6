package dev.headroom.cli;

import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.ChildJvm;
import dev.headroom.testing.Contract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real cgroup v1: a 256 MiB child of our own memory cgroup, a child JVM moved into it, the
 * snapshot it takes of itself, and the JDK's own view of the same limit.
 */
class RealCgroupSnapshotIT {

    private static final long LIMIT = 256L << 20;

    @BeforeAll
    static void requireCgroups() {
        CgroupSandbox.requireCgroups();
    }

    @Test
    void snapshotInsideA256MiBCgroup() throws Exception {
        Path dir;
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            dir = box.dir();
            assertTrue(dir.getFileName().toString().startsWith("headroom-test-"), dir::toString);
            assertEquals(LIMIT, box.readLong("memory.limit_in_bytes"));
            assertEquals(List.of(), box.pids(), "a new sandbox is empty");

            ChildJvm.Result r = ChildJvm.builder().jar(ChildJvm.agentJar()).args("--json")
                    .inside(box).timeout(Duration.ofSeconds(90)).run();
            assertEquals(0, r.exitCode(), r::describe);
            Map<String, Object> json = Contract.parseSnapshot(r.stdout());

            assertEquals(1L, Contract.longOrNull(json, "cgroupVersion"), r::describe);
            assertEquals(LIMIT, Contract.longOrNull(json, "limitBytes"), r::describe);
            assertEquals(dir.toString(), json.get("cgroupDir"), r::describe);
            assertEquals(dir.toString(), json.get("limitDir"), r::describe);
            assertEquals(box.cgroupPath(), json.get("cgroupPath"), r::describe);
            assertEquals(Boolean.FALSE, json.get("approximate"), r::describe);
            Long usage = Contract.longOrNull(json, "usageBytes");
            assertNotNull(usage, r::describe);
            assertTrue(usage > 0 && usage <= LIMIT, () -> "0 < usage <= limit, usage " + usage + "\n" + r.describe());
            Long workingSet = Contract.longOrNull(json, "workingSetBytes");
            assertNotNull(workingSet, r::describe);
            assertTrue(workingSet <= usage, r::describe);
            Long headroom = Contract.longOrNull(json, "headroomBytes");
            assertNotNull(headroom, r::describe);
            assertEquals(LIMIT - workingSet, headroom.longValue(), r::describe);
            assertEquals(dir.toString(), json.get("bindingDir"), r::describe);
            assertEquals(0L, Contract.longOrNull(json, "oomKills"), r::describe);
            assertEquals(0L, box.oomKills());
            assertEquals(List.of(), box.pids(), "the child has exited");
        }
        assertFalse(Files.exists(dir), () -> dir + " should be removed");
    }

    @Test
    void jdkSeesTheSameLimit() throws Exception {
        Path dir;
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            dir = box.dir();
            ChildJvm.Result r = ChildJvm.builder().jvmArgs("-XshowSettings:system", "-version")
                    .inside(box).timeout(Duration.ofSeconds(90)).run();
            assertEquals(0, r.exitCode(), r::describe);
            Pattern memoryLimit = Pattern.compile("^\\s*Memory Limit:\\s*(\\S+)\\s*$");
            Optional<ChildJvm.Line> line = r.firstLine(t -> memoryLimit.matcher(t).matches());
            assertTrue(line.isPresent(), () -> "no 'Memory Limit:' line\n" + r.describe());
            Matcher m = memoryLimit.matcher(line.get().text());
            assertTrue(m.matches());
            assertEquals("256.00M", m.group(1), r::describe);
        }
        assertFalse(Files.exists(dir), () -> dir + " should be removed");
    }

    @Test
    void closingKillsWhatStillRunsAndRemovesTheCgroup() throws Exception {
        Path dir;
        Process sleeper;
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            dir = box.dir();
            sleeper = new ProcessBuilder(box.wrap(List.of("sleep", "300"))).start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (box.pids().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of(sleeper.pid()), box.pids(), "the shell moved itself in, then exec'd sleep");
        }
        assertFalse(Files.exists(dir), () -> dir + " should be removed");
        assertTrue(sleeper.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "the leftover task was killed");
    }
}
