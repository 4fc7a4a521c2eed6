package dev.headroom.examples;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The situations headroom's {@code relief} is for, one phase after another:
 * <pre>
 * java -cp headroom-examples.jar dev.headroom.examples.ReliefScenario
 *     [--heap-burst 180M]   fill the heap with this much, then drop it (young GCs empty it; it stays committed)
 *     [--churn 4x40M]       THREADSxBYTES: malloc/free churn that leaves freed memory in glibc's arenas
 *     [--grow direct|native] [--to 150M] [--rate 20M] [--chunk 1M]
 *                           then grow to a plateau (--to 0: never stop, a leak), chunk by chunk
 *                           (native chunks above 32 MiB are always mmap()ed by glibc: free() returns them)
 *     [--hold 5s]           stay at the plateau this long
 *     [--release 12s]       then free what was grown (native only) and stay this long
 * </pre>
 * Prints on stdout: {@code relief-scenario heap committed=.. used=..} after the burst,
 * {@code relief-scenario plateau total=..} at the plateau and {@code relief-scenario done} before exit 0,
 * the last two with the heap free ratios as they are then.
 */
public final class ReliefScenario {
    private static final long MIB = 1024 * 1024;
    /** Where the burst's garbage goes, so the allocation cannot be optimized away. */
    static volatile byte[] garbage;

    public static void main(String[] args) throws Exception {
        long burst = 0;
        int churnThreads = 0;
        long churnBytes = 0;
        String kind = null;
        long to = 0;
        long rate = 20 * MIB;
        long chunk = MIB;
        long hold = 0;
        long afterRelease = -1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--heap-burst": burst = Grow.size(args[++i]); break;
                case "--churn":
                    String[] p = args[++i].split("x");
                    churnThreads = Integer.parseInt(p[0]);
                    churnBytes = Grow.size(p[1]);
                    break;
                case "--grow": kind = args[++i]; break;
                case "--to": to = Grow.size(args[++i]); break;
                case "--rate": rate = Grow.size(args[++i]); break;
                case "--chunk": chunk = Grow.size(args[++i]); break;
                case "--hold": hold = Grow.millis(args[++i]); break;
                case "--release": afterRelease = Grow.millis(args[++i]); break;
                default:
                    System.err.println("relief-scenario: unknown argument " + a);
                    System.exit(2);
            }
        }
        if (burst > 0) {
            heapBurst(burst);
        }
        if (churnThreads > 0) {
            churn(churnThreads, churnBytes);
        }
        Grower grower = kind == null ? null : Grower.of(kind, MIB);
        if (grower != null) {
            long total = 0;
            long start = System.nanoTime();
            while (to == 0 || total < to) {
                long due = start + (long) (total * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                total += grower.grow(chunk);
            }
            System.out.println("relief-scenario plateau total=" + total / MIB + " MiB " + heap() + " " + flags());
        }
        Thread.sleep(hold);
        if (afterRelease >= 0 && grower instanceof NativeGrower) {
            ((NativeGrower) grower).free();
            System.out.println("relief-scenario released " + heap());
            Thread.sleep(afterRelease);
        }
        System.out.println("relief-scenario done " + heap() + " " + flags());
    }

    /**
     * Retains {@code bytes} of 64 KiB arrays (small objects, not G1's humongous ones) so the heap grows to hold them, drops them, then
     * allocates short-lived garbage until young collections have emptied the heap: what a burst
     * of requests leaves behind, a heap committed far above what is used.
     */
    static void heapBurst(long bytes) throws InterruptedException {
        List<byte[]> kept = new ArrayList<>();
        for (long n = 0; n < bytes; n += 64 * 1024) {
            byte[] b = new byte[64 * 1024];
            for (int i = 0; i < b.length; i += Grower.PAGE) {
                b[i] = 1;
            }
            kept.add(b);
        }
        System.out.println("relief-scenario burst " + heap());
        kept.clear();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < end) {
            garbage = new byte[16 * 1024];
        }
        Thread.sleep(200);
        System.out.println("relief-scenario heap " + heap());
        System.out.flush();
    }

    /**
     * Several threads each malloc {@code bytes / threads} in 64 KiB blocks (below glibc's mmap
     * threshold: they come from the thread's arena), touch them, then free all but every 32nd:
     * the survivors pin the arenas, so most of the freed memory stays resident until malloc_trim.
     */
    static void churn(int threads, long bytes) throws Exception {
        Class<?> type = Class.forName("sun.misc.Unsafe");
        Field field = type.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        final Object unsafe = field.get(null);
        final Method allocate = type.getMethod("allocateMemory", long.class);
        final Method set = type.getMethod("setMemory", long.class, long.class, byte.class);
        final Method free = type.getMethod("freeMemory", long.class);
        final long perThread = bytes / threads;
        final long block = 64 * 1024;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    long[] addresses = new long[(int) (perThread / block)];
                    for (int i = 0; i < addresses.length; i++) {
                        addresses[i] = (Long) allocate.invoke(unsafe, block);
                        set.invoke(unsafe, addresses[i], block, (byte) 1);
                    }
                    for (int i = 0; i < addresses.length; i++) {
                        if (i % 32 != 31) {
                            free.invoke(unsafe, addresses[i]);
                        }
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }, "churn-" + t);
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        System.out.println("relief-scenario churned " + bytes / MIB + " MiB in " + threads + " threads, rss="
                + rssKib() / 1024 + " MiB");
        System.out.flush();
    }

    static String heap() {
        MemoryUsage h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return "committed=" + h.getCommitted() / MIB + " used=" + h.getUsed() / MIB + " rss=" + rssKib() / 1024;
    }

    /** The heap sizing flags relief may lower, as they are now. */
    static String flags() {
        com.sun.management.HotSpotDiagnosticMXBean hotspot =
                ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return "MinHeapFreeRatio=" + hotspot.getVMOption("MinHeapFreeRatio").getValue()
                + " MaxHeapFreeRatio=" + hotspot.getVMOption("MaxHeapFreeRatio").getValue();
    }

    private static long rssKib() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            // unknown
        }
        return -1;
    }
}
