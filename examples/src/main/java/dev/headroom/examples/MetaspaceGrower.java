package dev.headroom.examples;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Metaspace: defines distinct generated classes ({@link ClassFileWriter}), each in its own retained class loader.
 * What is reported is the growth of the committed "Metaspace" memory pool since start (committed, not used: each
 * small class loader commits a chunk of its own, and committed is what costs memory). How many classes make a chunk
 * comes from that growth per class defined so far (a fixed estimate for the first 50 classes).
 * <p>
 * The process grows by more than metaspace: symbols for the unique strings, per-loader module entries, and the
 * loaders and class mirrors on the heap add up to about as much again (measured: RSS ~2.5x the reported total).
 */
final class MetaspaceGrower implements Grower {
    private static final long INITIAL_BYTES_PER_CLASS = 4096;

    private final List<ClassLoader> retained = new ArrayList<>();
    private final MemoryPoolMXBean metaspace = pool("Metaspace");
    private final long baseline = used();
    private long bytesPerClass = INITIAL_BYTES_PER_CLASS;
    private long defined;
    private long reported;

    @Override
    public long grow(long bytes) {
        long classes = Math.max(1, bytes / bytesPerClass);
        for (long i = 0; i < classes; i++) {
            String name = "headroom/gen/G" + defined;
            Loader loader = new Loader(MetaspaceGrower.class.getClassLoader());
            loader.define(name.replace('/', '.'), ClassFileWriter.write(name, defined));
            retained.add(loader);
            defined++;
        }
        if (metaspace == null) {
            return classes * bytesPerClass;
        }
        long grown = used() - baseline;
        if (defined >= 50) {
            bytesPerClass = Math.max(256, grown / defined);
        }
        long added = Math.max(0, grown - reported);
        reported += added;
        return added;
    }

    @Override
    public void release() {
        retained.clear();
    }

    private long used() {
        return metaspace == null ? 0 : metaspace.getUsage().getCommitted();
    }

    private static MemoryPoolMXBean pool(String name) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals(name)) {
                return pool;
            }
        }
        return null;
    }

    private static final class Loader extends ClassLoader {
        Loader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String name, byte[] classFile) {
            return defineClass(name, classFile, 0, classFile.length);
        }
    }
}
