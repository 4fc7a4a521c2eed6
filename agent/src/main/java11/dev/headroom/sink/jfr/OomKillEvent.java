package dev.headroom.sink.jfr;

import dev.headroom.analysis.Assessment;
import dev.headroom.sample.Metric;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** The kernel OOM-killed a process in this container's cgroup (another process: this one would not live to record it). */
@Name("dev.headroom.OomKill")
@Label("OOM Kill in Container (headroom)")
@Description("The kernel's OOM killer killed a process in this JVM's memory cgroup since the previous sample")
final class OomKillEvent extends MemoryStateEvent {

    @Label("OOM Kills")
    @Description("Processes killed since the previous sample")
    long oomKills;

    @Label("OOM Kills in Total")
    @Description("Processes killed in the cgroup since it was created")
    long totalOomKills;

    @Override
    void set(Assessment a) {
        super.set(a);
        oomKills = a.newOomKills;
        totalOomKills = a.sample.get(Metric.OOM_KILLS);
    }
}
