package dev.headroom.sink.jmx;

import dev.headroom.analysis.Assessment;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * Every touch of the platform MBean server, kept apart so that nothing of javax.management is
 * loaded until the sampler thread first asks (never from premain).
 */
final class PlatformServer {

    private static final String RUNTIME = "java.lang:type=Runtime";

    private PlatformServer() {
    }

    /**
     * True when the platform MBean server already exists, without creating it:
     * {@code ManagementFactory.getPlatformMBeanServer()} creates it through
     * {@code MBeanServerFactory.createMBeanServer()}, which lists it for {@code findMBeanServer};
     * it is the one with the platform MXBeans in it. Neither call initializes java.util.logging or
     * picks the MBeanServerBuilder.
     */
    static boolean exists() {
        try {
            ObjectName runtime = new ObjectName(RUNTIME);
            for (MBeanServer server : MBeanServerFactory.findMBeanServer(null)) {
                if (server.isRegistered(runtime)) {
                    return true;
                }
            }
            return false;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    /** Creates the platform server if need be (this initializes JUL and the builder) and registers our MBeans. */
    static MemoryNotifications register(Supplier<Assessment> latest) throws Exception {
        return HeadroomMBeans.register(ManagementFactory.getPlatformMBeanServer(), latest).notifications();
    }
}
