package dev.headroom.analysis;

/** How close the process is to an OOM kill. UNKNOWN when the working set or limit cannot be read. */
public enum Level {
    OK,
    WARNING,
    CRITICAL,
    UNKNOWN;

    /** 0, 1, 2 for gauges; NaN for unknown. */
    public double asNumber() {
        return this == UNKNOWN ? Double.NaN : ordinal();
    }

    public boolean atLeast(Level other) {
        return this != UNKNOWN && other != UNKNOWN && ordinal() >= other.ordinal();
    }

    static Level max(Level a, Level b) {
        if (a == UNKNOWN) {
            return b;
        }
        if (b == UNKNOWN) {
            return a;
        }
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
