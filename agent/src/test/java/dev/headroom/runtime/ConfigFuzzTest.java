package dev.headroom.runtime;


import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configuration strings from all three sources. The input is text: the first line is the
 * agent argument string; each further line {@code P name=value} is a system property,
 * {@code E NAME=value} an environment variable. Properties: nothing is thrown, every setting
 * ends up valid (a bad value falls back to the default), every getter works, warn &lt;= critical.
 */
class ConfigFuzzTest {

    @FuzzTest
    void parse(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        Map<String, String> props = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int eq = line.indexOf('=');
            if (line.length() < 2 || eq < 2) {
                continue;
            }
            String name = line.substring(2, eq);
            String value = line.substring(eq + 1);
            if (line.startsWith("P ")) {
                props.put(name, value);
            } else if (line.startsWith("E ")) {
                env.put(name, value);
            }
        }
        Config c = Config.parse(lines[0], props, env);
        assertNotNull(c.problems());
        for (Config.Key key : Config.KEYS.values()) {
            String value = c.get(key.name);
            assertNotNull(value, key.name);
            assertNull(key.check(value), () -> key.name + "=" + value + " was accepted but is invalid");
        }
        c.enabled();
        assertTrue(c.intervalMillis() >= 10);
        assertTrue(c.fastIntervalMillis() >= 10);
        assertTrue(c.warn() >= 0 && c.warn() <= 1);
        assertTrue(c.critical() >= c.warn() && c.critical() <= 1, "critical below warn");
        assertTrue(c.hysteresis() >= 0 && c.hysteresis() <= 1);
        assertTrue(c.horizonMillis() >= 10 && c.windowMillis() >= 10 && c.repeatMillis() >= 10
                && c.jmxDelayMillis() >= 10);
        assertTrue(c.pressureSomePercent() >= 0 && c.pressureFullPercent() <= 100);
        assertNotNull(c.log());
        assertNotNull(c.format());
        c.jmx();
        c.micrometer();
        c.terminationMessage();
        assertNotNull(c.onCritical());
        assertNotNull(c.root());
        c.thresholds();
    }
}
