package dev.headroom.analysis;

import dev.headroom.api.ContainerMemoryState;
import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.Values;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

/**
 * What one tick concluded: the sample, the headroom, the level and why, the trend, and what is
 * new since the previous tick. Immutable; published by the sampler through one volatile
 * reference, so every reader sees one consistent tick. Applications see it only through the public
 * read-only {@link ContainerMemoryState}.
 */
public final class Assessment implements ContainerMemoryState {

    /** Event bits: what changed since the previous tick. */
    public static final int LEVEL_CHANGED = 1;
    public static final int OOM_KILL = 1 << 1;
    public static final int LIMIT_HIT = 1 << 2;
    public static final int LIMIT_CHANGED = 1 << 3;
    public static final int UNDER_OOM = 1 << 4;
    public static final int TREND_STARTED = 1 << 5;

    public final long sequence;
    public final Sample sample;
    public final Headroom headroom;
    public final Level level;
    public final Level previousLevel;
    /** What raised the level, or null at OK (and UNKNOWN). */
    public final Cause cause;
    /** Working set / binding limit, NaN when unknown. */
    public final double utilization;
    /** Growth of the binding working set over the window, bytes per second; NaN until known. */
    public final double growthBytesPerSecond;
    /** Growth of anonymous memory (the leaf's anon) over the window, bytes per second. */
    public final double anonGrowthBytesPerSecond;
    /**
     * Growth of the binding working set over about the last second (at least the last two
     * samples), bytes per second; NaN until two samples are known. Noisy: for the sampling pace.
     */
    public final double recentGrowthBytesPerSecond;
    /** Headroom / growth while steadily growing (over the window, or fast over the last seconds); NaN otherwise. */
    public final double secondsToLimit;
    /** True while a steady growth predicts the limit within the horizon. */
    public final boolean predicted;
    public final long newOomKills;
    public final long newLimitHits;
    /** The binding limit before a change (see {@link #LIMIT_CHANGED}). */
    public final long previousLimitBytes;
    public final int events;
    /** What the JVM accounts for at this tick, or null when not measured (CLI, tests). */
    public final JvmSnapshot jvm;
    /** What grew since the last OK state, per component. */
    public final Growth growth;

    Assessment(long sequence, Sample sample, Headroom headroom, Level level, Level previousLevel, Cause cause,
               double growthBytesPerSecond, double anonGrowthBytesPerSecond, double recentGrowthBytesPerSecond,
               double secondsToLimit, boolean predicted,
               long newOomKills, long newLimitHits, long previousLimitBytes, int events, JvmSnapshot jvm,
               Growth growth) {
        this.sequence = sequence;
        this.sample = sample;
        this.headroom = headroom;
        this.level = level;
        this.previousLevel = previousLevel;
        this.cause = cause;
        this.utilization = headroom.utilization();
        this.growthBytesPerSecond = growthBytesPerSecond;
        this.anonGrowthBytesPerSecond = anonGrowthBytesPerSecond;
        this.recentGrowthBytesPerSecond = recentGrowthBytesPerSecond;
        this.secondsToLimit = secondsToLimit;
        this.predicted = predicted;
        this.newOomKills = newOomKills;
        this.newLimitHits = newLimitHits;
        this.previousLimitBytes = previousLimitBytes;
        this.events = events;
        this.jvm = jvm;
        this.growth = growth;
    }

    /** Anonymous memory the JVM does not account for (glibc arenas, JNI, native libraries, JVM internals). */
    public long nativeGapBytes() {
        return Component.nativeGap(sample, jvm);
    }

    /** Growth rate of the native gap since the last OK state, bytes per second; NaN when unknown. */
    public double nativeGapBytesPerSecond() {
        return jvm == null ? Double.NaN : growth.rate(Component.NATIVE);
    }

    /** The component that grew most since the last OK state, or null when unknown. */
    public Component topGrower() {
        return growth.top();
    }

    /** Headroom / binding limit in [0..1], NaN when unknown. */
    public double headroomRatio() {
        long limit = headroom.bindingLimit;
        return Values.known(headroom.headroomBytes) && Values.limited(limit) && limit > 0
                ? (double) headroom.headroomBytes / limit : Double.NaN;
    }

    public boolean has(int event) {
        return (events & event) != 0;
    }

    // ------------------------------------------------------- the public read-only view

    @Override
    public long getSequence() {
        return sequence;
    }

    @Override
    public long getSampleTimeMillis() {
        return sample.wallMillis;
    }

    @Override
    public String getLevel() {
        return level.name();
    }

    @Override
    public String getCause() {
        return cause == null ? "" : cause.text();
    }

    @Override
    public double getUtilization() {
        return utilization;
    }

    @Override
    public double getWorkingSetBytes() {
        return Values.number(sample.workingSet());
    }

    @Override
    public double getLimitBytes() {
        return Values.number(headroom.limitBytes);
    }

    @Override
    public double getHeadroomBytes() {
        return Values.number(headroom.headroomBytes);
    }

    @Override
    public double getGrowthBytesPerSecond() {
        return growthBytesPerSecond;
    }

    @Override
    public double getSecondsToLimit() {
        return secondsToLimit;
    }

    @Override
    public double getOomKills() {
        return Values.number(sample.get(Metric.OOM_KILLS));
    }
}
