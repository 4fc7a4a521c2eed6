package dev.headroom.sink.relief;

import dev.headroom.analysis.Analyzer;
import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Thresholds;
import dev.headroom.cgroup.CgroupDiscovery;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.parse.Values;
import dev.headroom.sample.CgroupLocation;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

/** Assessments of a made-up 256 MiB container, one a second, from the real analyzer. */
final class Ticks {

    static final long MIB = 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final CgroupLocation LOCATION =
            new CgroupDiscovery(new ChannelFileSource(), "src/test/resources/fixtures/v1-docker/root").discover();

    private final Analyzer analyzer = new Analyzer(Thresholds.defaults());
    private long t;

    /** The next tick, one second after the previous, with this working set. */
    Assessment next(long workingSetMib) {
        t++;
        long usage = workingSetMib * MIB;
        Sample.Builder b = new Sample.Builder().start(LOCATION, t * SECOND, 1_700_000_000_000L + t * 1000)
                .set(Metric.USAGE, usage).set(Metric.ANON, usage).set(Metric.INACTIVE_FILE, 0)
                .set(Metric.PROCESSES, 1).set(Metric.OOM_KILLS, 0);
        for (int i = 0; i < LOCATION.levels.size(); i++) {
            b.level(i, i == 0 ? 256 * MIB : Values.UNLIMITED, usage, 0);
        }
        return analyzer.assess(b.build(), null);
    }
}
