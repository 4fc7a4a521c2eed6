package dev.headroom.sink.jmx;

import dev.headroom.runtime.AssessmentListener;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.OneShot;
import dev.headroom.runtime.Relief;
import dev.headroom.runtime.ReliefListener;
import dev.headroom.analysis.Assessment;
import dev.headroom.report.LogLines;

import java.util.function.Supplier;

/**
 * Registers the MBeans from the sampler thread, once, at the first tick when either
 * <ul>
 * <li>the application (or the JVM's own management agent, {@code -Dcom.sun.management.jmxremote.*})
 *     has already created the platform MBean server: registering then changes nothing about its
 *     logging or its MBeanServerBuilder; or</li>
 * <li>{@code jmxDelay} has passed since the agent started, and creating the platform server now
 *     cannot pin the wrong implementation: when {@code java.util.logging.manager} or
 *     {@code javax.management.builder.initial} names a class the system class loader cannot load
 *     yet (WildFly/JBoss load theirs through their own module loader), creating the server now
 *     would initialize the JDK's own LogManager for good (or fail on the builder), so we keep
 *     waiting for the application to create the server itself.</li>
 * </ul>
 * After registering it forwards every assessment to the notifications. Nothing here throws: a
 * failure is one log line and JMX stays off. This class itself touches no javax.management type,
 * so being installed from premain loads none.
 */
final class LateRegistration implements AssessmentListener, ReliefListener {

    static final String[] PROPERTIES = {"java.util.logging.manager", "javax.management.builder.initial"};

    private final Supplier<Assessment> latest;
    private final long startNanos;
    private final long delayNanos;
    private final LogSink sink;
    private final LogLines lines;
    private volatile MemoryNotifications notifications;
    private boolean done;
    private String reportedWait;

    LateRegistration(Supplier<Assessment> latest, long delayMillis, LogSink sink, LogLines lines) {
        this.latest = latest;
        this.startNanos = System.nanoTime();
        this.delayNanos = Math.max(0, delayMillis) * 1_000_000L;
        this.sink = sink;
        this.lines = lines;
    }

    @Override
    public void onAssessment(Assessment a) {
        MemoryNotifications n = notifications;
        if (n != null) {
            n.onAssessment(a);
            return;
        }
        if (done) {
            return;
        }
        boolean serverExists = PlatformServer.exists();
        if (!serverExists) {
            if (System.nanoTime() - startNanos < delayNanos) {
                return;
            }
            String blocker = blocker(ClassLoader.getSystemClassLoader());
            if (blocker != null) {
                if (!blocker.equals(reportedWait)) {
                    reportedWait = blocker;
                    sink.write(LogSink.Severity.INFO, lines.plain("INFO", "jmx", "MXBean registration waits until the "
                            + "application creates the platform MBean server: " + blocker));
                }
                return;
            }
        }
        done = true;
        OneShot.start("headroom-jmx", new Register(serverExists));
    }

    /** Relief events become notifications once the MBeans are registered (before, there is no one to tell). */
    @Override
    public void onRelief(Relief relief) {
        MemoryNotifications n = notifications;
        if (n != null) {
            n.onRelief(relief);
        }
    }

    /** Registration off the sampler thread: building the platform MBean server can take seconds. */
    private final class Register implements Runnable {
        private final boolean serverExists;

        Register(boolean serverExists) {
            this.serverExists = serverExists;
        }

        @Override
        public void run() {
            try {
                notifications = PlatformServer.register(latest);
                sink.write(LogSink.Severity.INFO, lines.plain("INFO", "jmx", "registered " + ContainerMemory.OBJECT_NAME
                        + " and " + JvmMemory.OBJECT_NAME + (serverExists ? " in the application's platform MBean server"
                        : " after jmxDelay")));
            } catch (Throwable t) {
                sink.write(LogSink.Severity.WARNING, lines.plain("WARNING", "jmx", "MXBean not registered: " + t));
            }
        }
    }

    /** Why creating the platform server now could break the application, or null when it cannot. */
    static String blocker(ClassLoader loader) {
        for (String property : PROPERTIES) {
            String name = System.getProperty(property);
            if (name == null || name.trim().isEmpty()) {
                continue;
            }
            try {
                Class.forName(name.trim(), false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return property + "=" + name.trim() + " is not loadable from the system class path yet";
            }
        }
        return null;
    }
}
