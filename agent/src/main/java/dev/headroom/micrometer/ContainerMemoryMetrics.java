package dev.headroom.micrometer;

import dev.headroom.api.ContainerMemoryState;
import dev.headroom.sink.micrometer.MeterTable;
import dev.headroom.sink.micrometer.MicrometerSupport;

import dev.headroom.agent.HeadroomAgent;
import dev.headroom.analysis.Assessment;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.function.Supplier;

/**
 * The container memory meters ({@link MeterTable}) as a Micrometer {@link MeterBinder}.
 *
 * <p>With the agent attached this binder is bound automatically into every registry the
 * application creates ({@link MicrometerSupport}); nothing to do. It is also usable as a
 * library, for applications that prefer explicit wiring or that build their registries in a
 * way the agent cannot see:
 *
 * <pre>{@code
 * new ContainerMemoryMetrics().bindTo(registry);   // reads the running agent's (or startSampling()'s) sampler
 * ContainerMemoryState now = ContainerMemoryMetrics.latest(); // the same numbers, read in code
 * }</pre>
 *
 * <p>Public API: this class, {@link ContainerMemoryState} and the MXBean interfaces in
 * {@code dev.headroom.jmx}; every other package is internal (ARCHITECTURE.md).
 *
 * <p>Scrapes never do I/O: every gauge and counter reads the latest state the sampler thread
 * published. So the values come from a running sampler. With the agent attached
 * that is the agent's; used as a library without the agent, call {@link #startSampling()} once
 * (it starts the same daemon sampler thread the agent would, configured from
 * {@code headroom.*} system properties and {@code HEADROOM_*} variables, without any
 * instrumentation); otherwise every meter reads NaN.
 *
 * <p>Meters hold the registry itself as their weakly referenced state object (it lives as
 * long as the meters do) and this binder through their functions, so nothing is collected
 * early and nothing outlives the registry.
 */
public final class ContainerMemoryMetrics implements MeterBinder {

    private final Supplier<? extends ContainerMemoryState> latest;
    private final Tags tags;

    /** Reads the running agent's latest state (NaN everywhere when no agent or sampler runs). */
    public ContainerMemoryMetrics() {
        this(HeadroomAgent::latest);
    }

    /**
     * Reads states from the given source, such as a sampler's latest state (what the agent binds
     * with); the supplier must be cheap (it is called on every scrape) and supply states from
     * headroom (null: NaN everywhere).
     */
    public ContainerMemoryMetrics(Supplier<? extends ContainerMemoryState> latest) {
        this(latest, Tags.empty());
    }

    /** As {@link #ContainerMemoryMetrics(Supplier)}, with extra tags on every meter. */
    public ContainerMemoryMetrics(Supplier<? extends ContainerMemoryState> latest,
                                  Iterable<io.micrometer.core.instrument.Tag> tags) {
        if (latest == null) {
            throw new NullPointerException("latest");
        }
        this.latest = latest;
        this.tags = Tags.of(tags);
    }

    /** The running agent's (or {@link #startSampling()}'s) latest state; null before its first tick or when none runs. */
    public static ContainerMemoryState latest() {
        return HeadroomAgent.latest();
    }

    /**
     * Starts headroom's sampler in this JVM when no agent runs (library use without
     * {@code -javaagent}): one daemon thread reading the cgroup files, logging as the agent does.
     * Does nothing when the agent (or an earlier call) already started it.
     *
     * @return true when a sampler is running afterwards
     */
    public static boolean startSampling() {
        // no Instrumentation: nothing is instrumented, only the sampler (and its log lines) start
        return HeadroomAgent.sampler() != null || HeadroomAgent.startWithoutAgent("micrometer=false");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // the OpenTelemetry agent's Micrometer bridge passes units and values through to OTLP as
        // they are: there, UCUM units and no +Infinity (an unset limit has no value, NaN)
        boolean otel = isOpenTelemetryBridge(registry);
        for (MeterTable.Row row : MeterTable.rows()) {
            Tags t = row.tagKey == null ? tags : tags.and(row.tagKey, row.tagValue);
            String unit = otel ? MeterTable.ucum(row.baseUnit) : row.baseUnit;
            if (row.type == MeterTable.Type.COUNTER) {
                FunctionCounter.builder(row.name, registry, r -> row.value(assessment()))
                        .description(row.description)
                        .baseUnit(unit)
                        .tags(t)
                        .register(registry);
            } else {
                Gauge.builder(row.name, registry, otel ? r -> finite(row.value(assessment())) : r -> row.value(assessment()))
                        .description(row.description)
                        .baseUnit(unit)
                        .tags(t)
                        .strongReference(true)
                        .register(registry);
            }
        }
    }

    /** The registry the OpenTelemetry Java agent adds to {@code Metrics.globalRegistry} (shaded or not). */
    static boolean isOpenTelemetryBridge(MeterRegistry registry) {
        return registry.getClass().getName().endsWith(".OpenTelemetryMeterRegistry");
    }

    private static double finite(double value) {
        return Double.isInfinite(value) ? Double.NaN : value;
    }


    /** The meters are computed from headroom's own state; any other source reads as none (NaN). */
    private Assessment assessment() {
        ContainerMemoryState s = latest.get();
        return s instanceof Assessment ? (Assessment) s : null;
    }
}
