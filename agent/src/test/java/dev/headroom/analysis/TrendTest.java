package dev.headroom.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrendTest {

    private static final long SECOND = 1_000_000_000L;

    /** Least squares done the textbook way, independently of Trend's centred sums. */
    private static double[] reference(long[] t, long[] v, int from) {
        int n = t.length - from;
        double mx = 0;
        double my = 0;
        for (int i = from; i < t.length; i++) {
            mx += t[i] / 1e9;
            my += v[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        for (int i = from; i < t.length; i++) {
            sxx += (t[i] / 1e9 - mx) * (t[i] / 1e9 - mx);
            sxy += (t[i] / 1e9 - mx) * (v[i] - my);
        }
        double slope = sxy / sxx;
        double residuals = 0;
        for (int i = from; i < t.length; i++) {
            double r = v[i] - (my + slope * (t[i] / 1e9 - mx));
            residuals += r * r;
        }
        return new double[] {slope, slope / Math.sqrt(residuals / (n - 2) / sxx)};
    }

    @Test
    void fitMatchesLeastSquaresIntoTheCallersArray() {
        Trend trend = new Trend(64);
        double[] out = {42, 42};
        assertSame(out, trend.fit(0, out));
        assertArrayEquals(new double[] {Double.NaN, 0}, out);
        long[] t = new long[20];
        long[] v = new long[20];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * SECOND + (i % 4) * 7_000_000L;
            v[i] = 1000L * i + (i % 3) * 10;
            trend.add(t[i], v[i], 60 * SECOND);
        }
        for (int from : new int[] {0, 10, 17}) {
            double[] expected = reference(t, v, from);
            trend.fit(from, out);
            assertEquals(expected[0], out[0], 1e-6 * Math.abs(expected[0]), "slope from " + from);
            assertEquals(expected[1], out[1], 1e-6 * Math.abs(expected[1]), "t from " + from);
            assertEquals(out[0], trend.slope(from));
        }
        assertTrue(Double.isNaN(trend.fit(18, out)[0]), "fewer than 3 points");
    }

    @Test
    void windowsAndRatesByIndex() {
        Trend trend = new Trend(8);
        // a ring that has wrapped: 12 points into 8 slots, one per 0.5 s, +10 per point then +30
        for (int i = 0; i < 12; i++) {
            trend.add(i * SECOND / 2, i < 8 ? 10L * i : 70 + 30L * (i - 7), 60 * SECOND);
        }
        assertEquals(8, trend.size());
        assertEquals(7 * SECOND / 2, trend.spanNanos());
        assertEquals(SECOND, trend.spanNanos(5));
        assertEquals(5, trend.indexWithin(SECOND), "the oldest point at most 1 s before the newest");
        assertEquals(0, trend.indexWithin(100 * SECOND));
        assertEquals(7, trend.indexWithin(0));
        // points 4..7 of the ring are the +30 steps, 0..3 the +10 ones (after the first 4 were dropped)
        assertEquals(60.0, trend.rateBetween(4, 7), 1e-9);
        assertEquals(20.0, trend.rateBetween(0, 3), 1e-9);
        assertTrue(Double.isNaN(trend.rateBetween(3, 3)));
        assertTrue(Double.isNaN(trend.rateBetween(0, 8)));
    }
}
