package dev.headroom.jmx;

import dev.headroom.sink.jmx.ContainerMemory;

/**
 * The container's memory as the agent's latest sample saw it, registered as
 * {@value ContainerMemory#OBJECT_NAME}. Every getter reads the latest published assessment and
 * never does I/O. Every type is an open type.
 *
 * <p>Conventions, as the JDK's own memory and OS MXBeans: byte values and counts are {@code long};
 * -1 means unknown (a file that could not be read, or no sample yet), as in {@code MemoryUsage}
 * and {@code OperatingSystemMXBean}; an unset limit ("max") is {@link Long#MAX_VALUE}.
 * {@link #getOomScoreAdj()}, whose range includes -1, is null when unknown. Ratios, rates, PSI
 * averages (percent) and seconds are {@code double}, NaN when unknown. Text that does not apply
 * is the empty string. What each attribute means: {@code dev.headroom.sink.jmx.Descriptions}, which
 * the MBeanInfo carries, so JConsole and the Prometheus JMX exporter show it too.
 */
public interface ContainerMemoryMXBean {

    // where the memory is counted

    int getCgroupVersion();

    String getCgroupPath();

    String getCgroupDir();

    boolean isApproximate();

    long getLimitBytes();

    String getLimitDir();

    String getBindingDir();

    long getBindingLimitBytes();

    long getBindingWorkingSetBytes();

    long getHostMemoryBytes();

    long getHostAvailableBytes();

    // the leaf cgroup's memory

    long getUsageBytes();

    long getWorkingSetBytes();

    long getAnonBytes();

    long getFileBytes();

    long getShmemBytes();

    long getInactiveFileBytes();

    long getMappedFileBytes();

    long getKernelBytes();

    long getSwapBytes();

    long getSwapLimitBytes();

    long getPeakBytes();

    long getHighBytes();

    long getSoftLimitBytes();

    long getProcesses();

    // the verdict

    long getHeadroomBytes();

    double getHeadroomRatio();

    double getUtilization();

    String getLevel();

    int getLevelNumber();

    String getPreviousLevel();

    String getCause();

    double getGrowthBytesPerSecond();

    double getAnonGrowthBytesPerSecond();

    double getSecondsToLimit();

    boolean isPredicted();

    // events

    long getOomKills();

    long getOomGroupKills();

    long getOomEvents();

    long getLimitHits();

    long getHighEvents();

    boolean isUnderOom();

    // relief (opt-in: relief=heap,native, readinessFile)

    long getReliefActions();

    long getReliefFreedBytes();

    // pressure (PSI)

    double getPressureSomeAvg10();

    double getPressureSomeAvg60();

    double getPressureSomeAvg300();

    long getPressureSomeTotalMicros();

    double getPressureFullAvg10();

    double getPressureFullAvg60();

    double getPressureFullAvg300();

    long getPressureFullTotalMicros();

    // this process and the OOM killer

    Integer getOomScoreAdj();

    String getOomScoreAdjClass();

    String getOomScoreAdjMeaning();

    long getImpliedMemoryRequestBytes();

    long getOomScore();

    long getProcessRssBytes();

    long getProcessRssAnonBytes();

    long getProcessRssFileBytes();

    long getProcessRssShmemBytes();

    long getProcessSwapBytes();

    long getProcessPeakRssBytes();

    // the sample itself

    long getSequence();

    long getSampleTimeMillis();

    String[] getWarnings();

    /** The text report the CLI's snapshot command prints, for the latest sample. Reads only. */
    String report();
}
