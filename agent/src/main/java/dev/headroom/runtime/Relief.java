package dev.headroom.runtime;

import dev.headroom.parse.Values;

/**
 * One thing relief did (or decided not to do), as every sink reports it: the log line, the JMX
 * notification, the Micrometer counters and the termination message. Immutable.
 */
public final class Relief {

    /** What came of it: done (counted), skipped (with the reason), or the JVM's settings put back. */
    public enum Outcome { DONE, SKIPPED, RESTORED }

    /** heap, native or readiness. */
    public final String action;
    public final Outcome outcome;
    /** What happened, in words, with the numbers ("heap committed 200.0 MiB -> 12.0 MiB, ..."). */
    public final String message;
    /** What the JVM gave back by its own count (heap committed, native RSS), bytes; 0 when nothing. */
    public final long freedBytes;
    /** How long the action took (the pause a full GC cost), ns; -1 when nothing ran. */
    public final long durationNanos;
    /** The binding working set before and after, bytes; {@link Values#UNKNOWN} when not measured. */
    public final long workingSetBefore;
    public final long workingSetAfter;
    public final long wallMillis;

    public Relief(String action, Outcome outcome, String message, long freedBytes, long durationNanos,
                  long workingSetBefore, long workingSetAfter, long wallMillis) {
        this.action = action;
        this.outcome = outcome;
        this.message = message;
        this.freedBytes = freedBytes;
        this.durationNanos = durationNanos;
        this.workingSetBefore = workingSetBefore;
        this.workingSetAfter = workingSetAfter;
        this.wallMillis = wallMillis;
    }

    /** A skip or a restore: nothing ran, nothing was measured. */
    public static Relief note(String action, Outcome outcome, String message, long wallMillis) {
        return new Relief(action, outcome, message, 0, -1, Values.UNKNOWN, Values.UNKNOWN, wallMillis);
    }

    @Override
    public String toString() {
        return action + " " + outcome + ": " + message;
    }
}
