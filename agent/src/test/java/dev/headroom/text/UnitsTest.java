package dev.headroom.text;

import dev.headroom.parse.Values;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Units prints what String.format would, without loading the JDK's locale data. */
class UnitsTest {

    @Test
    void fixedMatchesStringFormat() {
        SplittableRandom random = new SplittableRandom(8);
        double[] edges = {0, 0.05, 0.15, 0.25, 0.45, 1.45, 1.05, 2.675, 9.95, 99.95, 1023.95, 0.949, 12345.678, 1e-9};
        for (double v : edges) {
            assertEquals(String.format(Locale.ROOT, "%.1f", v), Units.fixed(v, 1), () -> "value " + v);
            assertEquals(String.format(Locale.ROOT, "%.2f", v), Units.fixed(v, 2), () -> "value " + v);
        }
        for (int i = 0; i < 100_000; i++) {
            double v = random.nextDouble() * Math.pow(10, random.nextInt(7));
            assertEquals(String.format(Locale.ROOT, "%.1f", v), Units.fixed(v, 1), () -> "value " + v);
            assertEquals(String.format(Locale.ROOT, "%.2f", v), Units.fixed(v, 2), () -> "value " + v);
            // a multiple of 1/1024 (byte counts in KiB) and of a percent
            double k = random.nextInt(1 << 20) / 1024.0;
            assertEquals(String.format(Locale.ROOT, "%.1f", k), Units.fixed(k, 1), () -> "value " + k);
        }
    }

    @Test
    void bytesRatesPercentsAndDurations() {
        assertEquals("1023 B", Units.bytes(1023));
        assertEquals("1.0 KiB", Units.bytes(1024));
        assertEquals("1.5 MiB", Units.bytes(1536L * 1024));
        assertEquals("-1.5 MiB", Units.bytes(-1536L * 1024));
        assertEquals("256.0 MiB", Units.bytes(256L << 20));
        assertEquals("23.54 GiB", Units.bytes(25_275_000_000L));
        assertEquals("2.00 TiB", Units.bytes(2L << 40));
        assertEquals("unlimited", Units.bytes(Values.UNLIMITED));
        assertEquals("n/a", Units.bytes(Values.UNKNOWN));
        assertEquals("+12.0 MiB/s", Units.rate(12.0 * 1024 * 1024));
        assertEquals("-512 B/s", Units.rate(-512));
        assertEquals("85.2%", Units.percent(0.8523));
        assertEquals("100.0%", Units.percent(0.99999));
        assertEquals("n/a", Units.percent(Double.NaN));
        assertEquals("0.4s", Units.duration(0.44));
        assertEquals("<0.1s", Units.duration(0.01));
        assertEquals("45s", Units.duration(45.2));
        assertEquals("3m05s", Units.duration(185));
        assertEquals("2h05m", Units.duration(2 * 3600 + 5 * 60 + 10));
        assertEquals("12.05%", Units.hundredthsPercent(1205));
        assertEquals("0.00%", Units.hundredthsPercent(0));
    }

    @Test
    void hexIsPaddedLowerCase() {
        assertEquals("0a", Units.hex(10, 2));
        assertEquals("001f", Units.hex(0x1f, 4));
        assertEquals("d800", Units.hex(0xd800, 4));
    }
}
