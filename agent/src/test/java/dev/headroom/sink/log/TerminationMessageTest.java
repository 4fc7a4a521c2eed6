package dev.headroom.sink.log;

import dev.headroom.runtime.LogSink;

import dev.headroom.analysis.Analyzer;
import dev.headroom.analysis.Assessment;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The termination message: at most 4096 bytes, cut on a character, and whole after every write. */
class TerminationMessageTest {

    private static final long MIB = 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;

    private static CgroupLocation location;
    private final List<String> logged = new ArrayList<>();
    private final LogSink sink = new LogSink() {
        @Override
        public void write(Severity severity, String line) {
            logged.add(severity + " " + line);
        }
    };

    @BeforeAll
    static void discover() {
        location = new CgroupDiscovery(new ChannelFileSource(), "src/test/resources/fixtures/v1-docker/root").discover();
    }

    // ---- fit -------------------------------------------------------------------------------

    @Test
    void shortMessagesAreKeptWhole() {
        assertArrayEquals("headroom WARNING\n".getBytes(StandardCharsets.UTF_8), TerminationMessage.fit("headroom WARNING\n"));
        String exactly = "x".repeat(4096);
        assertArrayEquals(exactly.getBytes(StandardCharsets.UTF_8), TerminationMessage.fit(exactly));
    }

    @Test
    void longAsciiIsCutAt4096() {
        byte[] b = TerminationMessage.fit("y".repeat(10_000));
        assertEquals(4096, b.length);
    }

    @Test
    void multiByteTextIsCutOnACharacterBoundaryAtEveryOffset() throws Exception {
        // 2-, 3- and 4-byte characters, shifted by every possible ASCII prefix length
        String[] chars = {"\u00e9", "\u20ac", "\ud83d\udca5"};
        for (String c : chars) {
            for (int prefix = 0; prefix < 4; prefix++) {
                String message = "a".repeat(prefix) + c.repeat(3000);
                byte[] b = TerminationMessage.fit(message);
                int width = c.getBytes(StandardCharsets.UTF_8).length;
                String where = width + "-byte characters after " + prefix + " ASCII";
                assertTrue(b.length <= 4096, where + ": " + b.length);
                assertTrue(b.length > 4096 - width, where + ": cut no more than one character early, " + b.length);
                String decoded = strictUtf8(b);
                assertTrue(message.startsWith(decoded), where);
            }
        }
    }

    // ---- write -----------------------------------------------------------------------------

    @Test
    void aShorterMessageOverALongerOneIsPaddedAndTheFileIsWholeAfterEachWrite(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("termination-log");
        TerminationMessage t = new TerminationMessage(file.toString(), new JvmDetails(), sink, new LogLines(false));

        String first = "headroom WARNING at 2024-01-01T00:00:00Z\n" + "grew: native +100.0 MiB\n".repeat(10);
        t.write(first);
        assertEquals(first, read(file));

        String second = "headroom CRITICAL at 2024-01-01T00:00:05Z\nshort\n";
        t.write(second);
        byte[] after = Files.readAllBytes(file);
        assertEquals(first.getBytes(StandardCharsets.UTF_8).length, after.length, "never shrinks below the longest message");
        String text = new String(after, StandardCharsets.UTF_8);
        assertTrue(text.startsWith(second), text);
        assertEquals(" ".repeat(after.length - second.length()), text.substring(second.length()), "padded with spaces");
        assertFalse(text.contains("native +100.0 MiB"), "nothing of the old message is left");
        assertEquals(second.strip(), text.strip());

        String third = "headroom CRITICAL\n" + "z".repeat(first.length() * 2);
        t.write(third);
        assertEquals(third, read(file), "a longer message is written whole");

        String huge = "headroom CRITICAL\n" + "\u20ac".repeat(5000);
        t.write(huge);
        byte[] cut = Files.readAllBytes(file);
        assertTrue(cut.length <= 4096, "at most 4096 bytes: " + cut.length);
        assertTrue(huge.startsWith(strictUtf8(cut).stripTrailing()));

        t.write("headroom WARNING again\n");
        byte[] last = Files.readAllBytes(file);
        assertTrue(last.length <= 4096, "still at most 4096 bytes: " + last.length);
        assertEquals("headroom WARNING again", strictUtf8(last).strip());
        assertEquals(List.of(), logged);
    }

    @Test
    void aFileThatCannotBeWrittenIsReportedOnceAndNeverThrows(@TempDir Path dir) {
        Path file = dir.resolve("missing-dir").resolve("termination-log");
        TerminationMessage t = new TerminationMessage(file.toString(), new JvmDetails(), sink, new LogLines(false));
        Analyzer analyzer = new Analyzer(Thresholds.defaults());
        for (int s = 0; s < 10; s++) {
            Assessment a = analyzer.assess(sample(s, 240 * MIB), jvm(0)); // CRITICAL throughout
            assertTrue(a.level.atLeast(Level.WARNING), a.level::toString);
            t.onAssessment(a);
        }
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(file.getParent()));
        assertEquals(1, logged.size(), logged::toString);
        assertTrue(logged.get(0).startsWith("ERROR [headroom] ERROR termination-message: cannot write " + file), logged.get(0));
    }

    // ---- onAssessment ------------------------------------------------------------------------

    @Test
    void nothingIsWrittenWhileHealthyAndTheSummaryOnceWarned(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("termination-log");
        TerminationMessage t = new TerminationMessage(file.toString(), new JvmDetails(), sink, new LogLines(false));
        Analyzer analyzer = new Analyzer(Thresholds.defaults());
        for (int s = 0; s < 5; s++) {
            Assessment a = analyzer.assess(sample(s, 100 * MIB), jvm(0));
            assertEquals(Level.OK, a.level);
            t.onAssessment(a);
        }
        assertFalse(Files.exists(file), "no file while OK");
        assertEquals(List.of(), listing(dir));

        Assessment warned = null;
        for (int s = 5; s < 12; s++) {
            warned = analyzer.assess(sample(s, 100 * MIB + (s - 4) * 20 * MIB), jvm((s - 4) * 20 * MIB));
            t.onAssessment(warned);
        }
        assertTrue(warned.level.atLeast(Level.WARNING), warned.level::toString);
        String text = read(file).stripTrailing();
        assertTrue(text.startsWith("headroom " + warned.level + " at "), text);
        assertTrue(text.contains("of 256.0 MiB"), text);
        // since the oldest OK sample of the window (0 s): 140 MiB in 11 s
        assertTrue(text.contains("grew in the last 11s: direct +140.0 MiB (+12.7 MiB/s)"), text);
        assertTrue(text.contains("OOM kills so far 0"), text);
        assertTrue(Files.size(file) <= 4096);
        assertEquals(text, t.summary(warned).stripTrailing());
    }

    @Test
    void theSummarySaysWhatReliefDidAndFreed(@TempDir Path dir) {
        dev.headroom.runtime.ReliefLog relief = new dev.headroom.runtime.ReliefLog();
        TerminationMessage t = new TerminationMessage(dir.resolve("termination-log").toString(), new JvmDetails(), sink,
                new LogLines(false), relief);
        Analyzer analyzer = new Analyzer(Thresholds.defaults());
        Assessment a = null;
        for (int s = 0; s < 3; s++) {
            a = analyzer.assess(sample(s, 240 * MIB), jvm(100 * MIB));
        }
        assertFalse(t.summary(a).contains("relief"), "nothing about relief before it did anything");
        relief.publish(new dev.headroom.runtime.Relief("heap", dev.headroom.runtime.Relief.Outcome.DONE,
                "heap committed 200.0 MiB -> 50.0 MiB, working set 243.0 MiB -> 95.0 MiB (a second after), in 180 ms: one full GC",
                150 * MIB, 180_000_000, 243 * MIB, 95 * MIB, 1_700_000_000_000L));
        String text = t.summary(a);
        assertTrue(text.contains("\nrelief freed 150.0 MiB in 1 action; heap at 2023-11-14T22:13:20.000Z: heap committed "
                + "200.0 MiB -> 50.0 MiB, working set 243.0 MiB -> 95.0 MiB (a second after), in 180 ms: one full GC\n"), text);
        assertTrue(text.indexOf("grew in the last") < text.indexOf("relief freed"), "after what grew: " + text);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static List<Path> listing(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static String read(Path file) throws Exception {
        return strictUtf8(Files.readAllBytes(file));
    }

    private static String strictUtf8(byte[] b) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    }

    private static JvmSnapshot jvm(long direct) {
        return new JvmSnapshot.Builder().heap(30 * MIB, 60 * MIB, 128 * MIB).metaspace(15 * MIB, 16 * MIB)
                .codeCache(8 * MIB, 8 * MIB).direct(1, direct, direct, 512 * MIB).threads(16, MIB).build();
    }

    private static Sample sample(long t, long anon) {
        long usage = anon + 10 * MIB;
        Sample.Builder b = new Sample.Builder().start(location, t * SECOND, 1_700_000_000_000L + t * 1000)
                .set(Metric.USAGE, usage).set(Metric.ANON, anon).set(Metric.INACTIVE_FILE, 0)
                .set(Metric.PROCESSES, 1).set(Metric.OOM_KILLS, 0);
        for (int i = 0; i < location.levels.size(); i++) {
            b.level(i, i == 0 ? 256 * MIB : Values.UNLIMITED, usage, 0);
        }
        return b.build();
    }
}
