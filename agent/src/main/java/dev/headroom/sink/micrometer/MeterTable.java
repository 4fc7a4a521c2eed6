package dev.headroom.sink.micrometer;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Component;
import dev.headroom.parse.Values;
import dev.headroom.runtime.ReliefLog;
import dev.headroom.sample.Metric;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Every meter headroom publishes through Micrometer, as plain data: name, type, base unit,
 * description, where the value comes from on cgroup v1 and v2, the cAdvisor/OpenTelemetry name
 * it lines up with, and how to read it from an {@link Assessment}. No Micrometer type appears
 * here, so the table is loaded by the agent's own class loader, testable without Micrometer,
 * and the README table is rendered from it ({@link #markdown()}).
 *
 * <p>Reading a value never does I/O: it only reads fields of the latest assessment. Unknown
 * values (no assessment yet, a file missing or unreadable) are NaN; an unset limit is
 * +Infinity (unlimited is not unknown).
 */
public final class MeterTable {

    public enum Type { GAUGE, COUNTER }

    /** Ratio meters carry this base unit, so Prometheus names end in {@code _ratio}. */
    public static final String RATIO = "ratio";
    public static final String BYTES = "bytes";
    public static final String SECONDS = "seconds";
    public static final String BYTES_PER_SECOND = "bytes.per.second";

    /** One meter. */
    public static final class Row {
        public final String name;
        public final Type type;
        /** Base unit, or null for a dimensionless number (a level, a score). */
        public final String baseUnit;
        public final String description;
        /** A tag key/value pair distinguishing meters that share a name, or null. */
        public final String tagKey;
        public final String tagValue;
        public final String v1Source;
        public final String v2Source;
        /** The cAdvisor / OpenTelemetry name with the same meaning, or "-". */
        public final String matches;
        private final ToDoubleFunction<Assessment> value;

        Row(String name, Type type, String baseUnit, String description, String tagKey, String tagValue,
            String v1Source, String v2Source, String matches, ToDoubleFunction<Assessment> value) {
            this.name = name;
            this.type = type;
            this.baseUnit = baseUnit;
            this.description = description;
            this.tagKey = tagKey;
            this.tagValue = tagValue;
            this.v1Source = v1Source;
            this.v2Source = v2Source;
            this.matches = matches;
            this.value = value;
        }

        /** The value for an assessment (null: none yet), NaN when unknown. Never does I/O. */
        public double value(Assessment a) {
            if (a == null) {
                return Double.NaN;
            }
            try {
                return value.applyAsDouble(a);
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }

        /** The name Micrometer's Prometheus naming convention gives this meter. */
        public String prometheusName() {
            String base = name.replace('.', '_');
            if (type == Type.COUNTER) {
                return base + (baseUnit == null ? "" : "_" + unitSuffix()) + "_total";
            }
            return base + (baseUnit == null ? "" : "_" + unitSuffix());
        }

        private String unitSuffix() {
            return baseUnit.replace('.', '_');
        }
    }

    private static final List<Row> ROWS;

    static {
        List<Row> r = new ArrayList<>();
        r.add(gauge("container.memory.working_set", BYTES,
                "Memory the kernel counts as in use and not easily reclaimed: usage minus inactive file cache (the number the kubelet evicts on and the OOM killer is closest to)",
                "`memory.usage_in_bytes` − `memory.stat total_inactive_file`", "`memory.current` − `memory.stat inactive_file`",
                "cAdvisor `container_memory_working_set_bytes`; OTel `container.memory.working_set`",
                a -> bytes(a.sample.workingSet())));
        r.add(gauge("container.memory.usage", BYTES,
                "Memory charged to the container's cgroup, page cache included",
                "`memory.usage_in_bytes`", "`memory.current`",
                "cAdvisor `container_memory_usage_bytes`; OTel `container.memory.usage`",
                a -> bytes(a.sample.get(Metric.USAGE))));
        r.add(gauge("container.memory.limit", BYTES,
                "The tightest cgroup memory limit over the container's cgroup and its visible ancestors, raw (+Inf when unlimited)",
                "min(`memory.limit_in_bytes` per level, `memory.stat hierarchical_memory_limit`)", "min(`memory.max` per level)",
                "cAdvisor `container_spec_memory_limit_bytes`; OTel `k8s.container.memory_limit`",
                a -> limit(a.headroom.limitBytes)));
        r.add(gauge("container.memory.limit.effective", BYTES,
                "The limit that binds first: the cgroup level (or host memory) with the least memory left",
                "as `limit`, and host `MemTotal` from `/proc/meminfo`", "as `limit`, and host `MemTotal` from `/proc/meminfo`",
                "-",
                a -> limit(a.headroom.bindingLimit)));
        r.add(gauge("container.memory.available", BYTES,
                "Headroom: memory left before the binding limit (effective limit minus the working set counted against it)",
                "limit − working set", "limit − working set",
                "OTel `container.memory.available` (kubelet `availableBytes`)",
                a -> bytes(a.headroom.headroomBytes)));
        r.add(gauge("container.memory.utilization", RATIO,
                "Working set / effective limit, 0..1 (above 1 is possible briefly)",
                "working set / limit", "working set / limit",
                "OTel `k8s.container.memory_limit_utilization`",
                a -> a.utilization));
        r.add(gauge("container.memory.rss", BYTES,
                "Anonymous memory (heap, stacks, malloc): cannot be reclaimed without swap",
                "`memory.stat total_rss`", "`memory.stat anon`",
                "cAdvisor `container_memory_rss`; OTel `container.memory.rss`",
                a -> bytes(a.sample.get(Metric.ANON))));
        r.add(gauge("container.memory.cache", BYTES,
                "Page cache charged to the container (includes shmem/tmpfs)",
                "`memory.stat total_cache`", "`memory.stat file`",
                "cAdvisor `container_memory_cache`",
                a -> bytes(a.sample.get(Metric.FILE))));
        r.add(gauge("container.memory.shmem", BYTES,
                "Shared memory and tmpfs: counted as cache but not reclaimable without swap",
                "`memory.stat total_shmem`", "`memory.stat shmem`",
                "-",
                a -> bytes(a.sample.get(Metric.SHMEM))));
        r.add(gauge("container.memory.mapped_file", BYTES,
                "Memory-mapped file pages",
                "`memory.stat total_mapped_file`", "`memory.stat file_mapped`",
                "cAdvisor `container_memory_mapped_file`",
                a -> bytes(a.sample.get(Metric.MAPPED_FILE))));
        r.add(gauge("container.memory.kernel", BYTES,
                "Kernel memory charged to the container (slab, stacks, page tables, sockets)",
                "`memory.kmem.usage_in_bytes`", "`memory.stat kernel` (or its parts)",
                "cAdvisor `container_memory_kernel_usage`",
                a -> bytes(a.sample.get(Metric.KERNEL))));
        r.add(gauge("container.memory.swap", BYTES,
                "Swap used by the container",
                "`memory.memsw.usage_in_bytes` − `memory.usage_in_bytes`", "`memory.swap.current`",
                "cAdvisor `container_memory_swap`",
                a -> bytes(a.sample.get(Metric.SWAP))));
        r.add(gauge("container.memory.peak", BYTES,
                "Highest usage recorded by the kernel",
                "`memory.max_usage_in_bytes`", "`memory.peak` (kernel 5.19+)",
                "cAdvisor `container_memory_max_usage_bytes`",
                a -> bytes(a.sample.get(Metric.PEAK))));
        r.add(counter("container.memory.limit.hits", null,
                "How often usage hit the limit and the kernel had to reclaim (or fail) to stay under it",
                "`memory.failcnt`", "`memory.events max`",
                "cAdvisor `container_memory_failcnt`",
                a -> count(a.sample.get(Metric.LIMIT_HITS))));
        r.add(counter("container.oom.kills", null,
                "Processes in the container killed by the OOM killer",
                "`memory.oom_control oom_kill` (kernel 4.13+)", "`memory.events oom_kill`",
                "cAdvisor `container_oom_events_total`",
                a -> count(a.sample.get(Metric.OOM_KILLS))));
        r.add(gauge("container.memory.pressure.some", RATIO,
                "Share of the last 10 s in which some task stalled on memory (PSI some avg10), 0..1",
                "`/proc/pressure/memory` `some avg10` (system-wide)", "`memory.pressure` `some avg10`",
                "-",
                a -> psiRatio(a.sample.get(Metric.PSI_SOME_AVG10))));
        r.add(gauge("container.memory.pressure.full", RATIO,
                "Share of the last 10 s in which all non-idle tasks stalled on memory (PSI full avg10), 0..1",
                "`/proc/pressure/memory` `full avg10` (system-wide)", "`memory.pressure` `full avg10`",
                "-",
                a -> psiRatio(a.sample.get(Metric.PSI_FULL_AVG10))));
        r.add(new Row("container.memory.pressure.stall", Type.COUNTER, SECONDS,
                "Total time tasks stalled on memory (PSI total); kind=some: at least one task, kind=full: all non-idle tasks",
                "kind", "some",
                "`/proc/pressure/memory` `some total` (system-wide)", "`memory.pressure` `some total`",
                "cAdvisor `container_pressure_memory_waiting_seconds_total`",
                a -> micros(a.sample.get(Metric.PSI_SOME_TOTAL))));
        r.add(new Row("container.memory.pressure.stall", Type.COUNTER, SECONDS,
                "Total time tasks stalled on memory (PSI total); kind=some: at least one task, kind=full: all non-idle tasks",
                "kind", "full",
                "`/proc/pressure/memory` `full total` (system-wide)", "`memory.pressure` `full total`",
                "cAdvisor `container_pressure_memory_stalled_seconds_total`",
                a -> micros(a.sample.get(Metric.PSI_FULL_TOTAL))));
        r.add(gauge("container.memory.oom_score_adj", null,
                "This process's OOM-killer bias, -1000..1000 (-1000: never chosen; Kubernetes sets it by QoS class)",
                "`/proc/self/oom_score_adj`", "`/proc/self/oom_score_adj`",
                "-",
                a -> number(a.sample.get(Metric.OOM_SCORE_ADJ))));
        r.add(gauge("headroom.level", null,
                "headroom's verdict: 0 OK, 1 WARNING, 2 CRITICAL (NaN when unknown)",
                "derived", "derived",
                "-",
                a -> a.level.asNumber()));
        r.add(gauge("headroom.growth", BYTES_PER_SECOND,
                "Growth rate of the binding working set over the trend window, or the last 3 s when fast growth decides the time to the limit (negative when shrinking)",
                "derived", "derived",
                "-",
                a -> a.growthBytesPerSecond));
        r.add(gauge("headroom.time_to_limit", SECONDS,
                "Predicted time until the working set reaches the effective limit at the current growth rate (NaN when not steadily growing)",
                "derived", "derived",
                "-",
                a -> a.secondsToLimit));
        r.add(gauge("headroom.native_gap", BYTES,
                "Anonymous memory the JVM does not account for: the process's anon memory minus committed heap, metaspace, code cache, direct buffers and thread stacks (glibc arenas, JNI, native libraries, JVM internals); 0 when the JVM accounts for more than is resident",
                "`memory.stat total_rss` when the JVM is the cgroup's only process, else `/proc/self/status RssAnon`; minus JVM committed (memory MXBeans)", "`memory.stat anon` when the JVM is the cgroup's only process, else `/proc/self/status RssAnon`; minus JVM committed (memory MXBeans)",
                "-",
                a -> bytes(a.nativeGapBytes())));
        r.add(gauge("headroom.native_gap.growth", BYTES_PER_SECOND,
                "Growth rate of the native gap since the last OK state (a native leak grows here while the heap stays flat)",
                "derived", "derived",
                "-",
                a -> a.nativeGapBytesPerSecond()));
        for (final Component c : Component.GROWING) {
            r.add(new Row("headroom.grown", Type.GAUGE, BYTES,
                    "What grew since the last OK state, per component (signed: a component can shrink; the log's"
                            + " 'grew in the last ...'); NaN when the component cannot be measured",
                    "component", c.id, "derived", "derived", "-",
                    a -> grown(a, c)));
        }
        r.add(counter("headroom.relief.actions", null,
                "Relief actions done in this JVM (relief=heap, native; readinessFile removed at CRITICAL); skips not counted",
                "derived", "derived",
                "-",
                a -> ReliefLog.PROCESS.actions()));
        r.add(counter("headroom.relief.freed", BYTES,
                "Memory relief made the JVM give back, by the JVM's own count (heap committed, native RSS)",
                "derived", "derived",
                "-",
                a -> ReliefLog.PROCESS.freedBytes()));
        ROWS = Collections.unmodifiableList(r);
    }

    private MeterTable() {
    }

    /** Every meter, in the order they are registered and documented. */
    public static List<Row> rows() {
        return ROWS;
    }

    /** The README table: meter, Prometheus name, unit, meaning, v1 source, v2 source, cAdvisor/OTel name. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| meter | Prometheus name | type | unit | meaning | cgroup v1 source | cgroup v2 source | matches (cAdvisor / OpenTelemetry) |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Row row : ROWS) {
            b.append("| `").append(row.name).append('`');
            if (row.tagKey != null) {
                b.append(" `").append(row.tagKey).append('=').append(row.tagValue).append('`');
            }
            b.append(" | `").append(row.prometheusName()).append('`')
                    .append(" | ").append(row.type.name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(row.baseUnit == null ? "-" : row.baseUnit)
                    .append(" | ").append(row.description)
                    .append(" | ").append(row.v1Source)
                    .append(" | ").append(row.v2Source)
                    .append(" | ").append(row.matches)
                    .append(" |\n");
        }
        return b.toString();
    }

    private static Row gauge(String name, String unit, String description, String v1, String v2, String matches,
                             ToDoubleFunction<Assessment> value) {
        return new Row(name, Type.GAUGE, unit, description, null, null, v1, v2, matches, value);
    }

    private static Row counter(String name, String unit, String description, String v1, String v2, String matches,
                               ToDoubleFunction<Assessment> value) {
        return new Row(name, Type.COUNTER, unit, description, null, null, v1, v2, matches, value);
    }

    static double bytes(long v) {
        return Values.known(v) ? v : Double.NaN;
    }

    static double number(long v) {
        return Values.known(v) ? v : Double.NaN;
    }

    /** A counter: unknown is NaN, a u64 that wrapped negative is treated as unknown. */
    static double count(long v) {
        return Values.known(v) && v >= 0 ? v : Double.NaN;
    }

    /** Limits: unlimited is +Infinity, unknown is NaN. */
    static double limit(long v) {
        if (!Values.known(v)) {
            return Double.NaN;
        }
        return v == Values.UNLIMITED ? Double.POSITIVE_INFINITY : v;
    }

    /** PSI averages are stored in hundredths of a percent. */
    /**
     * The UCUM unit OpenTelemetry names for a base unit ({@code By}, {@code 1}, {@code s},
     * {@code By/s}): what the OpenTelemetry agent's Micrometer bridge should export, as it passes
     * units through unchanged. Null stays null.
     */
    public static String ucum(String baseUnit) {
        if (baseUnit == null) {
            return null;
        }
        switch (baseUnit) {
            case BYTES:
                return "By";
            case RATIO:
                return "1";
            case SECONDS:
                return "s";
            case BYTES_PER_SECOND:
                return "By/s";
            default:
                return baseUnit;
        }
    }

    static double grown(Assessment a, Component c) {
        long grown = a.growth == null ? Values.UNKNOWN : a.growth.grown(c);
        return Values.known(grown) ? grown : Double.NaN;
    }

    static double psiRatio(long hundredthsOfPercent) {
        return Values.known(hundredthsOfPercent) ? hundredthsOfPercent / 10_000.0 : Double.NaN;
    }

    static double micros(long micros) {
        return Values.known(micros) && micros >= 0 ? micros / 1_000_000.0 : Double.NaN;
    }
}
