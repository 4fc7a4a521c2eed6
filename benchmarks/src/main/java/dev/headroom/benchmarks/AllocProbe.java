package dev.headroom.benchmarks;

import dev.headroom.analysis.Analyzer;
import dev.headroom.analysis.Headroom;
import dev.headroom.analysis.Thresholds;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.jvm.JvmFlags;
import dev.headroom.jvm.JvmSampler;
import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.sample.Sample;
import dev.headroom.runtime.SampleReader;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Exact bytes allocated per call of each step of a tick (ThreadMXBean.getThreadAllocatedBytes
 * over many calls after warm-up), to attribute the tick's allocation: what -prof gc reports as
 * gc.alloc.rate.norm for the whole, split by step. Run: java -cp benchmarks.jar dev.headroom.benchmarks.AllocProbe
 */
public final class AllocProbe {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static long sink;

    private AllocProbe() {
    }

    public static void main(String[] args) {
        String root = args.length > 0 ? args[0] : "/";
        SampleReader reader = new SampleReader(new ChannelFileSource(), root);
        Analyzer analyzer = new Analyzer(Thresholds.defaults());
        JvmSampler jvm = new JvmSampler(JvmFlags.read());
        long[] clock = {System.nanoTime()};
        Sample fixed = reader.read();
        Sample[] last = {fixed};

        report("SampleReader.read", () -> {
            clock[0] += 1_000_000_000L;
            last[0] = reader.read(clock[0], clock[0] / 1_000_000);
            return last[0].nanoTime;
        });
        report("Headroom.of", () -> Headroom.of(fixed).limitBytes);
        report("JvmSampler.read", () -> jvm.read().heapUsed);
        report("tick = read + assess", () -> {
            clock[0] += 1_000_000_000L;
            return analyzer.assess(reader.read(clock[0], clock[0] / 1_000_000)).sequence;
        });
        report("tick with JVM breakdown", () -> {
            clock[0] += 1_000_000_000L;
            Sample s = reader.read(clock[0], clock[0] / 1_000_000);
            JvmSnapshot j = jvm.read();
            return analyzer.assess(s, j).sequence;
        });
        System.out.println("sample warnings per tick: " + last[0].warnings.size() + " " + last[0].warnings);
        System.out.println("levels: " + last[0].levels());
    }

    private static void report(String name, LongSupplier op) {
        for (int i = 0; i < 20_000; i++) {
            sink += op.getAsLong();
        }
        int n = 20_000;
        long tid = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(tid);
        for (int i = 0; i < n; i++) {
            sink += op.getAsLong();
        }
        long after = THREADS.getThreadAllocatedBytes(tid);
        System.out.printf("%-28s %8.1f B/op%n", name, (after - before) / (double) n);
    }
}
