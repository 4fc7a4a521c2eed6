package dev.headroom.cgroup;

import dev.headroom.cli.Main;
import dev.headroom.testing.Contract;
import dev.headroom.testing.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fixture tree under src/test/resources/fixtures/&lt;layout&gt;/ (root/ and expected.json)
 * goes through the same code path as the CLI ({@link Main#snapshot}) and must produce the
 * expected JSON, key by key, and a text report.
 */
class FixtureLayoutsTest {

    static final int MINIMUM_LAYOUTS = 12;

    static Path fixturesDir() {
        Path here = Path.of("src/test/resources/fixtures");
        if (Files.isDirectory(here)) {
            return here.toAbsolutePath();
        }
        return Path.of("agent/src/test/resources/fixtures").toAbsolutePath();
    }

    static List<Path> layouts() throws IOException {
        Path dir = fixturesDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("expected.json")))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void enoughLayouts() throws IOException {
        List<Path> layouts = layouts();
        assertTrue(layouts.size() >= MINIMUM_LAYOUTS, () -> "at least " + MINIMUM_LAYOUTS
                + " fixture layouts are required under " + fixturesDir() + ", found " + layouts.size() + ": " + layouts);
    }

    @TestFactory
    Stream<DynamicTest> json() throws IOException {
        return layouts().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName() + " json", () -> checkJson(dir)));
    }

    @TestFactory
    Stream<DynamicTest> text() throws IOException {
        return layouts().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName() + " text", () -> checkText(dir)));
    }

    private static Map<String, Object> expected(Path dir) throws IOException {
        Map<String, Object> expected = Json.parseObject(Files.readString(dir.resolve("expected.json"), StandardCharsets.UTF_8));
        for (String key : Contract.KEYS) {
            assertTrue(expected.containsKey(key), () -> dir.getFileName() + "/expected.json lacks contract key " + key);
        }
        return expected;
    }

    private static String root(Path dir) {
        Path root = dir.resolve("root");
        assertTrue(Files.isDirectory(root), () -> root + " is missing");
        return root.toString();
    }

    static void checkJson(Path dir) throws IOException {
        Map<String, Object> expected = expected(dir);
        String json = Main.snapshot(root(dir), true);
        Map<String, Object> actual = Contract.parseSnapshot(json);
        List<String> problems = new ArrayList<>(Contract.differences(expected, actual));
        problems.addAll(Contract.missingWarnings(expected.get("warnings"), actual.get("warnings")));
        Contract.assertNoDifferences(dir.getFileName() + " (actual: " + json.trim() + ")", problems);
    }

    static void checkText(Path dir) throws IOException {
        Map<String, Object> expected = expected(dir);
        String text = Main.snapshot(root(dir), false);
        assertFalse(text.isBlank(), "the text report is empty");
        assertFalse(text.contains("Exception"), () -> "the text report shows an exception:\n" + text);
        Object limit = expected.get("limitBytes");
        if (limit != null) {
            long bytes = Contract.number(limit).longValueExact();
            String human = humanBytes(bytes);
            assertTrue(text.contains(human), () -> "the text report should show the limit as " + human + ":\n" + text);
        } else {
            assertTrue(text.toLowerCase(Locale.ROOT).contains("unlimited"),
                    () -> "no limit: the text report should say unlimited:\n" + text);
        }
        Object cgroupDir = expected.get("cgroupDir");
        if (cgroupDir != null) {
            assertTrue(text.contains((String) cgroupDir), () -> "the text report should name " + cgroupDir + ":\n" + text);
        }
    }

    /** MiB with one decimal below 1 GiB, GiB with two above: the form a person reads. */
    static String humanBytes(long bytes) {
        double mib = bytes / (1024.0 * 1024);
        if (mib < 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", mib);
        }
        if (mib < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2f GiB", mib / 1024);
        }
        return String.format(Locale.ROOT, "%.2f TiB", mib / 1024 / 1024);
    }
}
