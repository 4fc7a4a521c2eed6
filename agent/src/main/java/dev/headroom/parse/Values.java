package dev.headroom.parse;

/**
 * The two special values a number read from the kernel can have. Numbers are kept as
 * primitive {@code long}s on the sampling path (no boxing); these sentinels turn into NaN,
 * null or "n/a" only at the edges (meters, JSON, text).
 */
public final class Values {

    /** Missing, unreadable or unparsable: never shown as a number. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    /** A limit that is not set ("max" on v2, the page-rounded Long.MAX on v1). */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private Values() {
    }

    public static boolean known(long value) {
        return value != UNKNOWN;
    }

    /** A real, finite limit. */
    public static boolean limited(long value) {
        return value != UNKNOWN && value != UNLIMITED;
    }

    /** As a public number: unknown is NaN, an unset limit +Infinity (JMX, the public read-only view). */
    public static double number(long value) {
        if (value == UNKNOWN) {
            return Double.NaN;
        }
        return value == UNLIMITED ? Double.POSITIVE_INFINITY : value;
    }

    /** a - b, unknown when either is unknown. */
    public static long minus(long a, long b) {
        return a == UNKNOWN || b == UNKNOWN ? UNKNOWN : a - b;
    }

    /** a + b, unknown when either is unknown. */
    public static long plus(long a, long b) {
        return a == UNKNOWN || b == UNKNOWN ? UNKNOWN : a + b;
    }
}
