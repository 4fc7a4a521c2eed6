package dev.headroom.analysis;

/**
 * Growth rate over a sliding time window: a least-squares slope of value over time, with its
 * standard error, so that a steady leak is told apart from a flat but noisy process. Fixed
 * capacity ring buffer; no allocation per sample.
 */
final class Trend {

    private final long[] times;
    private final long[] values;
    /** Where {@link #slope} fits (owned by the one thread that owns the trend). */
    private final double[] scratch = new double[2];
    private int start;
    private int size;

    Trend(int capacity) {
        times = new long[capacity];
        values = new long[capacity];
    }

    void clear() {
        start = 0;
        size = 0;
    }

    /** Adds a point and drops points older than the window. */
    void add(long nanoTime, long value, long windowNanos) {
        while (size > 0 && (nanoTime - times[start] > windowNanos || size == times.length)) {
            start = (start + 1) % times.length;
            size--;
        }
        int at = (start + size) % times.length;
        times[at] = nanoTime;
        values[at] = value;
        size++;
    }

    int size() {
        return size;
    }

    long spanNanos() {
        return spanNanos(0);
    }

    /** Slope in units per second over the points from {@code fromIndex} on (0 = oldest); NaN with fewer than 3. */
    double slope(int fromIndex) {
        return fit(fromIndex, scratch)[0];
    }

    /**
     * The slope over points [fromIndex, size) and its t statistic (slope / standard error):
     * {slope per second, t}, written into {@code out} (the caller's, so a tick allocates nothing),
     * which is returned. A perfect line has t = +infinity.
     */
    double[] fit(int fromIndex, double[] out) {
        int n = size - fromIndex;
        if (n < 3) {
            return result(out, Double.NaN, 0);
        }
        // two passes (the means, then the centred sums) and no division per point: at the default
        // interval this runs interpreted for minutes, several times a tick
        int capacity = times.length;
        int first = (start + fromIndex) % capacity;
        long t0 = times[first];
        long v0 = values[first];
        long sumT = 0;
        double sumY = 0;
        for (int i = 0, at = first; i < n; i++, at = at + 1 == capacity ? 0 : at + 1) {
            sumT += times[at] - t0;
            sumY += values[at] - v0;
        }
        double meanX = sumT / 1e9 / n;
        double meanY = sumY / n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0, at = first; i < n; i++, at = at + 1 == capacity ? 0 : at + 1) {
            double dx = (times[at] - t0) * 1e-9 - meanX;
            double dy = values[at] - v0 - meanY;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx <= 0) {
            return result(out, Double.NaN, 0);
        }
        double slope = sxy / sxx;
        // the residual sum of squares of centred data; rounding leaves a perfect line a hair off 0, either side
        double residuals = syy - slope * sxy;
        if (residuals <= syy * 1e-12) {
            residuals = 0;
        }
        double standardError = Math.sqrt(residuals / (n - 2) / sxx);
        double t = standardError == 0 ? (slope == 0 ? 0 : Double.POSITIVE_INFINITY * Math.signum(slope)) : slope / standardError;
        return result(out, slope, t);
    }

    private static double[] result(double[] out, double slope, double t) {
        out[0] = slope;
        out[1] = t;
        return out;
    }

    /** Index (0 = oldest) of the oldest point at most {@code nanos} older than the newest; 0 when empty. */
    int indexWithin(long nanos) {
        if (size == 0) {
            return 0;
        }
        long newest = times[(start + size - 1) % times.length];
        int i = size - 1;
        while (i > 0 && newest - times[(start + i - 1) % times.length] <= nanos) {
            i--;
        }
        return i;
    }

    /** Change per second from the point at index {@code from} to the one at {@code to} (0 = oldest); NaN when not later. */
    double rateBetween(int from, int to) {
        if (from < 0 || to >= size || from >= to) {
            return Double.NaN;
        }
        int a = (start + from) % times.length;
        int b = (start + to) % times.length;
        long dt = times[b] - times[a];
        return dt <= 0 ? Double.NaN : (values[b] - values[a]) / (dt / 1e9);
    }

    /** Time from the point at {@code fromIndex} (0 = oldest) to the newest, nanoseconds. */
    long spanNanos(int fromIndex) {
        return size - fromIndex < 2 ? 0 : times[(start + size - 1) % times.length] - times[(start + fromIndex) % times.length];
    }

    /** Change of the newest value against the one {@code nanos} ago (or the oldest), per second; NaN with fewer than 2. */
    double rateSince(long nanos) {
        if (size < 2) {
            return Double.NaN;
        }
        int last = (start + size - 1) % times.length;
        int from = start;
        for (int i = size - 2; i >= 0; i--) {
            int at = (start + i) % times.length;
            if (times[last] - times[at] >= nanos) {
                from = at;
                break;
            }
        }
        long dt = times[last] - times[from];
        return dt <= 0 ? Double.NaN : (values[last] - values[from]) / (dt / 1e9);
    }
}
