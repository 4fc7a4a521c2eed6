package dev.headroom.analysis;

import dev.headroom.sample.CgroupLocation;
import dev.headroom.cgroup.TestLocations;
import dev.headroom.parse.Values;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analysis on synthetic series driven by a synthetic clock: levels and hysteresis, the
 * trend and its false-positive guard, events, PSI, unknown values and the headroom arithmetic.
 */
public class AnalyzerTest {

    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long HOST = 16 * GIB;
    static final long LIMIT = 256 * MIB;
    static final String PARENT = "/sys/fs/cgroup/memory/kubepods/pod1";
    static final String LEAF = PARENT + "/ctr";
    static final CgroupLocation ONE_LEVEL = TestLocations.v1(LEAF);
    /** PSI raises the level only from the cgroup's own memory.pressure: cgroup v2. */
    static final CgroupLocation ONE_LEVEL_V2 = TestLocations.v2(LEAF);
    static final CgroupLocation TWO_LEVELS = TestLocations.v1(LEAF, PARENT);

    /** A synthetic clock and an analyzer: each call builds one sample at the current time (also for sinks' tests). */
    public static final class Series {
        final Analyzer analyzer;
        final CgroupLocation location;
        long limit = LIMIT;
        long nanos = 123_000_000_000L;
        long wall = 1_700_000_000_000L;
        final List<Assessment> all = new ArrayList<>();

        Series(Thresholds thresholds, CgroupLocation location) {
            this.analyzer = new Analyzer(thresholds);
            this.location = location;
        }

        public Series() {
            this(Thresholds.defaults(), ONE_LEVEL);
        }

        public void advanceMillis(long millis) {
            nanos += millis * 1_000_000L;
            wall += millis;
        }

        /** One sample of a single-level cgroup with this usage (no inactive file: working set = usage). */
        public Assessment usage(long usage) {
            return usage(usage, b -> { });
        }

        public Assessment usage(long usage, Consumer<Sample.Builder> more) {
            Sample.Builder b = new Sample.Builder().start(location, nanos, wall)
                    .set(Metric.USAGE, usage).set(Metric.INACTIVE_FILE, Values.known(usage) ? 0 : Values.UNKNOWN)
                    .set(Metric.MEM_TOTAL, HOST)
                    .level(0, limit, usage, Values.known(usage) ? 0 : Values.UNKNOWN);
            more.accept(b);
            Assessment a = analyzer.assess(b.build());
            all.add(a);
            return a;
        }

        /** The same at utilization u of the limit. */
        public Assessment utilization(double u) {
            return usage((long) Math.ceil(u * limit));
        }

        public Assessment utilization(double u, Consumer<Sample.Builder> more) {
            return usage((long) Math.ceil(u * limit), more);
        }
    }

    // ---- thresholds and hysteresis

    @Test
    void levelsAtTheDefaultThresholds() {
        Series s = new Series();
        Assessment first = s.utilization(0.50);
        assertEquals(Level.OK, first.level);
        assertNull(first.cause);
        assertEquals(0.50, first.utilization, 1e-9);
        assertEquals(LIMIT / 2, first.headroom.headroomBytes);
        assertEquals(LEAF, first.headroom.bindingDir);
        assertFalse(first.has(Assessment.LEVEL_CHANGED), "the first sample is not a change");

        s.advanceMillis(1000);
        assertEquals(Level.OK, s.utilization(0.849).level);
        s.advanceMillis(1000);
        Assessment warning = s.utilization(0.85);
        assertEquals(Level.WARNING, warning.level);
        assertEquals(Cause.UTILIZATION, warning.cause);
        assertEquals(Level.OK, warning.previousLevel);
        assertTrue(warning.has(Assessment.LEVEL_CHANGED));
        s.advanceMillis(1000);
        assertEquals(Level.WARNING, s.utilization(0.949).level);
        s.advanceMillis(1000);
        Assessment critical = s.utilization(0.95);
        assertEquals(Level.CRITICAL, critical.level);
        assertEquals(Cause.UTILIZATION, critical.cause);
        assertEquals(Level.WARNING, critical.previousLevel);
        assertTrue(critical.has(Assessment.LEVEL_CHANGED));
        s.advanceMillis(1000);
        Assessment same = s.utilization(0.97);
        assertEquals(Level.CRITICAL, same.level);
        assertFalse(same.has(Assessment.LEVEL_CHANGED), "staying CRITICAL is no change");
    }

    @Test
    void straightToCriticalFromOk() {
        Series s = new Series();
        s.utilization(0.30);
        s.advanceMillis(1000);
        Assessment a = s.utilization(0.99);
        assertEquals(Level.CRITICAL, a.level);
        assertEquals(Level.OK, a.previousLevel);
        assertTrue(a.has(Assessment.LEVEL_CHANGED));
    }

    @Test
    void customThresholdsAreUsed() {
        Series s = new Series(new Thresholds(0.5, 0.7, 0.1, 60_000, 30_000, 10, 5), ONE_LEVEL);
        assertEquals(Level.OK, s.utilization(0.49).level);
        s.advanceMillis(1000);
        assertEquals(Level.WARNING, s.utilization(0.5).level);
        s.advanceMillis(1000);
        assertEquals(Level.CRITICAL, s.utilization(0.7).level);
        s.advanceMillis(1000);
        assertEquals(Level.CRITICAL, s.utilization(0.61).level, "critical - hysteresis 0.1 = 0.6 keeps CRITICAL");
        s.advanceMillis(1000);
        assertEquals(Level.WARNING, s.utilization(0.59).level);
        s.advanceMillis(1000);
        assertEquals(Level.WARNING, s.utilization(0.41).level);
        s.advanceMillis(1000);
        assertEquals(Level.OK, s.utilization(0.39).level);
    }

    @Test
    void oscillatingAroundWarnDoesNotFlapOnceWarning() {
        Series s = new Series();
        s.utilization(0.84);
        int changes = 0;
        for (int i = 0; i < 600; i++) {
            s.advanceMillis(1000);
            // 0.83, 0.87, 0.83, ...: around 0.85 +- 0.02
            Assessment a = s.utilization(i % 2 == 0 ? 0.87 : 0.83);
            if (a.has(Assessment.LEVEL_CHANGED)) {
                changes++;
            }
            assertEquals(Level.WARNING, a.level, "sample " + i);
        }
        assertEquals(1, changes, "exactly one change: OK -> WARNING");
    }

    @Test
    void dropsToOkOnlyBelowWarnMinusHysteresis() {
        Series s = new Series();
        s.utilization(0.90);
        for (double u : new double[] {0.84, 0.82, 0.80, 0.8001}) {
            s.advanceMillis(1000);
            assertEquals(Level.WARNING, s.utilization(u).level, "at " + u);
        }
        s.advanceMillis(1000);
        Assessment ok = s.utilization(0.799);
        assertEquals(Level.OK, ok.level);
        assertEquals(Level.WARNING, ok.previousLevel);
        assertTrue(ok.has(Assessment.LEVEL_CHANGED));
        assertNull(ok.cause);
        // and coming back needs the full threshold again
        s.advanceMillis(1000);
        assertEquals(Level.OK, s.utilization(0.84).level);
    }

    @Test
    void criticalDropsToWarningOnlyBelowCriticalMinusHysteresis() {
        Series s = new Series();
        s.utilization(0.96);
        for (double u : new double[] {0.94, 0.91, 0.90}) {
            s.advanceMillis(1000);
            assertEquals(Level.CRITICAL, s.utilization(u).level, "at " + u);
        }
        s.advanceMillis(1000);
        Assessment down = s.utilization(0.899);
        assertEquals(Level.WARNING, down.level);
        assertEquals(Level.CRITICAL, down.previousLevel);
        s.advanceMillis(1000);
        assertEquals(Level.WARNING, s.utilization(0.94).level, "back up needs 0.95 again");
    }

    // ---- trend

    @Test
    void steadyGrowthIsAnnouncedBeforeWarn() {
        Series s = new Series();
        double rate = 5 * MIB;
        long start = LIMIT / 2;
        Random noise = new Random(42);
        Assessment announced = null;
        for (int i = 0; i <= 30 && announced == null; i++) {
            long usage = start + Math.round(rate * i) + noise.nextInt(256 * 1024) - 128 * 1024;
            Assessment a = s.usage(usage, b -> b.set(Metric.ANON, usage - 20 * MIB));
            if (a.has(Assessment.TREND_STARTED)) {
                announced = a;
            } else {
                assertEquals(Level.OK, a.level, "second " + i);
                assertFalse(a.predicted, "second " + i);
            }
            s.advanceMillis(1000);
        }
        assertNotNull(announced, "a steady 5 MiB/s growth toward a 256 MiB limit was never announced");
        Assessment a = announced;
        assertTrue(a.predicted);
        assertEquals(Level.WARNING, a.level);
        assertEquals(Cause.TREND, a.cause);
        assertTrue(a.has(Assessment.LEVEL_CHANGED));
        assertTrue(a.utilization < 0.85, () -> "announced only at utilization " + a.utilization);
        assertTrue(a.secondsToLimit < 60, () -> "time to limit " + a.secondsToLimit + " within the 60s horizon");
        double expected = a.headroom.headroomBytes / rate;
        assertEquals(expected, a.secondsToLimit, expected * 0.1, "time to limit = headroom / 5 MiB/s");
        assertEquals(rate, a.growthBytesPerSecond, rate * 0.05);
        assertEquals(rate, a.anonGrowthBytesPerSecond, rate * 0.05, "anonymous memory grows as fast");
    }

    @Test
    void predictionHoldsWhileGrowingAndAnnouncesOnce() {
        Series s = new Series();
        int announcements = 0;
        Assessment last = null;
        // 5 MiB/s from 50%: the limit is reached after ~25 s; stop just below it
        for (int i = 0; i < 25; i++) {
            last = s.usage(LIMIT / 2 + 5 * MIB * i);
            if (last.has(Assessment.TREND_STARTED)) {
                announcements++;
            }
            s.advanceMillis(1000);
        }
        assertEquals(1, announcements, "TREND_STARTED once per prediction");
        assertTrue(last.predicted);
        assertEquals(Level.CRITICAL, last.level, "at " + last.utilization);
        assertEquals(Cause.UTILIZATION, last.cause);
    }

    @Test
    void predictionEndsWhenGrowthStops() {
        Series s = new Series();
        long usage = LIMIT / 2;
        for (int i = 0; i < 15; i++) {
            s.usage(usage);
            usage += 5 * MIB;
            s.advanceMillis(1000);
        }
        assertTrue(s.all.get(s.all.size() - 1).predicted, "growing: predicted");
        Random noise = new Random(7);
        Assessment a = null;
        for (int i = 0; i < 60; i++) {
            a = s.usage(usage + noise.nextInt((int) MIB) - MIB / 2);
            s.advanceMillis(1000);
        }
        assertFalse(a.predicted, "flat for a minute: no longer predicted");
        assertEquals(Level.OK, a.level, "utilization " + a.utilization);
        assertTrue(Double.isNaN(a.secondsToLimit));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void flatButNoisyIsNeverAnnounced(long seed) {
        Series s = new Series();
        Random noise = new Random(seed);
        long base = Math.round(0.70 * LIMIT);
        // ten minutes at 1 s, +-10 MiB around 70%
        for (int i = 0; i < 600; i++) {
            long usage = base + (long) ((noise.nextDouble() * 2 - 1) * 10 * MIB);
            Assessment a = s.usage(usage);
            assertEquals(Level.OK, a.level, "second " + i + ": " + a.secondsToLimit + " s to limit");
            assertFalse(a.predicted, "second " + i);
            assertFalse(a.has(Assessment.TREND_STARTED), "second " + i);
            s.advanceMillis(1000);
        }
    }

    @Test
    void flatButNoisyAtTheFastIntervalIsNeverAnnounced() {
        Series s = new Series();
        Random noise = new Random(99);
        long base = Math.round(0.75 * LIMIT);
        for (int i = 0; i < 4 * 300; i++) {
            Assessment a = s.usage(base + (long) ((noise.nextDouble() * 2 - 1) * 10 * MIB));
            assertEquals(Level.OK, a.level, "tick " + i);
            assertFalse(a.predicted, "tick " + i);
            s.advanceMillis(250);
        }
    }

    @Test
    void startUpRampThatLevelsOffIsNotAnnounced() {
        Series s = new Series();
        Random noise = new Random(3);
        // a JVM starting: 40 MiB to ~150 MiB in a few seconds (fast, then slower), then flat with noise
        for (int i = 0; i < 180; i++) {
            double ramp = 110 * MIB * (1 - Math.exp(-i / 2.0));
            long usage = 40 * MIB + Math.round(ramp) + noise.nextInt((int) (2 * MIB)) - MIB;
            Assessment a = s.usage(usage);
            assertEquals(Level.OK, a.level, "second " + i + ": " + a.secondsToLimit + " s to limit");
            assertFalse(a.predicted, "second " + i);
            s.advanceMillis(1000);
        }
    }

    @Test
    void linearStartUpRampThatStopsIsNotAnnounced() {
        Series s = new Series();
        // 16 MiB/s for 5 seconds, from nothing to 80 MiB, then flat. (A ramp fast enough to reach
        // the limit within twice its own duration looks exactly like a leak, and is announced.)
        for (int i = 0; i < 120; i++) {
            Assessment a = s.usage(Math.min(i, 5) * 16 * MIB);
            assertFalse(a.predicted, "second " + i + ": " + a.secondsToLimit + " s to limit");
            assertEquals(Level.OK, a.level, "second " + i);
            s.advanceMillis(1000);
        }
    }

    @Test
    void slowGrowthBeyondTheHorizonIsNotAnnounced() {
        Series s = new Series();
        // 0.5 MiB/s from 50%: 256 s to the limit, far beyond the 60 s horizon for the first minutes
        for (int i = 0; i < 120; i++) {
            Assessment a = s.usage(LIMIT / 2 + i * MIB / 2);
            assertFalse(a.predicted, "second " + i + ": " + a.secondsToLimit);
            assertEquals(Level.OK, a.level);
            if (i >= 40) {
                assertEquals(MIB / 2.0, a.growthBytesPerSecond, MIB * 0.01);
                double left = a.headroom.headroomBytes / (MIB / 2.0);
                assertEquals(left, a.secondsToLimit, left * 0.05, "second " + i + ": steady growth estimates the time anyway");
            }
            s.advanceMillis(1000);
        }
    }

    @Test
    void shrinkingIsNeverATrend() {
        Series s = new Series();
        for (int i = 0; i < 60; i++) {
            Assessment a = s.usage(200 * MIB - i * MIB);
            assertFalse(a.predicted);
            assertTrue(Double.isNaN(a.secondsToLimit));
            if (i >= 3) {
                assertEquals(-MIB, a.growthBytesPerSecond, MIB * 0.01);
            }
            s.advanceMillis(1000);
        }
    }

    // ---- fast growth: the short-term rule

    /** Samples usage(seconds since start) at the given times; the first assessment that announced a trend, or null. */
    static Assessment firstAnnounced(Series s, java.util.function.DoubleToLongFunction usage, double... seconds) {
        double previous = 0;
        for (double t : seconds) {
            s.advanceMillis(Math.round((t - previous) * 1000));
            previous = t;
            long u = usage.applyAsLong(t);
            if (u >= LIMIT) {
                return null; // killed
            }
            Assessment a = s.usage(u);
            if (a.has(Assessment.TREND_STARTED)) {
                return a;
            }
        }
        return null;
    }

    /** Times from 0 to {@code end} seconds in steps of {@code step}. */
    static double[] every(double step, double end) {
        double[] out = new double[(int) Math.floor(end / step + 1e-9) + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = i * step;
        }
        return out;
    }

    /** Every sample of usage(t) is OK and predicts nothing. */
    static void neverAnnounced(Series s, java.util.function.DoubleToLongFunction usage, double... seconds) {
        double previous = 0;
        for (double t : seconds) {
            s.advanceMillis(Math.round((t - previous) * 1000));
            previous = t;
            Assessment a = s.usage(usage.applyAsLong(t));
            assertFalse(a.predicted, "at " + t + " s, " + a.utilization + ": " + a.secondsToLimit + " s to limit");
            assertEquals(Level.OK, a.level, "at " + t + " s");
        }
    }

    @Test
    void fastGrowthRightAfterStartIsAnnouncedWithinHalfASecond() {
        Series s = new Series();
        // Grow direct 200M under the agent: 64 MiB at the first tick, the limit 0.96 s later. The
        // sampler takes its second sample after the fast interval, then paces to the time left.
        double rate = 200 * MIB;
        java.util.function.DoubleToLongFunction usage = t -> 64 * MIB + Math.round(rate * t);
        Assessment a = firstAnnounced(s, usage, 0, 0.25, 0.33, 0.40, 0.46, 0.52, 0.58, 0.64, 0.70, 0.76, 0.82, 0.88);
        assertNotNull(a, "200 MiB/s toward a 256 MiB limit was never announced");
        assertEquals(Level.WARNING, a.level);
        assertEquals(Cause.TREND, a.cause);
        assertTrue(a.predicted);
        assertTrue(a.has(Assessment.LEVEL_CHANGED));
        assertEquals(3, s.all.size(), "announced at the third sample, the first with a slope to test");
        assertTrue(a.utilization < 0.70, () -> "announced at utilization " + a.utilization);
        double left = a.headroom.headroomBytes / rate;
        assertEquals(left, a.secondsToLimit, left * 0.05, "time to limit = headroom / 200 MiB/s");
        assertTrue(a.secondsToLimit > 0.5, () -> "announced " + a.secondsToLimit + " s before the limit");
        assertEquals(rate, a.recentGrowthBytesPerSecond, rate * 0.01);
    }

    @Test
    void fiftyMiBPerSecondIsAnnouncedSecondsBeforeTheLimit() {
        Series s = new Series();
        double rate = 50 * MIB;
        Assessment a = firstAnnounced(s, t -> 32 * MIB + Math.round(rate * t), every(0.25, 5));
        assertNotNull(a, "50 MiB/s toward a 256 MiB limit was never announced");
        assertEquals(Cause.TREND, a.cause);
        assertTrue(a.secondsToLimit > 2.5, () -> "announced only " + a.secondsToLimit + " s before the limit");
        assertEquals(a.headroom.headroomBytes / rate, a.secondsToLimit, 0.1);
    }

    @Test
    void fastGrowthAfterALongQuietStretchIsAnnounced() {
        Series s = new Series();
        Random noise = new Random(11);
        // ten minutes flat at 40% (at the 1 s interval), then 100 MiB/s: the limit 1.5 s later
        neverAnnounced(s, t -> Math.round(0.4 * LIMIT) + noise.nextInt((int) MIB), every(1, 600));
        long base = Math.round(0.4 * LIMIT);
        double rate = 100 * MIB;
        Assessment a = firstAnnounced(s, t -> t <= 600 ? base : base + Math.round(rate * (t - 600)),
                600.25, 600.5, 600.75, 601, 601.25, 601.5);
        assertNotNull(a, "a sudden 100 MiB/s was never announced");
        assertEquals(Cause.TREND, a.cause);
        assertTrue(a.secondsToLimit >= 0.5, () -> "announced " + a.secondsToLimit + " s before the limit");
    }

    @Test
    void fastShortRampThatStopsIsNotAnnounced() {
        Series s = new Series();
        // a JVM starting fast: 100 MiB/s for half a second, from 40 to 90 MiB, then flat, sampled
        // as fast as the sampler would (its time to limit stays above twice the ramp's duration)
        neverAnnounced(s, t -> 40 * MIB + Math.round(100 * MIB * Math.min(t, 0.5)), every(0.05, 30));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.1, 0.25, 0.5})
    void startUpRampThatLevelsOffSampledFastIsNotAnnounced(double step) {
        Series s = new Series();
        Random noise = new Random(3);
        // the ramp of startUpRampThatLevelsOffIsNotAnnounced (55 MiB/s at first), sampled faster
        neverAnnounced(s, t -> 40 * MIB + Math.round(110 * MIB * (1 - Math.exp(-t / 2.0)))
                + noise.nextInt((int) (2 * MIB)) - MIB, every(step, 60));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.25})
    void linearStartUpRampSampledFastIsNotAnnounced(double step) {
        Series s = new Series();
        neverAnnounced(s, t -> Math.round(16 * MIB * Math.min(t, 5)), every(step, 60));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.25, 1})
    void oneStepUpIsNotAFastGrowth(double step) {
        Series s = new Series();
        Random noise = new Random(5);
        // a cache of 60 MiB loaded at once, one second after start, from 45% to 68%: one half of the
        // short window is flat. (Later, with a flat history of its own, the window rule judges it.)
        long base = Math.round(0.45 * LIMIT);
        neverAnnounced(s, t -> base + (t >= 1 ? 60 * MIB : 0) + noise.nextInt((int) MIB), every(step, 30));
    }

    // ---- events

    @Test
    void oomKillCounterRisingIsAnEvent() {
        Series s = new Series();
        Assessment first = s.utilization(0.5, b -> b.set(Metric.OOM_KILLS, 3));
        assertFalse(first.has(Assessment.OOM_KILL), "kills before we started are not new");
        assertEquals(0, first.newOomKills);
        s.advanceMillis(1000);
        Assessment same = s.utilization(0.5, b -> b.set(Metric.OOM_KILLS, 3));
        assertFalse(same.has(Assessment.OOM_KILL));
        s.advanceMillis(1000);
        Assessment killed = s.utilization(0.5, b -> b.set(Metric.OOM_KILLS, 5));
        assertTrue(killed.has(Assessment.OOM_KILL));
        assertEquals(2, killed.newOomKills);
        s.advanceMillis(1000);
        Assessment after = s.utilization(0.5, b -> b.set(Metric.OOM_KILLS, 5));
        assertFalse(after.has(Assessment.OOM_KILL));
        assertEquals(0, after.newOomKills);
    }

    @Test
    void counterGoingBackwardsIsNoEvent() {
        Series s = new Series();
        s.utilization(0.5, b -> b.set(Metric.OOM_KILLS, 7).set(Metric.LIMIT_HITS, 100));
        s.advanceMillis(1000);
        Assessment reset = s.utilization(0.5, b -> b.set(Metric.OOM_KILLS, 1).set(Metric.LIMIT_HITS, 2));
        assertFalse(reset.has(Assessment.OOM_KILL));
        assertFalse(reset.has(Assessment.LIMIT_HIT));
        assertEquals(0, reset.newOomKills);
        assertEquals(0, reset.newLimitHits);
        s.advanceMillis(1000);
        Assessment again = s.utilization(0.5, b -> b.set(Metric.OOM_KILLS, 2).set(Metric.LIMIT_HITS, 2));
        assertTrue(again.has(Assessment.OOM_KILL), "counts again from the new value");
        assertEquals(1, again.newOomKills);
    }

    @Test
    void unknownCounterIsNoEvent() {
        Series s = new Series();
        s.utilization(0.5, b -> b.set(Metric.OOM_KILLS, 1));
        s.advanceMillis(1000);
        Assessment unknown = s.utilization(0.5);
        assertFalse(unknown.has(Assessment.OOM_KILL));
        s.advanceMillis(1000);
        Assessment back = s.utilization(0.5, b -> b.set(Metric.OOM_KILLS, 4));
        assertFalse(back.has(Assessment.OOM_KILL), "no baseline after an unknown reading");
    }

    @Test
    void limitHits() {
        Series s = new Series();
        s.utilization(0.9, b -> b.set(Metric.LIMIT_HITS, 10));
        s.advanceMillis(1000);
        Assessment hit = s.utilization(0.99, b -> b.set(Metric.LIMIT_HITS, 25));
        assertTrue(hit.has(Assessment.LIMIT_HIT));
        assertEquals(15, hit.newLimitHits);
        assertFalse(hit.has(Assessment.OOM_KILL));
        s.advanceMillis(1000);
        Assessment quiet = s.utilization(0.99, b -> b.set(Metric.LIMIT_HITS, 25));
        assertFalse(quiet.has(Assessment.LIMIT_HIT));
        assertEquals(0, quiet.newLimitHits);
    }

    @Test
    void limitResizeIsAnEvent() {
        Series s = new Series();
        s.usage(200 * MIB);
        s.advanceMillis(1000);
        assertFalse(s.usage(200 * MIB).has(Assessment.LIMIT_CHANGED));
        s.limit = 512 * MIB;
        s.advanceMillis(1000);
        Assessment resized = s.usage(200 * MIB);
        assertTrue(resized.has(Assessment.LIMIT_CHANGED));
        assertEquals(256 * MIB, resized.previousLimitBytes);
        assertEquals(512 * MIB, resized.headroom.bindingLimit);
        assertEquals(312 * MIB, resized.headroom.headroomBytes);
        assertEquals(200.0 / 512, resized.utilization, 1e-9);
        s.advanceMillis(1000);
        assertFalse(s.usage(200 * MIB).has(Assessment.LIMIT_CHANGED), "one event per resize");
    }

    @Test
    void shrinkingTheLimitRaisesTheLevel() {
        Series s = new Series();
        s.limit = 512 * MIB;
        s.usage(200 * MIB);
        s.advanceMillis(1000);
        s.limit = 220 * MIB;
        Assessment a = s.usage(200 * MIB);
        assertTrue(a.has(Assessment.LIMIT_CHANGED));
        assertEquals(512 * MIB, a.previousLimitBytes);
        assertEquals(Level.WARNING, a.level, "200/220 = 91%");
        assertTrue(a.has(Assessment.LEVEL_CHANGED));
    }

    @Test
    void underOomOnV1() {
        Series s = new Series();
        assertFalse(s.utilization(0.99, b -> b.set(Metric.UNDER_OOM, 0)).has(Assessment.UNDER_OOM));
        s.advanceMillis(1000);
        assertTrue(s.utilization(0.99, b -> b.set(Metric.UNDER_OOM, 1)).has(Assessment.UNDER_OOM));
        s.advanceMillis(1000);
        assertFalse(s.utilization(0.99, b -> b.set(Metric.UNDER_OOM, 1)).has(Assessment.UNDER_OOM), "still under OOM: no new event");
        s.advanceMillis(1000);
        s.utilization(0.99, b -> b.set(Metric.UNDER_OOM, 0));
        s.advanceMillis(1000);
        assertTrue(s.utilization(0.99, b -> b.set(Metric.UNDER_OOM, 1)).has(Assessment.UNDER_OOM), "a second episode");
    }

    // ---- PSI

    @Test
    void pressureSomeWarns() {
        Series s = new Series(Thresholds.defaults(), ONE_LEVEL_V2);
        Assessment below = s.utilization(0.5, b -> b.set(Metric.PSI_SOME_AVG10, 999).set(Metric.PSI_FULL_AVG10, 0));
        assertEquals(Level.OK, below.level, "9.99% some is below 10%");
        s.advanceMillis(1000);
        Assessment a = s.utilization(0.5, b -> b.set(Metric.PSI_SOME_AVG10, 1000).set(Metric.PSI_FULL_AVG10, 0));
        assertEquals(Level.WARNING, a.level);
        assertEquals(Cause.PRESSURE, a.cause);
        assertTrue(a.has(Assessment.LEVEL_CHANGED));
        s.advanceMillis(1000);
        Assessment gone = s.utilization(0.5, b -> b.set(Metric.PSI_SOME_AVG10, 200).set(Metric.PSI_FULL_AVG10, 0));
        assertEquals(Level.OK, gone.level);
    }

    @Test
    void pressureFullIsCritical() {
        Series s = new Series(Thresholds.defaults(), ONE_LEVEL_V2);
        Assessment below = s.utilization(0.5, b -> b.set(Metric.PSI_SOME_AVG10, 0).set(Metric.PSI_FULL_AVG10, 499));
        assertEquals(Level.OK, below.level);
        s.advanceMillis(1000);
        Assessment a = s.utilization(0.5, b -> b.set(Metric.PSI_SOME_AVG10, 2000).set(Metric.PSI_FULL_AVG10, 500));
        assertEquals(Level.CRITICAL, a.level);
        assertEquals(Cause.PRESSURE, a.cause);
    }

    @Test
    void utilizationAndPressureTakeTheHigherLevel() {
        Series s = new Series(Thresholds.defaults(), ONE_LEVEL_V2);
        Assessment a = s.utilization(0.96, b -> b.set(Metric.PSI_SOME_AVG10, 1500).set(Metric.PSI_FULL_AVG10, 0));
        assertEquals(Level.CRITICAL, a.level);
        assertEquals(Cause.UTILIZATION, a.cause);
    }

    @Test
    void pressureThresholdsFromConfiguration() {
        Series s = new Series(new Thresholds(0.85, 0.95, 0.05, 60_000, 30_000, 2.5, 1), ONE_LEVEL_V2);
        assertEquals(Level.WARNING, s.utilization(0.5, b -> b.set(Metric.PSI_SOME_AVG10, 250)).level);
        s.advanceMillis(1000);
        assertEquals(Level.CRITICAL, s.utilization(0.5, b -> b.set(Metric.PSI_FULL_AVG10, 100)).level);
    }

    @Test
    void hostWidePressureOnV1NeverRaisesTheLevel() {
        Series s = new Series();
        Assessment a = s.utilization(0.5, b -> b.set(Metric.PSI_SOME_AVG10, 5000).set(Metric.PSI_FULL_AVG10, 5000));
        assertEquals(Level.OK, a.level, "v1 PSI is the whole host's: a busy neighbour is no reason to warn");
    }

    @Test
    void aFirstAssessmentAlreadyAtWarningIsAnnounced() {
        Series s = new Series();
        Assessment a = s.utilization(0.9);
        assertEquals(Level.WARNING, a.level);
        assertTrue(a.has(Assessment.LEVEL_CHANGED), "nothing said so before: the first level line must come");
    }

    // ---- unknown values

    @Test
    void unknownUsageIsUnknownLevel() {
        Series s = new Series();
        Assessment a = assertDoesNotThrow(() -> s.usage(Values.UNKNOWN));
        assertEquals(Level.UNKNOWN, a.level);
        assertTrue(Double.isNaN(a.utilization));
        assertEquals(Values.UNKNOWN, a.headroom.headroomBytes);
        assertTrue(Double.isNaN(a.secondsToLimit));
        assertTrue(Double.isNaN(a.headroomRatio()));
        assertNull(a.cause);
        assertFalse(a.predicted);
        s.advanceMillis(1000);
        Assessment known = s.utilization(0.5);
        assertEquals(Level.OK, known.level);
        s.advanceMillis(1000);
        Assessment again = assertDoesNotThrow(() -> s.usage(Values.UNKNOWN));
        assertEquals(Level.UNKNOWN, again.level);
    }

    @Test
    void unknownEverythingDoesNotThrow() {
        Analyzer analyzer = new Analyzer(Thresholds.defaults());
        for (int i = 0; i < 10; i++) {
            Sample bare = new Sample.Builder().start(ONE_LEVEL, i * 1_000_000_000L, i * 1000L).build();
            Assessment a = assertDoesNotThrow(() -> analyzer.assess(bare));
            assertEquals(Level.UNKNOWN, a.level);
            assertEquals(0, a.events & ~Assessment.LEVEL_CHANGED);
            assertTrue(Double.isNaN(a.growthBytesPerSecond));
        }
    }

    // ---- headroom arithmetic

    static Sample twoLevels(long leafLimit, long leafUsage, long parentLimit, long parentUsage, long host) {
        return new Sample.Builder().start(TWO_LEVELS, 1, 1)
                .set(Metric.USAGE, leafUsage).set(Metric.INACTIVE_FILE, Values.known(leafUsage) ? 0 : Values.UNKNOWN)
                .set(Metric.MEM_TOTAL, host)
                .level(0, leafLimit, leafUsage, Values.known(leafUsage) ? 0 : Values.UNKNOWN)
                .level(1, parentLimit, parentUsage, Values.known(parentUsage) ? 0 : Values.UNKNOWN)
                .build();
    }

    @Test
    void tightestAncestorBinds() {
        // leaf may use 512 MiB and uses 100; the pod may use 256 MiB and its containers use 200
        Headroom h = Headroom.of(twoLevels(512 * MIB, 100 * MIB, 256 * MIB, 200 * MIB, HOST));
        assertEquals(56 * MIB, h.headroomBytes);
        assertEquals(PARENT, h.bindingDir);
        assertEquals(256 * MIB, h.bindingLimit);
        assertEquals(200 * MIB, h.bindingWorkingSet);
        assertEquals(256 * MIB, h.limitBytes);
        assertEquals(PARENT, h.limitDir);
        assertEquals(200.0 / 256, h.utilization(), 1e-9);
        assertTrue(h.cgroupBinds());
    }

    @Test
    void aLargerLimitCanBindWhenItsLevelIsFuller() {
        // the leaf limit (300) is the smallest, but the parent (400) has less left: 400 - 390 = 10
        Headroom h = Headroom.of(twoLevels(300 * MIB, 100 * MIB, 400 * MIB, 390 * MIB, HOST));
        assertEquals(10 * MIB, h.headroomBytes);
        assertEquals(PARENT, h.bindingDir);
        assertEquals(300 * MIB, h.limitBytes, "the tightest limit is still reported as the limit");
        assertEquals(LEAF, h.limitDir);
    }

    @Test
    void leafBindsWhenTighter() {
        Headroom h = Headroom.of(twoLevels(256 * MIB, 200 * MIB, 1024 * MIB, 300 * MIB, HOST));
        assertEquals(56 * MIB, h.headroomBytes);
        assertEquals(LEAF, h.bindingDir);
        assertEquals(256 * MIB, h.bindingLimit);
    }

    @Test
    void hostMemoryBindsWhenTighter() {
        // a 4 GiB limit on a 1 GiB host: the host runs out first
        Headroom h = Headroom.of(twoLevels(4 * GIB, 600 * MIB, Values.UNLIMITED, 700 * MIB, GIB));
        assertEquals(Headroom.HOST, h.bindingDir);
        assertEquals(GIB, h.bindingLimit);
        assertEquals(GIB - 600 * MIB, h.headroomBytes);
        assertEquals(600 * MIB, h.bindingWorkingSet);
        assertEquals(4 * GIB, h.limitBytes, "the raw limit is still reported");
        assertFalse(h.cgroupBinds());
    }

    @Test
    void unlimitedEverywhereMeansHostBinds() {
        Headroom h = Headroom.of(twoLevels(Values.UNLIMITED, 100 * MIB, Values.UNLIMITED, Values.UNKNOWN, 2 * GIB));
        assertEquals(Headroom.HOST, h.bindingDir);
        assertEquals(2 * GIB - 100 * MIB, h.headroomBytes);
        assertNull(h.limitDir);
        assertEquals(Values.UNLIMITED, h.limitBytes);
    }

    @Test
    void unknownAncestorUsageMakesHeadroomUnknown() {
        Headroom h = Headroom.of(twoLevels(512 * MIB, 100 * MIB, 256 * MIB, Values.UNKNOWN, HOST));
        assertEquals(Values.UNKNOWN, h.headroomBytes);
        assertNull(h.bindingDir);
        assertTrue(Double.isNaN(h.utilization()));
        assertEquals(256 * MIB, h.limitBytes, "the limit itself is known");

        Analyzer analyzer = new Analyzer(Thresholds.defaults());
        Assessment a = analyzer.assess(twoLevels(512 * MIB, 100 * MIB, 256 * MIB, Values.UNKNOWN, HOST));
        assertEquals(Level.UNKNOWN, a.level);
    }

    @Test
    void hierarchicalLimitOfAnInvisibleAncestorBinds() {
        Sample s = new Sample.Builder().start(ONE_LEVEL, 1, 1)
                .set(Metric.USAGE, 150 * MIB).set(Metric.INACTIVE_FILE, 10 * MIB).set(Metric.MEM_TOTAL, HOST)
                .set(Metric.HIERARCHICAL_LIMIT, 200 * MIB)
                .level(0, Values.UNLIMITED, 150 * MIB, 10 * MIB).build();
        Headroom h = Headroom.of(s);
        assertEquals(60 * MIB, h.headroomBytes, "200 - (150 - 10 inactive file)");
        assertEquals(200 * MIB, h.limitBytes);
        assertEquals(LEAF, h.bindingDir);
    }

    @Test
    void headroomNeverNegative() {
        Headroom h = Headroom.of(twoLevels(256 * MIB, 300 * MIB, Values.UNLIMITED, 300 * MIB, HOST));
        assertEquals(0, h.headroomBytes);
        assertEquals(300.0 / 256, h.utilization(), 1e-9);
    }

    @Test
    void bindingLevelChangeRestartsTheTrend() {
        Series s = new Series(Thresholds.defaults(), TWO_LEVELS);
        Assessment a = null;
        for (int i = 0; i < 10; i++) {
            final long leaf = 100 * MIB + i * MIB;
            a = s.usage(leaf, b -> b.level(1, Values.UNLIMITED, leaf, 0));
            s.advanceMillis(1000);
        }
        assertEquals(LEAF, a.headroom.bindingDir);
        assertEquals(MIB, a.growthBytesPerSecond, 1);
        // the parent gets a tight limit and its working set is another series
        Assessment switched = s.usage(110 * MIB, b -> b.level(1, 300 * MIB, 280 * MIB, 0));
        assertEquals(PARENT, switched.headroom.bindingDir);
        assertTrue(Double.isNaN(switched.growthBytesPerSecond), "a new series has no slope yet: " + switched.growthBytesPerSecond);
    }
}
