package dev.headroom.sink.jfr;

import dev.headroom.analysis.Assessment;
import dev.headroom.report.LogLines;
import dev.headroom.runtime.AssessmentListener;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.Sampler;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Connects the sampler to Flight Recorder, and only once a recording exists: until then the agent
 * has added one listener and loaded none of the event classes (registering an event type starts
 * JFR's own metadata machinery). Once the recorder is initialized, {@link ContainerMemoryEvent}
 * is a periodic event (JFR calls {@link #run()} at its period, and only while a recording that
 * enables it runs) and the sampler tells us about level changes, OOM kills and limit changes;
 * each of those is one {@code isEnabled()} check when no recording wants it.
 */
final class Recorder implements FlightRecorderListener, AssessmentListener, Runnable {

    private final Sampler sampler;
    private final LogSink sink;
    private final LogLines lines;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();

    private Recorder(Sampler sampler, LogSink sink, LogLines lines) {
        this.sampler = sampler;
        this.sink = sink;
        this.lines = lines;
    }

    static void listen(Sampler sampler, LogSink sink, LogLines lines) {
        // calls recorderInitialized at once when a recording already runs (-XX:StartFlightRecording)
        FlightRecorder.addListener(new Recorder(sampler, sink, lines));
    }

    /** On whichever thread creates the first recording (jcmd, JMX, the application): quick, and never throws. */
    @Override
    public void recorderInitialized(FlightRecorder recorder) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        try {
            FlightRecorder.addPeriodicEvent(ContainerMemoryEvent.class, this);
            sampler.addListener(this);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** The periodic hook, on JFR's periodic task thread: the latest assessment, no I/O. */
    @Override
    public void run() {
        try {
            Assessment a = sampler.latest();
            if (a != null) {
                ContainerMemoryEvent event = new ContainerMemoryEvent();
                event.set(a);
                event.commit();
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** On the sampler thread, every tick: nothing but a bit test unless something happened. */
    @Override
    public void onAssessment(Assessment a) {
        if (a.has(Assessment.LEVEL_CHANGED)) {
            LevelChangeEvent event = new LevelChangeEvent();
            if (event.isEnabled()) {
                event.set(a);
                event.commit();
            }
        }
        if (a.has(Assessment.OOM_KILL)) {
            OomKillEvent event = new OomKillEvent();
            if (event.isEnabled()) {
                event.set(a);
                event.commit();
            }
        }
        if (a.has(Assessment.LIMIT_CHANGED)) {
            LimitChangeEvent event = new LimitChangeEvent();
            if (event.isEnabled()) {
                event.set(a);
                event.commit();
            }
        }
    }

    private void failed(Throwable t) {
        if (failed.compareAndSet(false, true)) {
            sink.write(LogSink.Severity.ERROR, lines.plain("ERROR", "jfr", "Flight Recorder events failed (no more said about it): " + t));
        }
    }
}
