package dev.headroom.jvm;

/**
 * What the JVM itself accounts for at one instant: heap, non-heap pools, buffer pools and
 * threads. Byte values; -1 where the JVM does not say (a pool this collector does not have).
 */
public final class JvmSnapshot {

    public final long heapUsed;
    public final long heapCommitted;
    public final long heapMax;
    public final long metaspaceUsed;
    /**
     * Metaspace committed, compressed class space included: HotSpot's "Metaspace" pool is the
     * total of both (NMT's Class committed = this), "Compressed Class Space" is the class part.
     */
    public final long metaspaceCommitted;
    public final long classSpaceCommitted;
    public final long codeCacheUsed;
    public final long codeCacheCommitted;
    public final long directCount;
    public final long directUsed;
    public final long directCapacity;
    public final long maxDirectMemory;
    public final long mappedCount;
    public final long mappedUsed;
    public final long mappedCapacity;
    public final int threads;
    public final long threadStackSize;

    JvmSnapshot(long heapUsed, long heapCommitted, long heapMax, long metaspaceUsed, long metaspaceCommitted,
                long classSpaceCommitted, long codeCacheUsed, long codeCacheCommitted, long directCount,
                long directUsed, long directCapacity, long maxDirectMemory, long mappedCount, long mappedUsed,
                long mappedCapacity, int threads, long threadStackSize) {
        this.heapUsed = heapUsed;
        this.heapCommitted = heapCommitted;
        this.heapMax = heapMax;
        this.metaspaceUsed = metaspaceUsed;
        this.metaspaceCommitted = metaspaceCommitted;
        this.classSpaceCommitted = classSpaceCommitted;
        this.codeCacheUsed = codeCacheUsed;
        this.codeCacheCommitted = codeCacheCommitted;
        this.directCount = directCount;
        this.directUsed = directUsed;
        this.directCapacity = directCapacity;
        this.maxDirectMemory = maxDirectMemory;
        this.mappedCount = mappedCount;
        this.mappedUsed = mappedUsed;
        this.mappedCapacity = mappedCapacity;
        this.threads = threads;
        this.threadStackSize = threadStackSize;
    }

    /** Thread count × stack size: the stack memory the threads may use (an upper bound of what is resident). */
    public long threadStackBytes() {
        return threads * threadStackSize;
    }

    /**
     * Everything the JVM accounts for that lives in anonymous memory: committed heap and
     * non-heap pools, direct buffers, thread stacks. Mapped buffers are file-backed: not here.
     */
    public long accountedAnon() {
        return heapCommitted + Math.max(0, metaspaceCommitted) + Math.max(0, codeCacheCommitted)
                + Math.max(0, directCapacity) + threadStackBytes();
    }

    /** Builds snapshots in tests and benchmarks; the sampler uses {@link JvmSampler}. */
    public static final class Builder {
        long heapUsed;
        long heapCommitted;
        long heapMax = -1;
        long metaspaceUsed = -1;
        long metaspaceCommitted = -1;
        long classSpaceCommitted = -1;
        long codeCacheUsed = -1;
        long codeCacheCommitted = -1;
        long directCount = -1;
        long directUsed = -1;
        long directCapacity = -1;
        long maxDirectMemory = -1;
        long mappedCount = -1;
        long mappedUsed = -1;
        long mappedCapacity = -1;
        int threads;
        long threadStackSize = 1024 * 1024;

        public Builder heap(long used, long committed, long max) {
            heapUsed = used;
            heapCommitted = committed;
            heapMax = max;
            return this;
        }

        public Builder metaspace(long used, long committed) {
            metaspaceUsed = used;
            metaspaceCommitted = committed;
            return this;
        }

        public Builder codeCache(long used, long committed) {
            codeCacheUsed = used;
            codeCacheCommitted = committed;
            return this;
        }

        public Builder direct(long count, long used, long capacity, long max) {
            directCount = count;
            directUsed = used;
            directCapacity = capacity;
            maxDirectMemory = max;
            return this;
        }

        public Builder mapped(long count, long used, long capacity) {
            mappedCount = count;
            mappedUsed = used;
            mappedCapacity = capacity;
            return this;
        }

        public Builder threads(int count, long stackSize) {
            threads = count;
            threadStackSize = stackSize;
            return this;
        }

        public JvmSnapshot build() {
            return new JvmSnapshot(heapUsed, heapCommitted, heapMax, metaspaceUsed, metaspaceCommitted,
                    classSpaceCommitted, codeCacheUsed, codeCacheCommitted, directCount, directUsed, directCapacity,
                    maxDirectMemory, mappedCount, mappedUsed, mappedCapacity, threads, threadStackSize);
        }
    }
}
