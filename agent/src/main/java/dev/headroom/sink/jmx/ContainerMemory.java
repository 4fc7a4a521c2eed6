package dev.headroom.sink.jmx;

import dev.headroom.jmx.ContainerMemoryMXBean;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Level;
import dev.headroom.analysis.OomScoreAdj;
import dev.headroom.parse.Values;
import dev.headroom.report.SnapshotText;
import dev.headroom.runtime.ReliefLog;
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

    private long metric(Metric m) {
        Assessment a = a();
        return a == null ? Open.UNKNOWN : Open.size(a.sample.get(m));
    }

    private double psi(Metric m) {
        Assessment a = a();
        return a == null ? Double.NaN : Open.percentFromHundredths(a.sample.get(m));
    }

    @Override
    public int getCgroupVersion() {
        Assessment a = a();
        return a == null ? -1 : a.sample.version();
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
    public long getLimitBytes() {
        Assessment a = a();
        return a == null ? Open.UNKNOWN : Open.size(a.headroom.limitBytes);
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
    public long getBindingLimitBytes() {
        Assessment a = a();
        return a == null ? Open.UNKNOWN : Open.size(a.headroom.bindingLimit);
    }

    @Override
    public long getBindingWorkingSetBytes() {
        Assessment a = a();
        return a == null ? Open.UNKNOWN : Open.size(a.headroom.bindingWorkingSet);
    }

    @Override
    public long getHostMemoryBytes() {
        return metric(Metric.MEM_TOTAL);
    }

    @Override
    public long getHostAvailableBytes() {
        return metric(Metric.MEM_AVAILABLE);
    }

    @Override
    public long getUsageBytes() {
        return metric(Metric.USAGE);
    }

    @Override
    public long getWorkingSetBytes() {
        Assessment a = a();
        return a == null ? Open.UNKNOWN : Open.size(a.sample.workingSet());
    }

    @Override
    public long getAnonBytes() {
        return metric(Metric.ANON);
    }

    @Override
    public long getFileBytes() {
        return metric(Metric.FILE);
    }

    @Override
    public long getShmemBytes() {
        return metric(Metric.SHMEM);
    }

    @Override
    public long getInactiveFileBytes() {
        return metric(Metric.INACTIVE_FILE);
    }

    @Override
    public long getMappedFileBytes() {
        return metric(Metric.MAPPED_FILE);
    }

    @Override
    public long getKernelBytes() {
        return metric(Metric.KERNEL);
    }

    @Override
    public long getSwapBytes() {
        return metric(Metric.SWAP);
    }

    @Override
    public long getSwapLimitBytes() {
        return metric(Metric.SWAP_LIMIT);
    }

    @Override
    public long getPeakBytes() {
        return metric(Metric.PEAK);
    }

    @Override
    public long getHighBytes() {
        return metric(Metric.HIGH);
    }

    @Override
    public long getSoftLimitBytes() {
        return metric(Metric.SOFT_LIMIT);
    }

    @Override
    public long getProcesses() {
        return metric(Metric.PROCESSES);
    }

    @Override
    public long getHeadroomBytes() {
        Assessment a = a();
        return a == null ? Open.UNKNOWN : Open.size(a.headroom.headroomBytes);
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
    public int getLevelNumber() {
        Assessment a = a();
        return a == null || a.level == Level.UNKNOWN ? -1 : a.level.ordinal();
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
    public long getOomKills() {
        return metric(Metric.OOM_KILLS);
    }

    @Override
    public long getOomGroupKills() {
        return metric(Metric.OOM_GROUP_KILLS);
    }

    @Override
    public long getOomEvents() {
        return metric(Metric.OOM_EVENTS);
    }

    @Override
    public long getLimitHits() {
        return metric(Metric.LIMIT_HITS);
    }

    @Override
    public long getReliefActions() {
        return ReliefLog.PROCESS.actions();
    }

    @Override
    public long getReliefFreedBytes() {
        return ReliefLog.PROCESS.freedBytes();
    }

    @Override
    public long getHighEvents() {
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
    public long getPressureSomeTotalMicros() {
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
    public long getPressureFullTotalMicros() {
        return metric(Metric.PSI_FULL_TOTAL);
    }

    @Override
    public Integer getOomScoreAdj() {
        Assessment a = a();
        long adj = a == null ? Values.UNKNOWN : a.sample.get(Metric.OOM_SCORE_ADJ);
        return Values.known(adj) ? Integer.valueOf((int) adj) : null;
    }

    @Override
    public String getOomScoreAdjClass() {
        Assessment a = a();
        return OomScoreAdj.qosClass(a == null ? Values.UNKNOWN : a.sample.get(Metric.OOM_SCORE_ADJ)).text();
    }

    @Override
    public String getOomScoreAdjMeaning() {
        Assessment a = a();
        return a == null ? OomScoreAdj.meaning(Values.UNKNOWN, Values.UNKNOWN)
                : OomScoreAdj.meaning(a.sample.get(Metric.OOM_SCORE_ADJ), a.sample.get(Metric.MEM_TOTAL));
    }

    @Override
    public long getImpliedMemoryRequestBytes() {
        Assessment a = a();
        return a == null ? Open.UNKNOWN : Open.size(OomScoreAdj.impliedRequest(
                a.sample.get(Metric.OOM_SCORE_ADJ), a.sample.get(Metric.MEM_TOTAL)));
    }

    @Override
    public long getOomScore() {
        return metric(Metric.OOM_SCORE);
    }

    @Override
    public long getProcessRssBytes() {
        return metric(Metric.VM_RSS);
    }

    @Override
    public long getProcessRssAnonBytes() {
        return metric(Metric.RSS_ANON);
    }

    @Override
    public long getProcessRssFileBytes() {
        return metric(Metric.RSS_FILE);
    }

    @Override
    public long getProcessRssShmemBytes() {
        return metric(Metric.RSS_SHMEM);
    }

    @Override
    public long getProcessSwapBytes() {
        return metric(Metric.VM_SWAP);
    }

    @Override
    public long getProcessPeakRssBytes() {
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
        return a == null ? -1 : a.sample.wallMillis;
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
