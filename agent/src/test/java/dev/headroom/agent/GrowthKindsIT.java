package dev.headroom.agent;

import dev.headroom.sink.log.JvmDetailsTest;

import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.ChildJvm;
import dev.headroom.testing.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One child JVM per kind of growth, under the agent with {@code format=json}, in a real 256 MiB
 * cgroup, growing at ~20 MiB/s until the kernel OOM-kills it: the last WARNING or CRITICAL line
 * before the kill names that kind as {@code topGrower}.
 */
class GrowthKindsIT {

    private static final long LIMIT = 256L << 20;
    private static final double MIB = 1024 * 1024;

    @BeforeAll
    static void requireCgroups() {
        CgroupSandbox.requireCgroups();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "heap,      heap,      -Xmx400m",
            "direct,    direct,    -XX:MaxDirectMemorySize=1g",
            "native,    native,    -Xmx64m",
            "threads,   threads,   -Xmx64m",
            "metaspace, metaspace, -Xmx64m",
    })
    void theWarningNamesWhatGrew(String kind, String expectedTop, String jvmArg) throws Exception {
        Path examples = Path.of("../examples/target/headroom-examples.jar").toAbsolutePath().normalize();
        ChildJvm.Result r;
        long kills;
        try (CgroupSandbox box = CgroupSandbox.create(LIMIT)) {
            r = ChildJvm.builder().withAgent("format=json").jvmArgs(jvmArg)
                    .mainClass("dev.headroom.examples.Grow", examples.toString()).args("--quiet", kind, "20M")
                    .inside(box).timeout(Duration.ofSeconds(60)).run();
            kills = box.oomKills();
        }
        ChildJvm.Result run = r;
        assertFalse(run.timedOut(), run::describe);
        assertEquals(137, run.exitCode(), () -> "SIGKILL by the OOM killer\n" + run.describe());
        assertEquals(1, kills, run::describe);

        List<Map<String, Object>> warnings = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        for (ChildJvm.Line line : run.lines()) {
            if (!line.text().startsWith("{")) {
                continue;
            }
            Map<String, Object> json = Json.parseObject(line.text());
            assertEquals("headroom", json.get("logger"));
            Object severity = json.get("severity");
            if (json.containsKey("topGrower") && ("WARNING".equals(severity) || "CRITICAL".equals(severity))) {
                assertTrue(JvmDetailsTest.TOP_GROWERS.contains((String) json.get("topGrower")), line.text());
                warnings.add(json);
                raw.add(line.text());
            }
        }
        assertFalse(warnings.isEmpty(), () -> "no WARNING/CRITICAL line before the kill\n" + run.describe());
        Map<String, Object> first = warnings.get(0);
        Map<String, Object> last = warnings.get(warnings.size() - 1);
        System.out.println("GrowthKindsIT " + kind + ": " + warnings.size() + " warning/critical lines, the first said topGrower="
                + first.get("topGrower") + " (" + first.get("event") + ", " + first.get("level") + ")");
        System.out.println("GrowthKindsIT " + kind + " last: " + raw.get(raw.size() - 1));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> growers = (List<Map<String, Object>>) last.get("growers");
        if (kind.equals("metaspace")) {
            // defining classes also costs native memory outside metaspace (the symbols of their
            // unique strings, per-loader data: MetaspaceGrower measures RSS at ~2.5x metaspace), so
            // native may lead; metaspace must still be named, at the rate the app grows it
            assertTrue(List.of("metaspace", "native").contains(last.get("topGrower")), () -> "last line: " + raw.get(raw.size() - 1));
        } else {
            assertEquals(expectedTop, last.get("topGrower"), () -> "last line: " + raw.get(raw.size() - 1) + "\n" + run.describe());
            assertEquals(expectedTop, growers.get(0).get("component"), last::toString);
        }
        Map<String, Object> named = growers.stream().filter(g -> expectedTop.equals(g.get("component"))).findFirst()
                .orElseThrow(() -> new AssertionError(expectedTop + " not among the growers: " + last));
        double rate = ((BigDecimal) named.get("bytesPerSecond")).doubleValue() / MIB;
        double grown = ((BigDecimal) named.get("bytes")).doubleValue() / MIB;
        System.out.printf("GrowthKindsIT %s: top grower +%.1f MiB at %.1f MiB/s%n", kind, grown, rate);
        // the 256 MiB limit was near: much of the growth is the named grower's, at a rate in the right range
        assertTrue(grown >= 40, () -> "grew " + grown + " MiB: " + last);
        assertTrue(rate >= 4 && rate <= 60, () -> "rate " + rate + " MiB/s: " + last);
        assertEquals(BigDecimal.valueOf(LIMIT), last.get("limitBytes"));
        assertTrue(((String) last.get("message")).contains("grew in the last "), last::toString);
    }
}
