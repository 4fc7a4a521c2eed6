package dev.headroom.agent;

import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.ChildJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relief in real 256 MiB memory cgroups (v1; the cgroup v2 guest is not covered here), with
 * {@code ReliefScenario} from the examples: the same program killed without relief and saved with
 * it, what malloc_trim returns, a true leak that relief cannot stop, the readiness file through
 * CRITICAL and back, and the default configuration that touches nothing. Measured figures go to
 * stdout and {@code target/relief-figures.txt} for benchmarks/RESULTS.md.
 */
class ReliefIT {

    static final long LIMIT = 256L << 20;
    static final Pattern RELIEF_LINE = Pattern.compile("^\\[headroom\\] INFO relief: (\\w+): (.*)$");
    static final Pattern FREED = Pattern.compile("(?:heap committed|process RSS\\+swap) ([\\d.]+) MiB -> ([\\d.]+) MiB.*"
            + "working set ([\\d.]+) MiB -> ([\\d.]+) MiB \\(a second after\\), in (\\d+) ms");
    static final String STATE = " of limit: working set ";

    @BeforeAll
    static void requireCgroups() {
        CgroupSandbox.requireCgroups();
    }

    /** One run: the result, OOM kills of its cgroup before and after. */
    record Run(ChildJvm.Result result, long killsBefore, long killsAfter) {
        boolean killed() {
            return result.exitCode() == 137 && killsAfter > killsBefore;
        }

        boolean survived() {
            return result.exitCode() == 0 && killsAfter == killsBefore && result.stdout().contains("relief-scenario done");
        }

        List<String> reliefLines() {
            return result.lines().stream().filter(l -> l.stderr() && l.text().startsWith("[headroom] INFO relief: "))
                    .map(ChildJvm.Line::text).collect(Collectors.toList());
        }
    }

    static Run run(String agentOptions, List<String> jvmArgs, String... scenario) throws Exception {
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            long before = box.oomKills();
            ChildJvm.Result r = ChildJvm.builder()
                    .mainClass("dev.headroom.examples.ReliefScenario", AgentChildJvmIT.appClasspath())
                    .withAgent(agentOptions)
                    .jvmArgs(jvmArgs.toArray(new String[0]))
                    .args(scenario)
                    .inside(box)
                    .timeout(Duration.ofSeconds(60))
                    .run();
            return new Run(r, before, box.oomKills());
        }
    }

    /** A G1 heap filled and emptied (committed 200 MiB, a few used), then 150 MiB of direct buffers. */
    static final String[] HEAP_THEN_DIRECT = {"--heap-burst", "150M", "--grow", "direct", "--to", "150M", "--rate", "20M",
        "--hold", "3s"};
    static final List<String> G1 = List.of("-XX:+UseG1GC", "-Xmx200m", "-XX:MaxDirectMemorySize=1g");

    @Test
    void anEmptiedHeapGivenBackSavesTheProcessThatIsKilledWithoutRelief(@TempDir Path tmp) throws Exception {
        Path gcLog = tmp.resolve("gc-without.log");
        Run without = run(null, with(G1, "-Xlog:gc:file=" + gcLog), HEAP_THEN_DIRECT);
        show("heap, without relief", without);
        assertTrue(without.killed(), () -> "killed without relief\n" + without.result().describe());
        assertEquals(List.of(), without.reliefLines());
        assertEquals(0, count(gcLog, "System.gc()"), "the default configuration starts no GC");

        Path gcLogWith = tmp.resolve("gc-with.log");
        Run with = run("relief=heap", with(G1, "-Xlog:gc:file=" + gcLogWith), HEAP_THEN_DIRECT);
        show("heap, relief=heap", with);
        assertTrue(with.survived(), () -> "relief=heap saves it\n" + with.result().describe());
        List<String> heap = with.reliefLines().stream().filter(l -> l.contains("relief: heap: heap committed"))
                .collect(Collectors.toList());
        assertEquals(1, heap.size(), () -> with.result().describe());
        double[] f = freed(heap.get(0));
        assertTrue(f[0] - f[1] >= 100, () -> "the heap gave back at least 100 MiB: " + heap.get(0));
        assertTrue(f[2] - f[3] >= 100, () -> "the working set fell by at least 100 MiB: " + heap.get(0));
        assertTrue(heap.get(0).contains("MinHeapFreeRatio 40 -> 0, MaxHeapFreeRatio 70 -> 10, one full GC"), heap.get(0));
        assertEquals(1, count(gcLogWith, "Pause Full (System.gc())"), "one full GC");
        // the flags stay lowered while the episode lasts (it does here: the plateau is above warn)
        assertTrue(with.result().stdout().contains("MinHeapFreeRatio=0 MaxHeapFreeRatio=10"), with.result().stdout());
        figure("heap: G1, 150 MiB heap burst emptied, then 150 MiB of direct buffers", without, with, heap.get(0));
    }

    @Test
    void nativeReliefReturnsWhatGlibcKeptAfterFree() throws Exception {
        List<String> jvm = List.of("-Xmx64m", "-XX:MaxDirectMemorySize=1g");
        String[] scenario = {"--churn", "4x120M", "--grow", "direct", "--to", "120M", "--rate", "20M", "--hold", "3s"};
        Run without = run(null, jvm, scenario);
        show("native, without relief", without);
        Run with = run("relief=native", jvm, scenario);
        show("native, relief=native", with);
        Optional<String> trim = with.reliefLines().stream().filter(l -> l.contains("relief: native: process RSS+swap")).findFirst();
        assertTrue(trim.isPresent(), () -> "malloc_trim ran\n" + with.result().describe());
        double[] f = freed(trim.get());
        figure("native: 4 threads churn 120 MiB through malloc/free, then 120 MiB of direct buffers", without, with, trim.get());
        // measured on glibc 2.36 (Debian 12): about 110 of the 120 MiB come back. Whether the run
        // without relief is killed depends on how much the arenas kept that time (seen both ways
        // here): it is reported in the figure, not asserted; what relief returns and that the
        // process survives with it are.
        assertTrue(f[0] - f[1] >= 64, () -> "malloc_trim returned at least 64 MiB: " + trim.get());
        assertTrue(with.survived(), () -> "relief=native saves it\n" + with.result().describe());
    }

    @Test
    void aTrueLeakIsStillKilledAfterTheWarningsWithOneFullGcAndTheTerminationMessageSaysWhatReliefDid(@TempDir Path tmp)
            throws Exception {
        Path gcLog = tmp.resolve("gc.log");
        Path message = tmp.resolve("termination-log");
        Run leak = run("relief=heap,terminationMessage=" + message, with(G1, "-Xlog:gc:file=" + gcLog),
                "--heap-burst", "150M", "--grow", "direct", "--to", "0", "--rate", "20M");
        show("leak, relief=heap", leak);
        ChildJvm.Result r = leak.result();
        assertTrue(leak.killed(), () -> "a leak is killed all the same\n" + r.describe());
        Optional<ChildJvm.Line> warning = r.firstLine(l -> l.startsWith("[headroom] WARNING ") && l.contains(STATE));
        Optional<ChildJvm.Line> relief = r.firstLine(l -> l.startsWith("[headroom] INFO relief: heap: heap committed"));
        Optional<ChildJvm.Line> critical = r.firstLine(l -> l.startsWith("[headroom] CRITICAL ") && l.contains(STATE));
        assertTrue(warning.isPresent() && relief.isPresent() && critical.isPresent(), r::describe);
        assertTrue(warning.get().nanoTime() < relief.get().nanoTime(), "the warning comes before relief");
        assertTrue(r.endNanos() - critical.get().nanoTime() > 0, "CRITICAL before the kill");
        assertTrue(count(gcLog, "Pause Full (System.gc())") <= 1, "at most one full GC added");
        String text = Files.readString(message).stripTrailing();
        System.out.println("ReliefIT termination-log:\n" + text);
        assertTrue(text.contains("\nrelief freed ") && text.contains(" in 1 action; heap at "), text);
        assertTrue(text.contains("grew in the last ") && text.contains("direct +"), "and what went on growing: " + text);
        figure("leak: G1, 150 MiB heap burst emptied, then direct buffers growing without end", null, leak,
                relief.get().text());
    }

    /**
     * Native memory up to CRITICAL (at 75% here: well before a kill), held, freed, held until OK. In
     * 36 MiB blocks: glibc always mmap()s those, so free() gives them back (smaller blocks may stay
     * in its arenas after free: on JDK 25 they did, which is what relief=native is for).
     */
    static final String[] READINESS = {"--grow", "native", "--to", "180M", "--rate", "40M", "--chunk", "36M",
        "--hold", "2s", "--release", "12s"};
    /** (A prediction of the limit holds 10 s after the growth stops: OK comes that long after the release.) */
    static final String READINESS_LEVELS = "warn=0.6,critical=0.75";

    @Test
    void theReadinessFileGoesAtCriticalAndComesBackAtOk(@TempDir Path tmp) throws Exception {
        Path ready = tmp.resolve("ready");
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread probe = new Thread(() -> {
            // what a kubelet's exec probe would see, every 50 ms
            Boolean last = null;
            while (!Thread.currentThread().isInterrupted()) {
                boolean now = Files.exists(ready);
                if (last == null || now != last) {
                    seen.add(now ? "present" : "absent");
                    last = now;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "readiness-probe");
        probe.setDaemon(true);
        probe.start();
        Run run;
        try {
            run = run(READINESS_LEVELS + ",readinessFile=" + ready, List.of("-XX:+UseG1GC", "-Xmx32m"), READINESS);
        } finally {
            probe.interrupt();
            probe.join(5000);
        }
        show("readiness", run);
        ChildJvm.Result r = run.result();
        assertTrue(run.survived(), r::describe);
        assertEquals(List.of("absent", "present", "absent", "present"), List.copyOf(seen),
                () -> "no file before start, there, gone at CRITICAL, back at OK: " + seen + "\n" + r.describe());
        List<String> relief = run.reliefLines();
        assertEquals(3, relief.size(), () -> String.join("\n", relief));
        assertTrue(relief.get(0).contains("readiness file " + ready + " created (level OK)"), relief.get(0));
        assertTrue(relief.get(1).contains("readiness file " + ready + " removed (level CRITICAL)"), relief.get(1));
        assertTrue(relief.get(2).contains("readiness file " + ready + " back (level OK)"), relief.get(2));
        Optional<ChildJvm.Line> critical = r.firstLine(l -> l.startsWith("[headroom] CRITICAL level: "));
        Optional<ChildJvm.Line> removed = r.firstLine(l -> l.contains(" removed (level CRITICAL)"));
        assertTrue(critical.get().nanoTime() <= removed.get().nanoTime(), "the level line first, then the relief line");
        assertEquals(List.of("ready"), listing(tmp));
    }

    @Test
    void theDefaultConfigurationChangesNoFlagStartsNoGcAndWritesNoFile(@TempDir Path tmp) throws Exception {
        Path cwd = Files.createDirectory(tmp.resolve("cwd"));
        Path gcLog = tmp.resolve("gc.log");
        Run run;
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            ChildJvm.Result r = ChildJvm.builder()
                    .mainClass("dev.headroom.examples.ReliefScenario", AgentChildJvmIT.appClasspath())
                    .withAgent(READINESS_LEVELS)
                    .jvmArgs("-XX:+UseG1GC", "-Xmx32m", "-Xlog:gc:file=" + gcLog)
                    .args(Arrays.copyOf(READINESS, 10)) // up to CRITICAL, held, no release
                    .inside(box).workDir(cwd).timeout(Duration.ofSeconds(60)).run();
            run = new Run(r, 0, box.oomKills());
        }
        show("default configuration", run);
        ChildJvm.Result r = run.result();
        assertTrue(run.survived(), r::describe);
        assertTrue(r.firstLine(l -> l.startsWith("[headroom] CRITICAL level: ")).isPresent(),
                () -> "it reached CRITICAL, where relief would act\n" + r.describe());
        assertEquals(List.of(), run.reliefLines());
        assertTrue(r.stdout().contains("relief-scenario plateau total=180 MiB") && Stream.of(r.stdout().split("\n"))
                .filter(l -> l.startsWith("relief-scenario plateau") || l.startsWith("relief-scenario done"))
                .allMatch(l -> l.endsWith("MinHeapFreeRatio=40 MaxHeapFreeRatio=70")), r.stdout());
        assertEquals(0, count(gcLog, "System.gc()"), "no GC started");
        assertEquals(List.of(), listing(cwd), "no file written");
    }

    // ---- helpers ------------------------------------------------------------------------------

    static List<String> with(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    static long count(Path file, String text) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    /** {before, after} of the JVM's own number, {before, after} of the working set (MiB), the duration (ms). */
    static double[] freed(String line) {
        Matcher m = FREED.matcher(line);
        assertTrue(m.find(), line);
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
            Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))};
    }

    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".log")).sorted()
                    .collect(Collectors.toList());
        }
    }

    static void show(String title, Run run) {
        ChildJvm.Result r = run.result();
        System.out.println("---- ReliefIT " + title + ": exit " + r.exitCode() + " after " + r.elapsed().toMillis()
                + " ms, OOM kills " + run.killsBefore() + " -> " + run.killsAfter());
        for (ChildJvm.Line l : r.lines()) {
            if (!l.stderr() || l.text().startsWith("[headroom] ")) {
                System.out.println(String.format("T-%5.2fs %s", (r.endNanos() - l.nanoTime()) / 1e9,
                        l.text().length() > 400 ? l.text().substring(0, 400) + "..." : l.text()));
            }
        }
    }

    /** One row of figures for benchmarks/RESULTS.md, kept in target/relief-figures.txt. */
    static void figure(String scenario, Run without, Run with, String line) throws IOException {
        String row = "| " + scenario + " | " + Runtime.version().feature() + " | "
                + (without == null ? "-" : without.killed() ? "killed" : "survived") + " | "
                + (with.killed() ? "killed" : with.survived() ? "survived" : "exit " + with.result().exitCode()) + " | "
                + line.replaceFirst("^.*relief: ", "").replaceFirst(" \\| .*$", "") + " |";
        System.out.println("ReliefIT figure " + row);
        Files.write(Path.of("target", "relief-figures.txt"), (row + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
