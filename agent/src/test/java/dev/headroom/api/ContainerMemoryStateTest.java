package dev.headroom.api;

import dev.headroom.analysis.Analyzer;
import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Thresholds;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.micrometer.ContainerMemoryMetrics;
import dev.headroom.runtime.SampleReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.file.Paths;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public read-only view: the numbers of a real tick (fixture tree), as a binder and a library user read them. */
class ContainerMemoryStateTest {

    private static ContainerMemoryState fixture(String name) {
        SampleReader reader = new SampleReader(new ChannelFileSource(),
                Paths.get("src/test/resources/fixtures/" + name + "/root").toAbsolutePath().toString());
        return new Analyzer(Thresholds.defaults()).assess(reader.read());
    }

    @Test
    void numbersOfARealTick() {
        ContainerMemoryState s = fixture("v2-kubernetes");
        Assessment a = (Assessment) s;
        assertEquals(0, s.getSequence());
        assertEquals(a.sample.wallMillis, s.getSampleTimeMillis());
        assertEquals(632049664, s.getWorkingSetBytes());
        assertEquals(805306368, s.getLimitBytes());
        assertEquals(a.headroom.headroomBytes, (long) s.getHeadroomBytes());
        assertEquals(a.utilization, s.getUtilization());
        assertEquals(a.level.name(), s.getLevel());
        assertEquals(a.cause == null ? "" : a.cause.text(), s.getCause());
        assertEquals(2, s.getOomKills());
        assertTrue(Double.isNaN(s.getGrowthBytesPerSecond()), "one tick: no growth rate yet");
        assertTrue(Double.isNaN(s.getSecondsToLimit()));
    }

    @Test
    void unlimitedIsInfinityNotUnknown() {
        assertEquals(Double.POSITIVE_INFINITY, fixture("unlimited-v2-max").getLimitBytes());
    }

    @Test
    void aBinderReadsTheViewItIsGiven() {
        ContainerMemoryState s = fixture("v2-kubernetes");
        MeterRegistry registry = new SimpleMeterRegistry();
        Supplier<ContainerMemoryState> source = () -> s;
        new ContainerMemoryMetrics(source).bindTo(registry);
        assertEquals(632049664, registry.get("container.memory.working_set").gauge().value());

        // not headroom's: read as no state at all
        ContainerMemoryState foreign = (ContainerMemoryState) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContainerMemoryState.class}, (proxy, method, args) -> 0.0);
        MeterRegistry other = new SimpleMeterRegistry();
        new ContainerMemoryMetrics(() -> foreign).bindTo(other);
        assertTrue(Double.isNaN(other.get("container.memory.working_set").gauge().value()));
    }

    @Test
    void noSamplerNoState() {
        assertNull(ContainerMemoryMetrics.latest());
    }
}
