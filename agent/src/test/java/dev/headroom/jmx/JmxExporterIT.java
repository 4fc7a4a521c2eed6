package dev.headroom.jmx;

import dev.headroom.sink.micrometer.MeterTable;
import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.ChildJvm;
import dev.headroom.testing.Promtool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code examples/jmx/jmx-exporter.yaml} with the real Prometheus JMX exporter agent (1.0.1 from
 * Maven Central, copied by the build) and headroom in a child JVM in a 256 MiB memory cgroup,
 * scraped over loopback: the series carry the Micrometer meters' names, types and units, no
 * sentinel comes out as a size, and {@code promtool check metrics} finds nothing to say.
 */
class JmxExporterIT {

    private static final long LIMIT = 256L * 1024 * 1024;
    private static final long DRIFT = 64L * 1024 * 1024;
    private static final Path EXPORTER = Path.of("target", "it-lib", "jmx-exporter", "jmx_prometheus_javaagent.jar");
    private static final Path CONFIG = Path.of("..", "examples", "jmx", "jmx-exporter.yaml");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)");

    /** One scrape: samples by series ("name{labels}"), and the TYPE of every family. */
    private record Scrape(String text, Map<String, String> samples, Map<String, String> types) {

        static Scrape parse(String text) {
            Map<String, String> samples = new LinkedHashMap<>();
            Map<String, String> types = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] p = line.split(" ");
                    types.put(p[2], p[3]);
                } else if (!line.startsWith("#") && !line.isBlank()) {
                    Matcher m = SAMPLE.matcher(line);
                    assertTrue(m.matches(), line);
                    samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), m.group(3));
                }
            }
            return new Scrape(text, samples, types);
        }

        double value(String series) {
            String v = samples.get(series);
            assertNotNull(v, () -> series + " not in the scrape:\n" + headroomLines());
            return v.equals("+Inf") ? Double.POSITIVE_INFINITY : v.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v);
        }

        List<String> series(String name) {
            List<String> out = new ArrayList<>();
            for (String s : samples.keySet()) {
                if (s.equals(name) || s.startsWith(name + "{")) {
                    out.add(s);
                }
            }
            return out;
        }

        String headroomLines() {
            StringBuilder b = new StringBuilder();
            for (String line : text.split("\n")) {
                if (line.startsWith("headroom_") || line.startsWith("container_")) {
                    b.append(line).append('\n');
                }
            }
            return b.toString();
        }
    }

    @Test
    void theExampleConfigurationGivesMicrometersNamesAndUnitsAndPassesPromtool() throws Exception {
        CgroupSandbox.requireCgroups();
        assertTrue(Files.isRegularFile(EXPORTER), EXPORTER + " is copied by maven-dependency-plugin (pre-integration-test)");
        Path examples = Path.of("..", "examples", "target", "headroom-examples.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(examples), examples + " is built by the reactor");
        int port = JmxRemoteIT.freePort();
        Path log = Files.createTempFile("jmx-exporter-child", ".log");
        Process child = null;
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            List<String> command = box.wrap(ChildJvm.builder()
                    .withAgent("jmxDelay=1s")
                    .jvmArgs("-Xmx64m", "-javaagent:" + EXPORTER.toAbsolutePath() + "=127.0.0.1:" + port + ":"
                            + CONFIG.toAbsolutePath().normalize())
                    .mainClass("dev.headroom.examples.Grow", examples.toString())
                    .args("--kind", "direct", "--rate", "8M", "--max", "16M", "--hold", "60s", "--quiet")
                    .javaCommand());
            child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

            // the MXBeans are registered, and the JVM breakdown has been measured (grown bytes per component)
            // over two samples at least, so the native gap and its growth are known (unknown exports no sample)
            Scrape s = scrapeUntil(port, child, log, x -> x.samples.containsKey("container_memory_working_set_bytes")
                    && x.series("headroom_grown_bytes").size() == 8
                    && x.samples.containsKey("headroom_native_gap_growth_bytes_per_second"));
            System.out.println("JmxExporterIT scrape (headroom's series):\n" + s.headroomLines());

            // the numbers, against the cgroup's own files
            assertEquals(LIMIT, s.value("container_memory_limit_bytes"), 0.0);
            assertEquals(LIMIT, s.value("container_memory_limit_effective_bytes"), 0.0);
            long usage = box.readLong("memory.usage_in_bytes");
            long workingSet = usage - box.readKey("memory.stat", "total_inactive_file");
            assertEquals(workingSet, s.value("container_memory_working_set_bytes"), DRIFT);
            assertEquals(usage, s.value("container_memory_usage_bytes"), DRIFT);
            double utilization = s.value("container_memory_utilization_ratio");
            assertTrue(utilization > 0 && utilization < 1, "utilization " + utilization);

            // every meter Micrometer publishes has a series of the same name and type here
            for (MeterTable.Row row : MeterTable.rows()) {
                String name = row.prometheusName();
                assertEquals(row.type == MeterTable.Type.COUNTER ? "counter" : "gauge", s.types.get(name),
                        () -> name + " (" + row.name + ") missing or of another type:\n" + s.headroomLines());
                String series = row.tagKey == null ? name : name + "{" + row.tagKey + "=\"" + row.tagValue + "\"}";
                assertTrue(s.samples.containsKey(series), () -> series + " missing:\n" + s.headroomLines());
            }

            // headroom_level is Micrometer's 0/1/2 with no labels; the level as a label has its own name
            assertEquals(List.of("headroom_level"), s.series("headroom_level"));
            assertEquals(0.0, s.value("headroom_level"), 0.0);
            assertEquals(List.of("headroom_level_state{level=\"OK\"}"), s.series("headroom_level_state"));
            assertEquals(1.0, s.value("headroom_level_state{level=\"OK\"}"), 0.0);

            // PSI: a 0..1 ratio as in Micrometer, stall time in seconds (v1: the host's /proc/pressure/memory)
            if (Files.exists(Path.of("/proc/pressure/memory"))) {
                for (String ratio : List.of("container_memory_pressure_some_ratio", "container_memory_pressure_full_ratio")) {
                    double v = s.value(ratio);
                    assertTrue(v >= 0 && v <= 1, ratio + " " + v);
                }
                String some = Files.readString(Path.of("/proc/pressure/memory")).lines().findFirst().orElseThrow();
                double hostSeconds = Long.parseLong(some.replaceAll(".*total=(\\d+).*", "$1")) / 1e6;
                double scraped = s.value("container_memory_pressure_stall_seconds_total{kind=\"some\"}");
                assertTrue(scraped <= hostSeconds && scraped > hostSeconds - 60, scraped + " s vs the host's " + hostSeconds + " s");
            }

            // GrownBytes: one series per component; the direct buffers grew (16 MiB at 8 MiB/s)
            for (String c : List.of("heap", "metaspace", "codecache", "direct", "mapped", "threads", "native", "pagecache")) {
                assertTrue(s.samples.containsKey("headroom_grown_bytes{component=\"" + c + "\"}"), c);
            }

            // no sentinel as a size: an unset limit is +Inf, unknown is absent, no size is negative or near Long.MAX
            assertEquals(Double.POSITIVE_INFINITY, s.value("headroom_soft_limit_bytes"), 0.0);
            assertEquals(List.of(), s.series("headroom_high_bytes"), "cgroup v1 has no memory.high: unknown, not exported");
            assertEquals(List.of(), s.series("headroom_implied_memory_request_bytes"), "oom_score_adj 0 implies no request");
            for (Map.Entry<String, String> e : s.samples.entrySet()) {
                String name = e.getKey().replaceAll("\\{.*", "");
                if ((name.startsWith("headroom_") || name.startsWith("container_")) && name.endsWith("_bytes")
                        && !name.equals("headroom_grown_bytes")) {
                    double v = s.value(e.getKey());
                    assertTrue(v >= 0 && (v == Double.POSITIVE_INFINITY || v < 1L << 50), e.getKey() + " = " + e.getValue());
                }
                assertFalse(name.endsWith("_info") && name.startsWith("headroom"), name);
                assertFalse(name.contains("micros") || name.contains("millis"), name + ": base units only");
            }

            promtool(s.text);
        } finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        }
    }

    @Test
    void anUnknownLevelIsNaNAsInMicrometerNotAbsent() throws Exception {
        Path examples = Path.of("..", "examples", "target", "headroom-examples.jar").toAbsolutePath();
        Path empty = Files.createTempDirectory("headroom-no-cgroup");
        int port = JmxRemoteIT.freePort();
        Path log = Files.createTempFile("jmx-exporter-unknown", ".log");
        Process child = null;
        try {
            // a root with no /proc or /sys files: every value is unknown, the level too
            List<String> command = ChildJvm.builder()
                    .withAgent("jmxDelay=1s,root=" + empty)
                    .jvmArgs("-Xmx64m", "-javaagent:" + EXPORTER.toAbsolutePath() + "=127.0.0.1:" + port + ":"
                            + CONFIG.toAbsolutePath().normalize())
                    .mainClass("dev.headroom.examples.Grow", examples.toString())
                    .args("--kind", "direct", "--rate", "1M", "--max", "1M", "--hold", "60s", "--quiet")
                    .javaCommand();
            child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Scrape s = scrapeUntil(port, child, log, x -> x.samples.containsKey("headroom_level_state{level=\"UNKNOWN\"}"));
            assertEquals("NaN", s.samples.get("headroom_level"), () -> "headroom_level must stay, as NaN:\n" + s.headroomLines());
            assertEquals(List.of(), s.series("container_memory_working_set_bytes"), "unknown sizes export no sample");
        } finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
            Files.deleteIfExists(empty);
        }
    }

    /** {@code promtool check metrics} on the scrape: exit 0 and no finding. */
    private static void promtool(String scrape) throws Exception {
        assertEquals("", Promtool.run("JmxExporterIT", scrape, "check", "metrics").trim(), "promtool check metrics");
    }

    private static Scrape scrapeUntil(int port, Process child, Path log, Predicate<Scrape> ready) throws Exception {
        URL url = new URL("http://127.0.0.1:" + port + "/metrics");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Scrape last = null;
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("child exited " + child.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) url.openConnection();
                c.setConnectTimeout(2000);
                c.setReadTimeout(10000);
                try (InputStream in = c.getInputStream()) {
                    last = Scrape.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                if (ready.test(last)) {
                    return last;
                }
            } catch (IOException notYet) {
                // the exporter's HTTP server is not up yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no complete scrape within 60 s; last:\n" + (last == null ? "none" : last.headroomLines())
                + "\nchild output:\n" + Files.readString(log));
    }
}
