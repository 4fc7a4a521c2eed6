package dev.headroom.sink.relief;

import dev.headroom.analysis.Assessment;
import dev.headroom.report.LogLines;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.Relief;
import dev.headroom.runtime.ReliefLog;
import dev.headroom.text.JsonWriter;

import java.util.Locale;

/** One {@code relief} line per event (text or JSON), then the event to the other sinks through the {@link ReliefLog}. */
final class ReliefReport {

    private final LogSink sink;
    private final LogLines lines;
    private final ReliefLog log;

    ReliefReport(LogSink sink, LogLines lines, ReliefLog log) {
        this.sink = sink;
        this.lines = lines;
        this.log = log;
    }

    /** On the sampler thread, with the assessment of this tick (its numbers go on the line). */
    void report(Assessment a, Relief r) {
        String message = r.action + (r.outcome == Relief.Outcome.SKIPPED ? " skipped: " : ": ") + r.message;
        StringBuilder fields = new StringBuilder(160);
        JsonWriter.continuing(fields)
                .string("action", r.action)
                .string("outcome", r.outcome.name().toLowerCase(Locale.ROOT))
                .number("freedBytes", r.freedBytes)
                .decimal("durationMillis", r.durationNanos < 0 ? Double.NaN : r.durationNanos / 1e6)
                .number("workingSetBeforeBytes", r.workingSetBefore)
                .number("workingSetAfterBytes", r.workingSetAfter);
        sink.write(LogSink.Severity.INFO, lines.event("INFO", "relief", a, message, null, fields.toString()));
        log.publish(r);
    }

    /** "85 ms". */
    static String millis(long nanos) {
        return Math.round(nanos / 1e6) + " ms";
    }
}
