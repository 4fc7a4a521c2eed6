package dev.headroom.agent;

import dev.headroom.testing.ChildJvm;
import dev.headroom.testing.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The agent as users run it: child JVMs with {@code -javaagent:} or {@code JAVA_TOOL_OPTIONS},
 * running the example applications (and {@link dev.headroom.testing.ThreadsApp}). The
 * application's output and exit code stay intact, the agent's lines are only ever
 * {@code [headroom] } lines on stderr, and JDK tools stay silent.
 */
class AgentChildJvmIT {

    static final String PREFIX = "[headroom] ";
    static final String ECHO = "dev.headroom.examples.Echo";
    static final String GROW = "dev.headroom.examples.Grow";
    static final String THREADS = "dev.headroom.testing.ThreadsApp";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** The examples (jar or classes) and this module's test classes: not the agent's own classes. */
    static String appClasspath() {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            if (e.contains("headroom-examples") || e.endsWith("examples/target/classes") || e.endsWith("test-classes")) {
                out.add(entry);
            }
        }
        if (out.stream().noneMatch(e -> e.contains("examples"))) {
            Path jar = Path.of("../examples/target/headroom-examples.jar");
            if (!Files.isRegularFile(jar)) {
                fail("no examples on the class path " + System.getProperty("java.class.path"));
            }
            out.add(jar.toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, out);
    }

    static ChildJvm app(String mainClass, String... args) {
        return ChildJvm.builder().mainClass(mainClass, appClasspath()).args(args).timeout(TIMEOUT);
    }

    static List<String> lines(String text) {
        return text.lines().collect(Collectors.toList());
    }

    static List<String> agentLines(ChildJvm.Result r) {
        return lines(r.stderr()).stream().filter(l -> l.startsWith(PREFIX)).collect(Collectors.toList());
    }

    /** The summary line: exactly one, on stderr, naming this cgroup, limit, working set and oom_score_adj. */
    static String assertSummary(ChildJvm.Result r) throws IOException {
        List<String> starts = agentLines(r).stream().filter(l -> l.startsWith(PREFIX + "INFO start: "))
                .collect(Collectors.toList());
        assertEquals(1, starts.size(), r::describe);
        String line = starts.get(0);
        String memoryPath = ownMemoryCgroupV1();
        if (memoryPath != null) {
            assertTrue(line.startsWith(PREFIX + "INFO start: cgroup v1 " + memoryPath + " ("), line);
        } else {
            assertTrue(line.matches("\\Q" + PREFIX + "\\EINFO start: (cgroup v[12] |no memory cgroup).*"), line);
        }
        for (String part : List.of(", limit ", ", working set ", "; oom_score_adj ", " of limit: working set ", ", headroom ",
                ", binding ")) {
            assertTrue(line.contains(part), () -> "summary has '" + part + "': " + line);
        }
        assertFalse(line.contains("working set n/a"), line);
        return line;
    }

    /** This JVM's v1 memory cgroup path (a child inherits it), or null on a v2-only host. */
    static String ownMemoryCgroupV1() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] p = l.split(":", 3);
            if (p.length == 3 && Arrays.asList(p[1].split(",")).contains("memory")) {
                return p[2];
            }
        }
        return null;
    }

    /** stderr is the application's lines plus only agent lines (and the lines {@code allowed} accepts). */
    static List<String> appStderr(ChildJvm.Result r, java.util.function.Predicate<String> allowed) {
        List<String> app = new ArrayList<>();
        for (String l : lines(r.stderr())) {
            if (!l.startsWith(PREFIX) && !allowed.test(l)) {
                app.add(l);
            }
        }
        return app;
    }

    // ---- (a) -javaagent: output and exit code intact, summary line

    @Test
    void javaagentKeepsOutputAndExitCode() throws Exception {
        ChildJvm.Result plain = app(ECHO, "7", "a", "b").run();
        assertEquals(7, plain.exitCode(), plain::describe);
        ChildJvm.Result r = app(ECHO, "7", "a", "b").withAgent(null).run();
        assertEquals(7, r.exitCode(), r::describe);
        assertEquals("7\na\nb\n", r.stdout(), r::describe);
        assertEquals(plain.stdout(), r.stdout());
        assertEquals(List.of("err-line"), appStderr(r, l -> false), r::describe);
        assertEquals(lines(plain.stderr()), appStderr(r, l -> false), r::describe);
        for (String l : agentLines(r)) {
            assertFalse(l.contains("ERROR"), () -> "no agent error: " + r.describe());
        }
    }

    @Test
    void javaagentPrintsTheSummaryLine() throws Exception {
        ChildJvm.Result r = app(GROW, "--kind", "heap", "--rate", "4M", "--max", "4M", "--hold", "2s", "--quiet")
                .withAgent(null).run();
        assertEquals(0, r.exitCode(), r::describe);
        List<String> out = lines(r.stdout());
        assertEquals(2, out.size(), r::describe);
        assertTrue(out.get(0).startsWith("grow start kind=heap rate=4 MiB/s pid="), r::describe);
        assertEquals("grow done total=4 MiB", out.get(1), r::describe);
        assertEquals(List.of(), appStderr(r, l -> false), r::describe);
        String summary = assertSummary(r);
        System.out.println("summary line: " + summary);
        // silent while healthy: the summary is the only line
        assertEquals(List.of(summary), agentLines(r), r::describe);
    }

    // ---- (b) JAVA_TOOL_OPTIONS

    @Test
    void javaToolOptionsKeepsOutputAndExitCode() throws Exception {
        ChildJvm.Result r = app(ECHO, "7", "a", "b").env("JAVA_TOOL_OPTIONS", "-javaagent:" + ChildJvm.agentJar()).run();
        assertEquals(7, r.exitCode(), r::describe);
        assertEquals("7\na\nb\n", r.stdout(), r::describe);
        assertEquals(List.of("err-line"), appStderr(r, l -> l.startsWith("Picked up JAVA_TOOL_OPTIONS: ")), r::describe);
        assertTrue(r.stderr().contains("Picked up JAVA_TOOL_OPTIONS: -javaagent:"), "the JVM took the agent: " + r.describe());
    }

    @Test
    void javaToolOptionsPrintsTheSummaryLine() throws Exception {
        ChildJvm.Result r = app(GROW, "heap", "4M", "--max", "4M", "--hold", "2s", "--quiet")
                .env("JAVA_TOOL_OPTIONS", "-javaagent:" + ChildJvm.agentJar()).run();
        assertEquals(0, r.exitCode(), r::describe);
        assertEquals(List.of(), appStderr(r, l -> l.startsWith("Picked up JAVA_TOOL_OPTIONS: ")), r::describe);
        assertSummary(r);
        assertEquals(1, agentLines(r).size(), r::describe);
    }

    // ---- (c) a bad configuration still lets the application run

    @Test
    void badConfigurationWarnsAndTheApplicationRuns() throws Exception {
        ChildJvm.Result r = app(ECHO, "3", "x").withAgent("interval=abc,bogus=1").run();
        assertEquals(3, r.exitCode(), r::describe);
        assertEquals("3\nx\n", r.stdout(), r::describe);
        assertEquals(List.of("err-line"), appStderr(r, l -> false), r::describe);
        List<String> config = agentLines(r).stream().filter(l -> l.startsWith(PREFIX + "WARNING config: "))
                .collect(Collectors.toList());
        assertEquals(2, config.size(), r::describe);
        assertTrue(config.stream().anyMatch(l -> l.contains("interval") && l.contains("'abc'") && l.contains("duration")),
                r::describe);
        assertTrue(config.stream().anyMatch(l -> l.contains("bogus") && l.contains("known:")), r::describe);
    }

    @Test
    void badConfigurationStillSamples() throws Exception {
        ChildJvm.Result r = app(GROW, "heap", "4M", "--max", "4M", "--hold", "2s", "--quiet")
                .withAgent("interval=abc,bogus=1").run();
        assertEquals(0, r.exitCode(), r::describe);
        assertSummary(r);
        assertEquals(2, agentLines(r).stream().filter(l -> l.startsWith(PREFIX + "WARNING config: ")).count(), r::describe);
    }

    // ---- (d) JDK tools stay silent

    @ParameterizedTest
    @ValueSource(strings = {"jcmd -l", "jps", "javac -version", "jar --version"})
    void jdkToolsStaySilent(String tool) throws Exception {
        String[] words = tool.split(" ");
        Path executable = Path.of(System.getProperty("java.home"), "bin", words[0]);
        assertTrue(Files.isExecutable(executable), executable + " exists in this JDK");
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(Arrays.asList(words).subList(1, words.length));
        // a bad option would print a config warning in any application: in a tool, nothing at all
        ChildJvm.Result r = ChildJvm.builder().wrap(ignored -> command).timeout(TIMEOUT)
                .env("JAVA_TOOL_OPTIONS", "-javaagent:" + ChildJvm.agentJar() + "=bogus=1").run();
        assertEquals(0, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("Picked up JAVA_TOOL_OPTIONS: -javaagent:"), () -> "the tool JVM took the agent: "
                + r.describe());
        assertFalse(r.stdout().contains("[headroom]") || r.stderr().contains("[headroom]"), r::describe);
    }

    // ---- (e) enabled=false

    @Test
    void disabledPrintsNothingAndStartsNoThread() throws Exception {
        ChildJvm.Result r = app(THREADS, "1500").withAgent("enabled=false").run();
        assertEquals(0, r.exitCode(), r::describe);
        assertEquals(List.of(), agentLines(r), r::describe);
        assertEquals("", r.stderr(), r::describe);
        assertTrue(r.stdout().contains("thread name=main "), r::describe);
        assertFalse(r.stdout().contains("headroom-sampler"), r::describe);
        assertTrue(r.stdout().contains("active=null"), r::describe);
    }

    @Test
    void disabledThroughTheEnvironment() throws Exception {
        ChildJvm.Result r = app(THREADS, "1500").withAgent(null).env("HEADROOM_ENABLED", "false").run();
        assertEquals(0, r.exitCode(), r::describe);
        assertEquals("", r.stderr(), r::describe);
        assertFalse(r.stdout().contains("headroom-sampler"), r::describe);
    }

    // ---- (f) the sampler thread

    @Test
    void samplerIsOneDaemonThreadAtMinPriority() throws Exception {
        ChildJvm.Result r = app(THREADS, "1500").withAgent(null).run();
        assertEquals(0, r.exitCode(), r::describe);
        List<String> samplers = lines(r.stdout()).stream().filter(l -> l.startsWith("thread name=headroom-sampler "))
                .collect(Collectors.toList());
        assertEquals(List.of("thread name=headroom-sampler daemon=true priority=" + Thread.MIN_PRIORITY), samplers,
                r::describe);
        assertFalse(r.stdout().contains("active=null"), "the agent marks itself active: " + r.describe());
        // premain starts no other thread of its own
        assertTrue(lines(r.stdout()).stream().noneMatch(l -> l.contains("name=headroom") && !l.contains("headroom-sampler")),
                r::describe);
    }

    @Test
    void attachingTwiceStartsOneSampler() throws Exception {
        ChildJvm.Result r = app(THREADS, "1500").withAgent(null).jvmArgs("-javaagent:" + ChildJvm.agentJar()).run();
        assertEquals(0, r.exitCode(), r::describe);
        assertEquals(1, lines(r.stdout()).stream().filter(l -> l.startsWith("thread name=headroom-sampler ")).count(),
                r::describe);
        assertEquals(1, agentLines(r).stream().filter(l -> l.startsWith(PREFIX + "INFO attach: ")).count(), r::describe);
        assertEquals(1, agentLines(r).stream().filter(l -> l.startsWith(PREFIX + "INFO start: ")).count(), r::describe);
    }

    // ---- (g) JSON lines

    static final List<String> REQUIRED = List.of("level", "event", "utilization", "workingSetBytes", "limitBytes",
            "headroomBytes", "growthBytesPerSecond", "secondsToLimit");

    @Test
    void jsonLinesParse() throws Exception {
        // thresholds so low that the process is CRITICAL at once, and status lines repeat quickly
        ChildJvm.Result r = app(GROW, "heap", "4M", "--max", "4M", "--hold", "2s", "--quiet")
                .withAgent("format=json,warn=0.0001,critical=0.0002,repeat=200ms,bogus=1").run();
        assertEquals(0, r.exitCode(), r::describe);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String l : lines(r.stderr())) {
            assertFalse(l.startsWith(PREFIX), () -> "no text lines in json format: " + r.describe());
            Map<String, Object> o;
            try {
                o = Json.parseObject(l);
            } catch (IllegalArgumentException e) {
                throw new AssertionError("not a JSON object: " + l + "\n" + r.describe(), e);
            }
            assertEquals("headroom", o.get("logger"), l);
            objects.add(o);
        }
        assertFalse(objects.isEmpty(), r::describe);
        assertTrue(objects.stream().anyMatch(o -> "config".equals(o.get("event"))
                && String.valueOf(o.get("message")).contains("bogus")), "the config problem as JSON: " + r.describe());

        List<Map<String, Object>> assessed = objects.stream().filter(o -> o.containsKey("level")).collect(Collectors.toList());
        assertTrue(assessed.size() >= 2, () -> "start and status lines: " + r.describe());
        Map<String, Object> start = assessed.get(0);
        assertEquals("start", start.get("event"), r::describe);
        for (Map<String, Object> o : assessed) {
            for (String key : REQUIRED) {
                assertTrue(o.containsKey(key), () -> "has " + key + ": " + o);
            }
            assertTrue(List.of("OK", "WARNING", "CRITICAL").contains(o.get("level")), o::toString);
            assertTrue(o.get("utilization") instanceof java.math.BigDecimal, o::toString);
            for (String key : List.of("workingSetBytes", "limitBytes", "headroomBytes")) {
                assertTrue(o.get(key) instanceof java.math.BigDecimal && ((java.math.BigDecimal) o.get(key)).signum() >= 0,
                        () -> key + " is a number: " + o);
            }
            Object ttl = o.get("secondsToLimit");
            assertTrue(ttl == null || ttl instanceof java.math.BigDecimal, o::toString);
            Object growth = o.get("growthBytesPerSecond");
            assertTrue(growth == null || growth instanceof java.math.BigDecimal, o::toString);
        }
        assertTrue(assessed.stream().anyMatch(o -> "CRITICAL".equals(o.get("level")) && "status".equals(o.get("event"))),
                () -> "repeated CRITICAL status lines: " + r.describe());
        Map<String, Object> critical = assessed.stream().filter(o -> "status".equals(o.get("event"))).findFirst().get();
        assertTrue(critical.containsKey("topGrower"), critical::toString);
        assertEquals("CRITICAL", critical.get("severity"));
    }
}
