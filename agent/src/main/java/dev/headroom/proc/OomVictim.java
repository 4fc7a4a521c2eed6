package dev.headroom.proc;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Which process the OOM killer would pick among those visible in /proc: the one with the
 * highest {@code oom_score} (inside a container's pid namespace, the container's processes).
 * Read once at start, off the hot path.
 */
public final class OomVictim {

    /** Processes whose oom_score could be read. */
    public final int processes;
    /** The pid with the highest score, or -1. */
    public final long pid;
    public final long score;
    /** True when this process has the highest score (ties count as this process). */
    public final boolean self;

    private OomVictim(int processes, long pid, long score, boolean self) {
        this.processes = processes;
        this.pid = pid;
        this.score = score;
        this.self = self;
    }

    /**
     * @param cgroupDir the leaf cgroup directory inside the root: a cgroup OOM kill picks among its
     *                  processes; null to consider every process visible in /proc
     */
    public static OomVictim find(String root, String cgroupDir, long selfPid, long selfScore) {
        String r = root == null || root.equals("/") ? "" : root.replaceAll("/+$", "");
        String[] names = cgroupDir == null ? null : pids(new File(r + cgroupDir + "/cgroup.procs"));
        if (names == null) {
            names = new File(r + "/proc").list();
        }
        int count = 0;
        long bestPid = -1;
        long best = -1;
        if (names != null) {
            for (String name : names) {
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                long score = read(new File(r + "/proc/" + name + "/oom_score"));
                if (score < 0) {
                    continue;
                }
                count++;
                long pid = Long.parseLong(name);
                if (score > best || (score == best && pid == selfPid)) {
                    best = score;
                    bestPid = pid;
                }
            }
        }
        boolean self = bestPid == selfPid || (selfScore >= 0 && selfScore >= best);
        return new OomVictim(count, bestPid, best, self);
    }

    private static String[] pids(File procs) {
        try {
            String text = new String(Files.readAllBytes(procs.toPath()), StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? null : text.split("\\s+");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long read(File file) {
        try {
            String text = new String(Files.readAllBytes(file.toPath()), StandardCharsets.US_ASCII).trim();
            return text.matches("[0-9]{1,6}") ? Long.parseLong(text) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public String describe() {
        if (processes == 0) {
            return "OOM victim unknown (no readable oom_score in /proc)";
        }
        if (self) {
            return "an OOM kill here would pick this JVM (highest oom_score of " + processes + " process"
                    + (processes == 1 ? "" : "es") + ")";
        }
        return "an OOM kill here would pick pid " + pid + " first (oom_score " + score + ", " + processes
                + " processes)";
    }
}
