package dev.headroom.analysis;

import dev.headroom.cgroup.CgroupDiscovery;
import dev.headroom.sample.CgroupLocation;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.Values;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM breakdown arithmetic (what the JVM accounts for, the anonymous base, the native gap)
 * and growth attribution over synthetic series: which component grew since the last OK state,
 * and how fast.
 */
class AttributionTest {

    private static final long MIB = 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final long LIMIT = 256 * MIB;

    private static CgroupLocation location;

    @BeforeAll
    static void discover() {
        location = new CgroupDiscovery(new ChannelFileSource(), "src/test/resources/fixtures/v1-docker/root").discover();
        assertEquals(1, location.version, location::toString);
    }

    // ---- breakdown arithmetic -------------------------------------------------------------

    @Test
    void accountedAnonAddsCommittedPoolsBuffersAndStacksButNotMappedBuffers() {
        JvmSnapshot j = new JvmSnapshot.Builder()
                .heap(40 * MIB, 100 * MIB, 400 * MIB)
                .metaspace(18 * MIB, 20 * MIB)
                .codeCache(9 * MIB, 10 * MIB)
                .direct(3, 30 * MIB, 32 * MIB, 64 * MIB)
                .mapped(2, 50 * MIB, 50 * MIB)
                .threads(12, 512 * 1024)
                .build();
        assertEquals(12 * 512 * 1024L, j.threadStackBytes());
        // committed heap + metaspace + code cache + direct capacity + stacks; mapped is file-backed
        assertEquals(100 * MIB + 20 * MIB + 10 * MIB + 32 * MIB + 6 * MIB, j.accountedAnon());
    }

    @Test
    void accountedAnonCountsUnknownPoolsAsNothing() {
        // a JVM without the pools (-1): heap and stacks only
        JvmSnapshot j = new JvmSnapshot.Builder().heap(1 * MIB, 64 * MIB, 128 * MIB).threads(3, MIB).build();
        assertEquals(-1, j.metaspaceCommitted);
        assertEquals(-1, j.directCapacity);
        assertEquals(64 * MIB + 3 * MIB, j.accountedAnon());
    }

    @Test
    void threadStackBytesDoNotOverflowForManyThreadsWithLargeStacks() {
        JvmSnapshot j = new JvmSnapshot.Builder().threads(5000, 1024 * MIB).build();
        assertEquals(5000L * 1024 * MIB, j.threadStackBytes());
    }

    @Test
    void anonBaseIsTheCgroupAnonWhenTheJvmIsAloneInItsCgroup() {
        Sample s = sample(0, 200 * MIB, 150 * MIB, 0).set(Metric.PROCESSES, 1).set(Metric.RSS_ANON, 140 * MIB).build();
        assertEquals(150 * MIB, Component.anonBase(s));
    }

    @Test
    void anonBaseIsRssAnonWhenTheCgroupHasOtherProcesses() {
        Sample s = sample(0, 200 * MIB, 150 * MIB, 0).set(Metric.PROCESSES, 3).set(Metric.RSS_ANON, 90 * MIB).build();
        assertEquals(90 * MIB, Component.anonBase(s));
    }

    @Test
    void anonBaseIsRssAnonWhenTheProcessCountIsUnknown() {
        Sample s = sample(0, 200 * MIB, 150 * MIB, 0).set(Metric.RSS_ANON, 90 * MIB).build();
        assertEquals(90 * MIB, Component.anonBase(s));
    }

    @Test
    void anonBaseFallsBackToTheCgroupAnonWithoutRssAnon() {
        Sample s = sample(0, 200 * MIB, 150 * MIB, 0).set(Metric.PROCESSES, 3).build();
        assertEquals(150 * MIB, Component.anonBase(s));
    }

    @Test
    void nativeGapIsAnonBaseMinusWhatTheJvmAccountsFor() {
        JvmSnapshot j = jvm(100 * MIB, 20 * MIB, 10 * MIB, 16 * MIB, 0, 10);
        long accounted = 100 * MIB + 20 * MIB + 10 * MIB + 16 * MIB + 10 * MIB;
        assertEquals(accounted, j.accountedAnon());

        Sample alone = sample(0, 230 * MIB, 200 * MIB, 0).set(Metric.PROCESSES, 1).set(Metric.RSS_ANON, 190 * MIB).build();
        assertEquals(200 * MIB - accounted, Component.nativeGap(alone, j));

        Sample shared = sample(0, 230 * MIB, 200 * MIB, 0).set(Metric.PROCESSES, 2).set(Metric.RSS_ANON, 190 * MIB).build();
        assertEquals(190 * MIB - accounted, Component.nativeGap(shared, j));
    }

    @Test
    void nativeGapIsZeroWhenTheJvmHasCommittedMoreThanIsResidentAndUnknownWithoutTheJvmOrAnon() {
        JvmSnapshot j = jvm(300 * MIB, 0, 0, 0, 0, 0); // committed heap not yet touched
        Sample s = sample(0, 150 * MIB, 120 * MIB, 0).set(Metric.PROCESSES, 1).build();
        assertEquals(0, Component.nativeGap(s, j));
        Assessment a = new Analyzer(Thresholds.defaults()).assess(s, j);
        assertEquals(0, a.nativeGapBytes());
        assertEquals(Values.UNKNOWN, Component.nativeGap(s, null));
        Sample noAnon = new Sample.Builder().start(location, 0, 0).set(Metric.PROCESSES, 1).build();
        assertEquals(Values.UNKNOWN, Component.nativeGap(noAnon, j));
    }

    @Test
    void assessmentReportsTheSameNativeGap() {
        JvmSnapshot j = jvm(64 * MIB, 16 * MIB, 8 * MIB, 0, 0, 20);
        Sample s = sample(0, 160 * MIB, 150 * MIB, 0).set(Metric.PROCESSES, 1).build();
        Assessment a = new Analyzer(Thresholds.defaults()).assess(s, j);
        assertEquals(150 * MIB - (64 + 16 + 8 + 20) * MIB, a.nativeGapBytes());
        assertEquals(Component.nativeGap(s, j), a.nativeGapBytes());
        assertTrue(Double.isNaN(new Analyzer(Thresholds.defaults()).assess(s, null).nativeGapBytesPerSecond()));
    }

    @Test
    void nativeGapHasOneMeaningInTheMeterJmxTheReportAndTheLog() {
        // 370 MiB of heap committed, 120 MiB of anonymous memory resident: nothing unaccounted is resident
        JvmSnapshot committed = jvm(370 * MIB, 0, 0, 0, 0, 0);
        // and 40 MiB of native memory beyond everything the JVM accounts for
        JvmSnapshot small = jvm(64 * MIB, 8 * MIB, 8 * MIB, 0, 0, 10);
        Sample s = sample(0, 150 * MIB, 120 * MIB, 0).set(Metric.PROCESSES, 1).build();
        Sample t = sample(0, 150 * MIB, 130 * MIB, 0).set(Metric.PROCESSES, 1).build();
        for (Object[] c : new Object[][] {{s, committed, 0L}, {t, small, 130 * MIB - (64 + 8 + 8 + 10) * MIB}}) {
            Assessment a = new Analyzer(Thresholds.defaults()).assess((Sample) c[0], (JvmSnapshot) c[1]);
            long expected = (Long) c[2];
            assertEquals(expected, a.nativeGapBytes());
            assertEquals(expected, new dev.headroom.sink.jmx.JvmMemory(() -> a).getNativeGapBytes());
            dev.headroom.sink.micrometer.MeterTable.Row meter = dev.headroom.sink.micrometer.MeterTable.rows().stream()
                    .filter(r -> r.name.equals("headroom.native_gap")).findFirst().orElseThrow();
            assertEquals((double) expected, meter.value(a), 0.0);
            String bytes = dev.headroom.text.Units.bytes(expected);
            String report = dev.headroom.report.SnapshotText.render(a);
            assertTrue(report.contains("native gap     " + bytes + ","), report);
            String log = new dev.headroom.sink.log.JvmDetails().text(a);
            assertTrue(log.contains("native memory the JVM does not account for: " + bytes + ","), log);
            assertTrue(new dev.headroom.sink.log.JvmDetails().jsonFields(a).contains("\"nativeGapBytes\":" + expected + ","),
                    new dev.headroom.sink.log.JvmDetails().jsonFields(a));
        }
    }

    @Test
    void pageCacheComponentIsWorkingSetMinusAnon() {
        // usage 200, inactive file 30 -> working set 170; anon 120 -> 50 MiB of active file, shmem, kernel
        Sample s = sample(0, 200 * MIB, 120 * MIB, 30 * MIB).build();
        assertEquals(50 * MIB, Component.PAGECACHE.measure(s, null));
    }

    // ---- attribution over synthetic series ----------------------------------------------------

    /**
     * Each measured component in turn grows at 8 MiB/s from a steady start (the rest stays put,
     * and what it drags along — anon for anonymous memory, file pages for mapped — grows with it)
     * until the analyzer raises WARNING and then CRITICAL: the top grower is that component, at 8 MiB/s.
     */
    @ParameterizedTest
    @EnumSource(value = Component.class, names = {"HEAP", "METASPACE", "CODECACHE", "DIRECT", "MAPPED", "THREADS", "NATIVE", "PAGECACHE"})
    void eachGrowingComponentIsNamedTopGrowerWithItsRate(Component grower) {
        Analyzer analyzer = new Analyzer(Thresholds.defaults());
        double rate = 8 * MIB;
        Assessment last = null;
        boolean warned = false;
        for (int t = 0; t <= 40; t++) {
            Series x = Series.steady();
            x.grow(grower, (long) (rate * t));
            last = analyzer.assess(x.sample(t), x.jvm());
            if (last.level.atLeast(Level.WARNING)) {
                warned = true;
                assertEquals(grower, last.topGrower(), "second " + t + ", level " + last.level);
            }
        }
        assertTrue(warned, "the series reaches WARNING");
        assertEquals(Level.CRITICAL, last.level);
        Growth g = last.growth;
        assertEquals(grower, g.growers().get(0));
        assertEquals(rate, g.rate(grower), rate * 0.01, () -> grower + " rate " + g.rate(grower));
        for (Component other : Component.MEASURED) {
            if (other != grower && !(grower == Component.MAPPED && other == Component.PAGECACHE)) {
                assertEquals(0, g.grown(other), other + " did not grow");
            }
        }
    }

    @Test
    void theBiggestGrowerWinsAndGrowersAreSortedLargestFirst() {
        Analyzer analyzer = new Analyzer(Thresholds.defaults());
        Assessment last = null;
        for (int t = 0; t <= 30; t++) {
            Series x = Series.steady();
            x.grow(Component.DIRECT, 2 * MIB * t);
            x.grow(Component.NATIVE, 5 * MIB * t);
            x.grow(Component.HEAP, 1 * MIB * t);
            last = analyzer.assess(x.sample(t), x.jvm());
        }
        assertTrue(last.level.atLeast(Level.WARNING), last.level::toString);
        assertEquals(Component.NATIVE, last.topGrower());
        assertEquals(List.of(Component.NATIVE, Component.DIRECT, Component.HEAP), last.growth.growers());
        assertEquals(5.0 * MIB, last.nativeGapBytesPerSecond(), 0.05 * MIB);
        assertEquals(2.0 * MIB, last.growth.rate(Component.DIRECT), 0.02 * MIB);
    }

    @Test
    void otherWhenNothingGrewByOneMebibyte() {
        Attribution attribution = new Attribution();
        Series x = Series.steady();
        attribution.update(x.sample(0), x.jvm(), Level.OK, 30 * SECOND);
        // everything grows by just under 1 MiB (page cache through the mapped buffers' file pages)
        for (Component c : Component.MEASURED) {
            if (c != Component.PAGECACHE) {
                x.grow(c, MIB - 1);
            }
        }
        Growth g = attribution.update(x.sample(5), x.jvm(), Level.WARNING, 30 * SECOND);
        assertEquals(Component.OTHER, g.top());
        assertEquals(List.of(), g.growers());
        assertEquals(MIB - 1, g.grown(Component.PAGECACHE));
        assertEquals(MIB - 1, g.grown(Component.NATIVE));

        // exactly 1 MiB counts
        Attribution again = new Attribution();
        Series y = Series.steady();
        again.update(y.sample(0), y.jvm(), Level.OK, 30 * SECOND);
        y.grow(Component.CODECACHE, MIB);
        Growth h = again.update(y.sample(5), y.jvm(), Level.WARNING, 30 * SECOND);
        assertEquals(Component.CODECACHE, h.top());
        assertEquals(List.of(Component.CODECACHE), h.growers());
    }

    @Test
    void shrinkingIsNotGrowth() {
        Attribution attribution = new Attribution();
        Series x = Series.steady();
        attribution.update(x.sample(0), x.jvm(), Level.OK, 30 * SECOND);
        x.grow(Component.HEAP, -50 * MIB);
        Growth g = attribution.update(x.sample(5), x.jvm(), Level.WARNING, 30 * SECOND);
        assertEquals(-50 * MIB, g.grown(Component.HEAP));
        assertEquals(Component.OTHER, g.top());
    }

    @Test
    void nullWhenNothingIsKnown() {
        Attribution attribution = new Attribution();
        Sample empty = new Sample.Builder().start(location, 0, 0).build();
        Growth g = attribution.update(empty, null, Level.UNKNOWN, 30 * SECOND);
        assertNull(g.top());
        assertEquals(List.of(), g.growers());
    }

    @Test
    void baselineIsTheOldestOkStateOfTheWindowAndStaysFrozenThroughTheEpisode() {
        long window = 10 * SECOND;
        Attribution attribution = new Attribution();
        // OK for 20 s; heap steady until 15 s, then +1 MiB/s
        for (int t = 0; t <= 20; t++) {
            Series x = Series.steady();
            x.grow(Component.HEAP, Math.max(0, t - 15) * MIB);
            attribution.update(x.sample(t), x.jvm(), Level.OK, window);
        }
        // WARNING from 21 s: heap +4 MiB/s from its 20 s value (5 MiB)
        Growth g = null;
        for (int t = 21; t <= 80; t++) {
            Series x = Series.steady();
            x.grow(Component.HEAP, 5 * MIB + (t - 20) * 4 * MIB);
            g = attribution.update(x.sample(t), x.jvm(), t % 2 == 0 ? Level.WARNING : Level.CRITICAL, window);
            // the baseline is the 10 s sample (oldest within one window of the last OK one), never moving
            assertEquals(5 * MIB + (t - 20) * 4 * MIB, g.grown(Component.HEAP), "at " + t + " s");
            assertEquals(t - 10, g.seconds, 1e-9, "at " + t + " s");
        }
        assertEquals(Component.HEAP, g.top());
        assertEquals((5 + 60 * 4) * MIB / 70.0, g.rate(Component.HEAP), 1);

        // back to OK: the baseline starts over at that sample
        Series ok = Series.steady();
        ok.grow(Component.HEAP, 245 * MIB);
        Growth reset = attribution.update(ok.sample(81), ok.jvm(), Level.OK, window);
        assertEquals(0, reset.grown(Component.HEAP));
        assertEquals(0, reset.seconds, 1e-9);
        assertEquals(Component.OTHER, reset.top());

        // OK for a while, then a new episode grows something else: measured from the new baseline
        for (int t = 82; t <= 90; t++) {
            Series x = Series.steady();
            x.grow(Component.HEAP, 245 * MIB);
            attribution.update(x.sample(t), x.jvm(), Level.OK, window);
        }
        Growth next = null;
        for (int t = 91; t <= 95; t++) {
            Series x = Series.steady();
            x.grow(Component.HEAP, 245 * MIB);
            x.grow(Component.THREADS, (t - 90) * 2 * MIB);
            next = attribution.update(x.sample(t), x.jvm(), Level.WARNING, window);
        }
        assertEquals(Component.THREADS, next.top());
        assertEquals(0, next.grown(Component.HEAP));
        assertEquals(10 * MIB, next.grown(Component.THREADS));
        assertEquals(95 - 81, next.seconds, 1e-9); // oldest OK sample within the window: 81 s
    }

    @Test
    void anEpisodeWithNoOkStateBeforeItMeasuresFromItsFirstSample() {
        Attribution attribution = new Attribution();
        Series x = Series.steady();
        Growth first = attribution.update(x.sample(0), x.jvm(), Level.WARNING, 30 * SECOND);
        assertEquals(0, first.grown(Component.NATIVE));
        x.grow(Component.NATIVE, 30 * MIB);
        Growth later = attribution.update(x.sample(3), x.jvm(), Level.CRITICAL, 30 * SECOND);
        assertEquals(Component.NATIVE, later.top());
        assertEquals(10.0 * MIB, later.rate(Component.NATIVE), 1);
    }

    // ---- synthetic samples ----------------------------------------------------------------

    private static Sample.Builder sample(long seconds, long usage, long anon, long inactiveFile) {
        Sample.Builder b = new Sample.Builder().start(location, seconds * SECOND, 1_700_000_000_000L + seconds * 1000)
                .set(Metric.USAGE, usage).set(Metric.ANON, anon).set(Metric.INACTIVE_FILE, inactiveFile);
        for (int i = 0; i < location.levels.size(); i++) {
            b.level(i, i == 0 ? LIMIT : Values.UNLIMITED, usage, inactiveFile);
        }
        return b;
    }

    private static JvmSnapshot jvm(long heap, long metaspace, long codeCache, long direct, long mapped, int threads) {
        return new JvmSnapshot.Builder().heap(heap / 2, heap, 512 * MIB).metaspace(metaspace, metaspace)
                .codeCache(codeCache, codeCache).direct(1, direct, direct, 512 * MIB).mapped(1, mapped, mapped)
                .threads(threads, MIB).build();
    }

    /**
     * A JVM alone in its cgroup: the JVM's parts, native memory it does not account for, and page
     * cache; anon and usage follow from them, so growing one part moves the cgroup as it would.
     */
    static final class Series {
        long heap = 60 * MIB;
        long metaspace = 20 * MIB;
        long codeCache = 10 * MIB;
        long direct = 4 * MIB;
        long mapped = 0;
        int threads = 20;
        long nativeBytes = 15 * MIB;
        long activeFile = 8 * MIB;
        final long inactiveFile = 12 * MIB;

        static Series steady() {
            return new Series();
        }

        void grow(Component c, long bytes) {
            switch (c) {
                case HEAP: heap += bytes; break;
                case METASPACE: metaspace += bytes; break;
                case CODECACHE: codeCache += bytes; break;
                case DIRECT: direct += bytes; break;
                case MAPPED: mapped += bytes; activeFile += bytes; break; // file pages, counted as page cache too
                case THREADS: threads += (int) (bytes / MIB); break;
                case NATIVE: nativeBytes += bytes; break;
                case PAGECACHE: activeFile += bytes; break;
                default: throw new IllegalArgumentException(c.toString());
            }
        }

        JvmSnapshot jvm() {
            return AttributionTest.jvm(heap, metaspace, codeCache, direct, mapped, threads);
        }

        long anon() {
            return jvm().accountedAnon() + nativeBytes;
        }

        Sample sample(long seconds) {
            long anon = anon();
            return AttributionTest.sample(seconds, anon + activeFile + inactiveFile, anon, inactiveFile)
                    .set(Metric.PROCESSES, 1).set(Metric.RSS_ANON, anon - MIB).build();
        }
    }
}
