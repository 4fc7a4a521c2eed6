package dev.headroom.sink.jfr;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Component;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Frequency;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.Timespan;

/** The container's memory at the latest sample, every period while a recording runs (a periodic event: no cost otherwise). */
@Name("dev.headroom.ContainerMemory")
@Label("Container Memory (headroom)")
@Description("The working set against the container's memory limit, the level, the trend and what grew, as headroom's latest sample saw them")
@Period("1 s")
final class ContainerMemoryEvent extends MemoryStateEvent {

    @Label("Growth Rate")
    @Description("Growth of the working set over the trend window (over the last seconds when that is faster); negative when shrinking")
    @DataAmount
    @Frequency
    long growthRate;

    @Label("Time to Limit")
    @Description("Predicted time until the working set reaches the limit at the current growth; N/A when not steadily growing")
    @Timespan(Timespan.MILLISECONDS)
    long timeToLimit;

    @Label("Limit Predicted")
    @Description("True while a steady growth predicts the limit within the horizon")
    boolean predicted;

    @Label("Top Grower")
    @Description("What grew most since the last OK state: heap, metaspace, codecache, direct, mapped, threads, native, pagecache or other")
    String topGrower;

    @Label("Top Grower Growth")
    @Description("How much the top grower grew since the last OK state")
    @DataAmount
    long topGrowerGrowth;

    @Label("Native Gap")
    @Description("Anonymous memory the JVM does not account for (glibc arenas, JNI, native libraries, JVM internals)")
    @DataAmount
    long nativeGap;

    @Label("Native Gap Growth Rate")
    @Description("Growth rate of the native gap since the last OK state")
    @DataAmount
    @Frequency
    long nativeGapGrowthRate;

    @Override
    void set(Assessment a) {
        super.set(a);
        growthRate = perSecond(a.growthBytesPerSecond);
        timeToLimit = millis(a.secondsToLimit);
        predicted = a.predicted;
        Component top = a.topGrower();
        topGrower = top == null ? null : top.id;
        topGrowerGrowth = a.growth.grown(top);
        nativeGap = a.nativeGapBytes();
        nativeGapGrowthRate = perSecond(a.nativeGapBytesPerSecond());
    }
}
