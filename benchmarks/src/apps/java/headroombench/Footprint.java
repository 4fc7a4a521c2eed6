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
 * Usage: Footprint [idle-ms] (default 3500).
 */
public final class Footprint {

    private Footprint() {
    }

    public static void main(String[] args) throws Exception {
        long idle = args.length > 0 ? Long.parseLong(args[0]) : 3500;
        // the same management classes are loaded with and without an agent
        ManagementFactory.getMemoryMXBean();
        ManagementFactory.getClassLoadingMXBean();
        Thread.sleep(idle);
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
    }
}
