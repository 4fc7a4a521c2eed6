package dev.headroom.sink.log;

import dev.headroom.analysis.Analyzer;
import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Component;
import dev.headroom.analysis.Level;
import dev.headroom.analysis.Thresholds;
import dev.headroom.cgroup.CgroupDiscovery;
import dev.headroom.sample.CgroupLocation;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.Values;
import dev.headroom.report.LogLines;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;
import dev.headroom.testing.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warning line's answer to "what grew": text for people, JSON fields for machines. */
public class JvmDetailsTest {

    private static final long MIB = 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final long LIMIT = 256 * MIB;
    public static final Set<String> TOP_GROWERS =
            Set.of("heap", "metaspace", "codecache", "direct", "mapped", "threads", "native", "pagecache", "other");

    private static CgroupLocation location;
    private final JvmDetails details = new JvmDetails();

    @BeforeAll
    static void discover() {
        location = new CgroupDiscovery(new ChannelFileSource(), "src/test/resources/fixtures/v1-docker/root").discover();
    }

    @Test
    void textNamesTheTopGrowersWithRatesAndTheNativeGap() {
        // native +6 MiB/s, direct +3 MiB/s, heap +1 MiB/s, threads +0.5 MiB/s (2 threads of 1 MiB every 4 s)
        Assessment a = run(20, t -> new long[] {6 * MIB * t, 3 * MIB * t, MIB * t, t / 4 * 2});
        assertTrue(a.level.atLeast(Level.WARNING), a.level::toString);
        String text = details.text(a);
        assertNotNull(text);
        assertTrue(text.startsWith("grew in the last 20s: native +120.0 MiB (+6.0 MiB/s), direct +60.0 MiB (+3.0 MiB/s), "
                + "heap +20.0 MiB (+1.0 MiB/s)"), text);
        // only the three biggest are named
        assertFalse(text.contains("threads +"), text);
        // the native gap: 15 MiB at the start plus 120 MiB
        assertTrue(text.contains("; native memory the JVM does not account for: 135.0 MiB, +6.0 MiB/s "
                + "(glibc arenas, JNI or a native library)"), text);
        assertTrue(text.contains("; JVM: heap 40.0 MiB used, 100.0 MiB committed of 512.0 MiB max, metaspace 20.0 MiB, "
                + "code cache 10.0 MiB, direct 64.0 MiB in 1 buffers of 512.0 MiB max, mapped 0 B, threads 40 "
                + "(40.0 MiB of stacks)"), text);
    }

    @Test
    void textSaysSoWhenNothingGrewByOneMebibyte() {
        Assessment a = run(3, t -> new long[] {0, 0, 0, 0}, Level.WARNING);
        String text = details.text(a);
        assertTrue(text.startsWith("no component grew by 1 MiB or more since the last OK state; native memory"), text);
        assertEquals(Component.OTHER, a.topGrower());
    }

    @Test
    void textWithoutAJvmSnapshotHasNoGapAndNoBreakdown() {
        Analyzer analyzer = new Analyzer(Thresholds.defaults());
        Assessment a = null;
        for (int t = 0; t <= 5; t++) {
            long anon = 150 * MIB + t * 10 * MIB;
            a = analyzer.assess(sample(t, anon + 60 * MIB, anon, 0), null);
        }
        String text = details.text(a);
        assertNotNull(text);
        assertFalse(text.contains("native memory"), text);
        assertFalse(text.contains("JVM:"), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "direct", "native", "threads"})
    void jsonFieldsParseAndHoldTheTopGrower(String kind) {
        Assessment a = run(15, t -> {
            long[] g = new long[4];
            long bytes = 7 * MIB * t;
            switch (kind) {
                case "native": g[0] = bytes; break;
                case "direct": g[1] = bytes; break;
                case "heap": g[2] = bytes; break;
                default: g[3] = 7 * t; break;
            }
            g[kind.equals("heap") ? 0 : 2] += MIB * t; // a smaller second grower
            return g;
        });
        Map<String, Object> line = jsonLine(a);
        assertEquals(kind, line.get("topGrower"), line::toString);
        assertTrue(TOP_GROWERS.contains((String) line.get("topGrower")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> growers = (List<Map<String, Object>>) line.get("growers");
        assertEquals(2, growers.size(), line::toString);
        assertEquals(kind, growers.get(0).get("component"));
        assertEquals(BigDecimal.valueOf(7 * MIB * 15), growers.get(0).get("bytes"));
        assertEquals(7.0 * MIB, ((BigDecimal) growers.get(0).get("bytesPerSecond")).doubleValue(), 0.01 * MIB);
        assertEquals(kind.equals("heap") ? "native" : "heap", growers.get(1).get("component"));
        assertEquals(a.nativeGapBytes(), ((BigDecimal) line.get("nativeGapBytes")).longValueExact());
        assertEquals(a.nativeGapBytesPerSecond(), ((BigDecimal) line.get("nativeGapBytesPerSecond")).doubleValue(), 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> jvm = (Map<String, Object>) line.get("jvm");
        assertEquals(BigDecimal.valueOf(a.jvm.heapCommitted), jvm.get("heapCommittedBytes"));
        assertEquals(BigDecimal.valueOf(a.jvm.directCapacity), jvm.get("directBytes"));
        assertEquals(BigDecimal.valueOf(a.jvm.threads), jvm.get("threads"));
        assertEquals(BigDecimal.valueOf(a.jvm.threadStackBytes()), jvm.get("threadStackBytes"));
        // and the text part of the same line names it
        assertTrue(((String) line.get("message")).contains("grew in the last 15s: " + kind + " +"), line::toString);
    }

    @Test
    void jsonFieldsForOtherAndForUnknown() {
        Map<String, Object> other = jsonLine(run(3, t -> new long[] {0, 0, 0, 0}, Level.WARNING));
        assertEquals("other", other.get("topGrower"));
        assertEquals(List.of(), other.get("growers"));

        // nothing measurable at all: no JVM, no cgroup numbers
        Assessment unknown = new Analyzer(Thresholds.defaults()).assess(new Sample.Builder().start(location, 0, 0).build(), null);
        assertNull(unknown.topGrower());
        Map<String, Object> line = jsonLine(unknown);
        assertTrue(line.containsKey("topGrower"), line::toString);
        assertNull(line.get("topGrower"));
        assertFalse(line.containsKey("jvm"), line::toString);
    }

    @Test
    void unknownPoolsAreNullInJsonAndNaInText() {
        JvmSnapshot bare = new JvmSnapshot.Builder().heap(10 * MIB, 20 * MIB, 100 * MIB).threads(5, MIB).build();
        Assessment a = new Analyzer(Thresholds.defaults()).assess(sample(0, 100 * MIB, 80 * MIB, 0), bare);
        Map<String, Object> line = jsonLine(a);
        @SuppressWarnings("unchecked")
        Map<String, Object> jvm = (Map<String, Object>) line.get("jvm");
        assertTrue(jvm.containsKey("metaspaceCommittedBytes"));
        assertNull(jvm.get("metaspaceCommittedBytes"));
        assertNull(jvm.get("directBytes"));
        assertEquals(BigDecimal.valueOf(80 * MIB - 25 * MIB), line.get("nativeGapBytes"));
        assertTrue(details.text(a).contains("metaspace n/a, code cache n/a, direct n/a"), details.text(a));
    }

    @Test
    void theTextLineReadsAsOneLine() {
        Assessment a = run(20, t -> new long[] {6 * MIB * t, 0, 0, 0});
        String line = new LogLines(false).event("WARNING", "level", a, "OK -> WARNING (trend)", details.text(a), null);
        assertFalse(line.contains("\n"), line);
        Matcher m = Pattern.compile("native \\+(\\d+\\.\\d) MiB \\(\\+(\\d+\\.\\d) MiB/s\\)").matcher(line);
        assertTrue(m.find(), line);
        assertEquals("120.0", m.group(1));
        assertEquals("6.0", m.group(2));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private Map<String, Object> jsonLine(Assessment a) {
        String line = new LogLines(true).event("WARNING", "status", a, "still WARNING", details.text(a), details.jsonFields(a));
        return Json.parseObject(line);
    }

    interface Growth {
        /** {native bytes, direct bytes, heap bytes, threads} added by second t. */
        long[] at(long t);
    }

    private static Assessment run(int seconds, Growth growth) {
        return run(seconds, growth, null);
    }

    /** Runs the analyzer over the series; a forced level drives the attribution when given. */
    private static Assessment run(int seconds, Growth growth, Level force) {
        Analyzer analyzer = new Analyzer(Thresholds.defaults());
        Assessment a = null;
        for (int t = 0; t <= seconds; t++) {
            long[] g = growth.at(t);
            JvmSnapshot j = new JvmSnapshot.Builder().heap(40 * MIB, 80 * MIB + g[2], 512 * MIB)
                    .metaspace(18 * MIB, 20 * MIB).codeCache(9 * MIB, 10 * MIB)
                    .direct(1, 4 * MIB + g[1], 4 * MIB + g[1], 512 * MIB).mapped(0, 0, 0)
                    .threads(30 + (int) g[3], MIB).build();
            long anon = j.accountedAnon() + 15 * MIB + g[0];
            long usage = anon + 10 * MIB + (force == null ? 0 : LIMIT); // forced: far above warn from the start
            a = analyzer.assess(sample(t, usage, anon, 0), j);
        }
        if (force != null) {
            assertTrue(a.level.atLeast(force), a.level::toString);
        }
        return a;
    }

    private static Sample sample(long t, long usage, long anon, long inactiveFile) {
        Sample.Builder b = new Sample.Builder().start(location, t * SECOND, 1_700_000_000_000L + t * 1000)
                .set(Metric.USAGE, usage).set(Metric.ANON, anon).set(Metric.INACTIVE_FILE, inactiveFile)
                .set(Metric.PROCESSES, 1);
        for (int i = 0; i < location.levels.size(); i++) {
            b.level(i, i == 0 ? LIMIT : Values.UNLIMITED, usage, inactiveFile);
        }
        return b.build();
    }
}
