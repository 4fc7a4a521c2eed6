package dev.headroom.agent;

import io.micrometer.core.instrument.Metrics;

/**
 * A child-JVM application that only uses Micrometer's global registry, as an application with the
 * OpenTelemetry agent's Micrometer bridge would: the bridge adds its registry there. Runs for the
 * given milliseconds.
 */
public final class GlobalRegistryApp {

    public static void main(String[] args) throws Exception {
        Metrics.counter("app.requests").increment();
        Thread.sleep(Long.parseLong(args[0]));
    }
}
