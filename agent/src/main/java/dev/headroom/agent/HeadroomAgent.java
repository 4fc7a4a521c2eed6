package dev.headroom.agent;

import java.lang.instrument.Instrumentation;

/** The agent's entry points: they hand off at once and never throw into the application. */
public final class HeadroomAgent {

    private HeadroomAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        start(args, instrumentation);
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        start(args, instrumentation);
    }

    private static void start(String args, Instrumentation instrumentation) {
        try {
            // the sampler starts here once the runtime lands
        } catch (Throwable t) {
            System.err.println("[headroom] ERROR agent not started: " + t);
        }
    }
}
