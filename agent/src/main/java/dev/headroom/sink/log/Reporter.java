package dev.headroom.sink.log;

import dev.headroom.proc.Pid;
import dev.headroom.runtime.AssessmentListener;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.LogSink.Severity;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Cause;
import dev.headroom.analysis.Headroom;
import dev.headroom.analysis.Level;
import dev.headroom.analysis.OomScoreAdj;
import dev.headroom.parse.Values;
import dev.headroom.proc.OomVictim;
import dev.headroom.report.LogLines;
import dev.headroom.text.Units;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides which assessments become log lines: the summary at start, every level change, a new
 * trend, OOM kills, limit hits, resizes, and a rate-limited status line while at WARNING or
 * above. Silent while healthy.
 */
public final class Reporter implements AssessmentListener {

    /** How long a given unreadable-file warning stays quiet after it was logged. */
    private static final long FAULT_QUIET_MILLIS = 10 * 60_000L;
    private static final int MAX_REMEMBERED_FAULTS = 64;

    private final LogSink sink;
    private final LogLines lines;
    private final long repeatMillis;
    private final String root;
    /** When each distinct warning was last logged; the oldest is forgotten first. */
    private final Map<String, Long> faults = new LinkedHashMap<String, Long>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_REMEMBERED_FAULTS;
        }
    };
    private final DetailSource details;
    private boolean started;
    private long lastStatusMillis;
    private long lastLimitHitMillis = Long.MIN_VALUE / 2;

    /** Extra words and JSON fields for warning lines (the JVM breakdown); may be empty. */
    interface DetailSource {
        String text(Assessment a);

        String jsonFields(Assessment a);
    }

    public Reporter(LogSink sink, LogLines lines, long repeatMillis, String root, DetailSource details) {
        this.sink = sink;
        this.lines = lines;
        this.repeatMillis = repeatMillis;
        this.root = root;
        this.details = details;
    }

    @Override
    public void onAssessment(Assessment a) {
        long now = a.sample.wallMillis;
        if (!started) {
            started = true;
            sink.write(Severity.INFO, lines.event(Severity.INFO.name(), "start", a, summary(a), null, null));
            lastStatusMillis = now;
        }
        logFaults(a.sample, now);
        boolean said = false;
        if (a.has(Assessment.LEVEL_CHANGED)) {
            String message = a.previousLevel + " -> " + a.level + (a.cause == null ? "" : " (" + cause(a) + ")");
            if (a.level == Level.OK) {
                message += ": below the warning threshold and no steady growth toward the limit";
            }
            say(a, severityOf(a.level), "level", message, a.level.atLeast(Level.WARNING));
            said = true;
        } else if (a.has(Assessment.TREND_STARTED)) {
            say(a, Severity.WARNING, "trend", "steady growth reaches the limit in ~" + Units.duration(a.secondsToLimit), true);
            said = true;
        }
        if (a.has(Assessment.OOM_KILL)) {
            say(a, Severity.CRITICAL, "oom-kill", a.newOomKills + " process" + (a.newOomKills == 1 ? " was" : "es were")
                    + " OOM-killed in this cgroup (total " + Units.count(a.sample.get(Metric.OOM_KILLS)) + ")", true);
            said = true;
        }
        if (a.has(Assessment.UNDER_OOM)) {
            say(a, Severity.CRITICAL, "under-oom", "the cgroup is under OOM (memory.oom_control under_oom 1)", true);
            said = true;
        }
        if (a.has(Assessment.LIMIT_CHANGED)) {
            say(a, Severity.INFO, "limit-change", "the binding limit changed from " + Units.bytes(a.previousLimitBytes)
                    + " to " + Units.bytes(a.headroom.bindingLimit), false);
            said = true;
        }
        if (a.has(Assessment.LIMIT_HIT) && now - lastLimitHitMillis >= repeatMillis) {
            lastLimitHitMillis = now;
            say(a, Severity.WARNING, "limit-hit", "the cgroup reached its limit " + a.newLimitHits
                    + " more time" + (a.newLimitHits == 1 ? "" : "s") + " (the kernel reclaimed memory at the limit)", true);
            said = true;
        }
        if (said) {
            lastStatusMillis = now;
        } else if (a.level.atLeast(Level.WARNING) && now - lastStatusMillis >= repeatMillis) {
            say(a, severityOf(a.level), "status", "still " + a.level + " (" + cause(a) + ")", true);
            lastStatusMillis = now;
        }
    }

    private void say(Assessment a, Severity severity, String event, String message, boolean withDetails) {
        String extra = withDetails ? details.text(a) : null;
        String fields = withDetails ? details.jsonFields(a) : null;
        sink.write(severity, lines.event(severity.name(), event, a, message, extra, fields));
    }

    private static String cause(Assessment a) {
        if (a.cause == Cause.PRESSURE) {
            return "memory pressure: PSI some " + Units.hundredthsPercent(a.sample.get(Metric.PSI_SOME_AVG10))
                    + ", full " + Units.hundredthsPercent(a.sample.get(Metric.PSI_FULL_AVG10)) + " (avg10)";
        }
        if (a.cause == Cause.TREND) {
            return "trend: limit in ~" + Units.duration(a.secondsToLimit);
        }
        return (a.cause == null ? Cause.UTILIZATION : a.cause).text();
    }

    private static Severity severityOf(Level level) {
        return level == Level.CRITICAL ? Severity.CRITICAL : level == Level.WARNING ? Severity.WARNING : Severity.INFO;
    }

    /** Each distinct unreadable file or value is logged once, then quiet for a while. */
    private void logFaults(Sample s, long now) {
        for (String warning : s.warnings) {
            Long last = faults.get(warning);
            if (last != null && now - last < FAULT_QUIET_MILLIS) {
                continue;
            }
            faults.put(warning, now);
            sink.write(Severity.INFO, lines.plain(Severity.INFO.name(), "unknown", warning + " (shown as unknown)"));
        }
    }

    /** The start line: where, how much, and what oom_score_adj says. */
    String summary(Assessment a) {
        Sample s = a.sample;
        Headroom h = a.headroom;
        StringBuilder out = new StringBuilder(300);
        if (s.version() == 0) {
            out.append("no memory cgroup found, watching host memory");
        } else {
            out.append("cgroup v").append(s.version()).append(' ').append(s.location.cgroupPath)
                    .append(" (").append(s.location.leaf()).append(s.location.approximate ? ", approximate" : "").append(')');
        }
        out.append(", limit ").append(h.limitDir == null ? "none" : Units.bytes(h.limitBytes)
                + (h.limitDir.equals(s.location.leaf()) ? "" : " set at " + h.limitDir))
                .append(", working set ").append(Units.bytes(s.workingSet()))
                .append("; ").append(OomScoreAdj.describe(s.get(Metric.OOM_SCORE_ADJ), s.get(Metric.MEM_TOTAL)));
        if (s.version() == 2) {
            long group = s.get(Metric.OOM_GROUP);
            out.append("; memory.oom.group ").append(group == 1 ? "1 (the whole container is killed together)"
                    : Values.known(group) ? Long.toString(group) : Units.UNKNOWN);
        }
        out.append("; ").append(OomVictim.find(root, s.location.leaf(), Pid.self(), s.get(Metric.OOM_SCORE)).describe());
        return out.toString();
    }
}
