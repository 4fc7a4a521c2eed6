package dev.headroom.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ratios that survive a shared machine: the TickBenchmark operations run in one JVM, interleaved
 * in short slices (round 1: a, b, c, ...; round 2: a, b, c, ...), each slice timed by wall clock
 * and by this thread's CPU time. Load from other processes changes over seconds; within a round
 * every operation sees about the same load, so the per-round ratio against the baseline is
 * stable even when the absolute numbers are not. Prints one line per operation:
 * {@code name wall-median-us cpu-median-us wall-ratio cpu-ratio} (ratios: median over rounds
 * of op / baseline in the same round).
 * Usage: Interleaved [rounds=60] [sliceMillis=30] [baseline=jdkTotalAndFree]
 */
public final class Interleaved {

    private interface Op {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 30) * 1_000_000L;
        String baseline = args.length > 2 ? args[2] : "jdkTotalAndFree";

        TickBenchmark b = new TickBenchmark();
        b.root = "/";
        b.setUp();
        org.openjdk.jmh.infra.Blackhole bh = new org.openjdk.jmh.infra.Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("tick", b::tick);
        ops.put("calmTick", b::calmTick);
        ops.put("tickWithJvm", b::tickWithJvm);
        ops.put("read", b::read);
        ops.put("jdkTotalAndFree", b::jdkTotalAndFree);
        ops.put("bareKeptOpen", b::bareKeptOpen);
        ops.put("bareKeptOpenEof", b::bareKeptOpenEof);
        ops.put("bareReadAllBytes", () -> {
            b.bareReadAllBytes(bh);
            return null;
        });
        ops.put("parseMemoryStat", b::parseMemoryStat);
        ops.put("jvmSnapshot", b::jvmSnapshot);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = ops.size();
        List<String> names = new ArrayList<>(ops.keySet());
        double[][] wall = new double[n][rounds];
        double[][] cpu = new double[n][rounds];
        Object sink = null;
        // warm-up: every op compiled before timing
        for (int w = 0; w < 3; w++) {
            for (Op op : ops.values()) {
                long end = System.nanoTime() + 300_000_000L;
                while (System.nanoTime() < end) {
                    sink = op.run();
                }
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                Op op = ops.get(names.get(i));
                long count = 0;
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                long t;
                do {
                    for (int k = 0; k < 16; k++) {
                        sink = op.run();
                    }
                    count += 16;
                    t = System.nanoTime();
                } while (t - t0 < sliceNanos);
                long c1 = threads.getCurrentThreadCpuTime();
                wall[i][r] = (t - t0) / 1000.0 / count;
                cpu[i][r] = (c1 - c0) / 1000.0 / count;
            }
        }
        b.tearDown();
        int base = names.indexOf(baseline);
        System.out.println("# rounds=" + rounds + " slice=" + sliceNanos / 1_000_000 + "ms baseline=" + baseline
                + " sink=" + (sink == null ? 0 : 1));
        System.out.println("# op wall-median-us cpu-median-us wall-ratio cpu-ratio");
        for (int i = 0; i < n; i++) {
            double[] wr = new double[rounds];
            double[] cr = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                wr[r] = wall[i][r] / wall[base][r];
                cr[r] = cpu[i][r] / cpu[base][r];
            }
            System.out.println(String.format(Locale.ROOT, "%s %.2f %.2f %.3f %.3f", names.get(i),
                    median(wall[i]), median(cpu[i]), median(wr), median(cr)));
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
