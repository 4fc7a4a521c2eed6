package dev.headroom.cli;

import dev.headroom.testing.Contract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\n"));
        }

        String describe() {
            return "exit " + status + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, o, e);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit 2, nothing on stdout, exactly one line starting with "usage:" on stderr, no stack trace. */
    static void assertUsageError(Run r) {
        assertEquals(2, r.status(), r::describe);
        assertEquals("", r.out(), r::describe);
        long usageLines = r.errLines().stream().filter(l -> l.startsWith("usage:")).count();
        assertEquals(1, usageLines, () -> "exactly one usage line expected\n" + r.describe());
        assertTrue(r.errLines().size() <= 2, () -> "a usage error is short\n" + r.describe());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r::describe);
    }

    @Test
    void badArgumentsExitTwoWithOneUsageLine() {
        assertUsageError(run("--bogus"));
        assertUsageError(run("--json", "extra"));
        assertUsageError(run("--root"));
        assertUsageError(run("snapshot", "snapshot"));
        assertUsageError(run("-j"));
    }

    @Test
    void helpExitsZero() {
        Run r = run("--help");
        assertEquals(0, r.status(), r::describe);
        assertTrue(r.out().contains("usage:"), r::describe);
        assertTrue(r.out().contains("--json") && r.out().contains("--root"), r::describe);
        assertTrue(r.out().contains("jmx (default true): register both MXBeans: dev.headroom:type=ContainerMemory and "
                + "dev.headroom:type=JvmMemory"), r::describe);
        assertEquals("", r.err(), r::describe);
    }

    @Test
    void rootThatDoesNotExist(@TempDir Path tmp) {
        assertUsageError(run("--root", tmp.resolve("no-such-dir").toString()));
        assertUsageError(run("--json", "--root=" + tmp.resolve("no-such-dir")));
    }

    @Test
    void rootThatIsAFile(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertUsageError(run("--root", file.toString()));
    }

    @Test
    void emptyRootIsNotAnError(@TempDir Path tmp) {
        Run r = run("--json", "--root", tmp.toString());
        assertEquals(0, r.status(), r::describe);
        Map<String, Object> json = Contract.parseSnapshot(r.out());
        assertNull(json.get("cgroupVersion"));
        assertNull(json.get("cgroupDir"));
        assertNull(json.get("limitBytes"));
        assertNull(json.get("hostMemoryBytes"), "no /proc/meminfo: unknown, never 0");
        assertNull(json.get("usageBytes"));
        assertNull(json.get("headroomBytes"));
        assertNull(json.get("oomScoreAdj"));
        assertFalse(((List<?>) json.get("warnings")).isEmpty(), r::describe);

        Run text = run("--root", tmp.toString());
        assertEquals(0, text.status(), text::describe);
        assertTrue(text.out().contains("n/a"), text::describe);
        assertFalse(text.out().contains("Exception"), text::describe);
    }

    @Test
    void directoriesWhereFilesShouldBeAreNotAnError(@TempDir Path tmp) throws IOException {
        // every file the snapshot reads is a directory here: unreadable, not fatal
        for (String p : List.of("proc/self/cgroup", "proc/self/mountinfo", "proc/self/status",
                "proc/self/oom_score_adj", "proc/self/oom_score", "proc/meminfo")) {
            Files.createDirectories(tmp.resolve(p));
        }
        Run r = run("snapshot", "--json", "--root", tmp.toString());
        assertEquals(0, r.status(), r::describe);
        Map<String, Object> json = Contract.parseSnapshot(r.out());
        assertNull(json.get("cgroupVersion"));
        assertFalse(((List<?>) json.get("warnings")).isEmpty(), r::describe);
        assertEquals("", r.err(), r::describe);
    }

    @Test
    void garbledProcFilesAreNotAnError(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("proc/self"));
        Files.write(tmp.resolve("proc/self/cgroup"), new byte[] {0, (byte) 0xff, ':', ':', '\n', 'x'});
        Files.writeString(tmp.resolve("proc/self/mountinfo"), "- - - - - - - - - - -\n\n");
        Files.writeString(tmp.resolve("proc/self/oom_score_adj"), "lots\n");
        Files.writeString(tmp.resolve("proc/meminfo"), "MemTotal: many kB\n");
        Run r = run("--json", "--root", tmp.toString());
        assertEquals(0, r.status(), r::describe);
        Map<String, Object> json = Contract.parseSnapshot(r.out());
        assertNull(json.get("cgroupVersion"));
        assertNull(json.get("oomScoreAdj"));
        assertNull(json.get("hostMemoryBytes"));
        assertTrue(json.get("warnings").toString().contains("oom_score_adj"), r::describe);
    }

    @Test
    void jsonIsOneLineWithEveryContractKey() {
        Run r = run("--json");
        assertEquals(0, r.status(), r::describe);
        assertTrue(r.out().endsWith("\n"), r::describe);
        assertEquals(1, r.out().split("\n", -1).length - 1, () -> "exactly one line\n" + r.describe());
        Map<String, Object> json = Contract.parseSnapshot(r.out());
        assertTrue(json.keySet().containsAll(Contract.KEYS), json::toString);
        assertEquals("", r.err(), r::describe);
        // the explicit command and --root / are the same snapshot
        Run explicit = run("snapshot", "--root", "/", "--json");
        assertEquals(0, explicit.status(), explicit::describe);
        assertEquals(json.get("cgroupDir"), Contract.parseSnapshot(explicit.out()).get("cgroupDir"));
    }

    @Test
    void textReportOfThisMachine() {
        Run r = run();
        assertEquals(0, r.status(), r::describe);
        assertTrue(r.out().contains("headroom"), r::describe);
        assertTrue(r.out().contains("limit"), r::describe);
        assertFalse(r.out().contains("null"), () -> "unknown is n/a in text, never null\n" + r.describe());
        assertEquals("", r.err(), r::describe);
    }
}
