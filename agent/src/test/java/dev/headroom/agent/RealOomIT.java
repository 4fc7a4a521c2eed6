package dev.headroom.agent;

import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.ChildJvm;
import dev.headroom.testing.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: in a fresh 256 MiB memory cgroup, {@code Grow direct 20M} under the agent until
 * the kernel's OOM killer ends it. The agent must have said WARNING and CRITICAL before, the
 * first warning at least 2 s before the kill, naming direct buffers as what grew.
 */
class RealOomIT {

    static final long LIMIT = 256L << 20;
    static final long MIN_LEAD_NANOS = 2_000_000_000L;
    static final String STATE = " of limit: working set ";
    static final Pattern DIRECT_TOP = Pattern.compile("grew in the last [^:|]+: direct \\+\\d");

    @BeforeAll
    static void requireCgroups() {
        CgroupSandbox.requireCgroups();
    }

    /** One run: the result, the sandbox's OOM kills before and after. */
    record Run(ChildJvm.Result result, long killsBefore, long killsAfter) {
    }

    static Run growUntilKilled(String agentOptions) throws Exception {
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            long before = box.oomKills();
            ChildJvm.Result r = ChildJvm.builder()
                    .mainClass("dev.headroom.examples.Grow", AgentChildJvmIT.appClasspath())
                    .withAgent(agentOptions)
                    .jvmArgs("-XX:MaxDirectMemorySize=1g")
                    .args("direct", "20M")
                    .inside(box)
                    .timeout(Duration.ofSeconds(120))
                    .run();
            return new Run(r, before, box.oomKills());
        }
    }

    static void assertKilledByTheOomKiller(Run run) {
        ChildJvm.Result r = run.result();
        assertFalse(r.timedOut(), r::describe);
        assertEquals(137, r.exitCode(), () -> "SIGKILL (128 + 9)\n" + r.describe());
        assertTrue(run.killsAfter() > run.killsBefore(), () -> "memory.oom_control oom_kill rose: " + run.killsBefore()
                + " -> " + run.killsAfter() + "\n" + r.describe());
        assertTrue(r.stdout().startsWith("grow start kind=direct rate=20 MiB/s"), r::describe);
    }

    /** Prints the run's agent lines with their time before the kill, and keeps them in target/ for the note. */
    static void show(String title, ChildJvm.Result r, Predicate<String> agentLine) throws IOException {
        List<String> out = new ArrayList<>();
        out.add("---- " + title + ": " + String.join(" ", r.command()));
        out.add("exit " + r.exitCode() + " after " + r.elapsed().toMillis() + " ms");
        for (ChildJvm.Line l : r.lines()) {
            if (l.stderr() && agentLine.test(l.text())) {
                out.add(String.format("T-%5.2fs %s", (r.endNanos() - l.nanoTime()) / 1e9, l.text()));
            }
        }
        out.forEach(System.out::println);
        Path file = Path.of("target", "real-oom-agent-lines.txt");
        Files.write(file, (String.join("\n", out) + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void warnsBeforeTheKernelKillsText() throws Exception {
        Run run = growUntilKilled(null);
        ChildJvm.Result r = run.result();
        show("text", r, l -> l.startsWith("[headroom] "));
        assertKilledByTheOomKiller(run);

        // lines about the memory state carry the numbers ("57.2% of limit: working set ..."); the start-up
        // config-check WARNING is about the JVM's options, not about the state, and does not count
        Optional<ChildJvm.Line> warning = r.firstLine(l -> l.startsWith("[headroom] WARNING ") && l.contains(STATE));
        Optional<ChildJvm.Line> critical = r.firstLine(l -> l.startsWith("[headroom] CRITICAL ") && l.contains(STATE));
        assertTrue(warning.isPresent(), () -> "a WARNING line before the kill\n" + r.describe());
        assertTrue(critical.isPresent(), () -> "a CRITICAL line before the kill\n" + r.describe());
        assertTrue(warning.get().stderr() && critical.get().stderr());
        long lead = r.endNanos() - warning.get().nanoTime();
        assertTrue(lead >= MIN_LEAD_NANOS, () -> "first warning " + lead / 1e9 + " s before the kill, want >= 2 s\n"
                + r.describe());
        assertTrue(warning.get().nanoTime() <= critical.get().nanoTime(), "WARNING came first");
        String w = warning.get().text();
        assertTrue(DIRECT_TOP.matcher(w).find(), () -> "the warning names direct as the top grower: " + w);
        assertTrue(w.contains("256.0 MiB"), () -> "names the 256 MiB limit: " + w);
    }

    @Test
    void warnsBeforeTheKernelKillsJson() throws Exception {
        Run run = growUntilKilled("format=json");
        ChildJvm.Result r = run.result();
        show("json", r, l -> l.startsWith("{"));
        assertKilledByTheOomKiller(run);

        ChildJvm.Line firstWarning = null;
        Map<String, Object> warning = null;
        boolean critical = false;
        for (ChildJvm.Line l : r.lines()) {
            if (!l.stderr() || !l.text().startsWith("{")) {
                continue;
            }
            Map<String, Object> o = Json.parseObject(l.text());
            // state lines have a level; the start-up config-check WARNING has none and does not count
            if (warning == null && "WARNING".equals(o.get("severity")) && o.containsKey("level")) {
                warning = o;
                firstWarning = l;
            }
            critical |= "CRITICAL".equals(o.get("severity")) && "CRITICAL".equals(o.get("level"));
        }
        assertTrue(warning != null, () -> "a WARNING object before the kill\n" + r.describe());
        assertTrue(critical, () -> "a CRITICAL object before the kill\n" + r.describe());
        long lead = r.endNanos() - firstWarning.nanoTime();
        assertTrue(lead >= MIN_LEAD_NANOS, () -> "first warning " + lead / 1e9 + " s before the kill\n" + r.describe());
        assertEquals("direct", warning.get("topGrower"), warning.toString());
        assertEquals(LIMIT, ((java.math.BigDecimal) warning.get("limitBytes")).longValueExact(), warning.toString());
        assertEquals("WARNING", warning.get("level"), warning.toString());
    }
}
