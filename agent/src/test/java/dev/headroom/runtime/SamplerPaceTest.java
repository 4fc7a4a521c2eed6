package dev.headroom.runtime;

import dev.headroom.agent.FaultInjectionTest;

import dev.headroom.analysis.Assessment;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.parse.Values;
import dev.headroom.report.LogLines;
import dev.headroom.testing.FaultyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sampler's pace: the slow interval while idle, a quick second sample (a rate needs two), and
 * ticks paced to the time left while the working set grows steeply toward the limit.
 */
class SamplerPaceTest {

    static final long MIB = 1L << 20;

    @TempDir
    Path tmp;

    @Test
    void steepGrowthShortensTheDelayToAnEighthOfTheTimeLeft() {
        // 200 MiB/s with 190 MiB left: 0.95 s to the limit, a tick every 118 ms
        assertEquals(118, Sampler.paceToLimit(1000, 200 * MIB, 190 * MIB));
        // and with 20 MiB left, 100 ms: never below 50 ms
        assertEquals(Sampler.MIN_DELAY_MILLIS, Sampler.paceToLimit(250, 200 * MIB, 20 * MIB));
        assertEquals(Sampler.MIN_DELAY_MILLIS, Sampler.paceToLimit(1000, 200 * MIB, 0));
        assertEquals(Sampler.MIN_DELAY_MILLIS, Sampler.paceToLimit(1000, 200 * MIB, -5 * MIB));
    }

    @Test
    void slowOrNoGrowthKeepsTheInterval() {
        // 10 MiB/s with 150 MiB left: 15 s to the limit, more than 8 intervals
        assertEquals(1000, Sampler.paceToLimit(1000, 10 * MIB, 150 * MIB));
        assertEquals(250, Sampler.paceToLimit(250, 10 * MIB, 150 * MIB));
        assertEquals(1000, Sampler.paceToLimit(1000, 0, 150 * MIB));
        assertEquals(1000, Sampler.paceToLimit(1000, -50 * MIB, 150 * MIB), "shrinking");
        assertEquals(1000, Sampler.paceToLimit(1000, Double.NaN, 150 * MIB), "one sample: no rate yet");
        assertEquals(1000, Sampler.paceToLimit(1000, 200 * MIB, Values.UNKNOWN), "no limit known");
        // a configured interval below the minimum is kept
        assertEquals(20, Sampler.paceToLimit(20, 200 * MIB, 20 * MIB));
    }

    @Test
    void pacesRealTicks() throws Exception {
        Path root = tmp.resolve("root");
        // 512 MiB limit, working set 334 MiB (65%: below warn - 10 points, where sampling speeds up)
        FaultInjectionTest.copy(Path.of("src/test/resources/fixtures/v1-docker/root"), root);
        FaultyFiles files = new FaultyFiles(new ChannelFileSource());
        Config config = Config.parse("root=" + root, Map.of(), Map.of());
        Sampler sampler = new Sampler(config, files, new CapturingSink(), new LogLines(false));
        assertEquals(1000, sampler.nextDelayMillis(), "before the first tick");

        Assessment first = sampler.tick();
        assertTrue(first.utilization > 0.6 && first.utilization < 0.7, () -> "utilization " + first.utilization);
        assertEquals(250, sampler.nextDelayMillis(), "the second sample comes at the fast interval");
        Thread.sleep(100);
        sampler.tick();
        assertEquals(750, sampler.nextDelayMillis(), "idle: the third sample on the one-second grid of the first");
        Thread.sleep(100);
        sampler.tick();
        assertEquals(1000, sampler.nextDelayMillis(), "still idle");

        // 40 MiB more within a few hundred milliseconds: limit at most a few seconds away
        long usage = Long.parseLong(new String(java.nio.file.Files.readAllBytes(
                root.resolve("sys/fs/cgroup/memory/memory.usage_in_bytes"))).trim());
        files.contents("memory.usage_in_bytes", (usage + 40 * MIB) + "\n");
        Thread.sleep(100);
        Assessment steep = sampler.tick();
        assertTrue(steep.recentGrowthBytesPerSecond > 0, () -> "growth " + steep.recentGrowthBytesPerSecond);
        long delay = sampler.nextDelayMillis();
        assertTrue(delay >= Sampler.MIN_DELAY_MILLIS && delay < 1000, () -> "paced to the limit: " + delay + " ms");
        assertEquals(Sampler.paceToLimit(1000, steep.recentGrowthBytesPerSecond, steep.headroom.headroomBytes), delay);
    }
}
