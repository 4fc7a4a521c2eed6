package dev.headroom.agent;

import dev.headroom.runtime.Config;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.Sampler;

import dev.headroom.report.LogLines;

import java.lang.instrument.Instrumentation;

/**
 * The optional parts wired to the sampler at start: JMX, Micrometer, Flight Recorder, the termination message,
 * and the JVM breakdown that warning lines carry. Each is set up lazily and guarded, so one
 * failing never stops the others or the sampler.
 */
final class Extensions {

    private Extensions() {
    }

    static void install(Config config, Sampler sampler, Instrumentation instrumentation, LogSink sink, LogLines lines,
                        boolean attached) {
        // no lambdas here: the first one costs tens of milliseconds of CPU (bootstrap) while the application starts
        if (config.jmx()) {
            try {
                dev.headroom.sink.jmx.JmxSupport.install(config, sampler, sink, lines, dev.headroom.runtime.ReliefLog.PROCESS);
            } catch (Throwable t) {
                failed(sink, lines, "jmx", t);
            }
        }
        if (config.micrometer()) {
            try {
                dev.headroom.sink.micrometer.MicrometerSupport.install(config, sampler, instrumentation, sink, lines, attached);
            } catch (Throwable t) {
                failed(sink, lines, "micrometer", t);
            }
        }
        if (config.jfr()) {
            try {
                dev.headroom.sink.jfr.JfrSupport.install(config, sampler, sink, lines);
            } catch (Throwable t) {
                failed(sink, lines, "jfr", t);
            }
        }
    }

    private static void failed(LogSink sink, LogLines lines, String what, Throwable t) {
        sink.write(LogSink.Severity.ERROR, lines.plain("ERROR", what, what + " not started: " + t));
    }
}
