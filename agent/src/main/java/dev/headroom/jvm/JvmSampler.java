package dev.headroom.jvm;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
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
 *
 * <p>Every {@code getUsage()} makes the JDK allocate a {@link MemoryUsage}, so a read asks only
 * for what the snapshot publishes: the heap as one total ({@link MemoryMXBean#getHeapMemoryUsage()},
 * the same sum of the heap pools, in one object instead of one per pool) and the non-heap pools
 * the snapshot names. Nothing else is allocated but the snapshot; no state changes, so reads from
 * several threads are safe.
 */
public final class JvmSampler {

    private static final int METASPACE = 0;
    private static final int CLASS_SPACE = 1;
    private static final int CODE_CACHE = 2;

    private final MemoryMXBean memory;
    /** The non-heap pools the snapshot publishes, and which of the groups above each one adds to. */
    private final MemoryPoolMXBean[] pools;
    private final int[] groups;
    private final boolean[] hasGroup = new boolean[3];
    private final BufferPoolMXBean[] direct;
    private final BufferPoolMXBean[] mapped;
    private final ThreadMXBean threads;
    private final JvmFlags flags;

    public JvmSampler(JvmFlags flags) {
        this.flags = flags;
        memory = ManagementFactory.getMemoryMXBean();
        List<MemoryPoolMXBean> published = new ArrayList<>();
        List<Integer> groupOf = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            int group;
            if (pool.getType() == MemoryType.HEAP) {
                continue;
            } else if (name.equals("Metaspace")) {
                group = METASPACE;
            } else if (name.equals("Compressed Class Space")) {
                group = CLASS_SPACE;
            } else if (name.contains("Code")) {
                group = CODE_CACHE;
            } else {
                continue;
            }
            published.add(pool);
            groupOf.add(group);
            hasGroup[group] = true;
        }
        pools = published.toArray(new MemoryPoolMXBean[0]);
        groups = new int[pools.length];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = groupOf.get(i);
        }
        List<BufferPoolMXBean> directPools = new ArrayList<>();
        List<BufferPoolMXBean> mappedPools = new ArrayList<>();
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                directPools.add(pool);
            } else if (pool.getName().startsWith("mapped")) {
                mappedPools.add(pool);
            }
        }
        direct = directPools.toArray(new BufferPoolMXBean[0]);
        mapped = mappedPools.toArray(new BufferPoolMXBean[0]);
        threads = ManagementFactory.getThreadMXBean();
    }

    public JvmFlags flags() {
        return flags;
    }

    public JvmSnapshot read() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        long metaUsed = 0;
        long metaCommitted = 0;
        long classCommitted = 0;
        long codeUsed = 0;
        long codeCommitted = 0;
        for (int i = 0; i < pools.length; i++) {
            MemoryUsage u = pools[i].getUsage();
            if (u == null) {
                continue;
            }
            switch (groups[i]) {
                case METASPACE:
                    metaUsed += u.getUsed();
                    metaCommitted += u.getCommitted();
                    break;
                case CLASS_SPACE:
                    classCommitted += u.getCommitted();
                    break;
                default:
                    codeUsed += u.getUsed();
                    codeCommitted += u.getCommitted();
                    break;
            }
        }
        if (!hasGroup[METASPACE]) {
            metaUsed = -1;
            metaCommitted = -1;
        }
        if (!hasGroup[CLASS_SPACE]) {
            classCommitted = -1;
        }
        if (!hasGroup[CODE_CACHE]) {
            codeUsed = -1;
            codeCommitted = -1;
        }
        return new JvmSnapshot(Math.max(0, heap.getUsed()), Math.max(0, heap.getCommitted()), flags.maxHeap,
                metaUsed, metaCommitted, classCommitted, codeUsed, codeCommitted,
                count(direct), used(direct), capacity(direct), flags.maxDirectMemory,
                count(mapped), used(mapped), capacity(mapped), threads.getThreadCount(), flags.threadStackSize);
    }

    private static long count(BufferPoolMXBean[] pools) {
        long sum = pools.length == 0 ? -1 : 0;
        for (BufferPoolMXBean p : pools) {
            sum += p.getCount();
        }
        return sum;
    }

    private static long used(BufferPoolMXBean[] pools) {
        long sum = pools.length == 0 ? -1 : 0;
        for (BufferPoolMXBean p : pools) {
            sum += p.getMemoryUsed();
        }
        return sum;
    }

    private static long capacity(BufferPoolMXBean[] pools) {
        long sum = pools.length == 0 ? -1 : 0;
        for (BufferPoolMXBean p : pools) {
            sum += p.getTotalCapacity();
        }
        return sum;
    }
}
