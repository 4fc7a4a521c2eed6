package dev.headroom.runtime;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Level;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.report.LogLines;
import dev.headroom.testing.FaultyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM breakdown is read every {@link SampleReader.SETTLED_TICKS}th tick while calm (healthy, far
 * from warn) and at every tick otherwise, and at once when the anonymous memory moved. Real sampler ticks over the v1-docker fixture, with
 * thresholds that make it calm or a warning, and this JVM's real MXBeans.
 */
class JvmBreakdownPaceTest {

    private static final String ROOT = Paths.get("src/test/resources/fixtures/v1-docker/root").toAbsolutePath().toString();

    private static Sampler sampler(String thresholds) {
        Config config = Config.parse("root=" + ROOT + "," + thresholds, Map.of(), Map.of());
        assertEquals(java.util.List.of(), config.problems());
        return new Sampler(config, new ChannelFileSource(), new CapturingSink(), new LogLines(false));
    }

    @Test
    void whileCalmTheBreakdownIsReadEverySoManyTicks() {
        Sampler s = sampler("warn=0.99,critical=0.995");
        Assessment first = s.tick();
        assertNotNull(first.jvm);
        assertEquals(Level.OK, first.level);
        // the first tick is never calm (a growth rate needs a second sample at the fast pace)
        Assessment second = s.tick();
        assertNotSame(first.jvm, second.jvm);
        int reads = 0;
        Assessment previous = second;
        for (int i = 0; i < 3 * SampleReader.SETTLED_TICKS; i++) {
            Assessment a = s.tick();
            assertTrue(a.utilization < 0.89, "calm: far from warn");
            if (a.jvm != previous.jvm) {
                reads++;
            }
            previous = a;
        }
        assertEquals(3, reads, "one read per " + SampleReader.SETTLED_TICKS + " calm ticks");
    }

    @Test
    void atWarningEveryTickReadsIt() {
        Sampler s = sampler("warn=0.10,critical=0.99");
        Assessment previous = s.tick();
        for (int i = 0; i < 2 * SampleReader.SETTLED_TICKS; i++) {
            Assessment a = s.tick();
            assertEquals(Level.WARNING, a.level);
            assertNotSame(previous.jvm, a.jvm);
            previous = a;
        }
    }

    @Test
    void whileCalmAMoveInAnonymousMemoryReadsItAtOnce(@TempDir Path tmp) throws Exception {
        // a JVM breakdown older than the sample would count what the JVM grew as native memory
        Path root = ReaderFixtures.copy(tmp, "v1-docker");
        FaultyFiles files = new FaultyFiles(new ChannelFileSource());
        Config config = Config.parse("root=" + root + ",warn=0.99,critical=0.995", Map.of(), Map.of());
        Sampler s = new Sampler(config, files, new CapturingSink(), new LogLines(false));
        s.tick();
        Assessment previous = s.tick();
        String stat = Files.readString(root.resolve("sys/fs/cgroup/memory/memory.stat"));
        for (int i = 1; i <= 2 * SampleReader.SETTLED_TICKS; i++) {
            // 2 MiB more anonymous memory at every tick: calm still, but the process moves
            files.contents("memory.stat", ReaderFixtures.movedAnon(stat, i * (2L << 20)));
            Assessment a = s.tick();
            assertTrue(a.utilization < 0.89, "calm: far from warn");
            assertNotSame(previous.jvm, a.jvm, "tick " + i + ": read again");
            previous = a;
        }
    }
}
