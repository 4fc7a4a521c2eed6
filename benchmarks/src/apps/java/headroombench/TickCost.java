package headroombench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What the agent's sampling costs as a user pays it: an idle application with the agent at its
 * default interval, the CPU time of the agent's threads (ThreadMXBean: user + system, so the
 * kernel's work for the file reads counts) against the number of ticks (the ContainerMemory
 * MXBean's Sequence), read once a second. The JIT compiles by invocation count, so a tick run
 * once a second stays interpreted far longer than in a benchmark loop: this is that cost.
 *
 * <p>At the end it measures the JDK's container-aware pair ({@code getTotalMemorySize() +
 * getFreeMemorySize()}) hot, in the same process, as the yardstick. Two more, measured all along
 * in threads of their own: what waking up once a second costs by itself (a thread that only
 * sleeps 1 s in a loop: the floor under any work done at that pace, paid in the kernel and the
 * JVM), and the same JDK pair called once a second, as an application would call it at the
 * agent's pace (CPU of the call alone, wake-up excluded, over the whole run and over the last
 * minute).
 *
 * <p>Output, key=value lines on stdout: {@code at=SECONDS cpu-ns=N ticks=N} once a second
 * (the agent threads' total CPU and the sequence), then {@code pair-hot-ns=N} (CPU per call of
 * the hot JDK pair), {@code idle-wakeup-ns=N} (CPU per wake-up of the sleeping thread),
 * {@code pair-1s-ns=N pair-1s-last-minute-ns=N} (CPU per call of the pair called once a second) and
 * {@code agent-threads=names}.
 *
 * <p>Usage: TickCost [seconds] (default 660).
 */
public final class TickCost {

    private TickCost() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 660;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // most services create the platform MBean server early (JMX exporters, metrics libraries):
        // the agent then registers its MXBean at its next tick
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.headroom:type=ContainerMemory");
        Thread idle = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                // end of the run
            }
        }, "idle-1s");
        idle.setDaemon(true);
        idle.start();
        long[] pairCalls = new long[2];
        long[] pairNanos = new long[2];
        long lastMinuteFrom = seconds - 60;
        long pairStart = System.nanoTime();
        Thread pair = new Thread(() -> {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            try {
                while (true) {
                    Thread.sleep(1000);
                    long c0 = threads.getCurrentThreadCpuTime();
                    long v = os.getTotalMemorySize() + os.getFreeMemorySize();
                    long cpu = threads.getCurrentThreadCpuTime() - c0;
                    int slot = (System.nanoTime() - pairStart) / 1_000_000_000L >= lastMinuteFrom ? 1 : 0;
                    synchronized (pairCalls) {
                        pairCalls[slot]++;
                        pairNanos[slot] += cpu + (v == 42 ? 1 : 0);
                    }
                }
            } catch (InterruptedException e) {
                // end of the run
            }
        }, "jdk-pair-1s");
        pair.setDaemon(true);
        pair.start();
        long start = System.nanoTime();
        for (long s = 1; s <= seconds; s++) {
            long wait = start + s * 1_000_000_000L - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long ticks = -1;
            if (server.isRegistered(name)) {
                // Sequence counts from 0: ticks done = sequence + 1
                ticks = (Long) server.getAttribute(name, "Sequence") + 1;
            }
            System.out.println("at=" + s + " cpu-ns=" + agentCpu(threads, null) + " ticks=" + ticks);
        }
        StringBuilder names = new StringBuilder();
        agentCpu(threads, names);
        System.out.println("agent-threads=" + names);
        System.out.println("idle-wakeup-ns=" + threads.getThreadCpuTime(idle.getId()) / Math.max(1, seconds));
        pair.interrupt();
        synchronized (pairCalls) {
            System.out.println("pair-1s-ns=" + (pairNanos[0] + pairNanos[1]) / Math.max(1, pairCalls[0] + pairCalls[1])
                    + " pair-1s-last-minute-ns=" + pairNanos[1] / Math.max(1, pairCalls[1]));
        }
        System.out.println("pair-hot-ns=" + hotPairNanos(threads));
    }

    /** CPU time of every thread whose name starts with "headroom", nanoseconds. */
    private static long agentCpu(ThreadMXBean threads, StringBuilder names) {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("headroom")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                sum += Math.max(0, cpu);
                if (names != null) {
                    names.append(names.length() == 0 ? "" : ",").append(info.getThreadName());
                }
            }
        }
        return sum;
    }

    /** The JDK pair's CPU per call once the JIT has compiled it: 3 s of warm-up, then 2 s measured. */
    private static double hotPairNanos(ThreadMXBean threads) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long sink = 0;
        for (long end = System.nanoTime() + 3_000_000_000L; System.nanoTime() < end; ) {
            sink += os.getTotalMemorySize() + os.getFreeMemorySize();
        }
        long calls = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (long end = System.nanoTime() + 2_000_000_000L; System.nanoTime() < end; calls++) {
            sink += os.getTotalMemorySize() + os.getFreeMemorySize();
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        if (sink == 42) {
            System.out.println();
        }
        return (double) cpu / calls;
    }
}
