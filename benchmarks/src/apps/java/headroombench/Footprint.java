package headroombench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Idles long enough for an agent to settle (several sampling ticks), then reports what the JVM
 * holds after full GCs, as key=value lines on stdout:
 * {@code heap-used=..} (bytes used after System.gc(), the median of 5 GCs), {@code threads=..},
 * {@code thread-names=..}, {@code classes=..} (loaded class count).
 * {@code rss=..} (VmRSS at the end, bytes).
 * Usage: Footprint [idle-ms] [micrometer|jmx] (default 8000; "micrometer": create a SimpleMeterRegistry first and
 * publish its meters every 250 ms while idling, as a scrape would, so an agent can find and bind it; "jmx": create
 * the platform MBean server first, as most services do through their JMX or metrics libraries).
 */
public final class Footprint {

    private Footprint() {
    }

    public static void main(String[] args) throws Exception {
        long idle = args.length > 0 ? Long.parseLong(args[0]) : 8000;
        Object registry = null;
        if (args.length > 1 && args[1].equals("micrometer")) {
            registry = Micrometer.registry();
        }
        if (args.length > 1 && args[1].equals("jmx")) {
            ManagementFactory.getPlatformMBeanServer();
        }
        // the same management classes are loaded with and without an agent
        ManagementFactory.getMemoryMXBean();
        ManagementFactory.getClassLoadingMXBean();
        for (long end = System.currentTimeMillis() + idle; System.currentTimeMillis() < end; ) {
            Thread.sleep(registry == null ? Math.max(1, end - System.currentTimeMillis()) : 250);
            if (registry != null) {
                Micrometer.meters(registry);
            }
        }
        Runtime rt = Runtime.getRuntime();
        long[] used = new long[5];
        for (int i = 0; i < used.length; i++) {
            System.gc();
            used[i] = rt.totalMemory() - rt.freeMemory();
        }
        java.util.Arrays.sort(used);
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.add(t.getName().replace(' ', '_'));
        }
        Collections.sort(names);
        System.out.println("heap-used=" + used[used.length / 2]);
        System.out.println("threads=" + names.size());
        System.out.println("thread-names=" + String.join(",", names));
        System.out.println("classes=" + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        System.out.println("rss=" + rss());
        System.out.println("registry=" + (registry == null ? "none" : registry.getClass().getSimpleName()));
        System.out.println("meters=" + (registry == null ? -1 : Micrometer.meters(registry)));
    }

    private static long rss() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** Micrometer's types only here: the plain runs have no Micrometer on the class path. */
    private static final class Micrometer {
        static Object registry() {
            return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        }

        /** Publishes the meters (as a scrape would); their number. */
        static int meters(Object registry) {
            return ((io.micrometer.core.instrument.MeterRegistry) registry).getMeters().size();
        }
    }
}
