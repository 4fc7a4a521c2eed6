package dev.headroom.sink.jmx;

import dev.headroom.jmx.ContainerMemoryMXBean;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Level;
import dev.headroom.analysis.OomScoreAdj;
import dev.headroom.parse.Values;
import dev.headroom.report.SnapshotText;
import dev.headroom.sample.Metric;

import java.util.function.Supplier;

/**
 * The {@link ContainerMemoryMXBean} over the sampler's latest assessment: each getter takes one
 * volatile read of the latest assessment and converts a field; nothing here reads a file.
 * (Two attributes read at once may come from consecutive ticks; {@link #getSequence()} tells.)
 */
public final class ContainerMemory implements ContainerMemoryMXBean {

    public static final String OBJECT_NAME = "dev.headroom:type=ContainerMemory";

    private final Supplier<Assessment> latest;

    public ContainerMemory(Supplier<Assessment> latest) {
        this.latest = latest;
    }

    private Assessment a() {
        return latest.get();
    }

    private double metric(Metric m) {
        Assessment a = a();
        return a == null ? Double.NaN : Open.number(a.sample.get(m));
    }

    private double psi(Metric m) {
        Assessment a = a();
        return a == null ? Double.NaN : Open.percentFromHundredths(a.sample.get(m));
    }

    @Override
    public int getCgroupVersion() {
        Assessment a = a();
        return a == null ? 0 : a.sample.version();
    }

    @Override
    public String getCgroupPath() {
        Assessment a = a();
        return a == null ? "" : Open.text(a.sample.location.cgroupPath);
    }

    @Override
    public String getCgroupDir() {
        Assessment a = a();
        return a == null ? "" : Open.text(a.sample.location.leaf());
    }

    @Override
    public boolean isApproximate() {
        Assessment a = a();
        return a != null && a.sample.location.approximate;
    }

    @Override
    public double getLimitBytes() {
        Assessment a = a();
        return a == null ? Double.NaN : a.getLimitBytes();
    }

    @Override
    public String getLimitDir() {
        Assessment a = a();
        return a == null ? "" : Open.text(a.headroom.limitDir);
    }

    @Override
    public String getBindingDir() {
        Assessment a = a();
        return a == null ? "" : Open.text(a.headroom.bindingDir);
    }

    @Override
    public double getBindingLimitBytes() {
        Assessment a = a();
        return a == null ? Double.NaN : Open.number(a.headroom.bindingLimit);
    }

    @Override
    public double getBindingWorkingSetBytes() {
        Assessment a = a();
        return a == null ? Double.NaN : Open.number(a.headroom.bindingWorkingSet);
    }

    @Override
    public double getHostMemoryBytes() {
        return metric(Metric.MEM_TOTAL);
    }

    @Override
    public double getHostAvailableBytes() {
        return metric(Metric.MEM_AVAILABLE);
    }

    @Override
    public double getUsageBytes() {
        return metric(Metric.USAGE);
    }

    @Override
    public double getWorkingSetBytes() {
        Assessment a = a();
        return a == null ? Double.NaN : a.getWorkingSetBytes();
    }

    @Override
    public double getAnonBytes() {
        return metric(Metric.ANON);
    }

    @Override
    public double getFileBytes() {
        return metric(Metric.FILE);
    }

    @Override
    public double getShmemBytes() {
        return metric(Metric.SHMEM);
    }

    @Override
    public double getInactiveFileBytes() {
        return metric(Metric.INACTIVE_FILE);
    }

    @Override
    public double getMappedFileBytes() {
        return metric(Metric.MAPPED_FILE);
    }

    @Override
    public double getKernelBytes() {
        return metric(Metric.KERNEL);
    }

    @Override
    public double getSwapBytes() {
        return metric(Metric.SWAP);
    }

    @Override
    public double getSwapLimitBytes() {
        return metric(Metric.SWAP_LIMIT);
    }

    @Override
    public double getPeakBytes() {
        return metric(Metric.PEAK);
    }

    @Override
    public double getHighBytes() {
        return metric(Metric.HIGH);
    }

    @Override
    public double getSoftLimitBytes() {
        return metric(Metric.SOFT_LIMIT);
    }

    @Override
    public double getProcesses() {
        return metric(Metric.PROCESSES);
    }

    @Override
    public double getHeadroomBytes() {
        Assessment a = a();
        return a == null ? Double.NaN : a.getHeadroomBytes();
    }

    @Override
    public double getHeadroomRatio() {
        Assessment a = a();
        return a == null ? Double.NaN : a.headroomRatio();
    }

    @Override
    public double getUtilization() {
        Assessment a = a();
        return a == null ? Double.NaN : a.utilization;
    }

    @Override
    public String getLevel() {
        Assessment a = a();
        return a == null ? Level.UNKNOWN.name() : a.getLevel();
    }

    @Override
    public double getLevelNumber() {
        Assessment a = a();
        return a == null ? Double.NaN : a.level.asNumber();
    }

    @Override
    public String getPreviousLevel() {
        Assessment a = a();
        return (a == null ? Level.UNKNOWN : a.previousLevel).name();
    }

    @Override
    public String getCause() {
        Assessment a = a();
        return a == null ? "" : a.getCause();
    }

    @Override
    public double getGrowthBytesPerSecond() {
        Assessment a = a();
        return a == null ? Double.NaN : a.growthBytesPerSecond;
    }

    @Override
    public double getAnonGrowthBytesPerSecond() {
        Assessment a = a();
        return a == null ? Double.NaN : a.anonGrowthBytesPerSecond;
    }

    @Override
    public double getSecondsToLimit() {
        Assessment a = a();
        return a == null ? Double.NaN : a.secondsToLimit;
    }

    @Override
    public boolean isPredicted() {
        Assessment a = a();
        return a != null && a.predicted;
    }

    @Override
    public double getOomKills() {
        return metric(Metric.OOM_KILLS);
    }

    @Override
    public double getOomGroupKills() {
        return metric(Metric.OOM_GROUP_KILLS);
    }

    @Override
    public double getOomEvents() {
        return metric(Metric.OOM_EVENTS);
    }

    @Override
    public double getLimitHits() {
        return metric(Metric.LIMIT_HITS);
    }

    @Override
    public double getHighEvents() {
        return metric(Metric.HIGH_EVENTS);
    }

    @Override
    public boolean isUnderOom() {
        Assessment a = a();
        return a != null && a.sample.get(Metric.UNDER_OOM) == 1;
    }

    @Override
    public double getPressureSomeAvg10() {
        return psi(Metric.PSI_SOME_AVG10);
    }

    @Override
    public double getPressureSomeAvg60() {
        return psi(Metric.PSI_SOME_AVG60);
    }

    @Override
    public double getPressureSomeAvg300() {
        return psi(Metric.PSI_SOME_AVG300);
    }

    @Override
    public double getPressureSomeTotalMicros() {
        return metric(Metric.PSI_SOME_TOTAL);
    }

    @Override
    public double getPressureFullAvg10() {
        return psi(Metric.PSI_FULL_AVG10);
    }

    @Override
    public double getPressureFullAvg60() {
        return psi(Metric.PSI_FULL_AVG60);
    }

    @Override
    public double getPressureFullAvg300() {
        return psi(Metric.PSI_FULL_AVG300);
    }

    @Override
    public double getPressureFullTotalMicros() {
        return metric(Metric.PSI_FULL_TOTAL);
    }

    @Override
    public double getOomScoreAdj() {
        return metric(Metric.OOM_SCORE_ADJ);
    }

    @Override
    public String getOomScoreAdjClass() {
        Assessment a = a();
        return OomScoreAdj.qosClass(a == null ? Values.UNKNOWN : a.sample.get(Metric.OOM_SCORE_ADJ)).text();
    }

    @Override
    public String getOomScoreAdjMeaning() {
        Assessment a = a();
        return a == null ? OomScoreAdj.describe(Values.UNKNOWN, Values.UNKNOWN)
                : OomScoreAdj.describe(a.sample.get(Metric.OOM_SCORE_ADJ), a.sample.get(Metric.MEM_TOTAL));
    }

    @Override
    public double getImpliedMemoryRequestBytes() {
        Assessment a = a();
        return a == null ? Double.NaN : Open.number(OomScoreAdj.impliedRequest(
                a.sample.get(Metric.OOM_SCORE_ADJ), a.sample.get(Metric.MEM_TOTAL)));
    }

    @Override
    public double getOomScore() {
        return metric(Metric.OOM_SCORE);
    }

    @Override
    public double getProcessRssBytes() {
        return metric(Metric.VM_RSS);
    }

    @Override
    public double getProcessRssAnonBytes() {
        return metric(Metric.RSS_ANON);
    }

    @Override
    public double getProcessRssFileBytes() {
        return metric(Metric.RSS_FILE);
    }

    @Override
    public double getProcessRssShmemBytes() {
        return metric(Metric.RSS_SHMEM);
    }

    @Override
    public double getProcessSwapBytes() {
        return metric(Metric.VM_SWAP);
    }

    @Override
    public double getProcessPeakRssBytes() {
        return metric(Metric.VM_HWM);
    }

    @Override
    public long getSequence() {
        Assessment a = a();
        return a == null ? -1 : a.sequence;
    }

    @Override
    public long getSampleTimeMillis() {
        Assessment a = a();
        return a == null ? 0 : a.sample.wallMillis;
    }

    @Override
    public String[] getWarnings() {
        Assessment a = a();
        return a == null ? new String[0] : a.sample.warnings.toArray(new String[0]);
    }

    @Override
    public String report() {
        Assessment a = a();
        if (a == null) {
            return "headroom: no sample yet";
        }
        return SnapshotText.render(a);
    }
}
