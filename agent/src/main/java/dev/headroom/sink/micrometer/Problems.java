package dev.headroom.sink.micrometer;

import dev.headroom.report.LogLines;
import dev.headroom.runtime.LogSink;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/** The Micrometer binding's log lines: each problem once per kind, in one line; never throws. */
final class Problems {

    /** -Dheadroom.micrometer.debug=true: also log instrumentation steps and timings. */
    static final boolean DEBUG = Boolean.getBoolean("headroom.micrometer.debug");

    private final LogSink sink;
    private final LogLines lines;
    private final Set<String> reported = Collections.synchronizedSet(new HashSet<String>());

    Problems(LogSink sink, LogLines lines) {
        this.sink = sink;
        this.lines = lines;
    }

    /** Reports a problem once per kind. */
    void error(String kind, String message) {
        try {
            if (reported.add(kind)) {
                sink.write(LogSink.Severity.ERROR, lines.plain("ERROR", "micrometer", message));
            }
        } catch (Throwable ignored) {
            // nothing left to report with
        }
    }

    /** Says something once per kind, at INFO. */
    void once(String kind, String message) {
        if (reported.add(kind)) {
            info(message);
        }
    }

    void info(String message) {
        try {
            sink.write(LogSink.Severity.INFO, lines.plain("INFO", "micrometer", message));
        } catch (Throwable ignored) {
            // nothing left to report with
        }
    }

    void debug(String message) {
        if (DEBUG) {
            info(message);
        }
    }

    /** The cause of a reflective call's failure, not the wrapper. */
    static Throwable cause(Throwable t) {
        return t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null ? t.getCause() : t;
    }
}
