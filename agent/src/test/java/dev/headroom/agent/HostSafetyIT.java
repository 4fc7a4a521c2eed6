package dev.headroom.agent;

import dev.headroom.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host application's safety, checked on child JVMs started as users start them
 * ({@code -javaagent:headroom-agent.jar}): the sampler thread is a low-priority daemon; failures
 * inside the agent never reach application threads; the application's exit status, stdout and
 * stderr (apart from {@code [headroom]} lines) are unchanged; with the default configuration the
 * agent writes no file and opens no listening socket; the MBeans (when registered) are read-only.
 */
class HostSafetyIT {

    private static final Path EXAMPLES = Path.of("..", "examples", "target", "headroom-examples.jar").toAbsolutePath();
    private static final String PROBE = "dev.headroom.testing.Probe";
    private static final String TEST_CLASSES = Path.of("target", "test-classes").toAbsolutePath().toString();

    @TempDir
    Path tmp;

    @Test
    void samplerThreadIsALowPriorityDaemon() throws Exception {
        ChildJvm.Result r = ChildJvm.builder().withAgent(null).mainClass(PROBE, TEST_CLASSES)
                .args("thread", "10000").timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("probe thread headroom-sampler daemon=true priority=1"), r.describe());
    }

    @Test
    void failuresInsideTheAgentNeverReachTheApplication() throws Exception {
        Path garbage = Path.of("src/test/resources/fixtures/garbage/root").toAbsolutePath();
        Path julConfig = tmp.resolve("logging.properties");
        Files.writeString(julConfig, "handlers=dev.headroom.testing.Probe$ThrowingHandler\n.level=ALL\n");
        List<ChildJvm> runs = List.of(
                // nothing to read at all
                ChildJvm.builder().withAgent("root=/nonexistent,interval=10ms,fastInterval=10ms"),
                // every file garbage
                ChildJvm.builder().withAgent("root=" + garbage + ",interval=10ms,fastInterval=10ms"),
                // a logging setup that throws on every line, with faults to log
                ChildJvm.builder().withAgent("log=jul,root=/nonexistent,interval=10ms")
                        .jvmArgs("-Djava.util.logging.config.file=" + julConfig),
                // bad configuration values
                ChildJvm.builder().withAgent("interval=banana,warn=2,critical=-1,onCritical=everything,nonsense"));
        for (ChildJvm child : runs) {
            ChildJvm.Result r = child.mainClass(PROBE, TEST_CLASSES).args("sleep", "1500")
                    .timeout(Duration.ofSeconds(60)).run();
            assertEquals(0, r.exitCode(), r.describe());
            assertFalse(r.stdout().contains("UNCAUGHT"), r.describe());
            assertTrue(r.stdout().contains("probe done"), r.describe());
            for (String line : r.stdout().split("\n")) {
                assertTrue(line.isEmpty() || line.startsWith("probe "), () -> "stdout: " + r.describe());
            }
            for (String line : r.stderr().split("\n")) {
                assertTrue(line.isEmpty() || line.startsWith("[headroom] "), () -> "stderr: " + r.describe());
            }
        }
    }

    @Test
    void exitStatusStdoutAndStderrAreUnchanged() throws Exception {
        for (String[] args : List.of(new String[] {"0", "alpha", "two words"}, new String[] {"3", "x"},
                new String[] {"-1"}, new String[] {"hello", "[headroom] not ours", ""})) {
            for (String options : new String[] {null, "root=/nonexistent", "interval=banana,log=stderr"}) {
                ChildJvm.Result plain = ChildJvm.builder().mainClass("dev.headroom.examples.Echo", EXAMPLES.toString())
                        .args(args).run();
                ChildJvm.Result agent = ChildJvm.builder().withAgent(options)
                        .mainClass("dev.headroom.examples.Echo", EXAMPLES.toString()).args(args).run();
                String what = String.join(" ", args) + " with agent options " + options + "\n" + agent.describe();
                assertEquals(plain.exitCode(), agent.exitCode(), what);
                assertEquals(plain.stdout(), agent.stdout(), what);
                assertEquals(withoutAgentLines(plain.stderr()), withoutAgentLines(agent.stderr()), what);
            }
        }
    }

    private static String withoutAgentLines(String stderr) {
        return stderr.lines().filter(l -> !l.startsWith("[headroom] ")).collect(Collectors.joining("\n"));
    }

    /**
     * Default configuration, watched from outside while it runs for 4 s (several ticks): the
     * working directory and java.io.tmpdir stay empty, /tmp gets nothing named after the child
     * (no .java_pid attach socket), the child holds no file open for writing that the same
     * program without the agent does not, and none of its sockets listens (TCP, UDP, Unix).
     */
    @Test
    void writesNoFileAndOpensNoListeningSocketByDefault() throws Exception {
        Observed without = observe(false);
        Observed with = observe(true);
        assertEquals(List.of(), with.newInWorkDir, "files the agent wrote in the working directory");
        assertEquals(List.of(), with.newInTmpDir, "files the agent wrote in java.io.tmpdir");
        assertEquals(List.of(), with.newInTmp, "files named after the child in /tmp");
        Set<String> extra = new TreeSet<>(with.writable);
        extra.removeAll(without.writable);
        assertEquals(Set.of(), extra, "files open for writing with the agent only");
        assertEquals(Set.of(), with.listening, "listening sockets");
        assertEquals(Set.of(), without.listening, "the baseline JVM listens on nothing either");
        assertTrue(with.agentStarted, "the agent ran (its start line is on stderr)");
    }

    @Test
    void mbeansAreReadOnly() throws Exception {
        ChildJvm.Result r = ChildJvm.builder().withAgent("jmxDelay=10ms").mainClass(PROBE, TEST_CLASSES)
                .args("mbeans", "8000").timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, r.exitCode(), r.describe());
        // the MXBeans must be there: a build without them fails here, it does not pass vacuously
        assertFalse(r.stdout().contains("probe mbeans none"), () -> "no dev.headroom MBean registered: " + r.describe());
        for (String type : List.of("ContainerMemory", "JvmMemory")) {
            assertTrue(r.stdout().contains("probe attribute dev.headroom:type=" + type + " "),
                    () -> "dev.headroom:type=" + type + " is not registered or has no attributes: " + r.describe());
        }
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("probe attribute ")) {
                assertTrue(line.endsWith(" writable=false"), line);
            }
            if (line.startsWith("probe operation ")) {
                assertTrue(line.endsWith(" impact=0"), () -> "an operation that is not INFO (read-only): " + line);
            }
        }
    }

    // ------------------------------------------------------------------------------ observation

    private static final class Observed {
        List<String> newInWorkDir;
        List<String> newInTmpDir;
        List<String> newInTmp;
        Set<String> writable = new TreeSet<>();
        Set<String> listening = new TreeSet<>();
        boolean agentStarted;
    }

    private Observed observe(boolean agent) throws Exception {
        Path work = Files.createDirectories(tmp.resolve(agent ? "work-agent" : "work-plain"));
        Path javaTmp = Files.createDirectories(tmp.resolve(agent ? "tmp-agent" : "tmp-plain"));
        Set<String> tmpBefore = list(Path.of("/tmp"));
        ChildJvm child = ChildJvm.builder();
        if (agent) {
            child.withAgent(null);
        }
        List<String> command = new ArrayList<>(child.jvmArgs("-XX:-UsePerfData", "-Djava.io.tmpdir=" + javaTmp)
                .mainClass(PROBE, TEST_CLASSES).args("sleep", "4000").javaCommand());
        Path out = tmp.resolve(agent ? "out-agent" : "out-plain");
        Path err = tmp.resolve(agent ? "err-agent" : "err-plain");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        long pid = p.pid();
        Observed o = new Observed();
        long end = System.currentTimeMillis() + 3500;
        while (System.currentTimeMillis() < end && p.isAlive()) {
            o.writable.addAll(writableFiles(pid));
            o.listening.addAll(listeningSockets(pid));
            Thread.sleep(100);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(err));
        o.newInWorkDir = new ArrayList<>(list(work));
        o.newInTmpDir = new ArrayList<>(list(javaTmp));
        Set<String> tmpAfter = list(Path.of("/tmp"));
        tmpAfter.removeAll(tmpBefore);
        o.newInTmp = tmpAfter.stream().filter(n -> n.contains(Long.toString(pid))).sorted().toList();
        o.agentStarted = Files.readString(err).contains("[headroom] INFO start");
        return o;
    }

    private static Set<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(HashSet::new));
        }
    }

    /** Regular files (not stdin/stdout/stderr, /dev, pipes, sockets) the process holds open for writing. */
    private static Set<String> writableFiles(long pid) {
        Set<String> out = new TreeSet<>();
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        try (Stream<Path> s = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    boolean stdio = Integer.parseInt(fd.getFileName().toString()) <= 2; // our redirects
                    if (stdio || !target.startsWith("/") || target.startsWith("/dev/")) {
                        continue;
                    }
                    String flags = Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo",
                            fd.getFileName().toString())).stream().filter(l -> l.startsWith("flags:"))
                            .findFirst().orElse("flags: 0").split("\\s+")[1];
                    if ((Integer.parseInt(flags, 8) & 3) != 0) {
                        out.add(target);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the fd closed meanwhile
                }
            }
        } catch (IOException gone) {
            // the process ended
        }
        return out;
    }

    /** The process's sockets that listen: TCP in LISTEN, any bound UDP socket, Unix sockets accepting. */
    static Set<String> listeningSockets(long pid) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        } catch (IOException gone) {
            return Set.of();
        }
        Set<String> out = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            for (String[] f : rows("/proc/net/" + table)) {
                boolean listens = table.startsWith("udp") || f[3].equals("0A");
                if (f.length > 9 && listens && inodes.contains(f[9])) {
                    out.add(table + " " + f[1] + " inode " + f[9]);
                }
            }
        }
        for (String[] f : rows("/proc/net/unix")) {
            // Flags 00010000 is __SO_ACCEPTCON: a listening Unix socket
            if (f.length > 6 && (Integer.parseInt(f[3], 16) & 0x10000) != 0 && inodes.contains(f[6])) {
                out.add("unix " + (f.length > 7 ? f[7] : "(unnamed)") + " inode " + f[6]);
            }
        }
        return out;
    }

    private static List<String[]> rows(String file) {
        try {
            return Files.readAllLines(Path.of(file)).stream().skip(1).map(l -> l.trim().split("\\s+")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
