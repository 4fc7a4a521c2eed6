package dev.headroom.report;

import dev.headroom.text.JsonWriter;
import dev.headroom.text.Units;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Headroom;


/**
 * Formats the agent's log lines, text or JSON. Text lines read as a sentence with the numbers
 * a person needs and a stable shape to grep:
 * {@code [headroom] WARNING level: OK -> WARNING (utilization) 87.3% of limit, working set ...}.
 * JSON lines are one object each with the same numbers as fields.
 */
public final class LogLines {

    public static final String PREFIX = "[headroom] ";

    private final boolean json;

    public LogLines(boolean json) {
        this.json = json;
    }

    /**
     * A line about the state in {@code a}.
     *
     * @param severity INFO, WARNING, CRITICAL or ERROR: the line's own weight
     * @param event    a short stable word: start, level, trend, status, oom-kill, limit-hit, limit-change, under-oom
     * @param message  what happened, in words
     * @param extra    more text (growth attribution, native gap) or null
     * @param fields   extra JSON fields already rendered (",\"topGrower\":\"direct\"...") or null
     */
    public String event(String severity, String event, Assessment a, String message, String extra, String fields) {
        Headroom h = a.headroom;
        if (json) {
            StringBuilder out = new StringBuilder(512);
            JsonWriter w = new JsonWriter(out).begin()
                    .string("logger", "headroom")
                    .string("time", isoTime(a.sample.wallMillis))
                    .string("severity", severity)
                    .string("level", a.level.name())
                    .string("previousLevel", a.previousLevel.name())
                    .string("event", event)
                    .string("cause", a.cause == null ? null : a.cause.text())
                    .string("message", extra == null ? message : message + "; " + extra)
                    .decimal("utilization", a.utilization)
                    .number("workingSetBytes", h.bindingWorkingSet)
                    .number("limitBytes", h.bindingLimit)
                    .number("headroomBytes", h.headroomBytes)
                    .decimal("growthBytesPerSecond", a.growthBytesPerSecond)
                    .decimal("secondsToLimit", a.secondsToLimit)
                    .string("binding", h.bindingDir);
            if (fields != null) {
                out.append(fields);
            }
            w.end();
            return out.toString();
        }
        StringBuilder out = new StringBuilder(256).append(PREFIX).append(severity).append(' ').append(event)
                .append(": ").append(message).append(" | ").append(numbers(a));
        if (extra != null) {
            out.append(" | ").append(extra);
        }
        return out.toString();
    }

    /** A line with no assessment behind it (configuration, faults, diagnostics). */
    public String plain(String severity, String event, String message) {
        if (json) {
            StringBuilder out = new StringBuilder(128);
            new JsonWriter(out).begin()
                    .string("logger", "headroom")
                    .string("time", isoTime(System.currentTimeMillis()))
                    .string("severity", severity)
                    .string("event", event)
                    .string("message", message)
                    .end();
            return out.toString();
        }
        return PREFIX + severity + " " + event + ": " + message;
    }

    /** "87.3% of limit: working set 223.5 MiB of 256.0 MiB, headroom 32.5 MiB, growth +20.0 MiB/s, limit in 1.6s, binding DIR". */
    public static String numbers(Assessment a) {
        Headroom h = a.headroom;
        StringBuilder out = new StringBuilder(200);
        out.append(Units.percent(a.utilization)).append(" of limit: working set ")
                .append(Units.bytes(h.bindingWorkingSet)).append(" of ").append(Units.bytes(h.bindingLimit))
                .append(", headroom ").append(Units.bytes(h.headroomBytes))
                .append(", growth ").append(Units.rate(a.growthBytesPerSecond))
                .append(", limit in ").append(Double.isNaN(a.secondsToLimit) ? "n/a (not growing steadily)" : "~" + Units.duration(a.secondsToLimit))
                .append(", binding ").append(h.bindingDir == null ? Units.UNKNOWN
                        : Headroom.HOST.equals(h.bindingDir) ? "host memory" : h.bindingDir);
        return out.toString();
    }

    /**
     * UTC time with milliseconds ({@code 2026-12-01T16:21:03.398Z}), as log lines and the
     * termination message carry it. By hand: SimpleDateFormat (or java.time) would keep the JDK's
     * time-zone and locale data on the heap for good.
     */
    public static String isoTime(long millis) {
        long day = Math.floorDiv(millis, 86_400_000L);
        long ms = Math.floorMod(millis, 86_400_000L);
        // days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days)
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        long dayOfMonth = dayOfYear - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder out = new StringBuilder(24);
        pad(out, year, 4).append('-');
        pad(out, month, 2).append('-');
        pad(out, dayOfMonth, 2).append('T');
        pad(out, ms / 3_600_000, 2).append(':');
        pad(out, ms / 60_000 % 60, 2).append(':');
        pad(out, ms / 1000 % 60, 2).append('.');
        return pad(out, ms % 1000, 3).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder out, long value, int digits) {
        return out.append(Units.zeroPad(Long.toString(value), digits));
    }
}
