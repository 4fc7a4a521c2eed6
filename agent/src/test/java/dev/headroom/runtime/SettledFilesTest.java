package dev.headroom.runtime;

import dev.headroom.io.ChannelFileSource;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;
import dev.headroom.testing.FaultyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files whose values rarely change (limits, oom_score_adj) are not read every tick, yet a change
 * is seen within {@link SampleReader#SETTLED_NANOS} at the default interval (and at once when
 * v1's hierarchical_memory_limit moves); values that change every tick (usage) are read every tick.
 * Real files: a copy of a fixture tree, read through {@link ChannelFileSource}, clock driven by the test.
 */
class SettledFilesTest {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path tmp;

    private Path fixture(String name) throws IOException {
        return ReaderFixtures.copy(tmp, name);
    }

    /** Ticks one second apart from {@code start} until {@code seen}; the seconds it took. */
    private static long secondsUntil(SampleReader reader, long start, java.util.function.Predicate<Sample> seen) {
        for (long s = 1; s <= 60; s++) {
            if (seen.test(reader.read(start + s * SECOND, 0))) {
                return s;
            }
        }
        return Long.MAX_VALUE;
    }

    @Test
    void v1LimitChangeIsSeenWithinTheRefreshAndUsageEveryTick() throws IOException {
        Path root = fixture("v1-docker");
        Path dir = root.resolve("sys/fs/cgroup/memory");
        FaultyFiles files = new FaultyFiles(new ChannelFileSource());
        SampleReader reader = new SampleReader(files, root.toString());
        long t0 = 1000 * SECOND;
        Sample first = reader.read(t0, 0);
        assertEquals(512L << 20, first.levelLimit(0));
        int limitReads = files.reads("memory.limit_in_bytes");
        int usageReads = files.reads("memory.usage_in_bytes");
        for (int i = 1; i <= 3; i++) {
            reader.read(t0 + i * SECOND, 0);
        }
        assertEquals(limitReads, files.reads("memory.limit_in_bytes"), "the limit is not read every tick");
        assertEquals(usageReads + 3, files.reads("memory.usage_in_bytes"), "usage is read every tick");

        // the leaf's limit only (hierarchical_memory_limit unchanged): seen at the next refresh
        Files.writeString(dir.resolve("memory.limit_in_bytes"), (256L << 20) + "\n");
        Files.writeString(dir.resolve("memory.usage_in_bytes"), (100L << 20) + "\n");
        Sample next = reader.read(t0 + 4 * SECOND, 0);
        assertEquals(100L << 20, next.get(Metric.USAGE), "usage is fresh at every tick");
        long seconds = next.levelLimit(0) == 256L << 20 ? 0
                : secondsUntil(reader, t0 + 4 * SECOND, s -> s.levelLimit(0) == 256L << 20);
        assertTrue(seconds <= SampleReader.SETTLED_NANOS / SECOND, "limit change seen after " + seconds + " s");
    }

    @Test
    void v1HierarchicalLimitChangeRereadsEveryLimitAtTheNextTick() throws IOException {
        Path root = fixture("v1-docker");
        Path dir = root.resolve("sys/fs/cgroup/memory");
        SampleReader reader = new SampleReader(new ChannelFileSource(), root.toString());
        long t0 = 1000 * SECOND;
        reader.read(t0, 0);
        reader.read(t0 + SECOND, 0);
        Files.writeString(dir.resolve("memory.limit_in_bytes"), (256L << 20) + "\n");
        Path stat = dir.resolve("memory.stat");
        Files.writeString(stat, Files.readString(stat).replace("hierarchical_memory_limit 536870912",
                "hierarchical_memory_limit " + (256L << 20)));
        Sample moved = reader.read(t0 + 2 * SECOND, 0);
        assertEquals(256L << 20, moved.get(Metric.HIERARCHICAL_LIMIT));
        assertEquals(256L << 20, reader.read(t0 + 3 * SECOND, 0).levelLimit(0), "limits read again at the next tick");
    }

    @Test
    void v2LimitAndOomScoreAdjChangesAreSeenWithinTheRefresh() throws IOException {
        Path root = fixture("v2-kubernetes");
        FaultyFiles files = new FaultyFiles(new ChannelFileSource());
        SampleReader reader = new SampleReader(files, root.toString());
        long t0 = 1000 * SECOND;
        Sample first = reader.read(t0, 0);
        Path leaf = Path.of(root + first.levelDir(0));
        long limit = first.levelLimit(0);
        assertTrue(limit > 0, "the fixture's leaf has a limit");
        reader.read(t0 + SECOND, 0);
        int maxReads = files.reads("memory.max");
        int currentReads = files.reads("memory.current");
        reader.read(t0 + 2 * SECOND, 0);
        assertEquals(maxReads, files.reads("memory.max"), "limits are not read every tick");
        assertTrue(files.reads("memory.current") > currentReads, "usage is read every tick");

        Files.writeString(leaf.resolve("memory.max"), (limit / 2) + "\n");
        Files.writeString(root.resolve("proc/self/oom_score_adj"), "-997\n");
        long seconds = secondsUntil(reader, t0 + 2 * SECOND,
                s -> s.levelLimit(0) == limit / 2 && s.get(Metric.OOM_SCORE_ADJ) == -997);
        assertTrue(seconds <= SampleReader.SETTLED_NANOS / SECOND, "changes seen after " + seconds + " s");
    }

    @Test
    void atAFastIntervalTheRefreshComesEverySoManyTicks() throws IOException {
        Path root = fixture("v2-kubernetes");
        SampleReader reader = new SampleReader(new ChannelFileSource(), root.toString());
        long t0 = 1000 * SECOND;
        Sample first = reader.read(t0, 0);
        long limit = first.levelLimit(0);
        Files.writeString(Path.of(root + first.levelDir(0)).resolve("memory.max"), (limit / 2) + "\n");
        long step = 10_000_000L; // 10 ms
        int ticks = 0;
        Sample s;
        do {
            s = reader.read(t0 + ++ticks * step, 0);
        } while (s.levelLimit(0) != limit / 2 && ticks < 100);
        assertTrue(ticks <= SampleReader.SETTLED_TICKS, "seen after " + ticks + " ticks");
    }
}
