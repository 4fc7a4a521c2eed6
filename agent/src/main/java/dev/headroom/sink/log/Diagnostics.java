package dev.headroom.sink.log;

import dev.headroom.runtime.AssessmentListener;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.OneShot;
import dev.headroom.runtime.Sampler;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Level;
import dev.headroom.jvm.DiagnosticCommands;
import dev.headroom.jvm.JvmFlags;
import dev.headroom.jvm.ThreadSummary;
import dev.headroom.report.LogLines;

import java.util.List;

/**
 * Heavier diagnostics, logged at most once per episode: the NMT summary when a warning episode
 * starts and the JVM runs with -XX:NativeMemoryTracking, and the opt-in {@code onCritical}
 * set (threads, class histogram, NMT) when it first turns CRITICAL. An episode ends when the
 * level is OK again; a new one may log again only after {@link #QUIET_MILLIS}.
 */
public final class Diagnostics implements AssessmentListener {

    static final long QUIET_MILLIS = 10 * 60_000L;

    private final Sampler sampler;
    private final List<String> onCritical;
    private final LogSink sink;
    private final LogLines lines;
    private boolean warnedThisEpisode;
    private boolean criticalThisEpisode;
    private long lastCriticalMillis = Long.MIN_VALUE / 2;

    public Diagnostics(Sampler sampler, List<String> onCritical, LogSink sink, LogLines lines) {
        this.sampler = sampler;
        this.onCritical = onCritical;
        this.sink = sink;
        this.lines = lines;
    }

    @Override
    public void onAssessment(Assessment a) {
        if (a.level == Level.OK) {
            warnedThisEpisode = false;
            criticalThisEpisode = false;
            return;
        }
        JvmFlags flags = sampler.jvmFlags();
        boolean nmt = flags != null && flags.nmtEnabled;
        if (a.level.atLeast(Level.WARNING) && !warnedThisEpisode) {
            warnedThisEpisode = true;
            if (nmt) {
                log("nmt", this::nmt);
            }
        }
        long now = a.sample.wallMillis;
        if (a.level == Level.CRITICAL && !criticalThisEpisode && !onCritical.isEmpty()
                && now - lastCriticalMillis >= QUIET_MILLIS) {
            criticalThisEpisode = true;
            lastCriticalMillis = now;
            if (onCritical.contains("threads")) {
                log("threads", ThreadSummary::describe);
            }
            if (onCritical.contains("histogram")) {
                log("histogram", () -> "class histogram top 20: " + String.join(" | ", DiagnosticCommands.classHistogram(20)));
            }
            if (onCritical.contains("nmt") && !nmt) {
                log("nmt", () -> "NMT is off: start the JVM with -XX:NativeMemoryTracking=summary to see it");
            } else if (onCritical.contains("nmt") && a.previousLevel.atLeast(Level.WARNING)) {
                // straight from OK to CRITICAL, the warning branch above has just logged it
                log("nmt", this::nmt);
            }
        }
    }

    private String nmt() throws Exception {
        String line = DiagnosticCommands.nmtSummary();
        return line == null ? "NMT summary unavailable" : line;
    }

    private interface Text {
        String get() throws Exception;
    }

    /** Diagnostic commands can take seconds (a class histogram is a full GC): never on the sampler thread. */
    private void log(final String event, final Text text) {
        OneShot.start("headroom-diagnostics", new Runnable() {
            @Override
            public void run() {
                String message;
                try {
                    message = text.get();
                } catch (Throwable t) {
                    message = event + " unavailable: " + t;
                }
                sink.write(LogSink.Severity.INFO, lines.plain("INFO", event, message));
            }
        });
    }
}
