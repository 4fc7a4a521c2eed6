package dev.headroom.agent;

import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real cgroup v1 directory removed and recreated under a running agent. The child JVM's agent
 * watches a {@link CgroupSandbox} cgroup through {@code root=}: a small tree whose
 * /proc/self/cgroup names the sandbox and whose /sys/fs/cgroup/memory is a symbolic link to the
 * real memory mount. The sandbox is rmdir'ed (reads of the kept files then fail with ENODEV),
 * then made again with a lower limit: the application is untouched, each unreadable file is
 * logged once, and the agent finds the new cgroup (a limit-change line from 256 MiB to 128 MiB).
 */
class CgroupRemovalIT {

    @TempDir
    Path tmp;

    @Test
    void removedAndRecreatedCgroupIsLoggedOnceAndFoundAgain() throws Exception {
        CgroupSandbox.requireCgroups();
        try (CgroupSandbox box = CgroupSandbox.create(256L << 20)) {
            String mount = box.dir().toString().substring(0, box.dir().toString().length() - box.cgroupPath().length());
            Path root = tmp.resolve("root");
            Files.createDirectories(root.resolve("proc/self"));
            Files.createDirectories(root.resolve("sys/fs/cgroup"));
            Files.createSymbolicLink(root.resolve("sys/fs/cgroup/memory"), Path.of(mount));
            Files.writeString(root.resolve("proc/self/cgroup"), "4:memory:" + box.cgroupPath() + "\n");
            Files.writeString(root.resolve("proc/self/mountinfo"),
                    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n");
            Files.copy(Path.of("/proc/meminfo"), root.resolve("proc/meminfo"));
            for (String f : List.of("status", "oom_score", "oom_score_adj")) {
                Files.copy(Path.of("src/test/resources/fixtures/v1-docker/root/proc/self", f), root.resolve("proc/self/" + f));
            }

            List<String> command = ChildJvm.builder()
                    .withAgent("root=" + root + ",interval=100ms,fastInterval=100ms")
                    .mainClass("dev.headroom.testing.Probe", Path.of("target/test-classes").toAbsolutePath().toString())
                    .args("sleep", "14000").javaCommand();
            Path out = tmp.resolve("out");
            Path err = tmp.resolve("err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                long deadline = System.currentTimeMillis() + 10_000;
                while (!Files.readString(err).contains("[headroom] INFO start") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(Files.readString(err).contains("[headroom] INFO start"), Files.readString(err));
                Thread.sleep(500);
                Files.delete(box.dir()); // rmdir: the sandbox holds no task
                Thread.sleep(2_000);
                Files.createDirectory(box.dir());
                box.write("memory.limit_in_bytes", Long.toString(128L << 20));
                assertTrue(p.waitFor(40, TimeUnit.SECONDS), "the application ran to its end");
            } finally {
                p.destroyForcibly();
            }
            String stdout = Files.readString(out);
            String stderr = Files.readString(err);
            String all = "stdout:\n" + stdout + "\nstderr:\n" + stderr;
            assertEquals(0, p.exitValue(), all);
            assertTrue(stdout.contains("probe done") && !stdout.contains("UNCAUGHT"), all);
            assertFalse(stderr.contains("ERROR fault"), all);
            List<String> unknown = stderr.lines().filter(l -> l.startsWith("[headroom] INFO unknown:")).toList();
            assertTrue(unknown.stream().anyMatch(l -> l.contains(box.cgroupPath() + "/memory.usage_in_bytes")),
                    () -> "the lost usage file is logged: " + all);
            Map<String, Long> counts = unknown.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            counts.forEach((line, n) -> assertEquals(1L, n, () -> "logged " + n + " times: " + line));
            assertTrue(stderr.lines().anyMatch(l -> l.contains("limit-change") && l.contains("256.0 MiB to 128.0 MiB")),
                    () -> "the recreated cgroup is found again with its new limit: " + all);
        }
    }
}
