package dev.headroom.jmx;

import dev.headroom.agent.Config;
import dev.headroom.agent.LogSink;
import dev.headroom.agent.Sampler;
import dev.headroom.report.LogLines;

/** Registers the ContainerMemory MXBean late and safely (issue 5). */
public final class JmxSupport {

    private JmxSupport() {
    }

    /** Called from premain: must only schedule, never touch the MBean server here. */
    public static void install(Config config, Sampler sampler, LogSink sink, LogLines lines) {
    }
}
