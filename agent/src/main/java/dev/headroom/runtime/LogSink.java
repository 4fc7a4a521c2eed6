package dev.headroom.runtime;

import java.io.PrintStream;

/**
 * Where the agent's lines go: its own tiny stderr logger (default), java.util.logging (only
 * when asked for, and first touched from the sampler thread, never at agent start), or nowhere.
 */
public abstract class LogSink {

    public enum Severity { INFO, WARNING, CRITICAL, ERROR }

    /** Writes one complete line (already formatted). */
    public abstract void write(Severity severity, String line);

    /** Called once per tick: a sink that holds lines back may release them. */
    void flush() {
    }

    /**
     * @param delayMillis for JUL: lines are held back this long after start, so that the first
     *                    touch of java.util.logging comes after the application configured it
     */
    public static LogSink of(Config.LogTarget target, long delayMillis) {
        switch (target) {
            case NONE:
                return new LogSink() {
                    @Override
                    public void write(Severity severity, String line) {
                    }
                };
            case JUL:
                return new JulSink(System.nanoTime() + delayMillis * 1_000_000L);
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

    /**
     * JUL, touched only when log=jul and only from the sampler thread once the delay has passed:
     * an application that installs its own LogManager (WildFly) must get to do it first. Lines
     * from before are held (at most {@link #HELD}) and released in order.
     */
    static final class JulSink extends LogSink {
        private static final int HELD = 100;
        private final long releaseAt;
        private final java.util.ArrayDeque<Object[]> held = new java.util.ArrayDeque<>();
        private java.util.logging.Logger logger;

        JulSink(long releaseAtNanos) {
            this.releaseAt = releaseAtNanos;
        }

        @Override
        public synchronized void write(Severity severity, String line) {
            if (held.size() < HELD) {
                held.add(new Object[] {severity, line});
            }
            flush();
        }

        @Override
        synchronized void flush() {
            if (held.isEmpty() || System.nanoTime() - releaseAt < 0) {
                return;
            }
            if (logger == null) {
                logger = java.util.logging.Logger.getLogger("headroom");
            }
            for (Object[] entry; (entry = held.poll()) != null; ) {
                Severity severity = (Severity) entry[0];
                java.util.logging.Level level = severity == Severity.INFO ? java.util.logging.Level.INFO
                        : severity == Severity.WARNING ? java.util.logging.Level.WARNING : java.util.logging.Level.SEVERE;
                logger.logp(level, "headroom", "sampler", (String) entry[1]);
            }
        }
    }
}
