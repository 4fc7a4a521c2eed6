package dev.headroom.agent;

import dev.headroom.runtime.CapturingSink;
import dev.headroom.runtime.Config;
import dev.headroom.runtime.Sampler;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Headroom;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.parse.Values;
import dev.headroom.report.LogLines;
import dev.headroom.report.SnapshotJson;
import dev.headroom.sample.Metric;
import dev.headroom.testing.Contract;
import dev.headroom.testing.FaultyFiles;
import dev.headroom.testing.FaultyFiles.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Faults injected into the file-access layer while the real sampler thread runs (built as premain
 * builds it, at a 10 ms interval, over a copy of the v1-docker fixture tree): files disappear,
 * throw I/O and permission errors, shrink to empty, hold huge or negative numbers; counters go
 * backwards; the limit changes; the cgroup directory is deleted and recreated. Each time: ticks
 * keep being published, the value is unknown (never 0), the fault is logged once however many
 * ticks see it, nothing reaches the sampler's last-resort fault handler, and the value comes back
 * when the file does.
 */
public class FaultInjectionTest {

    private static final String CGROUP = "sys/fs/cgroup/memory";

    @TempDir
    Path tmp;
    private Path root;
    private FaultyFiles files;
    private CapturingSink sink;
    private Sampler sampler;
    private final List<Assessment> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        root = tmp.resolve("root");
        copy(Path.of("src/test/resources/fixtures/v1-docker/root"), root);
        files = new FaultyFiles(new ChannelFileSource());
        sink = new CapturingSink();
        Config config = Config.parse("root=" + root + ",interval=10ms,fastInterval=10ms",
                Map.of(), Map.of());
        assertEquals(List.of(), config.problems());
        sampler = HeadroomAgent.sampler(config, files, sink, new LogLines(false));
        sampler.addListener(published::add);
        sampler.start();
        awaitTicks(3);
    }

    @AfterEach
    void stop() {
        sampler.stop();
        assertEquals(0, sink.count("ERROR fault"), () -> "a fault reached the sampler's catch-all: " + sink.lines());
    }

    @Test
    void missingFileIsUnknownLoggedOnceAndComesBack() {
        long usage = awaitTicks(1).sample.get(Metric.USAGE);
        assertTrue(usage > 0);
        files.fail("memory.usage_in_bytes", Fault.MISSING);
        Assessment a = awaitUntil(x -> !Values.known(x.sample.get(Metric.USAGE)), "usage unknown");
        assertUnknownUsage(a);
        awaitTicks(20);
        assertEquals(1, sink.count("memory.usage_in_bytes: missing"), sink::toString);
        files.clear();
        awaitUntil(x -> x.sample.get(Metric.USAGE) == usage, "usage back");
    }

    @Test
    void ioErrorIsUnknownLoggedOnceAndComesBack() {
        long workingSet = awaitTicks(1).sample.workingSet();
        files.fail("memory.stat", Fault.IO_ERROR);
        Assessment a = awaitUntil(x -> !Values.known(x.sample.workingSet()), "working set unknown");
        assertTrue(Double.isNaN(a.utilization));
        assertNull(json(a).get("workingSetBytes"));
        awaitTicks(20);
        assertEquals(1, sink.count("memory.stat: unreadable (IOException"), () -> String.join("\n", sink.lines()));
        files.clear();
        awaitUntil(x -> x.sample.workingSet() == workingSet, "working set back");
    }

    @Test
    void permissionDeniedIsUnknownNotZero() {
        long limit = awaitTicks(1).sample.levelLimit(0);
        files.fail("memory.limit_in_bytes", Fault.DENIED);
        Assessment a = awaitUntil(x -> x.sample.levelLimit(0) == Values.UNKNOWN, "limit unknown");
        assertNotEquals(0L, a.headroom.limitBytes);
        awaitTicks(20);
        assertEquals(1, sink.count("AccessDeniedException"), () -> String.join("\n", sink.lines()));
        files.clear();
        awaitUntil(x -> x.sample.levelLimit(0) == limit, "limit back");
    }

    @Test
    void emptyFileIsUnknownLoggedOnce() {
        long usage = awaitTicks(1).sample.get(Metric.USAGE);
        files.fail("memory.usage_in_bytes", Fault.EMPTY);
        assertUnknownUsage(awaitUntil(x -> !Values.known(x.sample.get(Metric.USAGE)), "usage unknown"));
        awaitTicks(20);
        assertEquals(1, sink.count("memory.usage_in_bytes: not a valid number"), () -> String.join("\n", sink.lines()));
        files.clear();
        awaitUntil(x -> x.sample.get(Metric.USAGE) == usage, "usage back");
    }

    @Test
    void hugeAndNegativeNumbersAreUnknownAndHugeLimitsUnlimited() {
        files.contents("memory.usage_in_bytes", "99999999999999999999999\n");
        assertUnknownUsage(awaitUntil(x -> !Values.known(x.sample.get(Metric.USAGE)), "huge usage unknown"));
        files.contents("memory.usage_in_bytes", "-4096\n");
        awaitTicks(3);
        assertUnknownUsage(awaitTicks(1));
        files.contents("memory.failcnt", "-1\n");
        awaitUntil(x -> x.sample.get(Metric.LIMIT_HITS) == Values.UNKNOWN, "negative failcnt unknown");
        files.clear();
        files.contents("memory.limit_in_bytes", "18446744073709551615\n");
        awaitUntil(x -> x.sample.levelLimit(0) == Values.UNLIMITED, "u64 max limit is unlimited");
        files.contents("memory.limit_in_bytes", "9223372036854771712\n");
        awaitTicks(3);
        assertEquals(Values.UNLIMITED, awaitTicks(1).sample.levelLimit(0));
        for (Assessment a : published) {
            assertTrue(!Values.known(a.sample.get(Metric.USAGE)) || a.sample.get(Metric.USAGE) > 0);
            assertTrue(Double.isNaN(a.utilization) || a.utilization >= 0);
            assertTrue(a.newLimitHits >= 0 && a.newOomKills >= 0);
        }
    }

    @Test
    void countersGoingBackwardsAreNotEvents() {
        files.contents("memory.failcnt", "100\n");
        files.contents("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
        awaitUntil(x -> x.sample.get(Metric.LIMIT_HITS) == 100 && x.sample.get(Metric.OOM_KILLS) == 3, "counters");
        awaitTicks(2);
        int from = published.size();
        long oomKillLines = sink.count("oom-kill");
        files.contents("memory.failcnt", "5\n");
        files.contents("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        awaitUntil(x -> x.sample.get(Metric.LIMIT_HITS) == 5 && x.sample.get(Metric.OOM_KILLS) == 1, "went back");
        awaitTicks(3);
        for (Assessment a : published.subList(from, published.size())) {
            assertFalse(a.has(Assessment.LIMIT_HIT) || a.has(Assessment.OOM_KILL), "a counter going back is no event");
            assertEquals(0, a.newLimitHits);
            assertEquals(0, a.newOomKills);
        }
        files.contents("memory.failcnt", "7\n");
        Assessment up = awaitUntil(x -> x.has(Assessment.LIMIT_HIT), "counting again from the new value");
        assertEquals(2, up.newLimitHits);
        assertEquals(oomKillLines, sink.count("oom-kill"), () -> String.join("\n", sink.lines()));
    }

    @Test
    void limitChangeIsSeenAndLoggedOnce() {
        Assessment before = awaitTicks(1);
        long limit = before.sample.levelLimit(0);
        // lower: v1's hierarchical_memory_limit (memory.stat) keeps binding at the old limit otherwise
        files.contents("memory.limit_in_bytes", (limit / 2) + "\n");
        Assessment changed = awaitUntil(x -> x.has(Assessment.LIMIT_CHANGED), "limit change");
        assertEquals(limit / 2, changed.sample.levelLimit(0));
        assertEquals(limit / 2, changed.headroom.bindingLimit);
        awaitTicks(20);
        assertEquals(1, sink.count("limit-change"), () -> String.join("\n", sink.lines()));
        files.clear();
        awaitUntil(x -> x.sample.levelLimit(0) == limit, "limit back");
    }

    /**
     * The cgroup directory of the copied tree is really deleted, then recreated with other
     * values. While it is gone the leaf's values must be unknown; once it is back they must be
     * the new ones (the channel kept open on the old file must not keep serving old contents).
     */
    @Test
    void cgroupDirectoryRemovedAndRecreated() throws IOException {
        long usage = awaitTicks(1).sample.get(Metric.USAGE);
        Path dir = root.resolve(CGROUP);
        Path saved = tmp.resolve("saved");
        copy(dir, saved);
        delete(dir);
        Assessment deleted = awaitUntil(x -> !Values.known(x.sample.get(Metric.USAGE)),
                "usage unknown while the cgroup directory is gone", 5_000);
        assertUnknownUsage(deleted);
        long sequence = deleted.sequence;
        awaitTicks(20);
        Assessment gone = awaitTicks(1);
        assertTrue(gone.sequence >= sequence + 20, "ticks keep coming");
        copy(saved, dir);
        Files.writeString(dir.resolve("memory.usage_in_bytes"), (usage / 2) + "\n", StandardCharsets.US_ASCII);
        awaitUntil(x -> x.sample.get(Metric.USAGE) == usage / 2, "the recreated cgroup's usage "
                + (usage / 2) + " (last seen while deleted: " + gone.sample.get(Metric.USAGE) + ")", 15_000);
    }

    // ---------------------------------------------------------------------------------- helpers

    private static void assertUnknownUsage(Assessment a) {
        assertEquals(Values.UNKNOWN, a.sample.get(Metric.USAGE));
        assertEquals(Values.UNKNOWN, a.sample.workingSet());
        assertEquals(Values.UNKNOWN, a.headroom.headroomBytes);
        assertTrue(Double.isNaN(a.utilization));
        Map<String, Object> m = json(a);
        assertNull(m.get("usageBytes"));
        assertNull(m.get("workingSetBytes"));
        assertNull(m.get("headroomBytes"));
    }

    private static Map<String, Object> json(Assessment a) {
        return Contract.parseSnapshot(SnapshotJson.render(a.sample, Headroom.of(a.sample)));
    }

    /** Waits for n more published ticks; fails when the sampler stops publishing. */
    private Assessment awaitTicks(int n) {
        Assessment now = sampler.latest();
        long target = (now == null ? -1 : now.sequence) + n;
        return awaitUntil(x -> x.sequence >= target, n + " more ticks");
    }

    private Assessment awaitUntil(Predicate<Assessment> condition, String what) {
        return awaitUntil(condition, what, 5_000);
    }

    private Assessment awaitUntil(Predicate<Assessment> condition, String what, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            Assessment a = sampler.latest();
            if (a != null && condition.test(a)) {
                return a;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        Assessment last = sampler.latest();
        fail("timed out waiting for " + what + "; last tick " + (last == null ? "none" : last.sequence
                + " usage " + last.sample.get(Metric.USAGE) + " warnings " + last.sample.warnings)
                + "\nlog:\n" + String.join("\n", sink.lines()));
        return null;
    }

    public static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
        assertNotNull(dir);
    }
}
