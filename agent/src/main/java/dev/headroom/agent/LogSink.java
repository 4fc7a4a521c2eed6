package dev.headroom.agent;

import java.io.PrintStream;

/**
 * Where the agent's lines go: its own tiny stderr logger (default), java.util.logging (only
 * when asked for, and first touched from the sampler thread, never from premain), or nowhere.
 */
public abstract class LogSink {

    public enum Severity { INFO, WARNING, CRITICAL, ERROR }

    /** Writes one complete line (already formatted). */
    public abstract void write(Severity severity, String line);

    public static LogSink of(Config.LogTarget target) {
        switch (target) {
            case NONE:
                return new LogSink() {
                    @Override
                    public void write(Severity severity, String line) {
                    }
                };
            case JUL:
                return new JulSink();
            default:
                return new StreamSink(System.err);
        }
    }

    /** One line per println: a line is never interleaved with another thread's output. */
    static final class StreamSink extends LogSink {
        private final PrintStream out;

        StreamSink(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(Severity severity, String line) {
            out.println(line);
        }
    }

    /** JUL is loaded lazily: this class is only touched when log=jul. */
    static final class JulSink extends LogSink {
        private java.util.logging.Logger logger;

        @Override
        public void write(Severity severity, String line) {
            if (logger == null) {
                logger = java.util.logging.Logger.getLogger("headroom");
            }
            java.util.logging.Level level = severity == Severity.INFO ? java.util.logging.Level.INFO
                    : severity == Severity.WARNING ? java.util.logging.Level.WARNING : java.util.logging.Level.SEVERE;
            logger.log(level, line);
        }
    }
}
