package dev.headroom.runtime;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every key's default, good and bad values, durations, precedence (agent arguments over
 * system properties over environment), names in any spelling, unknown keys, list values.
 */
class ConfigTest {

    static final Map<String, String> NONE = Map.of();

    static Config args(String agentArgs) {
        return Config.parse(agentArgs, NONE, NONE);
    }

    static Config env(String... nameValue) {
        return Config.parse(null, NONE, pairs(nameValue));
    }

    static Config props(String... nameValue) {
        return Config.parse(null, pairs(nameValue), NONE);
    }

    static Map<String, String> pairs(String... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    // ---- defaults

    @Test
    void defaults() {
        Config c = Config.defaults();
        assertEquals(List.of(), c.problems());
        assertTrue(c.enabled());
        assertEquals(1000, c.intervalMillis());
        assertEquals(250, c.fastIntervalMillis());
        assertEquals(0.85, c.warn());
        assertEquals(0.95, c.critical());
        assertEquals(0.05, c.hysteresis());
        assertEquals(60_000, c.horizonMillis());
        assertEquals(30_000, c.windowMillis());
        assertEquals(10.0, c.pressureSomePercent());
        assertEquals(5.0, c.pressureFullPercent());
        assertEquals(30_000, c.repeatMillis());
        assertEquals(Config.LogTarget.STDERR, c.log());
        assertEquals(Config.Format.TEXT, c.format());
        assertTrue(c.jmx());
        assertEquals(5000, c.jmxDelayMillis());
        assertTrue(c.micrometer());
        assertEquals(null, c.terminationMessage());
        assertEquals(List.of(), c.onCritical());
        assertEquals(List.of(), c.relief());
        assertEquals(null, c.readinessFile());
        assertEquals("/", c.root());
    }

    @Test
    void everyKeyIsCoveredByTheseTests() {
        // if a key is added, it must be added to goodValues and badValues below
        assertEquals(List.of("enabled", "interval", "fastInterval", "warn", "critical", "hysteresis", "horizon",
                "window", "pressureSome", "pressureFull", "repeat", "log", "format", "jmx", "jmxDelay", "micrometer",
                "jfr", "terminationMessage", "onCritical", "relief", "readinessFile", "root"), List.copyOf(Config.KEYS.keySet()));
    }

    @Test
    void analysisThresholdsFollowTheConfiguration() {
        Config c = args("warn=0.7,critical=0.9,hysteresis=0.1,horizon=2m,window=10s,pressureSome=20,pressureFull=2.5");
        assertEquals(List.of(), c.problems());
        dev.headroom.analysis.Thresholds t = c.thresholds();
        assertEquals(0.7, t.warn);
        assertEquals(0.9, t.critical);
        assertEquals(0.1, t.hysteresis);
        assertEquals(120_000_000_000L, t.horizonNanos);
        assertEquals(10_000_000_000L, t.windowNanos);
        assertEquals(2000, t.pressureSome);
        assertEquals(250, t.pressureFull);
    }

    // ---- good values, one per key

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "enabled|false|false",
        "enabled|TRUE|TRUE",
        "interval|5s|5s",
        "fastInterval|100ms|100ms",
        "warn|0.5|0.5",
        "critical|1|1",
        "hysteresis|0|0",
        "horizon|2m|2m",
        "window|45s|45s",
        "pressureSome|25|25",
        "pressureFull|0.5|0.5",
        "repeat|1m|1m",
        "log|none|none",
        "log|jul|jul",
        "format|json|json",
        "jmx|false|false",
        "jmxDelay|0.5s|0.5s",
        "micrometer|false|false",
        "jfr|false|false",
        "terminationMessage|/dev/termination-log|/dev/termination-log",
        "onCritical|nmt|nmt",
        "relief|heap|heap",
        "relief|heap,native|heap,native",
        "readinessFile|/tmp/ready|/tmp/ready",
        "root|/tmp/captured|/tmp/captured",
    })
    void goodValue(String key, String value, String stored) {
        Config c = args(key + "=" + value);
        assertEquals(List.of(), c.problems());
        assertEquals(stored, c.get(key));
    }

    @Test
    void goodValuesReadBackTyped() {
        Config c = args("enabled=false,interval=5s,fastInterval=100ms,repeat=1m,log=none,format=json,jmx=false,"
                + "jmxDelay=0.5s,micrometer=false,jfr=false,terminationMessage=/tmp/t,onCritical=nmt,relief=native,heap,readinessFile=/tmp/ready,root=/tmp/r");
        assertEquals(List.of(), c.problems());
        assertFalse(c.enabled());
        assertEquals(5000, c.intervalMillis());
        assertEquals(100, c.fastIntervalMillis());
        assertEquals(60_000, c.repeatMillis());
        assertEquals(Config.LogTarget.NONE, c.log());
        assertEquals(Config.Format.JSON, c.format());
        assertFalse(c.jmx());
        assertEquals(500, c.jmxDelayMillis());
        assertFalse(c.micrometer());
        assertFalse(c.jfr());
        assertTrue(Config.defaults().jfr());
        assertEquals("/tmp/t", c.terminationMessage());
        assertEquals(List.of("nmt"), c.onCritical());
        assertEquals(List.of("native", "heap"), c.relief());
        assertEquals("/tmp/ready", c.readinessFile());
        assertEquals("/tmp/r", c.root());
        assertEquals(Config.LogTarget.JUL, args("log=JUL").log());
        assertEquals(Config.Format.JSON, args("format=JSON").format());
    }

    // ---- bad values, one per key: one problem naming key, value and what is allowed; default used

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "enabled|yes|true or false",
        "interval|abc|a duration",
        "interval|-1s|a duration",
        "interval|5ms|at least 10ms",
        "fastInterval|fast|a duration",
        "warn|1.5|between 0 and 1",
        "warn|-0.1|between 0 and 1",
        "warn|high|between 0 and 1",
        "critical|2|between 0 and 1",
        "hysteresis|0.5x|between 0 and 1",
        "horizon|soon|a duration",
        "window|0|a duration",
        "pressureSome|101|between 0 and 100",
        "pressureFull|-5|between 0 and 100",
        "repeat|1 minute|a duration",
        "log|stdout|one of stderr, jul, none",
        "format|xml|one of text, json",
        "jmx|on|true or false",
        "jmxDelay|later|a duration",
        "micrometer|1|true or false",
        "jfr|yes|true or false",
        "onCritical|heapdump|threads, histogram, nmt",
        "relief|gc|heap, native",
    })
    void badValue(String key, String value, String allowed) {
        Config c = args(key + "=" + value);
        assertEquals(1, c.problems().size(), () -> "one problem: " + c.problems());
        String problem = c.problems().get(0);
        assertTrue(problem.contains(key), problem);
        assertTrue(problem.contains("'" + value + "'"), problem);
        assertTrue(problem.contains(allowed), problem);
        assertFalse(problem.contains("\n"), "one line");
        String defaultValue = Config.KEYS.get(key).defaultValue;
        assertEquals(defaultValue, c.get(key), "the default is used");
        assertTrue(problem.contains("using " + (defaultValue.isEmpty() ? "none" : defaultValue)), problem);
    }

    @Test
    void badPathWithNul() {
        Config c = Config.parse(null, Map.of("headroom.terminationMessage", "/tmp/a\0b"), NONE);
        assertEquals(1, c.problems().size(), () -> c.problems().toString());
        assertTrue(c.problems().get(0).contains("terminationMessage"));
        assertEquals(null, c.terminationMessage());
    }

    @Test
    void badValuesDoNotSpoilGoodOnes() {
        Config c = args("interval=abc,warn=0.7,bogus=1,format=json");
        assertEquals(2, c.problems().size(), () -> c.problems().toString());
        assertEquals(1000, c.intervalMillis());
        assertEquals(0.7, c.warn());
        assertEquals(Config.Format.JSON, c.format());
    }

    // ---- durations

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"250ms,250", "2s,2000", "1m,60000", "1.5s,1500", "10ms,10", "1h,3600000", "3,3000", " 2s ,2000", "2S,2000"})
    void durations(String text, long millis) {
        Config c = args("interval=" + text);
        assertEquals(List.of(), c.problems());
        assertEquals(millis, c.intervalMillis());
    }

    @ParameterizedTest
    @CsvSource({"-1s", "abc", "s", "ms", "1.2.3s", "1e3s", "NaNs", "2 s s", "9ms"})
    void badDurations(String text) {
        Config c = args("horizon=" + text);
        assertEquals(1, c.problems().size(), () -> text + ": " + c.problems());
        assertTrue(c.problems().get(0).contains("horizon"));
        assertEquals(60_000, c.horizonMillis());
    }

    // ---- precedence and names

    @Test
    void argumentsBeatSystemPropertiesBeatEnvironment() {
        Map<String, String> props = Map.of("headroom.interval", "2s", "headroom.warn", "0.6");
        Map<String, String> env = Map.of("HEADROOM_INTERVAL", "3s", "HEADROOM_WARN", "0.5", "HEADROOM_HORIZON", "90s");
        Config c = Config.parse("interval=4s", props, env);
        assertEquals(List.of(), c.problems());
        assertEquals(4000, c.intervalMillis(), "argument");
        assertEquals(0.6, c.warn(), "system property over environment");
        assertEquals(90_000, c.horizonMillis(), "environment when nothing else");
        assertEquals(250, c.fastIntervalMillis(), "default when nowhere");
    }

    @Test
    void systemPropertyBeatsEnvironment() {
        Config c = Config.parse(null, Map.of("headroom.format", "json"), Map.of("HEADROOM_FORMAT", "text"));
        assertEquals(Config.Format.JSON, c.format());
    }

    @Test
    void badArgumentFallsBackToTheDefaultNotToALowerSource() {
        // the problem line says "using 1s": it must be true
        Config c = Config.parse("interval=abc", Map.of("headroom.interval", "2s"), NONE);
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).contains("using 1s"), c.problems().get(0));
        assertEquals(1000, c.intervalMillis());
    }

    @ParameterizedTest
    @CsvSource({"HEADROOM_FAST_INTERVAL", "HEADROOM_FASTINTERVAL", "HEADROOM_fastInterval"})
    void environmentNames(String variable) {
        Config c = env(variable, "500ms");
        assertEquals(List.of(), c.problems());
        assertEquals(500, c.fastIntervalMillis());
    }

    @Test
    void environmentWithoutOurPrefixIsIgnored() {
        Config c = env("FAST_INTERVAL", "500ms", "INTERVAL", "9s", "HEADROOMINTERVAL", "9s");
        assertEquals(List.of(), c.problems());
        assertEquals(250, c.fastIntervalMillis());
        assertEquals(1000, c.intervalMillis());
    }

    @Test
    void unknownEnvironmentVariableWithOurPrefixIsNotAProblem() {
        // HEADROOM_HOME, HEADROOM_TEST ... may belong to someone else
        Config c = env("HEADROOM_TEST", "1", "HEADROOM_INTERVAL", "2s");
        assertEquals(List.of(), c.problems());
        assertEquals(2000, c.intervalMillis());
    }

    @Test
    void badEnvironmentValueIsAProblem() {
        Config c = env("HEADROOM_WARN", "lots");
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).contains("'lots'") && c.problems().get(0).contains("warn"), c.problems().get(0));
        assertEquals(0.85, c.warn());
    }

    @Test
    void systemPropertyNamesInAnyCase() {
        Config c = props("headroom.fastinterval", "300ms", "headroom.on-critical", "threads");
        assertEquals(List.of(), c.problems());
        assertEquals(300, c.fastIntervalMillis());
        assertEquals(List.of("threads"), c.onCritical());
    }

    @Test
    void argumentKeysInAnyCase() {
        Config c = args("FASTINTERVAL=300ms,fast_interval=400ms");
        assertEquals(List.of(), c.problems());
        assertEquals(400, c.fastIntervalMillis(), "the later spelling of the same key wins");
    }

    @Test
    void unknownArgumentKeyListsKnownKeys() {
        Config c = args("bogus=1");
        assertEquals(1, c.problems().size());
        String p = c.problems().get(0);
        assertTrue(p.contains("bogus"), p);
        for (String key : Config.KEYS.keySet()) {
            assertTrue(p.contains(key), () -> "names " + key + ": " + p);
        }
        assertEquals(Config.defaults().intervalMillis(), c.intervalMillis());
    }

    @Test
    void unknownSystemPropertyIsAProblem() {
        Config c = props("headroom.bogus", "1", "other.interval", "9s");
        assertEquals(1, c.problems().size(), () -> c.problems().toString());
        assertTrue(c.problems().get(0).contains("headroom.bogus"));
        assertEquals(1000, c.intervalMillis());
    }

    @Test
    void argumentWithoutEquals() {
        Config c = args("verbose");
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).contains("'verbose'") && c.problems().get(0).contains("key=value"),
                c.problems().get(0));
    }

    @Test
    void emptyAndBlankArguments() {
        assertEquals(List.of(), args("").problems());
        assertEquals(List.of(), args("  ").problems());
        assertEquals(List.of(), args(null).problems());
        Config c = args(" interval = 2s ,, warn=0.8 ");
        assertEquals(List.of(), c.problems());
        assertEquals(2000, c.intervalMillis());
        assertEquals(0.8, c.warn());
    }

    // ---- lists

    @Test
    void listValueContinuesUntilTheNextKey() {
        Config c = args("onCritical=threads,histogram,interval=2s");
        assertEquals(List.of(), c.problems());
        assertEquals(List.of("threads", "histogram"), c.onCritical());
        assertEquals(2000, c.intervalMillis());
    }

    @Test
    void listWithABadItem() {
        Config c = args("onCritical=threads,heapdump");
        assertEquals(1, c.problems().size());
        String p = c.problems().get(0);
        assertTrue(p.contains("onCritical") && p.contains("threads,heapdump") && p.contains("threads, histogram, nmt"), p);
        assertEquals(List.of(), c.onCritical());
    }

    @Test
    void listFromEnvironment() {
        Config c = env("HEADROOM_ON_CRITICAL", "threads, nmt");
        assertEquals(List.of(), c.problems());
        assertEquals(List.of("threads", "nmt"), c.onCritical());
    }

    // ---- consistency

    @Test
    void criticalBelowWarnUsesBothDefaults() {
        Config c = args("warn=0.9,critical=0.8");
        assertEquals(1, c.problems().size());
        String p = c.problems().get(0);
        assertTrue(p.contains("critical") && p.contains("0.8") && p.contains("warn") && p.contains("0.9"), p);
        assertEquals(0.85, c.warn());
        assertEquals(0.95, c.critical());
    }

    @Test
    void criticalBelowTheDefaultWarn() {
        Config c = args("critical=0.5");
        assertEquals(1, c.problems().size(), () -> c.problems().toString());
        assertEquals(0.85, c.warn());
        assertEquals(0.95, c.critical());
    }

    @Test
    void criticalEqualToWarnIsAllowed() {
        Config c = args("warn=0.9,critical=0.9");
        assertEquals(List.of(), c.problems());
        assertEquals(0.9, c.warn());
        assertEquals(0.9, c.critical());
    }

    @Test
    void loadReadsThisJvmsSystemProperties() {
        System.setProperty("headroom.repeat", "7s");
        try {
            Config c = Config.load("horizon=3m");
            assertEquals(7000, c.repeatMillis());
            assertEquals(180_000, c.horizonMillis());
            assertEquals(8000, Config.load("repeat=8s").repeatMillis(), "arguments still win");
        } finally {
            System.clearProperty("headroom.repeat");
        }
    }
}
