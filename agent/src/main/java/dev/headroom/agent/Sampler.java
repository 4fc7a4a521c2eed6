package dev.headroom.agent;

import dev.headroom.analysis.Analyzer;
import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Level;
import dev.headroom.io.FileSource;
import dev.headroom.jvm.JvmFlags;
import dev.headroom.jvm.JvmSampler;
import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.report.LogLines;
import dev.headroom.sample.SampleReader;

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
    private static final long FAULT_QUIET_MILLIS = 60_000;
    /** The loop catches everything; this only keeps a JVM-level error from printing a stack trace. */
    static final Thread.UncaughtExceptionHandler QUIET = new Thread.UncaughtExceptionHandler() {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
        }
    };
    /** How far below warn sampling already speeds up. */
    static final double APPROACH = 0.10;

    private final Config config;
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
    private long lastFaultMillis = Long.MIN_VALUE / 2;
    private String lastFault;

    /** The analyzer is built at the first tick, after the start delay. */
    Sampler(Config config, FileSource files, LogSink sink, LogLines lines) {
        this.config = config;
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
    void onStart(Runnable setup) {
        this.onStart = setup;
    }

    public void addListener(AssessmentListener listener) {
        listeners.add(listener);
    }

    /** Starts the daemon thread. */
    Thread start() {
        Thread thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.setContextClassLoader(Sampler.class.getClassLoader());
        thread.setUncaughtExceptionHandler(QUIET);
        thread.start();
        return thread;
    }

    void stop() {
        stopped = true;
    }

    /** The thread {@link #start()} starts: the start delay, then {@link #sample()}. */
    @Override
    public void run() {
        // the JVM's own start-up is the busiest moment of a process: let it pass before the first
        // tick loads our classes and the management beans (at most one interval, 200 ms by default)
        try {
            Thread.sleep(Math.min(Launcher.START_DELAY_MILLIS, config.intervalMillis()));
        } catch (InterruptedException e) {
            // start sampling now
        }
        sample();
    }

    /** Sets up the listeners, then samples on the calling thread until {@link #stop()}. */
    void sample() {
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
                analyzer = new Analyzer(HeadroomAgent.thresholds(config));
                approach = config.warn() - APPROACH;
                reader = new SampleReader(files, config.root());
            }
            Assessment a = analyzer.assess(reader.read(), jvmSnapshot());
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

    /** The JVM breakdown of this tick; null (and never retried) if the management classes fail. */
    private JvmSnapshot jvmSnapshot() {
        if (jvmFailed) {
            return null;
        }
        try {
            if (jvm == null) {
                jvm = new JvmSampler(JvmFlags.read());
            }
            return jvm.read();
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

    long nextDelayMillis() {
        Assessment a = latest;
        // close to warn, one slow interval can cover the rest of the way to the limit
        boolean fast = a != null && (a.level.atLeast(Level.WARNING) || a.predicted
                || a.utilization >= approach);
        return fast ? config.fastIntervalMillis() : config.intervalMillis();
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
