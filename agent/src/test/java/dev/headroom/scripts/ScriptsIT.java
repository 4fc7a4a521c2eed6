package dev.headroom.scripts;

import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.Required;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user-facing scripts, run as a user runs them from the repository root. */
class ScriptsIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    record Run(int status, String output) {
    }

    private static Run run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("headroom-script", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(log));
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static List<String> leftoverCgroups() throws IOException {
        Path parent = Path.of(CgroupSandbox.ownMemoryCgroupDir());
        try (var dirs = Files.list(parent)) {
            return dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith("headroom-run-")).toList();
        }
    }

    @Test
    void runInCgroupPassesLimitsAndExitStatusesAndLeavesNoCgroup() throws Exception {
        CgroupSandbox.requireCgroups();
        Run r = run(300, "bash", "scripts/test-run-in-cgroup.sh");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().matches("(?s).*\\b\\d+ passed, 0 failed.*"), r.output());
        List<String> skipped = r.output().lines().filter(l -> l.startsWith("skip - ")).toList();
        skipped.forEach(l -> System.out.println("[SKIPPED] test-run-in-cgroup.sh " + l.substring("skip - ".length())));
        if (Required.underCi()) {
            assertEquals(List.of(), skipped, "under CI=true every case must run\n" + r.output());
        }
        assertEquals(List.of(), leftoverCgroups());
    }

    @Test
    void demoShowsWarningsTheKillAndTheTerminationMessage() throws Exception {
        CgroupSandbox.requireCgroups();
        // a stand-in mvn that writes what Maven 3.8 writes in batch mode (colour resets): the jars are
        // built already, and the demo must echo the command it runs and print no escape code
        Path bin = Files.createTempDirectory("headroom-fake-mvn");
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\nprintf '\\033[0m\\033[1mfake mvn: %s\\033[m\\n' \"$*\"\n");
        mvn.toFile().setExecutable(true);
        Run r;
        try {
            r = run(240, "env", "PATH=" + bin + ":" + System.getenv("PATH"), "DEMO_REBUILD=1", "bash", "scripts/demo.sh");
        } finally {
            Files.delete(mvn);
            Files.delete(bin);
        }
        assertEquals(0, r.status(), r.output());
        String out = r.output();
        assertTrue(out.contains("== building the agent and the examples: mvn -B -q -DskipTests package -pl agent -am\n"
                + "fake mvn: -B -q -DskipTests package -pl agent -am\n"), out);
        assertEquals(-1, out.indexOf('\u001b'), "no terminal escape code: " + out);
        assertTrue(out.contains("[headroom] INFO start:"), out);
        assertTrue(out.contains("[headroom] WARNING level:"), out);
        // the demo promises a warning before the kill; whether a CRITICAL line also lands before it
        // depends on the last second of reclaim (RealOomIT asserts CRITICAL under controlled timing)
        assertTrue(out.contains("the kernel OOM-killed the process"), out);
        assertTrue(out.contains("the termination message the agent kept"), out);
        assertTrue(out.contains("| headroom CRITICAL at") || out.contains("| headroom WARNING at"), out);
        assertTrue(out.contains("direct +"), "the message names what grew: " + out);
        assertEquals(List.of(), leftoverCgroups());
    }
}
