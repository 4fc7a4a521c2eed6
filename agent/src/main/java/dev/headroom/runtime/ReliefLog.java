package dev.headroom.runtime;

import dev.headroom.report.LogLines;
import dev.headroom.text.Units;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where relief reports what it did, and what the sinks read it from: the listeners (the JMX
 * notifications), the running totals (the Micrometer counters) and the latest event of each
 * action (the termination message). Relief acts on the process (its heap, its malloc arenas,
 * its readiness), so the agent uses the process's one log, {@link #PROCESS}; tests make their own.
 */
public final class ReliefLog {

    public static final ReliefLog PROCESS = new ReliefLog();

    private final List<ReliefListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Relief> latest = new LinkedHashMap<>();
    private volatile long actions;
    private volatile long freedBytes;

    public void addListener(ReliefListener listener) {
        listeners.add(listener);
    }

    /** Counts and keeps the event, then tells every listener; a listener that throws is skipped. */
    public void publish(Relief relief) {
        synchronized (this) {
            if (relief.outcome == Relief.Outcome.DONE) {
                actions++;
                freedBytes += Math.max(0, relief.freedBytes);
            }
            if (relief.outcome != Relief.Outcome.RESTORED) {
                latest.put(relief.action, relief);
            }
        }
        for (ReliefListener listener : listeners) {
            try {
                listener.onRelief(relief);
            } catch (Throwable t) {
                // a sink's failure is never relief's
            }
        }
    }

    /** Relief actions done so far (skips and restores not counted). */
    public long actions() {
        return actions;
    }

    /** Bytes the JVM gave back through relief so far, by its own count. */
    public long freedBytes() {
        return freedBytes;
    }

    /**
     * "relief freed 188.0 MiB in 1 action; heap at 2026-...Z: ...; native at ...: ..." for the
     * termination message, or null when relief has not done or skipped anything.
     */
    public synchronized String summary() {
        if (latest.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(256).append("relief freed ").append(Units.bytes(freedBytes))
                .append(" in ").append(actions).append(actions == 1 ? " action" : " actions");
        for (Relief r : latest.values()) {
            out.append("; ").append(r.action).append(r.outcome == Relief.Outcome.SKIPPED ? " skipped" : "")
                    .append(" at ").append(LogLines.isoTime(r.wallMillis)).append(": ").append(r.message);
        }
        return out.toString();
    }
}
