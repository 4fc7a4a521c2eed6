package dev.headroom.sink.relief;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Level;
import dev.headroom.report.LogLines;
import dev.headroom.runtime.AssessmentListener;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.Relief;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * A file that exists while the level is below CRITICAL, for a Kubernetes exec readiness probe
 * ({@code test -f PATH}): created at the first sample, removed at CRITICAL (the pod leaves its
 * Service while it is about to die), back once the level is OK again (not at WARNING: the
 * hysteresis of the levels keeps it from flapping). Written atomically (a temporary file in the
 * same directory, renamed over), so a probe never sees a half-written file. A file that cannot
 * be written or removed is reported once; then the file is left alone.
 */
final class ReadinessFile implements AssessmentListener {

    private final Path path;
    private final ReliefReport report;
    private final LogSink sink;
    private final LogLines lines;
    /** Null before the first sample. */
    private Boolean present;
    private boolean failed;

    ReadinessFile(String path, ReliefReport report, LogSink sink, LogLines lines) {
        this.path = Paths.get(path);
        this.report = report;
        this.sink = sink;
        this.lines = lines;
    }

    @Override
    public void onAssessment(Assessment a) {
        if (failed) {
            return;
        }
        boolean want = present == null ? a.level != Level.CRITICAL
                : a.level == Level.CRITICAL ? false : a.level == Level.OK || present;
        if (present != null && want == present) {
            return;
        }
        try {
            String message;
            Relief.Outcome outcome;
            if (want) {
                write("ready: headroom level " + a.level + " at " + LogLines.isoTime(a.sample.wallMillis) + "\n");
                message = "readiness file " + path + (present == null ? " created" : " back") + " (level " + a.level + ")";
                outcome = Relief.Outcome.RESTORED;
            } else {
                Files.deleteIfExists(path);
                message = "readiness file " + path + " removed (level CRITICAL): a readiness probe on it fails, so the pod"
                        + " leaves its Service until the level is OK again";
                outcome = Relief.Outcome.DONE;
            }
            present = want;
            report.report(a, Relief.note("readiness", outcome, message, a.sample.wallMillis));
        } catch (IOException | RuntimeException e) {
            failed = true;
            sink.write(LogSink.Severity.ERROR, lines.plain("ERROR", "relief", "readiness file " + path
                    + " cannot be " + (want ? "written" : "removed") + " (" + e + "); no further attempts"));
        }
    }

    /** A temporary file next to it, renamed over it: the probe sees the old state or the new one. */
    private void write(String text) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
