package dev.headroom.testing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The snapshot command's JSON contract (issue 2, item 6), and checks against it. */
public final class Contract {

    /** Every key the snapshot JSON must have. */
    public static final List<String> KEYS = List.of(
            "cgroupVersion", "cgroupPath", "cgroupDir", "approximate", "limitBytes", "limitDir",
            "hostMemoryBytes", "usageBytes", "workingSetBytes", "anonBytes", "fileBytes", "shmemBytes",
            "inactiveFileBytes", "swapBytes", "swapLimitBytes", "peakBytes", "highBytes", "headroomBytes",
            "oomScoreAdj", "oomScore", "oomKills", "limitHits", "pressure", "warnings");

    /** Every key of a non-null {@code pressure} object. */
    public static final List<String> PRESSURE_KEYS = List.of(
            "someAvg10", "someAvg60", "someAvg300", "fullAvg10", "fullAvg60", "fullAvg300",
            "someTotalMicros", "fullTotalMicros");

    /** Keys whose value, when not null, must be written as a JSON integer. */
    public static boolean integerKey(String key) {
        return key.endsWith("Bytes") || key.endsWith("Micros") || key.equals("cgroupVersion")
                || key.equals("oomScoreAdj") || key.equals("oomScore") || key.equals("oomKills")
                || key.equals("limitHits");
    }

    private static final BigDecimal TOLERANCE = new BigDecimal("0.001");

    private Contract() {
    }

    /** Parses the snapshot JSON and checks its shape: one line, every key, right types. */
    public static Map<String, Object> parseSnapshot(String json) {
        String trimmed = json.endsWith("\n") ? json.substring(0, json.length() - 1) : json;
        assertFalse(trimmed.contains("\n"), () -> "the JSON must be one line: " + json);
        Map<String, Object> m = Json.parseObject(trimmed);
        for (String key : KEYS) {
            assertTrue(m.containsKey(key), () -> "contract key " + key + " missing from " + json);
        }
        for (Map.Entry<String, Object> e : m.entrySet()) {
            checkType(e.getKey(), e.getValue());
        }
        Object pressure = m.get("pressure");
        if (pressure != null) {
            assertTrue(pressure instanceof Map, "pressure must be an object or null");
            Map<?, ?> p = (Map<?, ?>) pressure;
            for (String key : PRESSURE_KEYS) {
                assertTrue(p.containsKey(key), () -> "pressure key " + key + " missing from " + json);
                checkType(key, p.get(key));
            }
        }
        Object warnings = m.get("warnings");
        assertTrue(warnings instanceof List, "warnings must be a list");
        for (Object w : (List<?>) warnings) {
            assertTrue(w instanceof String, () -> "warnings must be strings: " + w);
        }
        Object version = m.get("cgroupVersion");
        assertTrue(version == null || number(version).intValueExact() == 1 || number(version).intValueExact() == 2,
                () -> "cgroupVersion must be 1, 2 or null: " + version);
        assertTrue(m.get("approximate") instanceof Boolean, "approximate must be a boolean");
        return m;
    }

    private static void checkType(String key, Object v) {
        if (v == null) {
            return;
        }
        if (integerKey(key)) {
            assertTrue(v instanceof BigDecimal && ((BigDecimal) v).scale() == 0,
                    () -> key + " must be a JSON integer, was " + v);
        }
        if (key.endsWith("Bytes")) {
            assertTrue(((BigDecimal) v).signum() >= 0, () -> key + " must not be negative: " + v);
        }
    }

    public static BigDecimal number(Object v) {
        assertTrue(v instanceof BigDecimal, () -> "not a number: " + v);
        return (BigDecimal) v;
    }

    /** The value of a number key as a long, or null. */
    public static Long longOrNull(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : number(v).longValueExact();
    }

    /**
     * Compares every key of expected (except warnings) with actual: integers exactly, decimals
     * within a small tolerance, objects key by key, everything else by equals. Returns the
     * disagreements, one line each ("key: expected X, actual Y").
     */
    public static List<String> differences(Map<String, Object> expected, Map<String, Object> actual) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            if (e.getKey().equals("warnings")) {
                continue;
            }
            compare(e.getKey(), e.getValue(), actual.containsKey(e.getKey()), actual.get(e.getKey()), out);
        }
        return out;
    }

    private static void compare(String key, Object want, boolean present, Object got, List<String> out) {
        if (!present) {
            out.add(key + ": expected " + want + ", actual has no such key");
            return;
        }
        if (want instanceof Map && got instanceof Map) {
            Map<?, ?> w = (Map<?, ?>) want;
            Map<?, ?> g = (Map<?, ?>) got;
            for (Map.Entry<?, ?> e : w.entrySet()) {
                compare(key + "." + e.getKey(), e.getValue(), g.containsKey(e.getKey()), g.get(e.getKey()), out);
            }
            return;
        }
        if (want instanceof BigDecimal && got instanceof BigDecimal) {
            BigDecimal a = (BigDecimal) want;
            BigDecimal b = (BigDecimal) got;
            boolean integral = isIntegral(a) && isIntegral(b);
            boolean same = integral ? a.compareTo(b) == 0 : a.subtract(b).abs().compareTo(TOLERANCE) <= 0;
            if (!same) {
                out.add(key + ": expected " + a.toPlainString() + ", actual " + b.toPlainString());
            }
            return;
        }
        if (want == null ? got != null : !want.equals(got)) {
            out.add(key + ": expected " + want + ", actual " + got);
        }
    }

    private static boolean isIntegral(BigDecimal v) {
        return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
    }

    /** Each expected lowercase substring must appear, case-insensitively, in some actual warning. */
    public static List<String> missingWarnings(Object expected, Object actual) {
        List<String> out = new ArrayList<>();
        if (expected == null) {
            return out;
        }
        assertTrue(expected instanceof List, "expected warnings must be a list of substrings");
        assertNotNull(actual, "actual warnings");
        for (Object want : (List<?>) expected) {
            String needle = String.valueOf(want).toLowerCase(Locale.ROOT);
            boolean found = false;
            for (Object w : (List<?>) actual) {
                if (String.valueOf(w).toLowerCase(Locale.ROOT).contains(needle)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                out.add("warnings: no warning contains \"" + want + "\" in " + actual);
            }
        }
        return out;
    }

    /** Fails listing every difference at once. */
    public static void assertNoDifferences(String what, List<String> differences) {
        if (!differences.isEmpty()) {
            fail(what + ": " + differences.size() + " difference(s)\n  " + String.join("\n  ", differences));
        }
        assertEquals(0, differences.size());
    }
}
