package dev.headroom.analysis;

import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.Values;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The parts a container's memory is made of, as far as the JVM and the cgroup can tell them
 * apart: what the JVM accounts for (heap, metaspace, code cache, direct and mapped buffers,
 * thread stacks), the anonymous memory it does not (native), and the rest of the working set
 * (page cache that is not reclaimable now: active file, shmem/tmpfs, kernel).
 */
public enum Component {
    HEAP("heap", "heap"),
    METASPACE("metaspace", "metaspace"),
    CODECACHE("codecache", "code cache"),
    DIRECT("direct", "direct buffers"),
    MAPPED("mapped", "mapped buffers"),
    THREADS("threads", "thread stacks"),
    NATIVE("native", "native memory the JVM does not account for"),
    PAGECACHE("pagecache", "page cache, shmem and kernel memory"),
    OTHER("other", "other");

    static final Component[] MEASURED = {HEAP, METASPACE, CODECACHE, DIRECT, MAPPED, THREADS, NATIVE, PAGECACHE};
    /** The components whose growth is measured, in that order (what the sinks list, one per component). */
    public static final List<Component> GROWING = Collections.unmodifiableList(Arrays.asList(MEASURED));

    /** The stable name used in JSON lines and meters. */
    public final String id;
    public final String label;

    Component(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /**
     * The anonymous memory the native gap is taken from: the cgroup leaf's {@code anon} when
     * this JVM is alone in its cgroup, else this process's {@code RssAnon}.
     */
    public static long anonBase(Sample s) {
        long processes = s.get(Metric.PROCESSES);
        long cgroupAnon = s.get(Metric.ANON);
        if (Values.known(cgroupAnon) && processes == 1) {
            return cgroupAnon;
        }
        long rssAnon = s.get(Metric.RSS_ANON);
        return Values.known(rssAnon) ? rssAnon : cgroupAnon;
    }

    /**
     * Anonymous memory minus everything the JVM accounts for, never below 0. What the JVM accounts
     * for is an upper bound of what it has resident (committed heap not touched yet, whole thread
     * stacks), so a difference below 0 says only that nothing unaccounted is resident: 0, the one
     * meaning the log, the report, JMX and the meter all show.
     */
    public static long nativeGap(Sample s, JvmSnapshot j) {
        long anon = anonBase(s);
        return j == null || !Values.known(anon) ? Values.UNKNOWN : Math.max(0, anon - j.accountedAnon());
    }

    /** This component's bytes in the sample and snapshot, or unknown. */
    long measure(Sample s, JvmSnapshot j) {
        switch (this) {
            case HEAP:
                return j == null ? Values.UNKNOWN : j.heapCommitted;
            case METASPACE:
                return j == null || j.metaspaceCommitted < 0 ? Values.UNKNOWN : j.metaspaceCommitted;
            case CODECACHE:
                return j == null || j.codeCacheCommitted < 0 ? Values.UNKNOWN : j.codeCacheCommitted;
            case DIRECT:
                return j == null || j.directCapacity < 0 ? Values.UNKNOWN : j.directCapacity;
            case MAPPED:
                return j == null || j.mappedCapacity < 0 ? Values.UNKNOWN : j.mappedCapacity;
            case THREADS:
                return j == null ? Values.UNKNOWN : j.threadStackBytes();
            case NATIVE:
                return nativeGap(s, j);
            case PAGECACHE:
                return Values.minus(s.workingSet(), s.get(Metric.ANON));
            default:
                return Values.UNKNOWN;
        }
    }
}
