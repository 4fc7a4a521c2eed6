package dev.headroom.sink.jfr;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Headroom;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Percentage;
import jdk.jfr.StackTrace;

/**
 * The fields every headroom event carries: the level and the numbers behind it. Unknown values
 * follow JFR's own convention (the {@code jfr} tool prints "N/A", its JSON {@code null}):
 * {@code Long.MIN_VALUE} for integers (headroom's own unknown already is), NaN for fractions.
 */
@Category({"headroom", "Container Memory"})
@StackTrace(false)
abstract class MemoryStateEvent extends Event {

    @Label("Level")
    @Description("headroom's verdict: OK, WARNING, CRITICAL or UNKNOWN")
    String level;

    @Label("Cause")
    @Description("What raised the level: utilization, trend or pressure; empty at OK")
    String cause;

    @Label("Working Set")
    @Description("Working set counted against the limit: usage minus inactive file cache")
    @DataAmount
    long workingSet;

    @Label("Limit")
    @Description("The limit that binds first: the tightest cgroup memory limit, or host memory when that is tighter")
    @DataAmount
    long limit;

    @Label("Headroom")
    @Description("Memory left before the limit: limit minus working set")
    @DataAmount
    long headroom;

    @Label("Utilization")
    @Description("Working set / limit")
    @Percentage
    double utilization;

    @Label("Limit Source")
    @Description("The cgroup directory whose limit binds, or 'host' for host memory")
    String limitSource;

    void set(Assessment a) {
        Headroom h = a.headroom;
        level = a.level.name();
        cause = a.cause == null ? "" : a.cause.text();
        workingSet = h.bindingWorkingSet;
        limit = h.bindingLimit;
        headroom = h.headroomBytes;
        utilization = a.utilization;
        limitSource = h.bindingDir;
    }

    /** Bytes per second as a whole number; unknown ({@code Long.MIN_VALUE}) when NaN. */
    static long perSecond(double bytesPerSecond) {
        return Double.isNaN(bytesPerSecond) ? Long.MIN_VALUE : Math.round(bytesPerSecond);
    }

    /** Seconds to milliseconds; NaN is unknown, +Infinity is JFR's "Forever" ({@code Long.MAX_VALUE}). */
    static long millis(double seconds) {
        return Double.isNaN(seconds) ? Long.MIN_VALUE : Math.round(Math.min(seconds * 1000, Long.MAX_VALUE));
    }
}
