package dev.headroom.report;

import dev.headroom.text.Units;

import dev.headroom.analysis.Headroom;
import dev.headroom.analysis.OomScoreAdj;
import dev.headroom.parse.Values;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

import java.util.Locale;

/** The snapshot command's report for a person: what the agent sees, with units. */
public final class SnapshotText {

    private SnapshotText() {
    }

    /**
     * The report for a running agent's latest assessment: the snapshot plus the level, the trend,
     * the JVM's own breakdown and the native memory it does not account for.
     */
    public static String render(dev.headroom.analysis.Assessment a) {
        StringBuilder out = new StringBuilder(render(a.sample, a.headroom));
        out.append('\n');
        line(out, "level", a.level + (a.cause == null ? "" : " (" + a.cause + ")"));
        line(out, "growth", Units.rate(a.growthBytesPerSecond) + ", limit in "
                + (Double.isNaN(a.secondsToLimit) ? "n/a (not growing steadily)" : "~" + Units.duration(a.secondsToLimit)));
        dev.headroom.jvm.JvmSnapshot j = a.jvm;
        if (j != null) {
            line(out, "heap", Units.bytes(j.heapUsed) + " used, " + Units.bytes(j.heapCommitted) + " committed, "
                    + Units.bytes(j.heapMax) + " max");
            line(out, "metaspace", Units.bytes(j.metaspaceCommitted < 0 ? Values.UNKNOWN : j.metaspaceCommitted) + " committed");
            line(out, "code cache", Units.bytes(j.codeCacheCommitted < 0 ? Values.UNKNOWN : j.codeCacheCommitted) + " committed");
            line(out, "direct", Units.bytes(j.directCapacity < 0 ? Values.UNKNOWN : j.directCapacity) + " in "
                    + Math.max(0, j.directCount) + " buffers, max " + Units.bytes(j.maxDirectMemory));
            line(out, "mapped", Units.bytes(j.mappedCapacity < 0 ? Values.UNKNOWN : j.mappedCapacity));
            line(out, "threads", j.threads + " (" + Units.bytes(j.threadStackBytes()) + " of stacks)");
            line(out, "native gap", Units.bytes(a.nativeGapBytes()) + ", " + Units.rate(a.nativeGapBytesPerSecond())
                    + "  (native memory the JVM does not account for: glibc arenas, JNI or a native library)");
            dev.headroom.analysis.Component top = a.topGrower();
            line(out, "top grower", top == null ? Units.UNKNOWN : top.id + " since the last OK state");
        }
        return out.toString();
    }

    public static String render(Sample s, Headroom h) {
        StringBuilder out = new StringBuilder(2048);
        out.append("headroom snapshot\n");
        if (s.version() == 0) {
            line(out, "cgroup", "none found: host memory applies");
        } else {
            line(out, "cgroup", "v" + s.version() + " " + s.location.cgroupPath
                    + (s.location.approximate ? "  (approximate: leaf not visible)" : ""));
            line(out, "directory", s.location.leaf());
        }
        line(out, "limit", h.limitDir == null ? "unlimited" : Units.bytes(h.limitBytes) + "  (" + h.limitDir + ")");
        line(out, "host memory", Units.bytes(s.get(Metric.MEM_TOTAL)));
        line(out, "usage", Units.bytes(s.get(Metric.USAGE)));
        line(out, "working set", Units.bytes(s.workingSet()) + "  (usage - inactive file, as kubectl top and docker stats)");
        line(out, "headroom", Units.bytes(h.headroomBytes)
                + (h.bindingDir == null ? "" : "  against " + Units.bytes(h.bindingLimit)
                + (h.cgroupBinds() ? " at " + h.bindingDir : " of host memory"))
                + "  utilization " + Units.percent(h.utilization()));
        out.append('\n');
        line(out, "anon", Units.bytes(s.get(Metric.ANON)));
        line(out, "file cache", Units.bytes(s.get(Metric.FILE)) + "  (inactive " + Units.bytes(s.get(Metric.INACTIVE_FILE)) + ")");
        line(out, "shmem/tmpfs", Units.bytes(s.get(Metric.SHMEM)));
        line(out, "mapped file", Units.bytes(s.get(Metric.MAPPED_FILE)));
        line(out, "kernel", Units.bytes(s.get(Metric.KERNEL)));
        line(out, "swap", Units.bytes(s.get(Metric.SWAP)) + "  (limit " + limit(s.get(Metric.SWAP_LIMIT)) + ")");
        line(out, "peak", Units.bytes(s.get(Metric.PEAK)));
        if (s.version() == 2) {
            line(out, "memory.high", limit(s.get(Metric.HIGH)));
        }
        out.append('\n');
        line(out, "limit hits", Units.count(s.get(Metric.LIMIT_HITS)));
        line(out, "OOM kills", Units.count(s.get(Metric.OOM_KILLS)));
        if (s.version() == 2) {
            line(out, "oom group", s.get(Metric.OOM_GROUP) == 1 ? "yes (the whole cgroup is killed together)"
                    : Units.count(s.get(Metric.OOM_GROUP)));
        }
        line(out, "pressure", "some " + Units.hundredthsPercent(s.get(Metric.PSI_SOME_AVG10))
                + " full " + Units.hundredthsPercent(s.get(Metric.PSI_FULL_AVG10)) + " (avg10)");
        out.append('\n');
        line(out, "process RSS", Units.bytes(s.get(Metric.VM_RSS)) + "  (anon " + Units.bytes(s.get(Metric.RSS_ANON))
                + ", file " + Units.bytes(s.get(Metric.RSS_FILE)) + ", shmem " + Units.bytes(s.get(Metric.RSS_SHMEM)) + ")");
        line(out, "oom_score", Units.count(s.get(Metric.OOM_SCORE)));
        line(out, "oom_score_adj", OomScoreAdj.meaning(s.get(Metric.OOM_SCORE_ADJ), s.get(Metric.MEM_TOTAL)));
        if (!s.warnings.isEmpty()) {
            out.append("\nwarnings:\n");
            for (String w : s.warnings) {
                out.append("  - ").append(w).append('\n');
            }
        }
        return out.toString();
    }

    private static String limit(long v) {
        return v == Values.UNLIMITED ? "unlimited" : Units.bytes(v);
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "  %-14s %s%n", label, value));
    }
}
