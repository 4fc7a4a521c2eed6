package dev.headroom.agent;

import dev.headroom.report.LogLines;

import java.lang.instrument.Instrumentation;

/**
 * The optional parts wired to the sampler at start: JMX, Micrometer, the termination message,
 * and the JVM breakdown that warning lines carry. Each is set up lazily and guarded, so one
 * failing never stops the others or the sampler.
 */
final class Extensions {

    private Extensions() {
    }

    static void install(Config config, Sampler sampler, Instrumentation instrumentation, LogSink sink, LogLines lines,
                        boolean attached) {
        if (config.jmx()) {
            guarded(sink, lines, "jmx", () -> dev.headroom.jmx.JmxSupport.install(config, sampler, sink, lines));
        }
        if (config.micrometer()) {
            guarded(sink, lines, "micrometer", () -> dev.headroom.micrometer.MicrometerSupport.install(
                    config, sampler, instrumentation, sink, lines, attached));
        }
    }

    private static void guarded(LogSink sink, LogLines lines, String what, Runnable install) {
        try {
            install.run();
        } catch (Throwable t) {
            sink.write(LogSink.Severity.ERROR, lines.plain("ERROR", what, what + " not started: " + t));
        }
    }
}
