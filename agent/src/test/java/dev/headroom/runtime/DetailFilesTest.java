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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A calm tick reads the usage and memory.stat only; the detail (event counters, swap usage, PSI,
 * this process's status) is read at every tick that is not calm, at least every
 * {@link SampleReader#SETTLED_TICKS}th tick, and status as soon as the anonymous memory moved.
 * Real files: a copy of a fixture tree through {@link ChannelFileSource}, the clock driven by the test.
 */
class DetailFilesTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1000 * SECOND;

    @TempDir
    Path tmp;

    private Path root;
    private FaultyFiles files;
    private SampleReader reader;

    /** A reader over a copy of the fixture, counting reads, after its first (full) read at T0. */
    private void start(String fixture) throws IOException {
        root = ReaderFixtures.copy(tmp, fixture);
        files = new FaultyFiles(new ChannelFileSource());
        reader = new SampleReader(files, root.toString());
        reader.read(T0, 0, false);
        assertTrue(reader.processRead(), "the first tick reads everything");
    }

    @Test
    void v1CalmTicksReadUsageAndStatOnlyAndCountersWithinTheRefresh() throws IOException {
        start("v1-docker");
        Path dir = root.resolve("sys/fs/cgroup/memory");
        long before = files.reads();
        int stat = files.reads("memory.stat");
        int usage = files.reads("memory.usage_in_bytes");
        reader.read(T0 + SECOND, 0, true);
        assertEquals(2, files.reads() - before, "a calm tick reads two files");
        assertEquals(stat + 1, files.reads("memory.stat"));
        assertEquals(usage + 1, files.reads("memory.usage_in_bytes"));
        assertFalse(reader.processRead());

        // an OOM kill while calm: seen at the refresh, within SETTLED_TICKS ticks
        String oomControl = Files.readString(dir.resolve("memory.oom_control"));
        long kills = Long.parseLong(oomControl.replaceAll("(?s).*oom_kill (\\d+).*", "$1"));
        Files.writeString(dir.resolve("memory.oom_control"), oomControl.replace("oom_kill " + kills, "oom_kill " + (kills + 1)));
        int ticks = 0;
        Sample s;
        do {
            s = reader.read(T0 + (2 + ticks++) * SECOND, 0, true);
        } while (s.get(Metric.OOM_KILLS) == kills && ticks <= SampleReader.SETTLED_TICKS);
        assertEquals(kills + 1, s.get(Metric.OOM_KILLS), "the kill is seen");
        assertTrue(ticks <= SampleReader.SETTLED_TICKS, "within " + ticks + " calm ticks");
    }

    @Test
    void aTickThatIsNotCalmReadsTheDetail() throws IOException {
        start("v2-kubernetes");
        int events = files.reads("memory.events");
        int pressure = files.reads("memory.pressure");
        int status = files.reads("status");
        reader.read(T0 + SECOND, 0, true);
        assertEquals(events, files.reads("memory.events"), "calm: not read");
        reader.read(T0 + 2 * SECOND, 0, false);
        assertEquals(events + 1, files.reads("memory.events"));
        assertEquals(pressure + 1, files.reads("memory.pressure"));
        assertEquals(status + 1, files.reads("status"));
        assertTrue(reader.processRead());
    }

    @Test
    void calmTicksReadStatusAgainWhenAnonymousMemoryMoved() throws IOException {
        start("v1-docker");
        String stat = Files.readString(root.resolve("sys/fs/cgroup/memory/memory.stat"));
        int status = files.reads("status");
        files.contents("memory.stat", ReaderFixtures.movedAnon(stat, SampleReader.STALE_BYTES / 2));
        reader.read(T0 + SECOND, 0, true);
        assertFalse(reader.processRead(), "half a MiB: the process figures stand");
        assertEquals(status, files.reads("status"));
        files.contents("memory.stat", ReaderFixtures.movedAnon(stat, SampleReader.STALE_BYTES));
        reader.read(T0 + 2 * SECOND, 0, true);
        assertTrue(reader.processRead(), "a MiB: read again");
        assertEquals(status + 1, files.reads("status"));
    }

    @Test
    void v1SwapIsMemswMinusTheUsageOfTheSameTick() throws IOException {
        Path dir = ReaderFixtures.copy(tmp, "v1-docker").resolve("sys/fs/cgroup/memory");
        Files.writeString(dir.resolve("memory.usage_in_bytes"), (100L << 20) + "\n");
        Files.writeString(dir.resolve("memory.memsw.usage_in_bytes"), (110L << 20) + "\n");
        SampleReader swap = new SampleReader(new ChannelFileSource(), tmp.resolve("v1-docker").toString());
        assertEquals(10L << 20, swap.read(T0, 0, false).get(Metric.SWAP));
        // usage grows by 8 MiB; memsw, not read again while calm, must not turn that into less swap
        Files.writeString(dir.resolve("memory.usage_in_bytes"), (108L << 20) + "\n");
        Files.writeString(dir.resolve("memory.memsw.usage_in_bytes"), (118L << 20) + "\n");
        Sample calm = swap.read(T0 + SECOND, 0, true);
        assertEquals(108L << 20, calm.get(Metric.USAGE));
        assertEquals(10L << 20, calm.get(Metric.SWAP));
        assertEquals(10L << 20, swap.read(T0 + 2 * SECOND, 0, false).get(Metric.SWAP));
    }
}
