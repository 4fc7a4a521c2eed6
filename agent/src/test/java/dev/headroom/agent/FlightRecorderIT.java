package dev.headroom.agent;

import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.ChildJvm;
import dev.headroom.testing.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * headroom's Flight Recorder events, read back with the JDK's own {@code jfr} tool. A child JVM
 * records ({@code -XX:StartFlightRecording}) while it grows direct memory in a real 512 MiB
 * memory cgroup up to WARNING and CRITICAL; the test then raises the cgroup's limit to 1 GiB and
 * lets the kernel OOM-kill a sibling process in the same cgroup (the sibling volunteers with
 * oom_score_adj 1000), and the JVM exits normally, so the recording is dumped.
 */
class FlightRecorderIT {

    static final long MIB = 1L << 20;
    static final long LIMIT = 512 * MIB;
    static final long RAISED = 1024 * MIB;
    static final String EVENTS = "dev.headroom.ContainerMemory,dev.headroom.LevelChange,dev.headroom.LimitChange,dev.headroom.OomKill";

    /** One event as {@code jfr print --json} shows it: type, start time, values. */
    record Event(String type, Instant time, Map<String, Object> values) {
        long bytes(String field) {
            return ((BigDecimal) values.get(field)).longValueExact();
        }

        double number(String field) {
            return ((BigDecimal) values.get(field)).doubleValue();
        }

        String text(String field) {
            return (String) values.get(field);
        }

        @Override
        public String toString() {
            return time + " " + type + " " + values.entrySet().stream()
                    .filter(e -> !e.getKey().equals("eventThread") && !e.getKey().equals("stackTrace"))
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        }
    }

    @Test
    void recordsTheGrowthTheLevelsTheResizeAndTheOomKill(@TempDir Path dir) throws Exception {
        CgroupSandbox.requireCgroups();
        Path recording = dir.resolve("headroom.jfr");
        ChildJvm.Result r;
        long oomKills;
        String cgroup;
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            cgroup = box.dir().toString(); // the agent names the binding cgroup by its directory
            CompletableFuture<ChildJvm.Result> child = CompletableFuture.supplyAsync(() -> {
                try {
                    return ChildJvm.builder()
                            .mainClass("dev.headroom.examples.Grow", AgentChildJvmIT.appClasspath())
                            // low thresholds: CRITICAL at 60% of 512 MiB, far from an OOM kill of the JVM itself
                            .withAgent("warn=0.4,critical=0.6")
                            .jvmArgs("-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true",
                                    "-XX:MaxDirectMemorySize=1g", "-Xmx64m")
                            .args("direct", "40M", "--max", "300M", "--hold", "15s", "--quiet")
                            .inside(box)
                            .timeout(Duration.ofSeconds(120))
                            .run();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // once the JVM is at CRITICAL (and a little longer, for the agent to see it), resize the cgroup
            waitFor(box, child, () -> box.readLong("memory.usage_in_bytes") > LIMIT * 65 / 100);
            Thread.sleep(1500);
            if (Files.exists(box.dir().resolve("memory.memsw.limit_in_bytes"))) {
                box.write("memory.memsw.limit_in_bytes", Long.toString(RAISED)); // first: it must stay >= the limit
            }
            box.write("memory.limit_in_bytes", Long.toString(RAISED));
            Thread.sleep(1500);
            // a sibling that fills the rest (tail keeps a line without end in memory) and volunteers
            // for the OOM killer (raising oom_score_adj needs no privilege; lowering the JVM's would)
            Process hog = new ProcessBuilder(box.wrap(List.of("sh", "-c",
                    "echo 1000 > /proc/self/oom_score_adj && head -c 2G /dev/zero | tail")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(hog.waitFor(60, TimeUnit.SECONDS), "the sibling ended");
            oomKills = box.oomKills();
            assertTrue(oomKills >= 1, "the kernel OOM-killed the sibling: oom_kill " + oomKills);
            r = child.get(120, TimeUnit.SECONDS);
        }
        ChildJvm.Result run = r;
        assertFalse(run.timedOut(), run::describe);
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(Files.size(recording) > 0, () -> "recording dumped at exit\n" + run.describe());

        List<Event> events = read(recording);
        String all = events.stream().filter(e -> !e.type().equals("dev.headroom.ContainerMemory"))
                .map(Event::toString).collect(Collectors.joining("\n"));
        System.out.println("---- FlightRecorderIT: headroom events in the recording\n" + all);

        // level changes: OK -> WARNING, then WARNING -> CRITICAL, at the cgroup's limit
        List<Event> levels = ofType(events, "dev.headroom.LevelChange");
        assertTrue(levels.size() >= 2, all);
        Event warning = levels.get(0);
        Event critical = levels.get(1);
        assertEquals("OK", warning.text("previousLevel"), all);
        assertEquals("WARNING", warning.text("level"), all);
        assertEquals("WARNING", critical.text("previousLevel"), all);
        assertEquals("CRITICAL", critical.text("level"), all);
        assertEquals("utilization", critical.text("cause"), all);
        for (Event e : List.of(warning, critical)) {
            assertEquals(LIMIT, e.bytes("limit"), e::toString);
            assertEquals(e.bytes("limit") - e.bytes("workingSet"), e.bytes("headroom"), e::toString);
            assertEquals((double) e.bytes("workingSet") / LIMIT, e.number("utilization"), 1e-9, e::toString);
            assertEquals(cgroup, e.text("limitSource"), e::toString);
        }
        assertTrue(critical.number("utilization") >= 0.6, critical::toString);

        // the resize: 512 MiB -> 1 GiB, after CRITICAL
        List<Event> resizes = ofType(events, "dev.headroom.LimitChange");
        assertEquals(1, resizes.size(), all);
        Event resize = resizes.get(0);
        assertEquals(LIMIT, resize.bytes("previousLimit"), resize::toString);
        assertEquals(RAISED, resize.bytes("limit"), resize::toString);
        assertTrue(resize.time().isAfter(critical.time()), all);

        // the sibling's OOM kill, after the resize, with the cgroup's own count
        List<Event> kills = ofType(events, "dev.headroom.OomKill");
        assertFalse(kills.isEmpty(), all);
        assertTrue(kills.get(0).time().isAfter(resize.time()), all);
        assertEquals(oomKills, kills.get(kills.size() - 1).bytes("totalOomKills"), all);
        assertEquals(oomKills, kills.stream().mapToLong(e -> e.bytes("oomKills")).sum(), all);
        assertEquals(RAISED, kills.get(0).bytes("limit"), all);

        // the periodic event: every second, the limit in force at the time, direct memory named as what grew
        List<Event> periodic = ofType(events, "dev.headroom.ContainerMemory");
        assertTrue(periodic.size() >= 10, () -> periodic.size() + " periodic events");
        for (Event e : periodic) {
            long expected = e.time().isBefore(resize.time()) ? LIMIT : RAISED;
            if (e.bytes("limit") != expected && Math.abs(Duration.between(e.time(), resize.time()).toMillis()) > 1500) {
                throw new AssertionError("limit " + e.bytes("limit") + ", want " + expected + ": " + e);
            }
            assertTrue(e.bytes("workingSet") > 0 && e.bytes("workingSet") <= e.bytes("limit"), e::toString);
        }
        Event atCritical = periodic.stream().filter(e -> e.text("level").equals("CRITICAL")).findFirst()
                .orElseThrow(() -> new AssertionError("a periodic event at CRITICAL"));
        assertEquals("direct", atCritical.text("topGrower"), atCritical::toString);
        assertTrue(atCritical.bytes("topGrowerGrowth") >= 200 * MIB, atCritical::toString);
        assertTrue(atCritical.bytes("growthRate") > 0, atCritical::toString);
    }

    /**
     * No recording, no cost: the agent adds a recorder listener and loads no event class and
     * none of JFR's event machinery; a recording started later (jcmd JFR.start, on another
     * thread) gets the events all the same.
     */
    @Test
    void loadsNoEventClassUntilARecordingStarts(@TempDir Path dir) throws Exception {
        Path classLog = dir.resolve("classes.txt");
        Path recording = dir.resolve("late.jfr");
        CompletableFuture<ChildJvm.Result> child = CompletableFuture.supplyAsync(() -> {
            try {
                return ChildJvm.builder()
                        .mainClass("dev.headroom.examples.Grow", AgentChildJvmIT.appClasspath())
                        .withAgent(null)
                        .jvmArgs("-Xlog:class+load=info:file=" + classLog)
                        .args("heap", "1M", "--max", "4M", "--hold", "20s", "--quiet")
                        .timeout(Duration.ofSeconds(90))
                        .run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long pid = growPid(child);
        // the agent is set up (its recorder listener loaded), and still no event class
        waitFor(null, child, () -> Files.exists(classLog) && Files.readString(classLog).contains("dev.headroom.sink.jfr.Recorder "));
        Thread.sleep(1000);
        String before = Files.readString(classLog);
        assertFalse(Pattern.compile("dev\\.headroom\\.sink\\.jfr\\.\\w*Event ").matcher(before).find(),
                "no headroom event class before a recording");
        assertFalse(before.contains("jdk.jfr.internal.MetadataRepository "), "JFR's metadata not set up");

        jcmd(pid, "JFR.start", "name=late", "filename=" + recording);
        Thread.sleep(3500);
        jcmd(pid, "JFR.stop", "name=late");
        ChildJvm.Result run = child.get(90, TimeUnit.SECONDS);
        assertEquals(0, run.exitCode(), run::describe);
        List<Event> periodic = ofType(read(recording), "dev.headroom.ContainerMemory");
        assertTrue(periodic.size() >= 2, () -> periodic.size() + " periodic events in a 3.5 s recording");
        assertTrue(periodic.get(0).bytes("workingSet") > 0, periodic.get(0)::toString);
    }

    @Test
    void jfrFalseLoadsNothingOfJfr(@TempDir Path dir) throws Exception {
        Path classLog = dir.resolve("classes.txt");
        ChildJvm.Result r = ChildJvm.builder()
                .mainClass("dev.headroom.examples.Grow", AgentChildJvmIT.appClasspath())
                .withAgent("jfr=false")
                .jvmArgs("-Xlog:class+load=info:file=" + classLog)
                .args("heap", "1M", "--max", "2M", "--hold", "2s", "--quiet")
                .timeout(Duration.ofSeconds(60))
                .run();
        assertEquals(0, r.exitCode(), r::describe);
        String classes = Files.readString(classLog);
        assertTrue(classes.contains("dev.headroom.runtime.Sampler "), "the agent ran");
        assertFalse(classes.contains("dev.headroom.sink.jfr."), "no class of the jfr sink");
        assertFalse(classes.contains(" jdk.jfr."), "no class of jdk.jfr");
    }

    /** The pid of the child JVM running Grow (a child of this process). */
    static long growPid(CompletableFuture<ChildJvm.Result> child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !child.isDone()) {
            Optional<ProcessHandle> grow = ProcessHandle.current().children()
                    .filter(p -> p.info().arguments().map(a -> List.of(a).contains("dev.headroom.examples.Grow")).orElse(false))
                    .findFirst();
            if (grow.isPresent()) {
                return grow.get().pid();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no Grow child process");
    }

    static void jcmd(long pid, String... command) throws Exception {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        c.addAll(List.of(command));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, () -> String.join(" ", c) + "\n" + out);
    }

    /** The recording as the JDK's jfr tool prints it, headroom's events only, in time order. */
    static List<Event> read(Path recording) throws IOException, InterruptedException {
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        Process p = new ProcessBuilder(jfr.toString(), "print", "--json", "--events", EVENTS, recording.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), json);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> raw = (List<Map<String, Object>>)
                ((Map<String, Object>) Json.parseObject(json).get("recording")).get("events");
        List<Event> events = new ArrayList<>();
        for (Map<String, Object> e : raw) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) e.get("values");
            events.add(new Event((String) e.get("type"), Instant.parse((String) values.get("startTime")), values));
        }
        events.sort(Comparator.comparing(Event::time));
        return events;
    }

    static List<Event> ofType(List<Event> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).collect(Collectors.toList());
    }

    interface Check {
        boolean ok() throws IOException;
    }

    /** Waits (up to 60 s) until the check passes; fails early when the child has already ended. */
    static void waitFor(CgroupSandbox box, CompletableFuture<ChildJvm.Result> child, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.ok()) {
            if (child.isDone()) {
                throw new AssertionError("the child ended early\n" + child.get().describe());
            }
            assertTrue(System.nanoTime() < deadline, "timed out waiting in " + box);
            Thread.sleep(50);
        }
    }
}
