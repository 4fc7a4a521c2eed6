package dev.headroom.agent;

import dev.headroom.runtime.Config;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.ReliefLog;
import dev.headroom.runtime.Sampler;
import dev.headroom.sink.log.Diagnostics;
import dev.headroom.sink.log.JvmDetails;
import dev.headroom.sink.log.Reporter;
import dev.headroom.sink.log.StartupCheck;
import dev.headroom.sink.log.TerminationMessage;
import dev.headroom.sink.relief.ReliefSupport;

import dev.headroom.analysis.Assessment;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.io.FileSource;
import dev.headroom.report.LogLines;

import java.lang.instrument.Instrumentation;

/**
 * The agent, set up on the {@value Sampler#THREAD_NAME} thread that {@link Launcher} starts from
 * premain or agentmain, after its start delay; that thread then becomes the sampler. Nothing is thrown into the
 * application. Attaching a second time is reported and changes nothing.
 */
public final class HeadroomAgent {

    /** Set while the agent runs, so a second attach (and the attach command) can tell. */
    public static final String ACTIVE_PROPERTY = "headroom.agent.active";

    private static volatile Sampler sampler;

    private HeadroomAgent() {
    }

    /** The agent thread's body, after the start delay: set up, then sample until the JVM exits. */
    static void run(Launcher launcher) {
        Sampler s = null;
        try {
            Thread.currentThread().setUncaughtExceptionHandler(Sampler.QUIET);
            Thread.currentThread().setContextClassLoader(HeadroomAgent.class.getClassLoader());
            s = start(launcher, launcher.args, launcher.instrumentation, launcher.attached);
        } catch (Throwable t) {
            Launcher.notStarted(t);
        } finally {
            launcher.reported();
        }
        if (s != null) {
            s.sample();
        }
    }

    /**
     * Library use without {@code -javaagent}: sets up on the calling thread (nothing is
     * instrumented) and starts the sampler thread. True when a sampler runs afterwards, this one
     * or an agent's; an agent still in its start delay counts, so its configuration wins.
     */
    public static boolean startWithoutAgent(String args) {
        if (Launcher.launched()) {
            return true;
        }
        try {
            Sampler s = start(null, args, null, false);
            if (s != null) {
                s.start();
            }
        } catch (Throwable t) {
            Launcher.notStarted(t);
        }
        return sampler != null;
    }

    /** The latest assessment of the running agent, or null (not started, or before the first tick). */
    public static Assessment latest() {
        Sampler s = sampler;
        return s == null ? null : s.latest();
    }

    /** The running sampler, or null. */
    public static Sampler sampler() {
        return sampler;
    }

    /**
     * Sets up the agent on the calling thread; the sampler to run, or null when there is none to
     * run (disabled, a JDK tool, already running, or the JVM is exiting: then only the
     * configuration's problems are reported).
     */
    static synchronized Sampler start(Launcher launcher, String args, Instrumentation instrumentation,
                                      boolean attached) {
        if (JdkTools.isTool(System.getProperty("sun.java.command"))) {
            return null;
        }
        Config config = Config.load(args);
        LogLines lines = new LogLines(config.format() == Config.Format.JSON);
        LogSink sink = LogSink.of(config.log(), config.jmxDelayMillis());
        for (String problem : config.problems()) {
            sink.write(LogSink.Severity.WARNING, lines.plain("WARNING", "config", problem));
        }
        if (launcher != null && launcher.exiting()) {
            return null;
        }
        if (sampler != null || System.getProperty(ACTIVE_PROPERTY) != null) {
            sink.write(LogSink.Severity.INFO, lines.plain("INFO", "attach",
                    "headroom is already running in this JVM; the second attach changes nothing"));
            return null;
        }
        if (!config.enabled()) {
            return null;
        }
        Sampler s = sampler(config, new ChannelFileSource(), sink, lines);
        Extensions.install(config, s, instrumentation, sink, lines, attached);
        // only a started agent counts as running for a second attach
        sampler = s;
        System.setProperty(ACTIVE_PROPERTY, version());
        return s;
    }

    /**
     * The sampler, not started, with its sinks to be built on its own thread after the start
     * delay (the application's start-up has the machine first): what the agent runs, minus the
     * extensions (JMX, Micrometer). Tests build it over a fault-injecting file source.
     */
    static Sampler sampler(Config config, FileSource files, LogSink sink, LogLines lines) {
        Sampler s = new Sampler(config, files, sink, lines);
        s.onStart(new Listeners(config, s, sink, lines));
        return s;
    }

    /** The sinks every agent has; constructed on the sampler thread just before the first tick. */
    static final class Listeners implements Runnable {
        private final Config config;
        private final Sampler sampler;
        private final LogSink sink;
        private final LogLines lines;

        Listeners(Config config, Sampler sampler, LogSink sink, LogLines lines) {
            this.config = config;
            this.sampler = sampler;
            this.sink = sink;
            this.lines = lines;
        }

        @Override
        public void run() {
            JvmDetails details = new JvmDetails();
            sampler.addListener(new Reporter(sink, lines, config.repeatMillis(), config.root(), details));
            sampler.addListener(new StartupCheck(sampler, sink, lines));
            sampler.addListener(new Diagnostics(sampler, config.onCritical(), sink, lines));
            if (config.terminationMessage() != null) {
                sampler.addListener(new TerminationMessage(config.terminationMessage(), details, sink, lines,
                        ReliefLog.PROCESS));
            }
            // after the level lines: a relief line follows the line about the state it answers
            if (!config.relief().isEmpty() || config.readinessFile() != null) {
                ReliefSupport.install(config, sampler, sink, lines, ReliefLog.PROCESS);
            }
        }
    }

    static String version() {
        String v = HeadroomAgent.class.getPackage() == null ? null : HeadroomAgent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
