package dev.headroom.analysis;

import java.util.Locale;

/** What raised the level to WARNING or CRITICAL. */
public enum Cause {
    /** The working set against the binding limit crossed {@code warn} or {@code critical}. */
    UTILIZATION,
    /** A steady growth reaches the limit within the horizon (or within seconds, at a fast pace). */
    TREND,
    /** The cgroup's own PSI (v2 memory.pressure). */
    PRESSURE;

    private final String text = name().toLowerCase(Locale.ROOT);

    /** The name in log lines, JSON, JMX and notifications: "utilization", "trend", "pressure". */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
