package dev.headroom.sink.relief;

import dev.headroom.report.LogLines;
import dev.headroom.runtime.Config;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.ReliefLog;
import dev.headroom.runtime.Sampler;

import java.util.ArrayList;
import java.util.List;

/** Wires relief to the sampler when {@code relief} or {@code readinessFile} is set; nothing otherwise. */
public final class ReliefSupport {

    private ReliefSupport() {
    }

    public static void install(Config config, Sampler sampler, LogSink sink, LogLines lines, ReliefLog log) {
        ReliefReport report = new ReliefReport(sink, lines, log);
        List<Action> actions = new ArrayList<>();
        // heap first: a full GC also frees native memory the JVM held for dead objects, which a trim then returns
        if (config.relief().contains("heap")) {
            actions.add(new HeapRelief(config.warn()));
        }
        if (config.relief().contains("native")) {
            actions.add(new NativeRelief());
        }
        if (!actions.isEmpty()) {
            sampler.addListener(new ReliefActions(actions, config.repeatMillis(), report));
        }
        if (config.readinessFile() != null) {
            sampler.addListener(new ReadinessFile(config.readinessFile(), report, sink, lines));
        }
    }
}
