package dev.headroom.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class TrendTest {

    @Test
    void fitIntoACallersArrayIsTheSameFit() {
        Trend t = new Trend(64);
        double[] out = {42, 42};
        assertSame(out, t.fit(0, out));
        assertArrayEquals(new double[] {Double.NaN, 0}, out);
        for (int i = 0; i < 20; i++) {
            t.add(i * 1_000_000_000L, 1000L * i + (i % 3) * 10, 60_000_000_000L);
        }
        for (int from : new int[] {0, 10, 17, 18}) {
            assertArrayEquals(t.fit(from), t.fit(from, out));
            assertEquals(t.fit(from)[0], t.slope(from));
        }
    }
}
