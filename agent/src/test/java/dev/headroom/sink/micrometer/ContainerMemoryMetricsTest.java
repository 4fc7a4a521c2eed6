package dev.headroom.sink.micrometer;

import dev.headroom.micrometer.ContainerMemoryMetrics;

import dev.headroom.analysis.Analyzer;
import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Thresholds;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.runtime.SampleReader;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerMemoryMetricsTest {

    private static final String FIXTURE = "src/test/resources/fixtures/v2-kubernetes/root";

    private static Assessment fixtureAssessment() {
        SampleReader reader = new SampleReader(new ChannelFileSource(), Paths.get(FIXTURE).toAbsolutePath().toString());
        return new Analyzer(Thresholds.defaults()).assess(reader.read());
    }

    @Test
    void tableIsComplete() {
        Set<String> ids = new HashSet<>();
        for (MeterTable.Row row : MeterTable.rows()) {
            assertTrue(ids.add(row.name + "|" + row.tagValue), "duplicate " + row.name);
            assertTrue(row.name.matches("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+"), "dot.case name " + row.name);
            assertFalse(row.description.isEmpty(), row.name);
            assertFalse(row.v1Source.isEmpty(), row.name);
            assertFalse(row.v2Source.isEmpty(), row.name);
            assertTrue(Double.isNaN(row.value(null)), "unknown before the first tick: " + row.name);
        }
        for (String required : new String[] {"container.memory.working_set", "container.memory.usage",
                "container.memory.limit", "container.memory.limit.effective", "container.memory.available",
                "container.memory.utilization", "container.memory.rss", "container.memory.cache",
                "container.memory.shmem", "container.memory.swap", "container.memory.peak",
                "container.memory.limit.hits", "container.oom.kills", "container.memory.pressure.some",
                "container.memory.pressure.full", "container.memory.pressure.stall",
                "container.memory.oom_score_adj", "headroom.level", "headroom.growth", "headroom.time_to_limit", "headroom.native_gap"}) {
            assertTrue(ids.stream().anyMatch(id -> id.startsWith(required + "|")), required);
        }
    }

    @Test
    void valuesFollowTheAssessment() {
        Assessment a = fixtureAssessment();
        MeterRegistry registry = new SimpleMeterRegistry();
        AtomicReference<Assessment> latest = new AtomicReference<>();
        new ContainerMemoryMetrics(latest::get).bindTo(registry);

        assertEquals(MeterTable.rows().size(), registry.getMeters().size());
        Gauge ws = registry.get("container.memory.working_set").gauge();
        assertTrue(Double.isNaN(ws.value()), "NaN before the first assessment");

        latest.set(a);
        assertEquals(632049664, ws.value());
        assertEquals("bytes", ws.getId().getBaseUnit());
        assertNotNull(ws.getId().getDescription());
        assertEquals(682381312, registry.get("container.memory.usage").gauge().value());
        assertEquals(805306368, registry.get("container.memory.limit").gauge().value());
        assertEquals(80138240, registry.get("container.memory.available").gauge().value());
        assertEquals(587202560, registry.get("container.memory.rss").gauge().value());
        assertEquals(83886080, registry.get("container.memory.cache").gauge().value());
        assertEquals(2097152, registry.get("container.memory.shmem").gauge().value());
        assertEquals(0, registry.get("container.memory.swap").gauge().value());
        assertEquals(724324352, registry.get("container.memory.peak").gauge().value());
        assertEquals(968, registry.get("container.memory.oom_score_adj").gauge().value());
        assertEquals(0.0125, registry.get("container.memory.pressure.some").gauge().value(), 1e-9);
        assertEquals(0.0062, registry.get("container.memory.pressure.full").gauge().value(), 1e-9);
        assertEquals(a.utilization,
                registry.get("container.memory.utilization").gauge().value(), 1e-12);

        FunctionCounter kills = registry.get("container.oom.kills").functionCounter();
        assertEquals(2, kills.count());
        assertEquals(17, registry.get("container.memory.limit.hits").functionCounter().count());
        assertEquals(8.823419, registry.get("container.memory.pressure.stall").tag("kind", "some")
                .functionCounter().count(), 1e-9);
        assertEquals(4.410210, registry.get("container.memory.pressure.stall").tag("kind", "full")
                .functionCounter().count(), 1e-9);
        assertEquals(a.level.asNumber(), registry.get("headroom.level").gauge().value());

        for (Meter m : registry.getMeters()) {
            assertNotNull(m.getId().getDescription(), m.getId().getName());
        }
    }

    @Test
    void metersSurviveGarbageCollection() throws Exception {
        Assessment a = fixtureAssessment();
        MeterRegistry registry = new SimpleMeterRegistry();
        new ContainerMemoryMetrics(() -> a).bindTo(registry);
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(632049664, registry.get("container.memory.working_set").gauge().value());
        assertEquals(2, registry.get("container.oom.kills").functionCounter().count());
    }

    @Test
    void noAgentMeansNaN() {
        MeterRegistry registry = new SimpleMeterRegistry();
        new ContainerMemoryMetrics().bindTo(registry);
        assertTrue(Double.isNaN(registry.get("container.memory.working_set").gauge().value()));
    }

    /** README.md carries the table rendered from {@link MeterTable}. */
    @Test
    void readmeTableIsCurrent() throws IOException {
        Path readme = Paths.get("../README.md");
        String text = Files.readString(readme);
        assertTrue(text.contains(MeterTable.markdown()),
                "README.md is out of date; paste this table:\n" + MeterTable.markdown());
    }
}
