package dev.headroom.sink.log;

import dev.headroom.runtime.AssessmentListener;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.ReliefLog;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Level;
import dev.headroom.report.LogLines;
import dev.headroom.text.Units;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a file (Kubernetes' {@code /dev/termination-log}) holding a compact summary of the latest
 * WARNING or CRITICAL state, so that after an OOM kill {@code kubectl describe pod} shows what
 * grew. The kubelet reads the last 4096 bytes after the container exits: the summary fits in
 * 4096 bytes and is written with one positional write over the old one (never truncating first,
 * padding a shorter message with spaces), then synced, so a kill at any moment leaves a whole
 * message. Nothing is written while healthy, and nothing is ever cleared.
 */
public final class TerminationMessage implements AssessmentListener {

    static final int MAX_BYTES = 4096;
    private static final long MIN_INTERVAL_MILLIS = 1000;

    private final String path;
    private final JvmDetails details;
    private final LogSink sink;
    private final LogLines lines;
    private final ReliefLog relief;
    private int writtenLength;
    private long lastWriteMillis = Long.MIN_VALUE / 2;
    private boolean failed;

    public TerminationMessage(String path, JvmDetails details, LogSink sink, LogLines lines) {
        this(path, details, sink, lines, new ReliefLog());
    }

    /** With what relief did, from {@code relief}, in the summary. */
    public TerminationMessage(String path, JvmDetails details, LogSink sink, LogLines lines, ReliefLog relief) {
        this.path = path;
        this.relief = relief;
        this.details = details;
        this.sink = sink;
        this.lines = lines;
    }

    @Override
    public void onAssessment(Assessment a) {
        boolean notable = a.level.atLeast(Level.WARNING) || a.has(Assessment.OOM_KILL);
        long now = a.sample.wallMillis;
        if (!notable || failed || (now - lastWriteMillis < MIN_INTERVAL_MILLIS && !a.has(Assessment.LEVEL_CHANGED))) {
            return;
        }
        lastWriteMillis = now;
        write(summary(a));
    }

    String summary(Assessment a) {
        StringBuilder out = new StringBuilder(1024);
        out.append("headroom ").append(a.level).append(" at ").append(LogLines.isoTime(a.sample.wallMillis)).append('\n')
                .append(LogLines.numbers(a)).append('\n');
        String extra = details.text(a);
        if (extra != null) {
            out.append(extra.replace("; ", "\n")).append('\n');
        }
        if (a.cause != null) {
            out.append("cause: ").append(a.cause).append('\n');
        }
        String reliefSummary = relief.summary();
        if (reliefSummary != null) {
            out.append(reliefSummary).append('\n');
        }
        out.append("cgroup v").append(a.sample.version()).append(' ').append(a.sample.location.cgroupPath)
                .append(", OOM kills so far ").append(Units.count(a.sample.get(dev.headroom.sample.Metric.OOM_KILLS))).append('\n');
        return out.toString();
    }

    /** One positional write of at most 4096 bytes over the previous message, padded, then synced. */
    void write(String message) {
        byte[] text = fit(message);
        int length = Math.max(text.length, writtenLength);
        byte[] bytes = new byte[length];
        System.arraycopy(text, 0, bytes, 0, text.length);
        for (int i = text.length; i < length; i++) {
            bytes[i] = ' ';
        }
        try (RandomAccessFile file = new RandomAccessFile(path, "rw")) {
            file.getChannel().write(java.nio.ByteBuffer.wrap(bytes), 0);
            if (file.length() > length) {
                file.setLength(length);
            }
            file.getFD().sync();
            writtenLength = length;
        } catch (IOException | RuntimeException e) {
            failed = true;
            sink.write(LogSink.Severity.ERROR, lines.plain("ERROR", "termination-message",
                    "cannot write " + path + " (" + e + "); no further attempts"));
        }
    }

    /** The message as UTF-8, cut at a character boundary to at most 4096 bytes. */
    static byte[] fit(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return bytes;
        }
        int end = MAX_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }
}
