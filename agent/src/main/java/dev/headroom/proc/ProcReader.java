package dev.headroom.proc;

import dev.headroom.io.FileSource;
import dev.headroom.io.Refresh;
import dev.headroom.io.SourceFile;
import dev.headroom.parse.KeyValues;
import dev.headroom.parse.Numbers;
import dev.headroom.parse.Pressure;
import dev.headroom.parse.Values;
import dev.headroom.sample.Held;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

/**
 * This process's view: {@code /proc/self/oom_score_adj}, {@code oom_score}, {@code status}, the
 * host's {@code /proc/meminfo}, and the system-wide {@code /proc/pressure/memory} (used where
 * the cgroup has no PSI file of its own: cgroup v1, or no cgroup).
 */
public final class ProcReader {

    private static final KeyValues STATUS = new KeyValues("VmRSS:", "RssAnon:", "RssFile:", "RssShmem:", "VmSwap:", "VmHWM:");
    private static final Metric[] STATUS_METRICS = {
        Metric.VM_RSS, Metric.RSS_ANON, Metric.RSS_FILE, Metric.RSS_SHMEM, Metric.VM_SWAP, Metric.VM_HWM,
    };
    private static final KeyValues MEMINFO = new KeyValues("MemTotal:", "MemAvailable:");

    private final FileSource files;
    private final boolean systemPressure;
    private final SourceFile oomScoreAdj;
    private final SourceFile oomScore;
    private final SourceFile status;
    private final SourceFile meminfo;
    private final SourceFile pressure;
    private final String[] statusMissing;
    private final String[] meminfoMissing;
    private final long[] kv = new long[Pressure.SIZE];
    /** Everything this reader sets, put back at a tick that does not read its files. */
    private final Held held;

    /**
     * @param root           the directory standing for "/"
     * @param systemPressure read /proc/pressure/memory (when the cgroup has no memory.pressure)
     * @param settled        when the files of slowly moving or host-wide values are read again:
     *                       oom_score_adj (set once, at the container's start), oom_score (moves
     *                       by one point per 0.1% of host memory), the host's meminfo, and the
     *                       host-wide PSI (only reported, and already a 10 s average)
     */
    public ProcReader(FileSource files, String root, boolean systemPressure, Refresh settled) {
        String r = root == null || root.equals("/") ? "" : root.replaceAll("/+$", "");
        this.files = files;
        this.systemPressure = systemPressure;
        oomScoreAdj = new SourceFile(r + "/proc/self/oom_score_adj", 32, settled);
        oomScore = new SourceFile(r + "/proc/self/oom_score", 32, settled);
        status = new SourceFile(r + "/proc/self/status", 2048);
        meminfo = new SourceFile(r + "/proc/meminfo", 2048, settled);
        pressure = new SourceFile(r + "/proc/pressure/memory", 256, settled);
        statusMissing = STATUS.missingWarnings(status.path());
        meminfoMissing = MEMINFO.missingWarnings(meminfo.path());
        held = Held.of(new Metric[] {Metric.OOM_SCORE_ADJ, Metric.OOM_SCORE, Metric.MEM_TOTAL, Metric.MEM_AVAILABLE},
                STATUS_METRICS, Metric.PRESSURE);
    }

    /**
     * Reads into {@code s}; without {@code process} (a calm tick whose anonymous memory stood
     * still) nothing is read and the last read's values are put back.
     */
    public void read(Sample.Builder s, boolean process) {
        if (!held.replay(s, process)) {
            held.begin(s);
            readAll(s);
            held.end(s);
        }
    }

    private void readAll(Sample.Builder s) {
        s.set(Metric.OOM_SCORE_ADJ, single(oomScoreAdj, s, true));
        s.set(Metric.OOM_SCORE, single(oomScore, s, false));
        if (load(status, s)) {
            STATUS.parse(status.bytes(), status.length(), kv);
            for (int i = 0; i < STATUS_METRICS.length; i++) {
                // VmSwap and Rss* are missing on some kernels and for kernel threads: unknown
                if (!Values.known(kv[i])) {
                    s.warn(statusMissing[i]);
                }
                s.set(STATUS_METRICS[i], kv[i]);
            }
        }
        if (load(meminfo, s)) {
            MEMINFO.parse(meminfo.bytes(), meminfo.length(), kv);
            for (int i = 0; i < 2; i++) {
                if (!Values.known(kv[i])) {
                    s.warn(meminfoMissing[i]);
                }
            }
            s.set(Metric.MEM_TOTAL, kv[0]);
            s.set(Metric.MEM_AVAILABLE, kv[1]);
        }
        // system-wide PSI is optional (psi=1, kernel 4.20+): its absence is not worth a warning
        if (systemPressure && pressure.load(files)) {
            Pressure.parse(pressure.bytes(), pressure.length(), kv);
            for (int i = 0; i < Pressure.SIZE; i++) {
                s.set(Metric.PRESSURE[i], kv[i]);
            }
        }
    }

    private boolean load(SourceFile file, Sample.Builder s) {
        if (!file.load(files)) {
            s.warn(file.problem());
            return false;
        }
        return true;
    }

    private long single(SourceFile file, Sample.Builder s, boolean signed) {
        if (!load(file, s)) {
            return Values.UNKNOWN;
        }
        long v = signed ? Numbers.signed(file.bytes(), 0, file.length()) : Numbers.count(file.bytes(), 0, file.length());
        if (!Values.known(v)) {
            s.warn(file.garbled());
        }
        return v;
    }
}
