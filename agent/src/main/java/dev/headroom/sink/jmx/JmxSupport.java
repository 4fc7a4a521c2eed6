package dev.headroom.sink.jmx;

import dev.headroom.runtime.Config;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.ReliefLog;
import dev.headroom.runtime.Sampler;
import dev.headroom.report.LogLines;

/**
 * Registers the ContainerMemory and JvmMemory MXBeans late and safely (ARCHITECTURE.md, "Threads"):
 * the agent thread only adds a listener to the sampler; the sampler thread registers when the time has come (see
 * {@link LateRegistration}). No thread of our own, no javax.management class loaded here.
 */
public final class JmxSupport {

    private JmxSupport() {
    }

    /** Called on the agent thread at start: must only schedule, never touch the MBean server here. */
    public static void install(Config config, Sampler sampler, LogSink sink, LogLines lines, ReliefLog relief) {
        if (!config.jmx()) {
            return;
        }
        LateRegistration registration = new LateRegistration(sampler, config.jmxDelayMillis(), sink, lines);
        sampler.addListener(registration);
        relief.addListener(registration);
    }
}
