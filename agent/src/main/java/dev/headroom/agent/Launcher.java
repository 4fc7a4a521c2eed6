package dev.headroom.agent;

import dev.headroom.runtime.Sampler;

import java.lang.instrument.Instrumentation;

/**
 * The jar's Premain-Class and Agent-Class: starts the {@code headroom-sampler} daemon thread and
 * returns. It names no other class of ours in a way the verifier must load, so premain loads and
 * verifies this one class. The thread first lets the application start ({@value #START_DELAY_MILLIS}
 * ms), then sets the agent up ({@link HeadroomAgent#run}: configuration, sinks, extensions) and
 * samples. Measured: ~15 ms of class loading and verification on the start-up path when premain
 * did the set-up itself, and the set-up's CPU competes with the application's start if done at once.
 *
 * <p>With agent arguments, a shutdown hook (registered by that thread first thing) makes an exit
 * before the set-up wake the thread and wait (at most {@value #REPORT_WAIT_MILLIS} ms) until it
 * has read the configuration and reported what is wrong with it, so a process that ends at once
 * still shows the message.
 */
public final class Launcher implements Runnable {

    /** A compile-time constant: javac copies the value, so premain still loads no other class. */
    static final long START_DELAY_MILLIS = dev.headroom.runtime.Sampler.START_DELAY_MILLIS;
    static final long REPORT_WAIT_MILLIS = 500;

    private static volatile boolean launched;

    final String args;
    final Instrumentation instrumentation;
    final boolean attached;
    private boolean exiting;
    private boolean reported;

    private Launcher(String args, Instrumentation instrumentation, boolean attached) {
        this.args = args;
        this.instrumentation = instrumentation;
        this.attached = attached;
    }

    public static void premain(String args, Instrumentation instrumentation) {
        launch(args, instrumentation, false);
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        launch(args, instrumentation, true);
    }

    private static void launch(String args, Instrumentation instrumentation, boolean attached) {
        try {
            // the name is Sampler.THREAD_NAME, spelled out so that class is not loaded here
            Launcher launcher = new Launcher(args, instrumentation, attached);
            Thread thread = new Thread(launcher, "headroom-sampler");
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            thread.start();
            launched = true;
        } catch (Throwable t) {
            notStarted(t);
        }
    }

    /**
     * True once premain or agentmain started the agent thread, before it has set up: library use
     * ({@code ContainerMemoryMetrics.startSampling()}) must not start a second sampler then.
     */
    static boolean launched() {
        return launched;
    }

    static void notStarted(Throwable t) {
        try {
            System.err.println("[headroom] ERROR agent not started: " + t);
        } catch (Throwable ignored) {
            // nothing left to report with
        }
    }

    @Override
    public void run() {
        if (args != null && !args.isEmpty()) {
            // here, not in premain: registering a hook loads JDK classes the application need not wait for
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(new AwaitReport(this), "headroom-exit"));
            } catch (Throwable t) {
                // no permission, or the JVM is already exiting: the agent runs without the hook
            }
        }
        // before any other class of ours is loaded: the application's start-up has both cores
        awaitStartDelay();
        try {
            HeadroomAgent.run(this);
        } catch (Throwable t) {
            reported(); // the exit hook must not wait for a set-up that failed
            notStarted(t);
        }
    }

    /** On the agent thread: waits out the start delay, cut short when the JVM exits. */
    synchronized void awaitStartDelay() {
        try {
            awaitUntil(START_DELAY_MILLIS, false);
        } catch (InterruptedException e) {
            // set up now
        }
    }

    /** True once the JVM exits: the agent thread then only reports the configuration's problems. */
    synchronized boolean exiting() {
        return exiting;
    }

    /** The agent thread has read the configuration and reported its problems (or failed). */
    synchronized void reported() {
        reported = true;
        notifyAll();
    }

    /** From the exit hook: wakes the agent thread and waits until it has reported. */
    synchronized void awaitReportAtExit(long millis) throws InterruptedException {
        exiting = true;
        notifyAll();
        awaitUntil(millis, true);
    }

    private void awaitUntil(long millis, boolean report) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        for (long left = millis; !(report ? reported : exiting) && left > 0;
             left = (end - System.nanoTime()) / 1_000_000L) {
            wait(left);
        }
    }

    /** The shutdown hook: lets a configuration problem be reported even when the JVM exits at once. */
    private static final class AwaitReport implements Runnable {
        private final Launcher launcher;

        AwaitReport(Launcher launcher) {
            this.launcher = launcher;
        }

        @Override
        public void run() {
            try {
                launcher.awaitReportAtExit(REPORT_WAIT_MILLIS);
            } catch (Throwable ignored) {
                // exiting anyway
            }
        }
    }
}
