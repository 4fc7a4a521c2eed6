package dev.headroom.jmx;

import dev.headroom.sink.jmx.ContainerMemory;

import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.logging.LogManager;

/**
 * The application of JmxSafetyIT's child JVMs; prints key=value lines.
 * <pre>
 * SafetyApp wait                 wait for the agent to create the platform MBean server, then report
 * SafetyApp own-loader DIR MS    like WildFly: after MS ms, initialize logging with DIR as context class
 *                                loader (its LogManager is not on the class path), then create the
 *                                platform MBean server itself and report
 * SafetyApp create MS            after MS ms, create the platform MBean server, wait MS ms, report
 * </pre>
 */
public final class SafetyApp {

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        if (mode.equals("wait")) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (MBeanServerFactory.findMBeanServer(null).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            System.out.println("server-created-by-agent=" + !MBeanServerFactory.findMBeanServer(null).isEmpty());
        } else if (mode.equals("own-loader")) {
            Thread.sleep(Long.parseLong(args[2]));
            ClassLoader app = new URLClassLoader(new URL[] {new File(args[1]).toURI().toURL()}, SafetyApp.class.getClassLoader());
            Thread.currentThread().setContextClassLoader(app);
            System.out.println("server-before-logging=" + !MBeanServerFactory.findMBeanServer(null).isEmpty());
            LogManager.getLogManager();
            ManagementFactory.getPlatformMBeanServer();
        } else if (mode.equals("create")) {
            Thread.sleep(Long.parseLong(args[1]));
            ManagementFactory.getPlatformMBeanServer();
            Thread.sleep(Long.parseLong(args[1]));
        }
        System.out.println("logmanager=" + LogManager.getLogManager().getClass().getName());
        if (System.getProperty("javax.management.builder.initial") != null) {
            Class<?> builder = Class.forName(System.getProperty("javax.management.builder.initial"));
            System.out.println("builder-built=" + builder.getField("BUILT").get(null));
        }
        ObjectName name = new ObjectName("dev.headroom:type=ContainerMemory");
        boolean registered = false;
        long deadline = System.nanoTime() + (mode.equals("create") ? 0 : 10_000_000_000L);
        do {
            registered = ManagementFactory.getPlatformMBeanServer().isRegistered(name);
            if (!registered) {
                Thread.sleep(50);
            }
        } while (!registered && System.nanoTime() < deadline);
        System.out.println("registered=" + registered);
        System.out.println("level=" + (registered ? ManagementFactory.getPlatformMBeanServer().getAttribute(name, "Level") : ""));
    }
}
