package dev.headroom.jvm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** One line about the threads: how many, in which states, and the largest groups by name. */
public final class ThreadSummary {

    private ThreadSummary() {
    }

    public static String describe() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ThreadInfo[] infos = mx.getThreadInfo(mx.getAllThreadIds(), 0);
        Map<String, Integer> states = new TreeMap<>();
        Map<String, Integer> groups = new HashMap<>();
        int live = 0;
        for (ThreadInfo info : infos) {
            if (info == null) {
                continue;
            }
            live++;
            states.merge(info.getThreadState().name(), 1, Integer::sum);
            // "pool-3-thread-17" and "worker-12" group as "pool-N-thread-N" and "worker-N"
            groups.merge(info.getThreadName().replaceAll("\\d+", "N"), 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder().append(live).append(" threads (peak ").append(mx.getPeakThreadCount())
                .append(", daemon ").append(mx.getDaemonThreadCount()).append("), states ").append(states)
                .append(", largest groups: ");
        groups.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(5)
                .forEach(e -> out.append(e.getKey()).append(" x").append(e.getValue()).append(", "));
        out.setLength(out.length() - 2);
        return out.toString();
    }
}
