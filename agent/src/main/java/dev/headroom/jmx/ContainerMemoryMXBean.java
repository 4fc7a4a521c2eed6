package dev.headroom.jmx;

import dev.headroom.sink.jmx.ContainerMemory;

/**
 * The container's memory as the agent's latest sample saw it, registered as
 * {@value ContainerMemory#OBJECT_NAME}. Every getter reads the latest published assessment and
 * never does I/O. Every type is an open type.
 *
 * <p>Conventions: byte values, counts and ratios are {@code double}: NaN means unknown (a file
 * that could not be read, or no sample yet), +Infinity means an unset limit ("max"). Text that
 * does not apply is the empty string. What each attribute means: {@code dev.headroom.sink.jmx.Descriptions}, which
 * the MBeanInfo carries, so JConsole and the Prometheus JMX exporter show it too.
 */
public interface ContainerMemoryMXBean {

    // where the memory is counted

    int getCgroupVersion();

    String getCgroupPath();

    String getCgroupDir();

    boolean isApproximate();

    double getLimitBytes();

    String getLimitDir();

    String getBindingDir();

    double getBindingLimitBytes();

    double getBindingWorkingSetBytes();

    double getHostMemoryBytes();

    double getHostAvailableBytes();

    // the leaf cgroup's memory

    double getUsageBytes();

    double getWorkingSetBytes();

    double getAnonBytes();

    double getFileBytes();

    double getShmemBytes();

    double getInactiveFileBytes();

    double getMappedFileBytes();

    double getKernelBytes();

    double getSwapBytes();

    double getSwapLimitBytes();

    double getPeakBytes();

    double getHighBytes();

    double getSoftLimitBytes();

    double getProcesses();

    // the verdict

    double getHeadroomBytes();

    double getHeadroomRatio();

    double getUtilization();

    String getLevel();

    double getLevelNumber();

    String getPreviousLevel();

    String getCause();

    double getGrowthBytesPerSecond();

    double getAnonGrowthBytesPerSecond();

    double getSecondsToLimit();

    boolean isPredicted();

    // events

    double getOomKills();

    double getOomGroupKills();

    double getOomEvents();

    double getLimitHits();

    double getHighEvents();

    boolean isUnderOom();

    // pressure (PSI)

    double getPressureSomeAvg10();

    double getPressureSomeAvg60();

    double getPressureSomeAvg300();

    double getPressureSomeTotalMicros();

    double getPressureFullAvg10();

    double getPressureFullAvg60();

    double getPressureFullAvg300();

    double getPressureFullTotalMicros();

    // this process and the OOM killer

    double getOomScoreAdj();

    String getOomScoreAdjClass();

    String getOomScoreAdjMeaning();

    double getImpliedMemoryRequestBytes();

    double getOomScore();

    double getProcessRssBytes();

    double getProcessRssAnonBytes();

    double getProcessRssFileBytes();

    double getProcessRssShmemBytes();

    double getProcessSwapBytes();

    double getProcessPeakRssBytes();

    // the sample itself

    long getSequence();

    long getSampleTimeMillis();

    String[] getWarnings();

    /** The text report the CLI's snapshot command prints, for the latest sample. Reads only. */
    String report();
}
