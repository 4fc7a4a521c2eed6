package dev.headroom.testing;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A host application for child-JVM tests (JDK classes only). Every line it prints starts with
 * {@code probe }; an exception that reaches any of its threads prints {@code probe UNCAUGHT}.
 * <pre>
 * Probe sleep MILLIS     prints "probe ready PID", sleeps, prints "probe done", exits 0
 * Probe thread MILLIS    waits up to MILLIS for the thread "headroom-sampler", prints its daemon flag and priority
 * Probe mbeans MILLIS    creates the platform MBean server, waits up to MILLIS for both dev.headroom:* MXBeans, describes them
 * </pre>
 */
public final class Probe {

    private Probe() {
    }

    public static void main(String[] args) throws Exception {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> System.out.println("probe UNCAUGHT in " + t.getName() + ": " + e));
        long millis = Long.parseLong(args[1]);
        switch (args[0]) {
            case "sleep":
                System.out.println("probe ready " + ProcessHandle.current().pid());
                System.out.flush();
                Thread.sleep(millis);
                System.out.println("probe done");
                break;
            case "thread":
                long deadline = System.currentTimeMillis() + millis;
                while (System.currentTimeMillis() < deadline) {
                    for (Thread t : Thread.getAllStackTraces().keySet()) {
                        if (t.getName().equals("headroom-sampler")) {
                            System.out.println("probe thread " + t.getName() + " daemon=" + t.isDaemon()
                                    + " priority=" + t.getPriority() + " group=" + (t.getThreadGroup() == null ? null
                                    : t.getThreadGroup().getName()));
                            return;
                        }
                    }
                    Thread.sleep(10);
                }
                System.out.println("probe thread none");
                break;
            case "mbeans":
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                long until = System.currentTimeMillis() + millis;
                Set<ObjectName> names = Set.of();
                // both MXBeans: the agent registers them one after the other, so seeing one is not seeing both
                while (System.currentTimeMillis() < until && names.size() < 2) {
                    names = server.queryNames(new ObjectName("dev.headroom:*"), null);
                    Thread.sleep(50);
                }
                if (names.isEmpty()) {
                    System.out.println("probe mbeans none");
                }
                for (ObjectName name : names) {
                    MBeanInfo info = server.getMBeanInfo(name);
                    for (MBeanAttributeInfo a : info.getAttributes()) {
                        System.out.println("probe attribute " + name + " " + a.getName() + " writable=" + a.isWritable());
                    }
                    for (MBeanOperationInfo o : info.getOperations()) {
                        System.out.println("probe operation " + name + " " + o.getName() + " impact=" + o.getImpact());
                    }
                }
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    /** A java.util.logging handler that throws on every record: a logging setup that breaks. */
    public static final class ThrowingHandler extends Handler {
        @Override
        public void publish(LogRecord record) {
            throw new IllegalStateException("logging is broken (test)");
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
