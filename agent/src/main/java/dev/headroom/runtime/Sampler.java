package dev.headroom.runtime;


import dev.headroom.analysis.Analyzer;
import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Level;
import dev.headroom.io.FileSource;
import dev.headroom.jvm.JvmFlags;
import dev.headroom.jvm.JvmSampler;
import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.Values;
import dev.headroom.report.LogLines;
import dev.headroom.sample.Sample;

import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one daemon thread that owns all I/O and analysis: it reads a sample, assesses it,
 * publishes the assessment through one volatile reference and tells the listeners. Sampling
 * speeds up while at WARNING or above or while the limit is predicted within the horizon.
 * Nothing it does can reach an application thread: every tick and every listener is guarded.
 */
public final class Sampler implements Runnable, Supplier<Assessment> {

    public static final String THREAD_NAME = "headroom-sampler";
    /** Time the application's start-up has the machine to itself before the agent sets up. */
    public static final long START_DELAY_MILLIS = 200;
    private static final long FAULT_QUIET_MILLIS = 60_000;
    /** The loop catches everything; this only keeps a JVM-level error from printing a stack trace. */
    public static final Thread.UncaughtExceptionHandler QUIET = new Thread.UncaughtExceptionHandler() {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
        }
    };
    /** How far below warn sampling already speeds up. */
    static final double APPROACH = 0.10;
    /** Ticks wanted between now and the limit at the latest growth rate (see {@link #nextDelayMillis()}). */
    static final int TICKS_BEFORE_LIMIT = 8;
    /** The shortest delay between ticks (a tick costs about 50 µs: 0.1% of a core at this pace). */
    static final long MIN_DELAY_MILLIS = 50;

    private final Config config;
    /** The intervals, read from the configuration once: the pace is decided every tick. */
    private final long intervalMillis;
    private final long fastIntervalMillis;
    private double approach;
    private final FileSource files;
    private Analyzer analyzer;
    private final LogSink sink;
    private final LogLines lines;
    private final List<AssessmentListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Assessment latest;
    private volatile boolean stopped;
    private volatile Runnable onStart;
    private volatile SampleReader reader;
    private volatile JvmSampler jvm;
    private boolean jvmFailed;
    /** The last JVM breakdown, reused while the process's own figures are (see {@link SampleReader#processRead()}). */
    private JvmSnapshot lastJvm;
    private long lastFaultMillis = Long.MIN_VALUE / 2;
    private String lastFault;

    /** The analyzer is built at the first tick, after the start delay. */
    public Sampler(Config config, FileSource files, LogSink sink, LogLines lines) {
        this.config = config;
        this.intervalMillis = config.intervalMillis();
        this.fastIntervalMillis = config.fastIntervalMillis();
        this.files = files;
        this.sink = sink;
        this.lines = lines;
    }

    /** The latest assessment, or null before the first tick. Never does I/O. */
    public Assessment latest() {
        return latest;
    }

    /** The same as {@link #latest()}, for sinks that take a supplier. */
    @Override
    public Assessment get() {
        return latest;
    }

    /** Work the sampler thread does once before its first tick (setting up sinks after the start delay). */
    public void onStart(Runnable setup) {
        this.onStart = setup;
    }

    public void addListener(AssessmentListener listener) {
        listeners.add(listener);
    }

    /** Starts the daemon thread. */
    public Thread start() {
        Thread thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.setContextClassLoader(Sampler.class.getClassLoader());
        thread.setUncaughtExceptionHandler(QUIET);
        thread.start();
        return thread;
    }

    public void stop() {
        stopped = true;
    }

    /** The thread {@link #start()} starts: the start delay, then {@link #sample()}. */
    @Override
    public void run() {
        // the JVM's own start-up is the busiest moment of a process: let it pass before the first
        // tick loads our classes and the management beans (at most one interval, 200 ms by default)
        try {
            Thread.sleep(Math.min(START_DELAY_MILLIS, intervalMillis));
        } catch (InterruptedException e) {
            // start sampling now
        }
        sample();
    }

    /** Sets up the listeners, then samples on the calling thread until {@link #stop()}. */
    public void sample() {
        Runnable setup = onStart;
        if (setup != null) {
            try {
                setup.run();
            } catch (Throwable t) {
                fault(t);
            }
        }
        while (!stopped) {
            tick();
            try {
                Thread.sleep(nextDelayMillis());
            } catch (InterruptedException e) {
                // not ours to stop on: only stop() ends the loop (the JVM ends daemon threads at exit)
            } catch (Throwable t) {
                fault(t);
            }
        }
    }

    /** One sample: read, assess, publish, notify. Public for benchmarks and tests. */
    public Assessment tick() {
        try {
            if (reader == null) {
                analyzer = new Analyzer(config.thresholds());
                approach = config.warn() - APPROACH;
                reader = new SampleReader(files, config.root());
            }
            Sample s = reader.read(System.nanoTime(), System.currentTimeMillis(), calm(latest));
            Assessment a = analyzer.assess(s, jvmSnapshot(reader.processRead()));
            latest = a;
            for (AssessmentListener listener : listeners) {
                try {
                    listener.onAssessment(a);
                } catch (Throwable t) {
                    fault(t);
                }
            }
            sink.flush();
            return a;
        } catch (Throwable t) {
            fault(t);
            return latest;
        }
    }

    /**
     * The JVM breakdown of this tick: read with the process's own figures, reused while they are
     * (a calm tick: then it is only reported, and ten MXBean calls that run interpreted for
     * minutes are a good part of a tick at the default interval). Null (and never retried) if the
     * management classes fail.
     */
    private JvmSnapshot jvmSnapshot(boolean processRead) {
        if (jvmFailed) {
            return null;
        }
        if (!processRead && lastJvm != null) {
            return lastJvm;
        }
        try {
            if (jvm == null) {
                jvm = new JvmSampler(JvmFlags.read());
            }
            lastJvm = jvm.read();
            return lastJvm;
        } catch (Throwable t) {
            jvmFailed = true;
            fault(t);
            return null;
        }
    }

    /** The JVM's memory options, once the first tick has read them; null before or when unreadable. */
    public JvmFlags jvmFlags() {
        JvmSampler j = jvm;
        return j == null ? null : j.flags();
    }

    /** Healthy and far from warn: the slow pace, where the detail files and the JVM breakdown are read every few ticks. */
    private boolean calm(Assessment a) {
        return a != null && !fast(a);
    }

    /**
     * Close to warn, one slow interval can cover the rest of the way to the limit; and a growth
     * rate needs a second sample: take it at the fast interval, so that growth already under way
     * at start is measured within a fraction of a second, not after one slow interval.
     */
    private boolean fast(Assessment a) {
        return a.sequence == 0 || a.level.atLeast(Level.WARNING) || a.predicted || a.utilization >= approach;
    }

    long nextDelayMillis() {
        Assessment a = latest;
        if (a == null) {
            return intervalMillis;
        }
        boolean fast = fast(a);
        long delay = fast ? fastIntervalMillis : intervalMillis;
        if (a.sequence == 1 && !fast && fastIntervalMillis < delay) {
            // that early second sample is one more, not a shift of the regular ones: the third
            // comes when it would have come without it
            delay -= fastIntervalMillis;
        }
        // steep growth (below CRITICAL: a process parked at its limit stays at the fast interval)
        return a.level.atLeast(Level.CRITICAL) ? delay
                : paceToLimit(delay, a.recentGrowthBytesPerSecond, a.headroom.headroomBytes);
    }

    /**
     * The delay shortened so that about {@link #TICKS_BEFORE_LIMIT} ticks fall before the limit at
     * the latest growth rate, never below {@link #MIN_DELAY_MILLIS} and never longer than
     * {@code delay}. At 200 MiB/s a 256 MiB container fills in about a second: one slow interval,
     * or even the fast one, would leave the analyzer's short-term rule the three points it needs
     * only when it is too late to warn. Slow or no growth leaves the delay alone, so the idle
     * interval stays what is configured: only growth that would reach the limit within
     * {@code TICKS_BEFORE_LIMIT} intervals shortens it (at the defaults, 8 s: 13 MiB/s at 60% of
     * 256 MiB).
     */
    static long paceToLimit(long delay, double bytesPerSecond, long headroomBytes) {
        if (!(bytesPerSecond > 0) || !Values.known(headroomBytes)) {
            return delay;
        }
        double millisToLimit = Math.max(0, headroomBytes) / bytesPerSecond * 1000;
        return Math.min(delay, Math.max(MIN_DELAY_MILLIS, (long) (millisToLimit / TICKS_BEFORE_LIMIT)));
    }

    /** A failure inside the agent: logged once a minute at most per kind, never thrown. */
    private void fault(Throwable t) {
        try {
            long now = System.currentTimeMillis();
            String kind = t.getClass().getName();
            if (!kind.equals(lastFault) || now - lastFaultMillis >= FAULT_QUIET_MILLIS) {
                lastFault = kind;
                lastFaultMillis = now;
                sink.write(LogSink.Severity.ERROR, lines.plain("ERROR", "fault", "sampling failed: " + t
                        + (t.getStackTrace().length > 0 ? " at " + t.getStackTrace()[0] : "")));
            }
        } catch (Throwable ignored) {
            // even reporting failed (out of memory?): stay quiet rather than disturb the application
        }
    }
}
