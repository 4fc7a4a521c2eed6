package dev.headroom.sink.jmx;

import dev.headroom.parse.Values;

/**
 * The agent's sentinel longs as the numbers a JMX client shows: unknown is NaN, an unset limit
 * is +Infinity, absent text is the empty string. Byte values are exposed as {@code double} so a
 * generic client (JConsole, the Prometheus JMX exporter, Micrometer) can tell "unknown" apart
 * from a real 0 without knowing our conventions.
 */
final class Open {

    private Open() {
    }

    /** A count or a byte value: NaN when unknown. A limit-like value that is unset becomes +Infinity. */
    static double number(long value) {
        return Values.number(value);
    }

    /** A value the JVM reports with -1 for "not available". */
    static double jvm(long value) {
        return value < 0 ? Double.NaN : value;
    }

    /** PSI averages are kept in hundredths of a percent: as percent, NaN when unknown. */
    static double percentFromHundredths(long hundredths) {
        return Values.known(hundredths) ? hundredths / 100.0 : Double.NaN;
    }

    static String text(String s) {
        return s == null ? "" : s;
    }
}
