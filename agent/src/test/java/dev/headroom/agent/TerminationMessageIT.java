package dev.headroom.agent;

import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.ChildJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code terminationMessage=PATH} on a child JVM growing direct buffers in a real 256 MiB cgroup
 * until the kernel OOM-kills it: the file holds a whole summary afterwards. Without the option,
 * the same run writes nothing anywhere.
 */
class TerminationMessageIT {

    private static final long LIMIT = 256L << 20;

    @BeforeAll
    static void requireCgroups() {
        CgroupSandbox.requireCgroups();
    }

    @Test
    void theFileHoldsAWholeSummaryAfterTheOomKill(@TempDir Path tmp) throws Exception {
        Path log = Files.createDirectory(tmp.resolve("log")).resolve("termination-log");
        Path cwd = Files.createDirectory(tmp.resolve("cwd"));
        Path javaTmp = Files.createDirectory(tmp.resolve("java-tmp"));
        ChildJvm.Result r = growDirectUntilKilled("terminationMessage=" + log, cwd, javaTmp);

        assertTrue(Files.isRegularFile(log), () -> "no " + log + "\n" + r.describe());
        byte[] bytes = Files.readAllBytes(log);
        assertTrue(bytes.length > 0 && bytes.length <= 4096, "0 < size <= 4096: " + bytes.length);
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        System.out.println("TerminationMessageIT termination-log (" + bytes.length + " bytes):\n" + text);
        assertTrue(text.startsWith("headroom WARNING at ") || text.startsWith("headroom CRITICAL at "), text);
        assertTrue(text.contains("of 256.0 MiB"), () -> "names the limit\n" + text);
        assertTrue(text.contains("grew in the last "), text);
        assertTrue(text.contains("direct +"), () -> "names direct buffers as grown\n" + text);
        String[] lines = text.stripTrailing().split("\n");
        assertTrue(lines[lines.length - 1].startsWith("cgroup v1 "), () -> "the last line is whole\n" + text);
        assertTrue(lines[lines.length - 1].contains(", OOM kills so far "), text);
        // one summary: one header line
        assertEquals(1, Stream.of(lines).filter(l -> l.startsWith("headroom ")).count(), text);

        assertEquals(List.of(log.getFileName().toString()), names(log.getParent()), "only the termination file");
        assertEquals(List.of(), names(cwd), "nothing in the working directory");
        assertEquals(List.of(), names(javaTmp), "nothing in java.io.tmpdir");
    }

    @Test
    void withTheOptionOffNothingIsWrittenAnywhere(@TempDir Path tmp) throws Exception {
        Path cwd = Files.createDirectory(tmp.resolve("cwd"));
        Path javaTmp = Files.createDirectory(tmp.resolve("java-tmp"));
        Set<String> tmpBefore = headroomFilesInTmp();
        ChildJvm.Result r = growDirectUntilKilled(null, cwd, javaTmp);

        assertTrue(r.stderr().contains("[headroom] CRITICAL"), () -> "the agent ran and warned\n" + r.describe());
        assertEquals(List.of(), names(cwd), "the working directory (user.dir) stays empty");
        assertEquals(List.of(), names(javaTmp), "java.io.tmpdir stays empty");
        Set<String> tmpAfter = headroomFilesInTmp();
        tmpAfter.removeAll(tmpBefore);
        assertEquals(Set.of(), tmpAfter, "no new headroom* files in /tmp");
        assertFalse(Files.exists(cwd.resolve("termination-log")));
    }

    private static ChildJvm.Result growDirectUntilKilled(String options, Path cwd, Path javaTmp) throws Exception {
        Path examples = Path.of("../examples/target/headroom-examples.jar").toAbsolutePath().normalize();
        ChildJvm.Result r;
        long kills;
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            r = ChildJvm.builder().withAgent(options)
                    .jvmArgs("-XX:MaxDirectMemorySize=1g", "-Djava.io.tmpdir=" + javaTmp, "-XX:-UsePerfData")
                    .mainClass("dev.headroom.examples.Grow", examples.toString()).args("--quiet", "direct", "20M")
                    .workDir(cwd).inside(box).timeout(Duration.ofSeconds(60)).run();
            kills = box.oomKills();
        }
        ChildJvm.Result run = r;
        assertEquals(137, run.exitCode(), () -> "SIGKILL by the OOM killer\n" + run.describe());
        assertEquals(1, kills, run::describe);
        return run;
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static Set<String> headroomFilesInTmp() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.toLowerCase().startsWith("headroom"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
