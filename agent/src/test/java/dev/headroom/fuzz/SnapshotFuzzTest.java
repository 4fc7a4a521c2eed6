package dev.headroom.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.headroom.analysis.Analyzer;
import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Headroom;
import dev.headroom.analysis.Thresholds;
import dev.headroom.parse.Values;
import dev.headroom.report.SnapshotJson;
import dev.headroom.report.SnapshotText;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;
import dev.headroom.runtime.SampleReader;
import dev.headroom.testing.Contract;
import dev.headroom.testing.FakeFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path from files to JSON: a fake file source serves fuzzed contents for the files of
 * one fixture layout, then SampleReader.read, Headroom.of, SnapshotJson.render (and the text
 * report and two analyzer ticks). Properties: nothing is thrown; the JSON is valid and keeps the
 * snapshot contract; every count is null or &gt;= 0; the usage shown is exactly what the usage
 * file says (never a number when the file is garbage); working set &lt;= usage; headroom &lt;= limit.
 *
 * <p>Input format ({@link #layout}): byte 0 picks the fixture layout ({@link #FIXTURES}, modulo);
 * the rest is split at NUL bytes, chunk i being the contents of the layout's i-th file (sorted by
 * path). A chunk of one byte 0x01 is a missing file, 0x02 an I/O error, 0x03 permission denied;
 * files without a chunk are missing. {@link FuzzSeeds} writes each fixture in this format.
 */
class SnapshotFuzzTest {

    static final String ROOT = "/fuzz";
    /** Fixture layouts (directories under fixtures/ with a root/). */
    static final List<String> FIXTURES;
    /** Per layout, the paths of its files relative to root/, sorted. */
    static final List<List<String>> FILES = new ArrayList<>();

    static {
        try {
            Path fixtures = Path.of(SnapshotFuzzTest.class.getResource("/fixtures").toURI());
            try (Stream<Path> dirs = Files.list(fixtures)) {
                FIXTURES = dirs.filter(d -> Files.isDirectory(d.resolve("root")))
                        .map(d -> d.getFileName().toString()).sorted().toList();
            }
            for (String name : FIXTURES) {
                Path root = fixtures.resolve(name).resolve("root");
                try (Stream<Path> walk = Files.walk(root)) {
                    FILES.add(walk.filter(Files::isRegularFile).map(p -> "/" + root.relativize(p).toString())
                            .sorted().toList());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fake tree an input stands for. */
    static FakeFiles layout(byte[] data) {
        FakeFiles files = new FakeFiles();
        if (data.length == 0) {
            return files;
        }
        List<String> paths = FILES.get(Math.floorMod(data[0], FIXTURES.size()));
        int file = 0;
        int start = 1;
        for (int i = 1; i <= data.length && file < paths.size(); i++) {
            if (i == data.length || data[i] == 0) {
                byte[] chunk = java.util.Arrays.copyOfRange(data, start, i);
                String path = ROOT + paths.get(file++);
                if (chunk.length == 1 && chunk[0] == 1) {
                    files.put(path + ".absent", new byte[0]); // keeps the directory, not the file
                } else if (chunk.length == 1 && chunk[0] == 2) {
                    files.put(path, FakeFiles.IO_ERROR);
                } else if (chunk.length == 1 && chunk[0] == 3) {
                    files.put(path, FakeFiles.DENIED);
                } else {
                    files.put(path, chunk);
                }
                start = i + 1;
            }
        }
        return files;
    }

    @FuzzTest
    void wholeTree(byte[] data) {
        FakeFiles files = layout(data);
        SampleReader reader = new SampleReader(files, ROOT);
        Analyzer analyzer = new Analyzer(new Thresholds(0.85, 0.95, 0.05, 60_000, 30_000, 10, 5));
        Sample s = reader.read(1_000_000_000L, 1_700_000_000_000L);
        check(s, files);
        Sample again = reader.read(2_000_000_000L, 1_700_000_001_000L);
        check(again, files);
        Assessment first = analyzer.assess(s);
        Assessment second = analyzer.assess(again);
        assertTrue(second.sequence > first.sequence);
        assertTrue(Double.isNaN(second.utilization) || second.utilization >= 0);
    }

    private static void check(Sample s, FakeFiles files) {
        Headroom h = Headroom.of(s);
        String json = SnapshotJson.render(s, h);
        assertNotNull(SnapshotText.render(s, h));
        Map<String, Object> m = Contract.parseSnapshot(json);
        for (String key : List.of("oomScore", "oomKills", "limitHits", "utilization")) {
            Object v = m.get(key);
            assertTrue(v == null || ((BigDecimal) v).signum() >= 0, () -> key + " negative in " + json);
        }
        Object pressure = m.get("pressure");
        if (pressure != null) {
            for (Object v : ((Map<?, ?>) pressure).values()) {
                assertTrue(v == null || ((BigDecimal) v).signum() >= 0, () -> "negative PSI in " + json);
            }
        }
        Long usage = Contract.longOrNull(m, "usageBytes");
        if (usage != null) {
            String file = ROOT + s.location.leaf() + (s.version() == 1 ? "/memory.usage_in_bytes" : "/memory.current");
            byte[] contents = files.get(file);
            assertNotNull(contents, () -> "usage " + usage + " shown, but " + file + " does not exist: " + json);
            assertEquals(Oracle.count(Oracle.latin1(contents)), usage.longValue(),
                    () -> "usage shown is not what " + file + " says: " + ParsersFuzzTest.show(Oracle.latin1(contents)));
        }
        Long workingSet = Contract.longOrNull(m, "workingSetBytes");
        if (workingSet != null) {
            assertNotNull(usage, "a working set without usage");
            assertTrue(workingSet <= usage, () -> "working set above usage: " + json);
        }
        Long headroom = Contract.longOrNull(m, "headroomBytes");
        if (headroom != null && Values.limited(h.bindingLimit)) {
            assertTrue(headroom <= h.bindingLimit, () -> "headroom above the binding limit: " + json);
        }
        long limit = h.limitBytes;
        assertTrue(limit == Values.UNLIMITED || limit == Values.UNKNOWN || limit >= 0);
        assertTrue(s.get(Metric.USAGE) == Values.UNKNOWN || s.get(Metric.USAGE) >= 0);
    }
}
