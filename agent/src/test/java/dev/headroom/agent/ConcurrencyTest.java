package dev.headroom.agent;

import dev.headroom.runtime.CapturingSink;
import dev.headroom.runtime.Config;
import dev.headroom.runtime.Sampler;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Headroom;
import dev.headroom.analysis.Level;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.parse.Values;
import dev.headroom.report.LogLines;
import dev.headroom.sample.Metric;
import dev.headroom.testing.FaultyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JMX-style reads (several fields of one {@code latest()}), meter-style reads (one field per
 * call, as gauges do) and the sampler at a 10 ms interval, together for 3 seconds, while another
 * thread keeps changing usage and limit under the sampler (readers pause 50 µs between reads:
 * on 2 shared cores, spinning readers would starve the low-priority sampler thread). Every assessment any reader sees must
 * be internally consistent: its headroom, utilization and level derive from its own sample.
 */
class ConcurrencyTest {

    @TempDir
    Path tmp;

    @Test
    void readersAlwaysSeeOneConsistentTick() throws Exception {
        Path root = tmp.resolve("root");
        FaultInjectionTest.copy(Path.of("src/test/resources/fixtures/v1-docker/root"), root);
        FaultyFiles files = new FaultyFiles(new ChannelFileSource());
        CapturingSink sink = new CapturingSink();
        Config config = Config.parse("root=" + root + ",interval=10ms,fastInterval=10ms", Map.of(), Map.of());
        Sampler sampler = HeadroomAgent.sampler(config, files, sink, new LogLines(false));
        List<Assessment> notified = new CopyOnWriteArrayList<>();
        sampler.addListener(notified::add);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicLong checks = new AtomicLong();
        AtomicLong meterReads = new AtomicLong();
        long end = System.nanoTime() + 3_000_000_000L;

        Thread mutator = new Thread(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            while (System.nanoTime() < end) {
                long limit = (256L + r.nextInt(512)) << 20;
                files.contents("memory.limit_in_bytes", limit + "\n");
                files.contents("memory.usage_in_bytes", (long) (limit * r.nextDouble(0.5, 1.1)) + "\n");
                if (r.nextInt(10) == 0) {
                    files.fail("memory.usage_in_bytes", FaultyFiles.Fault.MISSING);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }, "mutator");

        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            threads.add(new Thread(() -> {
                long lastSequence = -1;
                while (System.nanoTime() < end) {
                    Assessment a = sampler.latest(); // one read of the volatile reference, then its fields
                    if (a == null) {
                        continue;
                    }
                    if (a.sequence < lastSequence) {
                        problems.add("sequence went back from " + lastSequence + " to " + a.sequence);
                    }
                    lastSequence = a.sequence;
                    String why = inconsistency(a, config);
                    if (why != null) {
                        problems.add("tick " + a.sequence + ": " + why);
                    }
                    checks.incrementAndGet();
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                }
            }, "jmx-reader-" + i));
        }
        for (int i = 0; i < 2; i++) {
            threads.add(new Thread(() -> {
                while (System.nanoTime() < end) {
                    // gauges: each value is its own call to latest()
                    double[] gauges = {
                        gauge(sampler, a -> a.utilization),
                        gauge(sampler, a -> bytes(a.headroom.headroomBytes)),
                        gauge(sampler, a -> bytes(a.headroom.bindingLimit)),
                        gauge(sampler, a -> bytes(a.sample.workingSet())),
                        gauge(sampler, a -> bytes(a.sample.get(Metric.USAGE))),
                        gauge(sampler, Assessment::headroomRatio),
                    };
                    for (double g : gauges) {
                        if (!(Double.isNaN(g) || g >= 0)) {
                            problems.add("a gauge read " + g);
                        }
                    }
                    meterReads.incrementAndGet();
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                }
            }, "meter-reader-" + i));
        }
        sampler.start();
        mutator.start();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(10_000);
        }
        mutator.join(10_000);
        sampler.stop();

        assertTrue(problems.isEmpty(), () -> problems.size() + " problems, first: " + problems.peek());
        assertTrue(notified.size() >= 50, "the sampler ran at its fast interval: " + notified.size() + " ticks");
        for (int i = 1; i < notified.size(); i++) {
            assertEquals(notified.get(i - 1).sequence + 1, notified.get(i).sequence, "listeners see every tick in order");
        }
        for (Assessment a : notified) {
            String why = inconsistency(a, config);
            assertTrue(why == null, () -> "tick " + a.sequence + ": " + why);
        }
        assertTrue(checks.get() > 1000 && meterReads.get() > 1000, checks + " JMX-style checks, " + meterReads + " meter reads");
        assertEquals(0, sink.count("ERROR fault"), () -> String.join("\n", sink.lines()));
    }

    /** Null when the assessment's derived values match its own sample, else what differs. */
    static String inconsistency(Assessment a, Config config) {
        Headroom h = Headroom.of(a.sample);
        if (h.limitBytes != a.headroom.limitBytes || h.headroomBytes != a.headroom.headroomBytes
                || h.bindingLimit != a.headroom.bindingLimit || h.bindingWorkingSet != a.headroom.bindingWorkingSet
                || !java.util.Objects.equals(h.bindingDir, a.headroom.bindingDir)) {
            return "headroom " + a.headroom.headroomBytes + " of " + a.headroom.bindingLimit
                    + " does not derive from its sample (" + h.headroomBytes + " of " + h.bindingLimit + ")";
        }
        double u = h.utilization();
        if (Double.compare(u, a.utilization) != 0) {
            return "utilization " + a.utilization + " but its sample gives " + u;
        }
        if (!Double.isNaN(u) && u >= config.critical() && a.level != Level.CRITICAL) {
            return "utilization " + u + " at level " + a.level;
        }
        if (!Double.isNaN(u) && u >= config.warn() && !a.level.atLeast(Level.WARNING)) {
            return "utilization " + u + " at level " + a.level;
        }
        if (Double.isNaN(u) && !a.predicted && a.level.atLeast(Level.WARNING) && a.cause != dev.headroom.analysis.Cause.PRESSURE) {
            return "level " + a.level + " without a known utilization, trend or pressure";
        }
        if (Values.known(a.sample.workingSet()) && Values.known(a.sample.get(Metric.USAGE))
                && a.sample.workingSet() > a.sample.get(Metric.USAGE)) {
            return "working set above usage";
        }
        return null;
    }

    private static double gauge(Sampler sampler, java.util.function.ToDoubleFunction<Assessment> f) {
        Assessment a = sampler.latest();
        return a == null ? Double.NaN : f.applyAsDouble(a);
    }

    private static double bytes(long v) {
        return Values.limited(v) ? v : Double.NaN;
    }
}
