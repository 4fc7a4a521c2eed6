package dev.headroom.sink.log;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.AnalyzerTest.Series;
import dev.headroom.analysis.Level;
import dev.headroom.report.LogLines;
import dev.headroom.runtime.CapturingSink;
import dev.headroom.sample.Metric;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event lines nothing else asserts (trend, limit-hit, under-oom), from real assessments: an
 * {@link dev.headroom.analysis.Analyzer} on a synthetic series, then the {@link Reporter} as the
 * agent builds it.
 */
class ReporterTest {

    private static final long MIB = 1L << 20;
    private static final long REPEAT_MILLIS = 30_000;

    private final CapturingSink sink = new CapturingSink();
    private final Series series = new Series();

    private Reporter reporter(boolean json) {
        return new Reporter(sink, new LogLines(json), REPEAT_MILLIS, "/", new JvmDetails());
    }

    private List<String> lines(String prefix) {
        return sink.lines().stream().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
    }

    @Test
    void underOomIsLoggedOnceWhenItStarts() {
        Reporter r = reporter(false);
        r.onAssessment(series.utilization(0.5, b -> b.set(Metric.UNDER_OOM, 0)));
        for (int i = 0; i < 3; i++) {
            series.advanceMillis(1000);
            Assessment a = series.utilization(0.5, b -> b.set(Metric.UNDER_OOM, 1));
            assertEquals(i == 0, a.has(Assessment.UNDER_OOM));
            r.onAssessment(a);
        }
        List<String> under = lines("[headroom] CRITICAL under-oom: ");
        assertEquals(1, under.size(), () -> String.join("\n", sink.lines()));
        assertTrue(under.get(0).startsWith(
                "[headroom] CRITICAL under-oom: the cgroup is under OOM (memory.oom_control under_oom 1) | 50.0% of limit"),
                under.get(0));
    }

    @Test
    void underOomInJson() {
        Reporter r = reporter(true);
        r.onAssessment(series.utilization(0.5, b -> b.set(Metric.UNDER_OOM, 0)));
        series.advanceMillis(1000);
        r.onAssessment(series.utilization(0.5, b -> b.set(Metric.UNDER_OOM, 1)));
        List<String> under = sink.lines().stream().filter(l -> l.contains("\"event\":\"under-oom\"")).collect(Collectors.toList());
        assertEquals(1, under.size(), () -> String.join("\n", sink.lines()));
        assertTrue(under.get(0).contains("\"severity\":\"CRITICAL\""), under.get(0));
        assertTrue(under.get(0).contains("the cgroup is under OOM"), under.get(0));
    }

    @Test
    void limitHitsAreLoggedAtMostOncePerRepeat() {
        Reporter r = reporter(false);
        r.onAssessment(series.utilization(0.6, b -> b.set(Metric.LIMIT_HITS, 10)));
        series.advanceMillis(1000);
        r.onAssessment(series.utilization(0.6, b -> b.set(Metric.LIMIT_HITS, 13)));
        List<String> hits = lines("[headroom] WARNING limit-hit: ");
        assertEquals(1, hits.size(), () -> String.join("\n", sink.lines()));
        assertTrue(hits.get(0).startsWith("[headroom] WARNING limit-hit: the cgroup reached its limit 3 more times "
                + "(the kernel reclaimed memory at the limit) | 60.0% of limit"), hits.get(0));

        series.advanceMillis(1000);
        Assessment again = series.utilization(0.6, b -> b.set(Metric.LIMIT_HITS, 14));
        assertTrue(again.has(Assessment.LIMIT_HIT));
        r.onAssessment(again);
        assertEquals(1, lines("[headroom] WARNING limit-hit: ").size(), "rate-limited by repeat");

        series.advanceMillis(REPEAT_MILLIS);
        r.onAssessment(series.utilization(0.6, b -> b.set(Metric.LIMIT_HITS, 15)));
        hits = lines("[headroom] WARNING limit-hit: ");
        assertEquals(2, hits.size(), () -> String.join("\n", sink.lines()));
        assertTrue(hits.get(1).startsWith("[headroom] WARNING limit-hit: the cgroup reached its limit 1 more time "),
                hits.get(1));
    }

    @Test
    void trendThatStartsWhileAtWarningIsItsOwnLine() {
        Reporter r = reporter(false);
        r.onAssessment(series.utilization(0.5));
        // WARNING by utilization, flat for a few seconds
        long ws = (long) (0.86 * (256 * MIB));
        for (int i = 0; i < 3; i++) {
            series.advanceMillis(1000);
            r.onAssessment(series.usage(ws));
        }
        assertEquals(1, lines("[headroom] WARNING level: OK -> WARNING (utilization)").size(),
                () -> String.join("\n", sink.lines()));
        // then a steady 0.5 MiB/s: after about 15 s the limit comes within the horizon (60 s), the level stays WARNING
        Assessment started = null;
        for (int i = 0; i < 30 && started == null; i++) {
            series.advanceMillis(1000);
            ws += MIB / 2;
            Assessment a = series.usage(ws);
            assertEquals(Level.WARNING, a.level, "stays below critical");
            r.onAssessment(a);
            started = a.has(Assessment.TREND_STARTED) ? a : null;
        }
        assertTrue(started != null, () -> "no trend started: " + String.join("\n", sink.lines()));
        assertFalse(started.has(Assessment.LEVEL_CHANGED));
        List<String> trend = lines("[headroom] WARNING trend: ");
        assertEquals(1, trend.size(), () -> String.join("\n", sink.lines()));
        assertTrue(trend.get(0).matches("\\[headroom] WARNING trend: steady growth reaches the limit in ~\\d+s \\| "
                + "\\d+\\.\\d% of limit: .*, growth \\+[0-9.]+ KiB/s, limit in ~\\d+s.*"), trend.get(0));
        assertEquals(1, lines("[headroom] WARNING level: ").size(), "no second level line: the level did not change");
    }
}
