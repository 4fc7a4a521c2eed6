package dev.headroom.sink.relief;

import dev.headroom.analysis.Level;
import dev.headroom.report.LogLines;
import dev.headroom.runtime.CapturingSink;
import dev.headroom.runtime.ReliefLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The readiness file: there below CRITICAL, gone at CRITICAL, back at OK (not at WARNING), nothing else in its directory. */
class ReadinessFileTest {

    private final CapturingSink sink = new CapturingSink();
    private final ReliefLog log = new ReliefLog();

    private ReadinessFile file(Path path) {
        return new ReadinessFile(path.toString(), new ReliefReport(sink, new LogLines(false), log), sink, new LogLines(false));
    }

    @Test
    void followsTheLevel(@TempDir Path dir) throws Exception {
        Path ready = dir.resolve("ready");
        ReadinessFile r = file(ready);
        Ticks ticks = new Ticks();
        r.onAssessment(ticks.next(100));
        assertTrue(Files.isRegularFile(ready), "created at the first sample");
        assertTrue(Files.readString(ready).startsWith("ready: headroom level OK at "), Files.readString(ready));
        r.onAssessment(ticks.next(225)); // WARNING
        assertTrue(Files.exists(ready), "WARNING keeps it");
        r.onAssessment(ticks.next(250));
        assertFalse(Files.exists(ready), "removed at CRITICAL");
        var a = ticks.next(225);
        assertEquals(Level.WARNING, a.level, "down to WARNING");
        r.onAssessment(a);
        assertFalse(Files.exists(ready), "WARNING after CRITICAL: still out");
        r.onAssessment(ticks.next(100));
        assertTrue(Files.exists(ready), "back at OK");
        assertEquals(List.of("ready"), listing(dir), "no temporary file left behind");
        List<String> lines = sink.lines();
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("[headroom] INFO relief: readiness: readiness file " + ready + " created (level OK)"));
        assertTrue(lines.get(1).startsWith("[headroom] INFO relief: readiness: readiness file " + ready + " removed (level CRITICAL)"));
        assertTrue(lines.get(2).startsWith("[headroom] INFO relief: readiness: readiness file " + ready + " back (level OK)"));
        assertEquals(1, log.actions(), "the removal is the action; putting it back is not counted");
    }

    @Test
    void startingAtCriticalCreatesNothing(@TempDir Path dir) throws Exception {
        Path ready = dir.resolve("ready");
        ReadinessFile r = file(ready);
        Ticks ticks = new Ticks();
        r.onAssessment(ticks.next(250));
        assertFalse(Files.exists(ready));
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void aFileThatCannotBeWrittenIsReportedOnce(@TempDir Path dir) {
        Path ready = dir.resolve("no-such-dir").resolve("ready");
        ReadinessFile r = file(ready);
        Ticks ticks = new Ticks();
        for (int i = 0; i < 5; i++) {
            r.onAssessment(ticks.next(i % 2 == 0 ? 100 : 250));
        }
        assertEquals(1, sink.lines().size(), sink.lines()::toString);
        assertTrue(sink.lines().get(0).startsWith("[headroom] ERROR relief: readiness file " + ready + " cannot be written ("));
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
