package dev.headroom.sink.jmx;

import dev.headroom.parse.Values;

/**
 * The agent's sentinel longs as the numbers a JMX client shows, in the JDK's own conventions:
 * a size or a count is a {@code long}, -1 when unknown (as {@code MemoryUsage.getMax()} and the
 * {@code OperatingSystemMXBean} say "undefined"/"not available"); an unset limit is
 * {@link Long#MAX_VALUE} (what "max" means, and what v1 writes rounded to a page). The JDK's
 * internal container metrics use -1 for "unlimited" and -2 for "not supported": one -1 cannot mean
 * both, and unknown is the one every attribute can be, so -1 is unknown here. Rates and ratios
 * stay {@code double}, NaN when unknown. Absent text is the empty string.
 */
final class Open {

    /** What every size and count shows when it is not known. */
    static final long UNKNOWN = -1;

    private Open() {
    }

    /**
     * A size or count the kernel reported (never negative): -1 when unknown or wrapped negative;
     * an unset limit stays {@link Long#MAX_VALUE}.
     */
    static long size(long value) {
        return Values.known(value) && value >= 0 ? value : UNKNOWN;
    }

    /** A value the JVM reports with a negative number for "not available": -1 then. */
    static long jvm(long value) {
        return value < 0 ? UNKNOWN : value;
    }

    /** PSI averages are kept in hundredths of a percent: as percent, NaN when unknown. */
    static double percentFromHundredths(long hundredths) {
        return Values.known(hundredths) ? hundredths / 100.0 : Double.NaN;
    }

    static String text(String s) {
        return s == null ? "" : s;
    }
}
