package dev.headroom.report;

import dev.headroom.text.JsonWriter;

import dev.headroom.analysis.Headroom;
import dev.headroom.parse.Values;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

/** The snapshot command's JSON contract (README, "The snapshot command"): one object, every key present. */
public final class SnapshotJson {

    private SnapshotJson() {
    }

    public static String render(Sample s, Headroom h) {
        StringBuilder out = new StringBuilder(2048);
        JsonWriter w = new JsonWriter(out).begin();
        if (s.version() == 0) {
            w.nul("cgroupVersion");
        } else {
            w.number("cgroupVersion", s.version());
        }
        w.string("cgroupPath", s.location.cgroupPath)
                .string("cgroupDir", s.location.leaf())
                .bool("approximate", s.location.approximate)
                .number("limitBytes", h.limitBytes)
                .string("limitDir", h.limitDir)
                .number("hostMemoryBytes", s.get(Metric.MEM_TOTAL))
                .number("usageBytes", s.get(Metric.USAGE))
                .number("workingSetBytes", s.workingSet())
                .number("anonBytes", s.get(Metric.ANON))
                .number("fileBytes", s.get(Metric.FILE))
                .number("shmemBytes", s.get(Metric.SHMEM))
                .number("inactiveFileBytes", s.get(Metric.INACTIVE_FILE))
                .number("swapBytes", s.get(Metric.SWAP))
                .number("swapLimitBytes", s.get(Metric.SWAP_LIMIT))
                .number("peakBytes", s.get(Metric.PEAK))
                .number("highBytes", s.get(Metric.HIGH))
                .number("headroomBytes", h.headroomBytes)
                .decimal("utilization", h.utilization())
                .string("bindingDir", h.bindingDir);
        signed(w, "oomScoreAdj", s.get(Metric.OOM_SCORE_ADJ));
        w.number("oomScore", s.get(Metric.OOM_SCORE))
                .number("oomKills", s.get(Metric.OOM_KILLS))
                .number("limitHits", s.get(Metric.LIMIT_HITS));
        pressure(w, s);
        w.strings("warnings", s.warnings);
        w.end();
        return out.toString();
    }

    private static void signed(JsonWriter w, String key, long value) {
        if (Values.known(value)) {
            w.number(key, value);
        } else {
            w.nul(key);
        }
    }

    private static void pressure(JsonWriter w, Sample s) {
        if (!Values.known(s.get(Metric.PSI_SOME_AVG10)) && !Values.known(s.get(Metric.PSI_SOME_TOTAL))) {
            w.nul("pressure");
            return;
        }
        w.object("pressure")
                .decimal("someAvg10", percent(s.get(Metric.PSI_SOME_AVG10)))
                .decimal("someAvg60", percent(s.get(Metric.PSI_SOME_AVG60)))
                .decimal("someAvg300", percent(s.get(Metric.PSI_SOME_AVG300)))
                .decimal("fullAvg10", percent(s.get(Metric.PSI_FULL_AVG10)))
                .decimal("fullAvg60", percent(s.get(Metric.PSI_FULL_AVG60)))
                .decimal("fullAvg300", percent(s.get(Metric.PSI_FULL_AVG300)))
                .number("someTotalMicros", s.get(Metric.PSI_SOME_TOTAL))
                .number("fullTotalMicros", s.get(Metric.PSI_FULL_TOTAL))
                .end();
    }

    /** PSI averages are kept in hundredths of a percent; JSON shows the percentage. */
    static double percent(long hundredths) {
        return Values.known(hundredths) ? hundredths / 100.0 : Double.NaN;
    }
}
