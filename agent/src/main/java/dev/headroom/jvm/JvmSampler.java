package dev.headroom.jvm;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@link JvmSnapshot} each sample through the platform MXBeans, which are plain
 * objects here: no MBean server is created and no safepoint-heavy call is made (pool usage,
 * buffer pool counters and the thread count are cheap reads).
 */
public final class JvmSampler {

    private final List<MemoryPoolMXBean> heap = new ArrayList<>();
    private final List<MemoryPoolMXBean> metaspace = new ArrayList<>();
    private final List<MemoryPoolMXBean> classSpace = new ArrayList<>();
    private final List<MemoryPoolMXBean> codeCache = new ArrayList<>();
    private final List<BufferPoolMXBean> direct = new ArrayList<>();
    private final List<BufferPoolMXBean> mapped = new ArrayList<>();
    private final ThreadMXBean threads;
    private final JvmFlags flags;

    public JvmSampler(JvmFlags flags) {
        this.flags = flags;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            if (pool.getType() == MemoryType.HEAP) {
                heap.add(pool);
            } else if (name.equals("Metaspace")) {
                metaspace.add(pool);
            } else if (name.equals("Compressed Class Space")) {
                classSpace.add(pool);
            } else if (name.contains("Code")) {
                codeCache.add(pool);
            }
        }
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct.add(pool);
            } else if (pool.getName().startsWith("mapped")) {
                mapped.add(pool);
            }
        }
        threads = ManagementFactory.getThreadMXBean();
    }

    public JvmFlags flags() {
        return flags;
    }

    public JvmSnapshot read() {
        long[] heapUsage = usage(heap);
        long[] meta = usage(metaspace);
        long[] klass = usage(classSpace);
        long[] code = usage(codeCache);
        long metaspaceCommitted = meta[1] < 0 ? -1 : meta[1] + Math.max(0, klass[1]);
        return new JvmSnapshot(Math.max(0, heapUsage[0]), Math.max(0, heapUsage[1]), flags.maxHeap, meta[0], metaspaceCommitted, klass[1],
                code[0], code[1], count(direct), used(direct), capacity(direct), flags.maxDirectMemory,
                count(mapped), used(mapped), capacity(mapped), threads.getThreadCount(), flags.threadStackSize);
    }

    private static long[] usage(List<MemoryPoolMXBean> pools) {
        if (pools.isEmpty()) {
            return new long[] {-1, -1};
        }
        long used = 0;
        long committed = 0;
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage u = pool.getUsage();
            if (u != null) {
                used += u.getUsed();
                committed += u.getCommitted();
            }
        }
        return new long[] {used, committed};
    }

    private static long count(List<BufferPoolMXBean> pools) {
        long sum = pools.isEmpty() ? -1 : 0;
        for (BufferPoolMXBean p : pools) {
            sum += p.getCount();
        }
        return sum;
    }

    private static long used(List<BufferPoolMXBean> pools) {
        long sum = pools.isEmpty() ? -1 : 0;
        for (BufferPoolMXBean p : pools) {
            sum += p.getMemoryUsed();
        }
        return sum;
    }

    private static long capacity(List<BufferPoolMXBean> pools) {
        long sum = pools.isEmpty() ? -1 : 0;
        for (BufferPoolMXBean p : pools) {
            sum += p.getTotalCapacity();
        }
        return sum;
    }
}
