package dev.headroom.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness is only as strict as its parser and comparison: test them too. */
class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject(
                " {\"a\":1,\"b\":-2.5e1,\"c\":\"x\\\"\\\\\\n\\u0041\",\"d\":[true,false,null,{}],\"e\":{\"f\":[]},\"g\":0.0001} ");
        assertEquals(new BigDecimal("1"), m.get("a"));
        assertEquals(0, new BigDecimal("-25").compareTo((BigDecimal) m.get("b")));
        assertEquals("x\"\\\nA", m.get("c"));
        assertEquals(Arrays.asList(true, false, null, Map.of()), m.get("d"));
        assertEquals(Map.of("f", List.of()), m.get("e"));
        assertEquals(List.of("a", "b", "c", "d", "e", "g"), List.copyOf(m.keySet()));
        assertEquals(new BigDecimal("9223372036854775808"), Json.parse("9223372036854775808"));
        assertNull(Json.parse("null"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{a:1}", "{\"a\" 1}", "01", "1.", "-", "+1", ".5",
        "\"raw\nnewline\"", "\"bad \\x escape\"", "tru", "nul", "{\"a\":1}{}", "{\"a\":1,\"a\":2}", "NaN", "'x'"})
    void rejectsInvalidJson(String text) {
        assertThrows(IllegalArgumentException.class, () -> Json.parse(text), () -> "accepted: " + text);
    }

    @Test
    void comparisonIsExactForIntegersAndTolerantForDecimals() {
        Map<String, Object> expected = Json.parseObject(
                "{\"n\":268435456,\"d\":0.02,\"z\":0.0,\"s\":\"x\",\"o\":{\"k\":1},\"nul\":null,\"warnings\":[\"a\"]}");
        assertEquals(List.of(), Contract.differences(expected, Json.parseObject(
                "{\"n\":268435456,\"d\":0.0201,\"z\":0,\"s\":\"x\",\"o\":{\"k\":1,\"extra\":2},\"nul\":null,\"more\":1,\"warnings\":[]}")));
        List<String> diff = Contract.differences(expected, Json.parseObject(
                "{\"n\":268435457,\"d\":0.03,\"z\":null,\"s\":\"y\",\"o\":{\"k\":2},\"nul\":0}"));
        assertEquals(6, diff.size(), diff::toString);
        assertTrue(diff.get(0).startsWith("n:"), diff::toString);
        assertEquals(1, Contract.differences(Map.of("n", BigDecimal.ONE), Map.of()).size(), "a missing key is a difference");
        assertEquals(1, Contract.differences(Json.parseObject("{\"n\":1}"), Json.parseObject("{\"n\":1.5}")).size());
    }

    @Test
    void warningsAreCaseInsensitiveSubstrings() {
        assertEquals(List.of(), Contract.missingWarnings(List.of("total_rss", "approximate"),
                List.of("/x/memory.stat: no valid TOTAL_RSS", "reading /sys (Approximate)")));
        assertEquals(1, Contract.missingWarnings(List.of("oom_kill"), List.of("memory.failcnt: missing")).size());
    }
}
