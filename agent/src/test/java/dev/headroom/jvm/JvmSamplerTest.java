package dev.headroom.jvm;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmSamplerTest {

    /** Sums the committed bytes of the pools whose name is accepted (committed is stable between reads). */
    private static long committed(java.util.function.Predicate<MemoryPoolMXBean> which) {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (which.test(pool)) {
                sum += pool.getUsage().getCommitted();
            }
        }
        return sum;
    }

    @Test
    void theSnapshotHasWhatThePoolsSay() {
        JvmSampler sampler = new JvmSampler(JvmFlags.read());
        JvmSnapshot j = sampler.read();
        // HotSpot: every group is there
        assertTrue(j.metaspaceUsed > 0 && j.classSpaceCommitted >= 0 && j.codeCacheUsed > 0, "non-heap pools read");
        assertTrue(j.heapUsed > 0 && j.heapCommitted >= j.heapUsed, "heap read");
        assertTrue(j.threads > 0);
        // committed sizes move only when a pool grows or shrinks: equal when read twice the same way
        for (int attempt = 0; attempt < 5; attempt++) {
            JvmSnapshot s = sampler.read();
            long heap = committed(p -> p.getType() == MemoryType.HEAP);
            long code = committed(p -> p.getType() == MemoryType.NON_HEAP && p.getName().contains("Code"));
            long klass = committed(p -> p.getName().equals("Compressed Class Space"));
            long meta = committed(p -> p.getName().equals("Metaspace"));
            JvmSnapshot again = sampler.read();
            if (s.heapCommitted == again.heapCommitted && s.codeCacheCommitted == again.codeCacheCommitted
                    && s.metaspaceCommitted == again.metaspaceCommitted) {
                assertEquals(heap, s.heapCommitted, "heap committed is the heap pools' sum");
                assertEquals(code, s.codeCacheCommitted);
                assertEquals(klass, s.classSpaceCommitted);
                // the Metaspace pool already includes the class space: adding it would count it twice
                assertEquals(meta, s.metaspaceCommitted);
                assertTrue(klass < meta, "class space is part of metaspace");
                MemoryUsage total = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                assertEquals(total.getCommitted(), again.heapCommitted);
                return;
            }
        }
        throw new AssertionError("pools kept changing between reads");
    }
}
