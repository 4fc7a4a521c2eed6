package dev.headroom.sink.jfr;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Component;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Frequency;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** The level changed (the same moment headroom logs a WARNING, CRITICAL or back-to-OK line). */
@Name("dev.headroom.LevelChange")
@Label("Memory Level Change (headroom)")
@Description("headroom's memory level changed: OK, WARNING, CRITICAL or UNKNOWN, with the numbers behind it")
final class LevelChangeEvent extends MemoryStateEvent {

    @Label("Previous Level")
    @Description("The level before the change")
    String previousLevel;

    @Label("Growth Rate")
    @Description("Growth of the working set over the trend window (over the last seconds when that is faster)")
    @DataAmount
    @Frequency
    long growthRate;

    @Label("Time to Limit")
    @Description("Predicted time until the working set reaches the limit; N/A when not steadily growing")
    @Timespan(Timespan.MILLISECONDS)
    long timeToLimit;

    @Label("Top Grower")
    @Description("What grew most since the last OK state")
    String topGrower;

    @Override
    void set(Assessment a) {
        super.set(a);
        previousLevel = a.previousLevel.name();
        growthRate = perSecond(a.growthBytesPerSecond);
        timeToLimit = millis(a.secondsToLimit);
        Component top = a.topGrower();
        topGrower = top == null ? null : top.id;
    }
}
