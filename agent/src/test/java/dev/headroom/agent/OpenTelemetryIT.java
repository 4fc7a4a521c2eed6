package dev.headroom.agent;

import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.ChildJvm;
import dev.headroom.testing.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JMX Metric Insight rules we ship (examples/opentelemetry/headroom-jmx.yaml), run by the real
 * OpenTelemetry Java agent next to headroom's in a real 512 MiB memory cgroup, exported with
 * the agent's OTLP-JSON logging exporter: every rule's metric arrives, with its semantic
 * convention name, unit and instrument type, and values that agree with the cgroup.
 */
class OpenTelemetryIT {

    static final long LIMIT = 512L << 20;
    static final Path RULES = Path.of("../examples/opentelemetry/headroom-jmx.yaml");
    static final Path OTEL_AGENT = Path.of("target", "it-lib", "opentelemetry", "opentelemetry-javaagent.jar");
    static final String EXPORT = "OtlpJsonLoggingMetricExporter - ";

    /** One metric as exported: unit, kind (gauge, sum, monotonic sum), and its points' values by attributes. */
    record Metric(String name, String unit, String kind, Map<String, Double> points) {
        double value() {
            assertEquals(1, points.size(), () -> name + " has one point: " + points);
            return points.values().iterator().next();
        }
    }

    @Test
    void theRulesExportContainerMemoryUnderTheSemanticConventions() throws Exception {
        CgroupSandbox.requireCgroups();
        assertTrue(Files.isRegularFile(OTEL_AGENT), "the build copies the OpenTelemetry agent to " + OTEL_AGENT);
        ChildJvm.Result r;
        long oomKills;
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            r = ChildJvm.builder()
                    .mainClass("dev.headroom.examples.Grow", AgentChildJvmIT.appClasspath())
                    .jvmArgs("-javaagent:" + OTEL_AGENT.toAbsolutePath())
                    .withAgent(null)
                    .jvmArgs("-Dotel.jmx.config=" + RULES.toAbsolutePath().normalize(),
                            "-Dotel.metrics.exporter=logging-otlp", "-Dotel.traces.exporter=none",
                            "-Dotel.logs.exporter=none", "-Dotel.metric.export.interval=1000",
                            "-Dotel.jmx.discovery.delay=500", "-Dotel.service.name=headroom-it")
                    // grow a little, then hold: the agent exports once more at exit
                    .args("heap", "4M", "--max", "16M", "--hold", "15s", "--quiet")
                    .inside(box)
                    .timeout(Duration.ofSeconds(150))
                    .run();
            oomKills = box.oomKills();
        }
        ChildJvm.Result run = r;
        assertFalse(run.timedOut(), run::describe);
        assertEquals(0, run.exitCode(), run::describe);
        List<String> problems = run.lines().stream().map(ChildJvm.Line::text)
                .filter(l -> l.startsWith("[otel.javaagent") && (l.contains("] WARN ") || l.contains("] ERROR ")))
                .collect(Collectors.toList());
        assertTrue(problems.isEmpty(), () -> "the OpenTelemetry agent complained:\n" + String.join("\n", problems));

        Map<String, Metric> m = lastExport(run, "io.opentelemetry.jmx");
        System.out.println("---- OpenTelemetryIT: the last export of io.opentelemetry.jmx");
        m.values().forEach(System.out::println);

        // names, units and instrument types: the semantic conventions' container.memory.* are
        // updowncounters in By; the rest is under headroom.*
        for (String name : List.of("container.memory.working_set", "container.memory.usage", "container.memory.available",
                "container.memory.rss", "headroom.container.memory.limit")) {
            assertShape(m, name, "By", "sum");
        }
        assertShape(m, "headroom.native_gap", "By", "sum"); // never negative: 0 when the JVM accounts for more
        assertShape(m, "headroom.container.memory.utilization", "1", "gauge");
        assertShape(m, "headroom.level", "{level}", "gauge");
        assertShape(m, "headroom.growth", "By/s", "gauge");
        assertShape(m, "headroom.native_gap.growth", "By/s", "gauge");
        assertShape(m, "headroom.container.oom.kills", "{kill}", "monotonic sum");
        assertShape(m, "headroom.container.memory.limit.hits", "{hit}", "monotonic sum");
        assertShape(m, "headroom.container.memory.pressure.avg10", "%", "gauge");
        assertShape(m, "headroom.container.memory.pressure.stall", "s", "monotonic sum");
        assertEquals(Set.of("headroom.pressure.kind=some", "headroom.pressure.kind=full"),
                m.get("headroom.container.memory.pressure.stall").points().keySet());

        // values: the cgroup's own limit, and numbers that agree with it and with each other
        // (the exporter reads the attributes one by one, so a tick may fall in between: 8 MiB slack)
        double limit = m.get("headroom.container.memory.limit").value();
        double workingSet = m.get("container.memory.working_set").value();
        double usage = m.get("container.memory.usage").value();
        double available = m.get("container.memory.available").value();
        double rss = m.get("container.memory.rss").value();
        double utilization = m.get("headroom.container.memory.utilization").value();
        assertEquals(LIMIT, limit, 0.0);
        assertTrue(workingSet > 32 * (1 << 20) && workingSet < LIMIT, "working set " + workingSet);
        assertTrue(usage >= workingSet - (8 << 20), "usage " + usage + " >= working set " + workingSet);
        assertTrue(rss > 16 * (1 << 20) && rss <= usage + (8 << 20), "rss " + rss);
        assertEquals(LIMIT - workingSet, available, 8 << 20);
        assertEquals(workingSet / LIMIT, utilization, 8.0 / 512);
        assertEquals(0.0, m.get("headroom.level").value(), "OK at a few percent of the limit");
        assertEquals(oomKills, m.get("headroom.container.oom.kills").value(), 0.0);
        for (double stall : m.get("headroom.container.memory.pressure.stall").points().values()) {
            assertTrue(stall >= 0, "stall seconds " + stall);
        }
    }

    static void assertShape(Map<String, Metric> metrics, String name, String unit, String kind) {
        Metric metric = metrics.get(name);
        assertTrue(metric != null, () -> name + " exported; got " + metrics.keySet());
        assertEquals(unit, metric.unit(), name);
        assertEquals(kind, metric.kind(), name);
    }

    @Test
    void theMicrometerBridgeGetsTheConventionsUnitsAndNoInfinity() throws Exception {
        assertTrue(Files.isRegularFile(OTEL_AGENT), "the build copies the OpenTelemetry agent to " + OTEL_AGENT);
        String classpath = Path.of("target", "test-classes").toAbsolutePath() + java.io.File.pathSeparator
                + Path.of("target", "it-lib", "micrometer-1.17.2").toAbsolutePath() + "/*";
        ChildJvm.Result run = ChildJvm.builder()
                .mainClass("dev.headroom.agent.GlobalRegistryApp", classpath)
                .jvmArgs("-javaagent:" + OTEL_AGENT.toAbsolutePath())
                .withAgent(null)
                .jvmArgs("-Dotel.instrumentation.micrometer.enabled=true",
                        "-Dotel.metrics.exporter=logging-otlp", "-Dotel.traces.exporter=none",
                        "-Dotel.logs.exporter=none", "-Dotel.metric.export.interval=1000",
                        "-Dotel.service.name=headroom-it")
                .args("12000")
                .timeout(Duration.ofSeconds(120))
                .run();
        assertFalse(run.timedOut(), run::describe);
        assertEquals(0, run.exitCode(), run::describe);
        Map<String, Metric> m = lastExport(run, "io.opentelemetry.micrometer-1.5");
        System.out.println("---- OpenTelemetryIT: the last export of the Micrometer bridge");
        m.values().stream().filter(x -> x.name().startsWith("container.") || x.name().startsWith("headroom."))
                .forEach(System.out::println);
        // UCUM units, as OpenTelemetry names them, not Micrometer's base units
        assertShape(m, "container.memory.working_set", "By", "gauge");
        assertShape(m, "container.memory.utilization", "1", "gauge");
        assertShape(m, "container.memory.pressure.stall", "s", "monotonic sum");
        assertShape(m, "headroom.growth", "By/s", "gauge");
        assertTrue(m.get("container.memory.working_set").value() > 16 * (1 << 20), m.get("container.memory.working_set")::toString);
        // an unknown or unset value (NaN) is left out by the bridge; never Infinity
        for (Metric metric : m.values()) {
            for (double v : metric.points().values()) {
                assertFalse(Double.isInfinite(v) || Double.isNaN(v), () -> metric + ": no value here, not Infinity or NaN");
            }
        }
    }

    /** The metrics of that scope in the last export that has any. */
    @SuppressWarnings("unchecked")
    static Map<String, Metric> lastExport(ChildJvm.Result run, String scopeName) {
        Map<String, Metric> last = Map.of();
        for (ChildJvm.Line line : run.lines()) {
            int at = line.text().indexOf(EXPORT);
            if (at < 0) {
                continue;
            }
            Map<String, Object> export = Json.parseObject(line.text().substring(at + EXPORT.length()));
            for (Object s : (List<Object>) export.get("scopeMetrics")) {
                Map<String, Object> scope = (Map<String, Object>) s;
                if (!scopeName.equals(((Map<String, Object>) scope.get("scope")).get("name"))) {
                    continue;
                }
                Map<String, Metric> metrics = new LinkedHashMap<>();
                for (Object o : (List<Object>) scope.get("metrics")) {
                    Metric metric = metric((Map<String, Object>) o);
                    metrics.put(metric.name(), metric);
                }
                last = metrics;
            }
        }
        assertFalse(last.isEmpty(), () -> "no export of scope " + scopeName + "\n" + run.describe());
        return last;
    }

    @SuppressWarnings("unchecked")
    static Metric metric(Map<String, Object> m) {
        String kind;
        Map<String, Object> data;
        if (m.containsKey("gauge")) {
            kind = "gauge";
            data = (Map<String, Object>) m.get("gauge");
        } else {
            data = (Map<String, Object>) m.get("sum");
            kind = Boolean.TRUE.equals(data.get("isMonotonic")) ? "monotonic sum" : "sum";
        }
        Map<String, Double> points = new LinkedHashMap<>();
        for (Object p : (List<Object>) data.get("dataPoints")) {
            Map<String, Object> point = (Map<String, Object>) p;
            String attributes = ((List<Object>) point.get("attributes")).stream().map(a -> {
                Map<String, Object> kv = (Map<String, Object>) a;
                return kv.get("key") + "=" + ((Map<String, Object>) kv.get("value")).get("stringValue");
            }).collect(Collectors.joining(","));
            // asDouble for double attributes, asInt (a string in OTLP JSON) for long ones
            Object value = point.containsKey("asDouble") ? point.get("asDouble") : point.get("asInt");
            points.put(attributes, value instanceof BigDecimal b ? b.doubleValue() : Double.parseDouble((String) value));
        }
        return new Metric((String) m.get("name"), (String) m.get("unit"), kind, points);
    }
}
