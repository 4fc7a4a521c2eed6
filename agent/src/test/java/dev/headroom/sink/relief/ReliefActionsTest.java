package dev.headroom.sink.relief;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Level;
import dev.headroom.report.LogLines;
import dev.headroom.runtime.CapturingSink;
import dev.headroom.runtime.Relief;
import dev.headroom.runtime.ReliefLog;
import dev.headroom.testing.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coordinator with fake actions over real assessments: once per episode, reported after settling, put back at OK. */
class ReliefActionsTest {

    /** An action that frees 100 MiB at once, or gives a fixed reason not to. */
    static final class Fake implements Action {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger restores = new AtomicInteger();
        volatile String reason;

        @Override
        public String name() {
            return "heap";
        }

        @Override
        public String skipReason(Assessment a) {
            return reason;
        }

        @Override
        public Result run() {
            runs.incrementAndGet();
            return new Result("heap committed 200.0 MiB -> 100.0 MiB", "one full GC", 100 * Ticks.MIB, 42_000_000, true);
        }

        @Override
        public String restore() {
            restores.incrementAndGet();
            return "MaxHeapFreeRatio 70, MinHeapFreeRatio 40 put back";
        }
    }

    private final CapturingSink sink = new CapturingSink();
    private final ReliefLog log = new ReliefLog();
    private final List<Relief> published = new ArrayList<>();

    private ReliefActions actions(Fake fake, boolean json) {
        log.addListener(published::add);
        return new ReliefActions(List.of(fake), 30_000, new ReliefReport(sink, new LogLines(json), log));
    }

    /** Feeds ticks until the fake's run has finished (it runs on its own thread). */
    private static Assessment tickUntilRun(ReliefActions r, Ticks ticks, Fake fake, long mib) throws InterruptedException {
        for (int i = 0; i < 200 && fake.runs.get() == 0; i++) {
            Thread.sleep(10);
        }
        Thread.sleep(50); // the run's thread sets its flag right after
        Assessment a = ticks.next(mib);
        r.onAssessment(a);
        return a;
    }

    @Test
    void actsOncePerEpisodeReportsASecondLaterAndPutsBackAtOk() throws Exception {
        Fake fake = new Fake();
        ReliefActions r = actions(fake, false);
        Ticks ticks = new Ticks();
        for (int i = 0; i < 3; i++) {
            r.onAssessment(ticks.next(100));
        }
        Assessment critical = ticks.next(250);
        assertEquals(Level.CRITICAL, critical.level);
        r.onAssessment(critical);
        tickUntilRun(r, ticks, fake, 250); // sees it finished
        assertEquals(List.of(), sink.lines(), "nothing said before it settled");
        r.onAssessment(ticks.next(230)); // a second later: reported with this working set (still WARNING)
        assertEquals(1, sink.lines().size(), sink.lines()::toString);
        String line = sink.lines().get(0);
        assertTrue(line.startsWith("[headroom] INFO relief: heap: heap committed 200.0 MiB -> 100.0 MiB, working set "
                + "250.0 MiB -> 230.0 MiB (a second after), in 42 ms: one full GC | "), line);
        for (int i = 0; i < 5; i++) {
            r.onAssessment(ticks.next(250));
        }
        assertEquals(1, fake.runs.get(), "once per episode");
        assertEquals(1, log.actions());
        assertEquals(100 * Ticks.MIB, log.freedBytes());
        assertEquals(0, fake.restores.get());

        // hysteresis: OK only well below warn
        for (int i = 0; i < 5; i++) {
            r.onAssessment(ticks.next(100));
        }
        assertEquals(1, fake.restores.get(), "put back once the episode is over");
        assertTrue(sink.lines().get(1).startsWith("[headroom] INFO relief: heap: MaxHeapFreeRatio 70, MinHeapFreeRatio 40 put back (level OK)"),
                sink.lines()::toString);
        assertEquals(List.of(Relief.Outcome.DONE, Relief.Outcome.RESTORED), published.stream().map(p -> p.outcome).toList());

        // a new episode within repeat (30 s) of the last action: nothing; after it: again
        for (int i = 0; i < 10; i++) {
            r.onAssessment(ticks.next(250));
        }
        assertEquals(1, fake.runs.get(), "not again within repeat");
        for (int i = 0; i < 30 && fake.runs.get() == 1; i++) {
            r.onAssessment(ticks.next(250));
            Thread.sleep(5);
        }
        assertEquals(2, fake.runs.get(), "a new episode after repeat");
    }

    @Test
    void aSkipIsSaidOncePerEpisodeAndDoesNotUseTheEpisodeUp() throws Exception {
        Fake fake = new Fake();
        fake.reason = "the heap is nearly all in use";
        ReliefActions r = actions(fake, true);
        Ticks ticks = new Ticks();
        r.onAssessment(ticks.next(100));
        for (int i = 0; i < 5; i++) {
            r.onAssessment(ticks.next(250));
        }
        assertEquals(0, fake.runs.get());
        assertEquals(1, sink.lines().size(), sink.lines()::toString);
        Map<String, Object> o = Json.parseObject(sink.lines().get(0));
        assertEquals("relief", o.get("event"));
        assertEquals("heap", o.get("action"));
        assertEquals("skipped", o.get("outcome"));
        assertEquals("CRITICAL", o.get("level"));
        assertTrue(((String) o.get("message")).startsWith("heap skipped: the heap is nearly all in use"), o::toString);
        assertEquals(0, log.actions(), "a skip is not an action");

        fake.reason = null; // the heap emptied later in the same episode: relief still acts
        r.onAssessment(ticks.next(250));
        tickUntilRun(r, ticks, fake, 250);
        assertEquals(1, fake.runs.get());
        r.onAssessment(ticks.next(250));
        r.onAssessment(ticks.next(250));
        Map<String, Object> done = Json.parseObject(sink.lines().get(1));
        assertEquals("done", done.get("outcome"));
        assertEquals(100 * Ticks.MIB, ((Number) done.get("freedBytes")).longValue());
        assertEquals(42, ((Number) done.get("durationMillis")).longValue());
        assertEquals(250 * Ticks.MIB, ((Number) done.get("workingSetBeforeBytes")).longValue());
        assertTrue(log.summary().startsWith("relief freed 100.0 MiB in 1 action; heap at "), log.summary());
    }

    @Test
    void anEmptyReasonSkipsSilently() {
        Fake fake = new Fake();
        fake.reason = "";
        ReliefActions r = actions(fake, false);
        Ticks ticks = new Ticks();
        for (int i = 0; i < 5; i++) {
            r.onAssessment(ticks.next(250));
        }
        assertEquals(0, fake.runs.get());
        assertEquals(List.of(), sink.lines());
    }

    @Test
    void aListenerThatThrowsStopsNeitherTheOthersNorTheTally() {
        ReliefLog l = new ReliefLog();
        List<Relief> seen = new ArrayList<>();
        l.addListener(r -> {
            throw new IllegalStateException("broken sink");
        });
        l.addListener(seen::add);
        l.publish(new Relief("native", Relief.Outcome.DONE, "trimmed", 5 * Ticks.MIB, 1_000_000, 1, 1, 0));
        l.publish(Relief.note("heap", Relief.Outcome.SKIPPED, "nearly all in use", 0));
        assertEquals(2, seen.size());
        assertEquals(1, l.actions());
        assertEquals(5 * Ticks.MIB, l.freedBytes());
        assertEquals("relief freed 5.0 MiB in 1 action; native at 1970-01-01T00:00:00.000Z: trimmed; "
                + "heap skipped at 1970-01-01T00:00:00.000Z: nearly all in use", l.summary());
        assertEquals(null, new ReliefLog().summary(), "nothing to say before relief did anything");
    }
}
