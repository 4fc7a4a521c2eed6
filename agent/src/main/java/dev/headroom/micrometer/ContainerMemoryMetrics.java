package dev.headroom.micrometer;

import dev.headroom.sink.micrometer.MeterTable;
import dev.headroom.sink.micrometer.MicrometerSupport;

import dev.headroom.agent.HeadroomAgent;
import dev.headroom.runtime.Sampler;
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
 * new ContainerMemoryMetrics().bindTo(registry);          // reads the running agent's sampler
 * new ContainerMemoryMetrics(mySupplier).bindTo(registry); // reads any Supplier<Assessment>
 * }</pre>
 *
 * <p>Scrapes never do I/O: every gauge and counter reads the latest {@link Assessment} the
 * sampler thread published. So the values come from a running sampler. With the agent attached
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

    private final Supplier<Assessment> latest;
    private final Tags tags;

    /** Reads the running agent's latest assessment (NaN everywhere when no agent or sampler runs). */
    public ContainerMemoryMetrics() {
        this(HeadroomAgent::latest);
    }

    /** Reads the given sampler's latest assessment. */
    public ContainerMemoryMetrics(Sampler sampler) {
        this(sampler::latest);
    }

    /** Reads assessments from any source; the supplier must be cheap (it is called on every scrape). */
    public ContainerMemoryMetrics(Supplier<Assessment> latest) {
        this(latest, Tags.empty());
    }

    /** As {@link #ContainerMemoryMetrics(Supplier)}, with extra tags on every meter. */
    public ContainerMemoryMetrics(Supplier<Assessment> latest, Iterable<io.micrometer.core.instrument.Tag> tags) {
        if (latest == null) {
            throw new NullPointerException("latest");
        }
        this.latest = latest;
        this.tags = Tags.of(tags);
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
        for (MeterTable.Row row : MeterTable.rows()) {
            Tags t = row.tagKey == null ? tags : tags.and(row.tagKey, row.tagValue);
            if (row.type == MeterTable.Type.COUNTER) {
                FunctionCounter.builder(row.name, registry, r -> row.value(latest.get()))
                        .description(row.description)
                        .baseUnit(row.baseUnit)
                        .tags(t)
                        .register(registry);
            } else {
                Gauge.builder(row.name, registry, r -> row.value(latest.get()))
                        .description(row.description)
                        .baseUnit(row.baseUnit)
                        .tags(t)
                        .strongReference(true)
                        .register(registry);
            }
        }
    }
}
