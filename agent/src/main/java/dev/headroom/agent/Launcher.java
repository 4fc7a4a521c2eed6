package dev.headroom.agent;

import java.lang.instrument.Instrumentation;

/**
 * The jar's Premain-Class and Agent-Class: starts the {@code headroom-sampler} daemon thread and
 * returns. It names no other class of ours in a way the verifier must load, so premain loads
 * and verifies this one class; everything else (configuration, sinks, extensions) is set up by
 * {@link HeadroomAgent#run} on that thread, off the application's start-up path (measured:
 * ~15 ms of class loading and verification when premain did the set-up itself).
 *
 * <p>With agent arguments, a shutdown hook makes an exit in the first moments wait (at most
 * {@value #REPORT_WAIT_MILLIS} ms) until the agent thread has read the configuration and reported
 * what is wrong with it, so a process that ends at once still shows the message.
 */
public final class Launcher implements Runnable {

    static final long REPORT_WAIT_MILLIS = 500;

    private final String args;
    private final Instrumentation instrumentation;
    private final boolean attached;
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
            if (args != null && !args.isEmpty()) {
                Runtime.getRuntime().addShutdownHook(new Thread(new AwaitReport(launcher), "headroom-exit"));
            }
            thread.start();
        } catch (Throwable t) {
            notStarted(t);
        }
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
        try {
            HeadroomAgent.run(this, args, instrumentation, attached);
        } catch (Throwable t) {
            notStarted(t);
        }
    }

    /** The agent thread has read the configuration and reported its problems (or failed). */
    synchronized void reported() {
        reported = true;
        notifyAll();
    }

    synchronized void awaitReport(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        for (long left = millis; !reported && left > 0; left = (end - System.nanoTime()) / 1_000_000L) {
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
                launcher.awaitReport(REPORT_WAIT_MILLIS);
            } catch (Throwable ignored) {
                // exiting anyway
            }
        }
    }
}
