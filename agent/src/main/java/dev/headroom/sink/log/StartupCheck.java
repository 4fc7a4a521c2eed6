package dev.headroom.sink.log;

import dev.headroom.runtime.AssessmentListener;
import dev.headroom.runtime.LogSink;
import dev.headroom.runtime.Sampler;

import dev.headroom.analysis.Assessment;
import dev.headroom.jvm.JvmFlags;
import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.Values;
import dev.headroom.report.LogLines;
import dev.headroom.text.Units;
import dev.headroom.sample.Metric;

/**
 * One look at the JVM's memory options against the effective limit, on the first tick: one
 * line for each problem that applies, nothing when the JVM is sized sensibly.
 */
public final class StartupCheck implements AssessmentListener {

    private final Sampler sampler;
    private final LogSink sink;
    private final LogLines lines;
    private boolean done;

    public StartupCheck(Sampler sampler, LogSink sink, LogLines lines) {
        this.sampler = sampler;
        this.sink = sink;
        this.lines = lines;
    }

    @Override
    public void onAssessment(Assessment a) {
        if (done) {
            return;
        }
        done = true;
        JvmFlags flags = sampler.jvmFlags();
        if (flags == null || !a.headroom.cgroupBinds()) {
            return;
        }
        for (String problem : problems(flags, a.jvm, a.headroom.bindingLimit, a.sample.get(Metric.SWAP_LIMIT))) {
            sink.write(LogSink.Severity.WARNING, lines.plain("WARNING", "config-check", problem));
        }
    }

    /**
     * The problems that apply, as sentences; pure, for tests. {@code now} is the JVM breakdown at
     * the first sample (null when not measured).
     *
     * <p>The sum check judges what can really become resident: the max heap (an application fills
     * it), and caps the user chose (MaxMetaspaceSize, MaxDirectMemorySize, ReservedCodeCacheSize).
     * A default cap is no sizing decision and rarely reached: the JIT's 240 MiB code cache
     * reservation typically holds a few tens of MiB, and the default direct memory cap (the max
     * heap) is only reached by heavy direct-buffer users; those count with what is committed or in
     * use now. Counting the defaults as used warned on every start of a healthy default JVM in
     * a 384 MiB container.
     */
    static java.util.List<String> problems(JvmFlags f, JvmSnapshot now, long limit, long swapLimit) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (!Values.limited(limit) || limit <= 0) {
            return out;
        }
        String of = " of the " + Units.bytes(limit) + " limit";
        if (f.maxHeap >= 0.9 * limit) {
            out.add("max heap " + Units.bytes(f.maxHeap) + " is " + Units.percent((double) f.maxHeap / limit) + of
                    + ": heap alone can reach the limit before the JVM sees a heap OutOfMemoryError; lower -Xmx or "
                    + "-XX:MaxRAMPercentage (75 or less)");
        }
        StringBuilder terms = new StringBuilder("max heap ").append(Units.bytes(f.maxHeap));
        long total = f.maxHeap;
        if (f.maxMetaspace > 0) {
            total += term(terms, "max metaspace", f.maxMetaspace, "");
        } else if (now != null && now.metaspaceCommitted > 0) {
            total += term(terms, "metaspace", now.metaspaceCommitted, " committed");
        }
        if (f.directMemorySet) {
            total += term(terms, "max direct memory", f.maxDirectMemory, "");
        } else if (now != null && now.directCapacity > 0) {
            total += term(terms, "direct memory", now.directCapacity, " in use");
        }
        if (f.codeCacheSet) {
            total += term(terms, "reserved code cache", f.reservedCodeCache, "");
        } else if (now != null && now.codeCacheCommitted > 0) {
            total += term(terms, "code cache", now.codeCacheCommitted, " committed");
        }
        if (total > limit) {
            out.add(terms + " = " + Units.bytes(total) + ", above the " + Units.bytes(limit)
                    + " limit: the kernel can kill the process before the JVM reports any OutOfMemoryError");
        }
        if (!f.heapSizeSet && !f.ramPercentageSet && f.maxHeap > limit / 2) {
            out.add("neither -Xmx nor -XX:MaxRAMPercentage is set and the JVM sized its heap to "
                    + Units.bytes(f.maxHeap) + " from host memory: this JVM is not container-aware for this cgroup"
                    + " version (JDK 8u191+/11+ for v1, 8u372+/11.0.16+/15+ for v2); set -XX:MaxRAMPercentage");
        }
        if (swapLimit == 0 && f.maxHeap >= limit / 2) {
            out.add("no swap is allowed (swap limit 0) and max heap is " + Units.bytes(f.maxHeap) + of
                    + ": every heap page the JVM touches stays resident until the limit");
        }
        return out;
    }

    private static long term(StringBuilder terms, String what, long bytes, String how) {
        terms.append(" + ").append(what).append(' ').append(Units.bytes(bytes)).append(how);
        return bytes;
    }
}
