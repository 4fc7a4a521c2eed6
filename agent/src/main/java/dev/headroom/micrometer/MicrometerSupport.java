package dev.headroom.micrometer;

import dev.headroom.agent.Config;
import dev.headroom.agent.LogSink;
import dev.headroom.agent.Sampler;
import dev.headroom.report.LogLines;

import java.lang.instrument.Instrumentation;

/** Binds the meters into the application's own Micrometer registries (issue 6). */
public final class MicrometerSupport {

    private MicrometerSupport() {
    }

    /** Called from premain/agentmain: must stay cheap (no Byte Buddy unless Micrometer is present). */
    public static void install(Config config, Sampler sampler, Instrumentation instrumentation, LogSink sink,
                               LogLines lines, boolean attached) {
    }
}
