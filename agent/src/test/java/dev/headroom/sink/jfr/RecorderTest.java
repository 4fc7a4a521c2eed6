package dev.headroom.sink.jfr;

import dev.headroom.agent.FaultInjectionTest;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.report.LogLines;
import dev.headroom.runtime.CapturingSink;
import dev.headroom.runtime.Config;
import dev.headroom.runtime.Sampler;
import dev.headroom.testing.FaultyFiles;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The events in process, from a fixture cgroup whose files the test changes between ticks: the
 * numbers of each assessment, and unknown as JFR's own "N/A" (Long.MIN_VALUE, NaN), never 0.
 */
class RecorderTest {

    static final long MIB = 1L << 20;

    @TempDir
    Path tmp;

    @Test
    void eachEventCarriesItsTicksNumbersAndUnknownAsNotAvailable() throws Exception {
        Path root = tmp.resolve("root");
        // 512 MiB limit, working set 334 MiB: 65%, WARNING at warn=0.5
        FaultInjectionTest.copy(Path.of("src/test/resources/fixtures/v1-docker/root"), root);
        FaultyFiles files = new FaultyFiles(new ChannelFileSource());
        Config config = Config.parse("root=" + root + ",warn=0.5,critical=0.8", Map.of(), Map.of());
        CapturingSink sink = new CapturingSink();
        Sampler sampler = new Sampler(config, files, sink, new LogLines(false));
        Path dump = tmp.resolve("test.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.headroom.ContainerMemory").withPeriod(Duration.ofMillis(200));
            recording.enable("dev.headroom.LevelChange");
            recording.enable("dev.headroom.LimitChange");
            recording.enable("dev.headroom.OomKill");
            recording.start();
            JfrSupport.install(config, sampler, sink, new LogLines(false));

            sampler.tick();
            // the limit lowered to 400 MiB (83%: CRITICAL) and two processes OOM-killed; on v1 the
            // kernel's hierarchical_memory_limit moves with it, which the sampler reads every tick
            files.contents("memory.limit_in_bytes", (400 * MIB) + "\n");
            Path stat = root.resolve("sys/fs/cgroup/memory/memory.stat");
            files.contents("memory.stat", Files.readString(stat).replace("hierarchical_memory_limit 536870912",
                    "hierarchical_memory_limit " + 400 * MIB));
            files.contents("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
            sampler.tick();
            awaitPeriodic(recording, "CRITICAL");
            // the working set can no longer be read: unknown
            files.fail("memory.usage_in_bytes", FaultyFiles.Fault.EMPTY);
            sampler.tick();
            awaitPeriodic(recording, "UNKNOWN");
            recording.stop();
            recording.dump(dump);
        }
        assertEquals(List.of(), sink.lines(), "nothing logged: no failure");
        List<RecordedEvent> events = RecordingFile.readAllEvents(dump).stream()
                .sorted(Comparator.comparing(RecordedEvent::getStartTime)).collect(Collectors.toList());

        List<RecordedEvent> levels = ofType(events, "dev.headroom.LevelChange");
        assertEquals(List.of("WARNING", "CRITICAL", "UNKNOWN"),
                levels.stream().map(e -> e.getString("level")).collect(Collectors.toList()));
        RecordedEvent critical = levels.get(1);
        assertEquals("WARNING", critical.getString("previousLevel"));
        assertEquals("utilization", critical.getString("cause"));
        assertEquals(400 * MIB, critical.getLong("limit"));
        long workingSet = critical.getLong("workingSet");
        assertEquals(400 * MIB - workingSet, critical.getLong("headroom"));
        assertEquals((double) workingSet / (400 * MIB), critical.getDouble("utilization"), 1e-12);
        assertTrue(workingSet > 300 * MIB, () -> "working set " + workingSet);

        RecordedEvent unknown = levels.get(2);
        assertEquals(Long.MIN_VALUE, unknown.getLong("workingSet"), "unknown is JFR's N/A, not 0");
        assertEquals(Long.MIN_VALUE, unknown.getLong("headroom"));
        assertTrue(Double.isNaN(unknown.getDouble("utilization")));
        assertEquals(Long.MIN_VALUE, unknown.getLong("timeToLimit"));

        RecordedEvent resize = single(events, "dev.headroom.LimitChange");
        assertEquals(512 * MIB, resize.getLong("previousLimit"));
        assertEquals(400 * MIB, resize.getLong("limit"));
        RecordedEvent kill = single(events, "dev.headroom.OomKill");
        assertEquals(2, kill.getLong("oomKills"));
        assertEquals(2, kill.getLong("totalOomKills"));
        assertEquals("CRITICAL", kill.getString("level"));

        List<RecordedEvent> periodic = ofType(events, "dev.headroom.ContainerMemory");
        assertTrue(periodic.stream().anyMatch(e -> e.getString("level").equals("CRITICAL")
                && e.getLong("limit") == 400 * MIB && e.getLong("workingSet") == workingSet), periodic::toString);
        assertTrue(periodic.stream().anyMatch(e -> e.getString("level").equals("UNKNOWN")
                && e.getLong("workingSet") == Long.MIN_VALUE && Double.isNaN(e.getDouble("utilization"))), periodic::toString);
        for (RecordedEvent e : events) {
            assertTrue(e.getEventType().getCategoryNames().contains("headroom"), e::toString);
            assertEquals(null, e.getStackTrace(), "no stack trace: the sampler's is meaningless");
        }
    }

    @Test
    void javaVersions() {
        assertEquals(8, JfrSupport.javaMajor("1.8"));
        assertEquals(11, JfrSupport.javaMajor("11"));
        assertEquals(25, JfrSupport.javaMajor("25"));
        assertEquals(0, JfrSupport.javaMajor("garbage"));
        assertTrue(JfrSupport.supported(), "this JDK (17+) has jdk.jfr");
    }

    /** Waits (up to 20 s: JFR's periodic thread is late on a loaded machine) for a periodic event at this level. */
    private void awaitPeriodic(Recording recording, String level) throws Exception {
        Path snapshot = tmp.resolve("snapshot.jfr");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            recording.dump(snapshot);
            if (ofType(RecordingFile.readAllEvents(snapshot), "dev.headroom.ContainerMemory").stream()
                    .anyMatch(e -> e.getString("level").equals(level))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no periodic event at " + level);
    }

    static List<RecordedEvent> ofType(List<RecordedEvent> events, String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)).collect(Collectors.toList());
    }

    static RecordedEvent single(List<RecordedEvent> events, String type) {
        List<RecordedEvent> of = ofType(events, type);
        assertEquals(1, of.size(), () -> type + ": " + of);
        return of.get(0);
    }
}
