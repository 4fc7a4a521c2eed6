package dev.headroom.sample;

import dev.headroom.cgroup.TestLocations;
import dev.headroom.parse.Values;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SampleTest {

    private static final CgroupLocation THREE_LEVELS = TestLocations.v1(
            "/sys/fs/cgroup/memory/a/b/leaf", "/sys/fs/cgroup/memory/a/b", "/sys/fs/cgroup/memory/a");

    /** Every metric a distinct value, levels with their own numbers (the leaf as the readers set it). */
    private static Sample.Builder fill(Sample.Builder b, long base) {
        b.start(THREE_LEVELS, base, base / 1000);
        for (Metric m : Metric.ALL) {
            b.set(m, base + m.ordinal());
        }
        b.level(0, 1000, b.get(Metric.USAGE), b.get(Metric.INACTIVE_FILE));
        b.level(1, 2000, base + 201, base + 202);
        b.level(2, Values.UNLIMITED, base + 301, base + 302);
        return b;
    }

    @Test
    void everyMetricAndLevelReadsBackWhatWasSet() {
        Sample s = fill(new Sample.Builder(), 10_000).build();
        for (Metric m : Metric.ALL) {
            assertEquals(10_000 + m.ordinal(), s.get(m), m.name());
        }
        assertEquals(3, s.levels());
        assertEquals(1000, s.levelLimit(0));
        assertEquals(s.get(Metric.USAGE), s.levelUsage(0));
        assertEquals(Sample.workingSet(s.get(Metric.USAGE), s.get(Metric.INACTIVE_FILE)), s.levelWorkingSet(0));
        assertEquals(2000, s.levelLimit(1));
        assertEquals(10_201, s.levelUsage(1));
        assertEquals(Sample.workingSet(10_201, 10_202), s.levelWorkingSet(1));
        assertEquals(Values.UNLIMITED, s.levelLimit(2));
        assertEquals(10_301, s.levelUsage(2));
        assertEquals("/sys/fs/cgroup/memory/a", s.levelDir(2));
        assertThrows(IndexOutOfBoundsException.class, () -> s.levelUsage(3));
        assertThrows(IndexOutOfBoundsException.class, () -> s.levelLimit(-1));
    }

    @Test
    void aLeafLevelThatIsNotTheLeafMetricsIsKeptAsSet() {
        Sample.Builder b = fill(new Sample.Builder(), 10_000);
        b.level(0, 1000, 5, 7);
        Sample s = b.build();
        assertEquals(5, s.levelUsage(0));
        assertEquals(0, s.levelWorkingSet(0));
        assertEquals(10_000 + Metric.USAGE.ordinal(), s.get(Metric.USAGE));
        assertEquals(10_201, s.levelUsage(1));
        assertEquals(Sample.workingSet(10_301, 10_302), s.levelWorkingSet(2));
    }

    @Test
    void settledAndChangingTogetherAreEveryMetricOnce() {
        Set<Metric> seen = new HashSet<>(Arrays.asList(Sample.SETTLED));
        for (Metric m : Sample.CHANGING) {
            assertEquals(true, seen.add(m), m.name());
        }
        assertEquals(Metric.ALL.length, seen.size());
    }

    @Test
    void samplesShareTheSettledValuesWhileTheyStayTheSame() {
        Sample.Builder b = new Sample.Builder();
        Sample first = fill(b, 10_000).build();
        // the same limits and settings, every changing value new
        fill(b, 20_000);
        for (Metric m : Sample.SETTLED) {
            b.set(m, 10_000 + m.ordinal());
        }
        Sample second = b.build();
        assertSame(first.settled(), second.settled());
        assertEquals(20_000 + Metric.USAGE.ordinal(), second.get(Metric.USAGE));
        assertEquals(10_000 + Metric.MEM_TOTAL.ordinal(), second.get(Metric.MEM_TOTAL));

        // a resized limit is a new array, and the earlier sample still reads what it read
        fill(b, 20_000);
        for (Metric m : Sample.SETTLED) {
            b.set(m, 10_000 + m.ordinal());
        }
        b.level(1, 3000, 20_201, 20_202);
        Sample third = b.build();
        assertNotSame(second.settled(), third.settled());
        assertEquals(3000, third.levelLimit(1));
        assertEquals(2000, second.levelLimit(1));
        assertEquals(2000, first.levelLimit(1));

        b.start(THREE_LEVELS, 4, 4).set(Metric.OOM_KILLS, 1);
        Sample fourth = b.build();
        assertEquals(1, fourth.get(Metric.OOM_KILLS));
        assertEquals(10_000 + Metric.OOM_KILLS.ordinal(), first.get(Metric.OOM_KILLS));
        assertEquals(Values.UNKNOWN, fourth.levelLimit(1));
    }
}
