package dev.headroom.analysis;

import dev.headroom.parse.Values;
import dev.headroom.sample.Metric;
import dev.headroom.sample.Sample;

/**
 * How much memory is left before a limit binds (ARCHITECTURE.md, "Kernel semantics we follow"): for every level with a
 * limit below host memory, that limit minus that level's own working set; on v1 also
 * {@code hierarchical_memory_limit} minus the leaf's working set; and host memory minus the
 * leaf's working set. The smallest wins and names the binding level. Separately, the
 * tightest limit is reported raw (even above host memory), with the directory it came from.
 */
public final class Headroom {

    /** The binding "level" when host memory is tighter than any cgroup limit. */
    public static final String HOST = "host";

    /** The smallest limit over the leaf, its visible ancestors and hierarchical_memory_limit. */
    public final long limitBytes;
    /** Where {@link #limitBytes} was found, or null when unlimited. */
    public final String limitDir;
    /** Memory left before the binding limit; unknown when a limited level's usage is unknown. */
    public final long headroomBytes;
    /** The limit that binds: the one with the least headroom (host memory counts). */
    public final long bindingLimit;
    /** The working set counted against {@link #bindingLimit}. */
    public final long bindingWorkingSet;
    /** The directory of the binding level, or {@link #HOST}. */
    public final String bindingDir;

    private Headroom(long limitBytes, String limitDir, long headroomBytes, long bindingLimit,
                     long bindingWorkingSet, String bindingDir) {
        this.limitBytes = limitBytes;
        this.limitDir = limitDir;
        this.headroomBytes = headroomBytes;
        this.bindingLimit = bindingLimit;
        this.bindingWorkingSet = bindingWorkingSet;
        this.bindingDir = bindingDir;
    }

    public static Headroom of(Sample s) {
        long host = s.get(Metric.MEM_TOTAL);
        long limit = Values.UNLIMITED;
        String limitDir = null;
        long best = Values.UNLIMITED;
        long bestLimit = Values.UNKNOWN;
        long bestWorkingSet = Values.UNKNOWN;
        String bestDir = null;
        boolean unknown = false;

        for (int i = 0; i < s.levels(); i++) {
            long levelLimit = s.levelLimit(i);
            if (!Values.limited(levelLimit)) {
                continue;
            }
            if (levelLimit < limit) {
                limit = levelLimit;
                limitDir = s.levelDir(i);
            }
            if (Values.known(host) && levelLimit >= host) {
                continue;
            }
            long workingSet = s.levelWorkingSet(i);
            if (!Values.known(workingSet)) {
                unknown = true;
                continue;
            }
            long left = levelLimit - workingSet;
            if (left < best) {
                best = left;
                bestLimit = levelLimit;
                bestWorkingSet = workingSet;
                bestDir = s.levelDir(i);
            }
        }

        long leafWorkingSet = s.workingSet();
        long hierarchical = s.get(Metric.HIERARCHICAL_LIMIT);
        if (Values.limited(hierarchical)) {
            if (hierarchical < limit) {
                limit = hierarchical;
                limitDir = s.location.leaf();
            }
            if (!Values.known(host) || hierarchical < host) {
                if (!Values.known(leafWorkingSet)) {
                    unknown = true;
                } else if (hierarchical - leafWorkingSet < best) {
                    best = hierarchical - leafWorkingSet;
                    bestLimit = hierarchical;
                    bestWorkingSet = leafWorkingSet;
                    bestDir = s.location.leaf();
                }
            }
        }

        if (Values.known(host) && Values.known(leafWorkingSet) && host - leafWorkingSet < best) {
            best = host - leafWorkingSet;
            bestLimit = host;
            bestWorkingSet = leafWorkingSet;
            bestDir = HOST;
        }
        if (s.version() != 0 && !Values.known(leafWorkingSet)) {
            unknown = true;
        }
        long headroom = unknown || best == Values.UNLIMITED ? Values.UNKNOWN : Math.max(0, best);
        if (unknown) {
            bestLimit = Values.UNKNOWN;
            bestWorkingSet = Values.UNKNOWN;
            bestDir = null;
        }
        return new Headroom(limit, limitDir, headroom, bestLimit, bestWorkingSet, bestDir);
    }

    /** Working set / binding limit in [0..1+], NaN when unknown. */
    public double utilization() {
        if (!Values.known(bindingWorkingSet) || !Values.limited(bindingLimit) || bindingLimit <= 0) {
            return Double.NaN;
        }
        return (double) bindingWorkingSet / bindingLimit;
    }

    /** True when a cgroup limit (not host memory) binds. */
    public boolean cgroupBinds() {
        return bindingDir != null && !HOST.equals(bindingDir);
    }
}
