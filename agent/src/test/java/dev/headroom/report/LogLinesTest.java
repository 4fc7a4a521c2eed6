package dev.headroom.report;

import org.junit.jupiter.api.Test;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogLinesTest {

    @Test
    void isoTimeIsUtcWithMilliseconds() {
        SimpleDateFormat reference = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT);
        reference.setTimeZone(TimeZone.getTimeZone("UTC"));
        long[] edges = {0, 999, 86_399_999L, 86_400_000L, 951_782_400_000L /* 2000-02-29 */, 4_102_444_800_000L,
                1_764_606_063_398L, 253_402_300_799_999L /* 9999-12-31T23:59:59.999 */};
        for (long t : edges) {
            assertEquals(reference.format(new Date(t)), LogLines.isoTime(t), () -> "millis " + t);
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 200_000; i++) {
            long t = random.nextLong(0, 253_402_300_800_000L);
            assertEquals(reference.format(new Date(t)), LogLines.isoTime(t), () -> "millis " + t);
        }
        assertEquals("2026-12-01T16:21:03.398Z", LogLines.isoTime(1_796_142_063_398L));
    }
}
