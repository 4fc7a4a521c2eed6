package dev.headroom.analysis;

import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.Values;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

/**
 * Turns each sample into an {@link Assessment}: the level with hysteresis against the binding
 * level's utilization, PSI pressure, the growth trend and its time to the limit, and the events
 * since the previous sample (OOM kills, limit hits, a resized limit). Time comes from the
 * samples, so tests drive it with synthetic clocks. Owned by one thread.
 */
public final class Analyzer {

    /** Enough points for the window at the fastest sampling the configuration allows. */
    private static final int TREND_CAPACITY = 512;
    /** Points and time span a trend needs before it is trusted. */
    private static final int TREND_MIN_POINTS = 5;
    private static final long TREND_MIN_SPAN_NANOS = 3_000_000_000L;
    /** t statistic a slope needs to count as steady growth rather than noise. */
    private static final double TREND_MIN_T = 4;
    /** How long a prediction holds after the trend stops looking steady (one noisy sample must not end it). */
    private static final long TREND_HOLD_NANOS = 10_000_000_000L;
    /**
     * The short-term rule looks at the samples of the last few seconds only: growth so fast that
     * the limit is seconds away cannot wait for the window rule's points and span (at 200 MiB/s a
     * 256 MiB container is full about a second after the JVM starts). Its span test bounds what
     * it can predict to twice this window (see {@link #shortTermSecondsToLimit}).
     */
    private static final long SHORT_WINDOW_NANOS = 3_000_000_000L;
    private static final int SHORT_MIN_POINTS = 3;
    /** The latest growth, for the sampler's pace: over about the last second (at least the last two samples). */
    private static final long RECENT_NANOS = 1_000_000_000L;

    private final Thresholds thresholds;
    private final Trend workingSet = new Trend(TREND_CAPACITY);
    private final Trend anon = new Trend(TREND_CAPACITY);
    private final Attribution attribution = new Attribution();
    /** Where the trend fits go: reused every tick (this thread only), never published. */
    private final double[] wholeFit = new double[2];
    private final double[] recentFit = new double[2];
    private final double[] shortFit = new double[2];
    /** The rate the last short-term time to the limit came from. */
    private double shortTermRate;
    private long sequence;
    private Level utilizationLevel = Level.UNKNOWN;
    private Level level = Level.UNKNOWN;
    private boolean predicted;
    private long predictedAt;
    private String bindingDir;
    private long bindingLimit = Values.UNKNOWN;
    private long oomKills = Values.UNKNOWN;
    private long limitHits = Values.UNKNOWN;
    private long underOom = Values.UNKNOWN;

    public Analyzer(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** Assesses a sample without a JVM breakdown (the CLI, tests). */
    public Assessment assess(Sample s) {
        return assess(s, null);
    }

    /** Assesses a sample with what the JVM accounts for at the same tick (may be null). */
    public Assessment assess(Sample s, JvmSnapshot jvm) {
        Headroom h = Headroom.of(s);
        int events = 0;
        long previousLimit = bindingLimit;

        if (h.bindingDir != null && !h.bindingDir.equals(bindingDir)) {
            // another level binds now: its working set is another series
            workingSet.clear();
        }
        if (Values.known(h.bindingLimit) && Values.known(bindingLimit) && h.bindingLimit != bindingLimit) {
            events |= Assessment.LIMIT_CHANGED;
        }
        if (h.bindingDir != null) {
            bindingDir = h.bindingDir;
            bindingLimit = h.bindingLimit;
        }

        if (Values.known(h.bindingWorkingSet)) {
            workingSet.add(s.nanoTime, h.bindingWorkingSet, thresholds.windowNanos);
        }
        long anonBytes = s.get(Metric.ANON);
        if (Values.known(anonBytes)) {
            anon.add(s.nanoTime, anonBytes, thresholds.windowNanos);
        }
        // one regression over the whole window serves the growth rate and the trend test
        double[] whole = workingSet.fit(0, wholeFit);
        double growth = whole[0];
        double anonGrowth = anon.slope(0);
        double secondsToLimit = secondsToLimit(h, whole);
        double shortTerm = shortTermSecondsToLimit(h);
        if (!Double.isNaN(shortTerm) && !(secondsToLimit <= shortTerm)) {
            // fast growth the window rule cannot judge yet, or faster than its slope says; the
            // growth published is the rate that time comes from, so "growth" and "limit in" agree
            secondsToLimit = shortTerm;
            growth = shortTermRate;
        }
        boolean wasPredicted = predicted;
        long horizonSeconds = thresholds.horizonNanos / 1_000_000_000L;
        if (!Double.isNaN(secondsToLimit) && secondsToLimit < (predicted ? 1.5 * horizonSeconds : horizonSeconds)) {
            predicted = true;
            predictedAt = s.nanoTime;
        } else if (predicted) {
            // a prediction ends when the growth clearly stopped, not on the first unsteady sample
            predicted = Double.isNaN(secondsToLimit) && s.nanoTime - predictedAt < TREND_HOLD_NANOS;
        }
        if (predicted && !wasPredicted) {
            events |= Assessment.TREND_STARTED;
        }

        utilizationLevel = utilizationLevel(h.utilization(), utilizationLevel);
        Level pressureLevel = pressureLevel(s);
        Level next = Level.max(pressureLevel, predicted ? Level.WARNING : Level.OK);
        Cause cause = null;
        if (utilizationLevel == Level.UNKNOWN) {
            next = next == Level.OK ? Level.UNKNOWN : next;
        } else {
            next = Level.max(next, utilizationLevel);
        }
        if (next == Level.WARNING || next == Level.CRITICAL) {
            cause = utilizationLevel == next ? Cause.UTILIZATION : pressureLevel == next ? Cause.PRESSURE : Cause.TREND;
        }
        Level previous = level;
        // the first assessment has no previous level: announce it when it is already a warning
        if (next != previous && (sequence > 0 || next.atLeast(Level.WARNING))) {
            events |= Assessment.LEVEL_CHANGED;
        }
        level = next;

        long kills = s.get(Metric.OOM_KILLS);
        long newKills = delta(oomKills, kills);
        oomKills = kills;
        if (newKills > 0) {
            events |= Assessment.OOM_KILL;
        }
        long hits = s.get(Metric.LIMIT_HITS);
        long newHits = delta(limitHits, hits);
        limitHits = hits;
        if (newHits > 0) {
            events |= Assessment.LIMIT_HIT;
        }
        long under = s.get(Metric.UNDER_OOM);
        if (under == 1 && underOom != 1) {
            events |= Assessment.UNDER_OOM;
        }
        underOom = under;

        Growth grown = attribution.update(s, jvm, level, thresholds.windowNanos);
        double recentGrowth = workingSet.rateSince(RECENT_NANOS);
        return new Assessment(sequence++, s, h, level, previous, cause, growth, anonGrowth, recentGrowth, secondsToLimit,
                predicted, Math.max(0, newKills), Math.max(0, newHits), previousLimit, events, jvm, grown);
    }

    /**
     * Headroom / current growth, only while growth is steady over both the whole window and its
     * recent half (a start-up ramp that has levelled off does not count). The recent half's
     * slope is the current growth: a decelerating ramp predicts later, an accelerating leak
     * sooner. And only once the growth has lasted half as long as the time it predicts is left
     * (or half the window): a few seconds of start-up growth never predict a limit a minute away.
     */
    private double secondsToLimit(Headroom h, double[] whole) {
        if (!Values.known(h.headroomBytes) || workingSet.size() < TREND_MIN_POINTS
                || workingSet.spanNanos() < TREND_MIN_SPAN_NANOS) {
            return Double.NaN;
        }
        double[] recent = workingSet.fit(workingSet.size() / 2, recentFit);
        if (!(whole[0] > 0 && whole[1] >= TREND_MIN_T && recent[0] > 0 && recent[1] >= TREND_MIN_T)) {
            return Double.NaN;
        }
        double seconds = h.headroomBytes / recent[0];
        double span = workingSet.spanNanos() / 1e9;
        return span >= Math.min(seconds / 2, thresholds.windowNanos / 2e9) ? seconds : Double.NaN;
    }

    /**
     * Headroom / growth for fast growth, from the samples of the last {@link #SHORT_WINDOW_NANOS}
     * alone: at least three of them on a steady slope (t >= TREND_MIN_T), and growing for at least
     * half as long as the time it predicts is left (the window rule's own test: the working set has
     * already risen by about half the remaining headroom within these few seconds). The growth that
     * counts is the slowest of the fitted slope and the growth over each half of the span: a
     * start-up ramp that is levelling off is judged at its current, slower pace, and one step up
     * (a cache loaded at once) has a flat half, so neither predicts the limit; a ramp that keeps
     * its pace until it is half-way to the limit looks exactly like a leak. NaN when the rule does
     * not apply.
     */
    private double shortTermSecondsToLimit(Headroom h) {
        if (!Values.known(h.headroomBytes)) {
            return Double.NaN;
        }
        int from = workingSet.indexWithin(SHORT_WINDOW_NANOS);
        int last = workingSet.size() - 1;
        if (last - from + 1 < SHORT_MIN_POINTS) {
            return Double.NaN;
        }
        double[] fit = workingSet.fit(from, shortFit);
        if (!(fit[0] > 0 && fit[1] >= TREND_MIN_T)) {
            return Double.NaN;
        }
        long span = workingSet.spanNanos(from);
        int mid = Math.max(from + 1, Math.min(workingSet.indexWithin(span / 2), last - 1));
        double rate = Math.min(fit[0], Math.min(workingSet.rateBetween(from, mid), workingSet.rateBetween(mid, last)));
        if (!(rate > 0)) {
            return Double.NaN;
        }
        double seconds = Math.max(0, h.headroomBytes) / rate;
        shortTermRate = rate;
        return span / 1e9 >= seconds / 2 ? seconds : Double.NaN;
    }

    private Level utilizationLevel(double u, Level previous) {
        if (Double.isNaN(u)) {
            return Level.UNKNOWN;
        }
        double down = thresholds.hysteresis;
        if (u >= thresholds.critical || (previous == Level.CRITICAL && u >= thresholds.critical - down)) {
            return Level.CRITICAL;
        }
        if (u >= thresholds.warn || (previous.atLeast(Level.WARNING) && u >= thresholds.warn - down)) {
            return Level.WARNING;
        }
        return Level.OK;
    }

    /**
     * Only the cgroup's own PSI (v2 memory.pressure) raises the level. On v1 the only PSI is the
     * host's (/proc/pressure/memory): reported, but a busy neighbour is no reason to warn here.
     */
    private Level pressureLevel(Sample s) {
        if (s.version() != 2) {
            return Level.OK;
        }
        long full = s.get(Metric.PSI_FULL_AVG10);
        long some = s.get(Metric.PSI_SOME_AVG10);
        if (Values.known(full) && full >= thresholds.pressureFull && thresholds.pressureFull > 0) {
            return Level.CRITICAL;
        }
        if (Values.known(some) && some >= thresholds.pressureSome && thresholds.pressureSome > 0) {
            return Level.WARNING;
        }
        return Level.OK;
    }

    /** New events of a kernel counter; a counter that went backwards (cgroup recreated) starts over. */
    private static long delta(long before, long now) {
        if (!Values.known(before) || !Values.known(now) || now < before) {
            return 0;
        }
        return now - before;
    }
}
