package dev.headroom.sink.jfr;

import dev.headroom.analysis.Assessment;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** The binding limit changed: a resize of the container (Kubernetes in-place resize, docker update) or of a parent cgroup. */
@Name("dev.headroom.LimitChange")
@Label("Memory Limit Change (headroom)")
@Description("The memory limit that binds first changed (a resize of the container or of a parent cgroup)")
final class LimitChangeEvent extends MemoryStateEvent {

    @Label("Previous Limit")
    @Description("The binding limit before the change")
    @DataAmount
    long previousLimit;

    @Override
    void set(Assessment a) {
        super.set(a);
        previousLimit = a.previousLimitBytes;
    }
}
