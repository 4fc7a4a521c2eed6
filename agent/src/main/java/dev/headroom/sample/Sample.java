package dev.headroom.sample;

import dev.headroom.cgroup.CgroupLocation;
import dev.headroom.parse.Values;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Everything one tick read, as raw numbers: the leaf's values by {@link Metric}, each cgroup
 * level's limit and usage (leaf first), and what could not be read. Immutable; unknown values
 * are {@link Values#UNKNOWN}, unset limits {@link Values#UNLIMITED}.
 */
public final class Sample {

    public final long nanoTime;
    public final long wallMillis;
    public final CgroupLocation location;
    private final long[] values;
    /** Per level: limit, usage, inactive file (one array: a tick allocates as little as it can). */
    private final long[] levelValues;
    public final List<String> warnings;

    private Sample(Builder b) {
        this.nanoTime = b.nanoTime;
        this.wallMillis = b.wallMillis;
        this.location = b.location;
        this.values = b.values.clone();
        int n = b.location.levels.size();
        this.levelValues = new long[3 * n];
        System.arraycopy(b.levelLimit, 0, levelValues, 0, n);
        System.arraycopy(b.levelUsage, 0, levelValues, n, n);
        System.arraycopy(b.levelInactiveFile, 0, levelValues, 2 * n, n);
        this.warnings = b.warnings();
    }

    public long get(Metric metric) {
        return values[metric.ordinal()];
    }

    public int version() {
        return location.version;
    }

    public int levels() {
        return levelValues.length / 3;
    }

    public String levelDir(int level) {
        return location.levels.get(level);
    }

    public long levelLimit(int level) {
        return levelValues[level];
    }

    public long levelUsage(int level) {
        return levelValues[levels() + level];
    }

    /** max(0, usage − inactive file) of that level, as cAdvisor and the kubelet count it. */
    public long levelWorkingSet(int level) {
        return workingSet(levelUsage(level), levelValues[2 * levels() + level]);
    }

    /** The leaf's working set. */
    public long workingSet() {
        return workingSet(get(Metric.USAGE), get(Metric.INACTIVE_FILE));
    }

    static long workingSet(long usage, long inactiveFile) {
        if (!Values.known(usage) || !Values.known(inactiveFile)) {
            return Values.UNKNOWN;
        }
        return Math.max(0, usage - inactiveFile);
    }

    /** Reused by the sampler for every tick; {@link #build()} copies it into an immutable Sample. */
    public static final class Builder {
        long nanoTime;
        long wallMillis;
        CgroupLocation location;
        final long[] values = new long[Metric.ALL.length];
        long[] levelLimit = new long[0];
        long[] levelUsage = new long[0];
        long[] levelInactiveFile = new long[0];
        final List<String> warnings = new ArrayList<>();
        /** The previous tick's warnings: reused while the same ones repeat (a missing optional file). */
        private List<String> lastWarnings = Collections.emptyList();

        /** Starts a tick: every value unknown, no warnings. */
        public Builder start(CgroupLocation location, long nanoTime, long wallMillis) {
            this.location = location;
            this.nanoTime = nanoTime;
            this.wallMillis = wallMillis;
            Arrays.fill(values, Values.UNKNOWN);
            int n = location.levels.size();
            if (levelLimit.length != n) {
                levelLimit = new long[n];
                levelUsage = new long[n];
                levelInactiveFile = new long[n];
            }
            Arrays.fill(levelLimit, Values.UNKNOWN);
            Arrays.fill(levelUsage, Values.UNKNOWN);
            Arrays.fill(levelInactiveFile, Values.UNKNOWN);
            warnings.clear();
            return this;
        }

        public Builder set(Metric metric, long value) {
            values[metric.ordinal()] = value;
            return this;
        }

        public long get(Metric metric) {
            return values[metric.ordinal()];
        }

        public Builder level(int level, long limit, long usage, long inactiveFile) {
            levelLimit[level] = limit;
            levelUsage[level] = usage;
            levelInactiveFile[level] = inactiveFile;
            return this;
        }

        public Builder warn(String warning) {
            if (warning != null) {
                warnings.add(warning);
            }
            return this;
        }

        public Sample build() {
            return new Sample(this);
        }

        /**
         * The tick's warnings as an immutable list; the previous tick's list when they are the same
         * strings (readers build each warning once, so a permanent one allocates nothing per tick).
         */
        List<String> warnings() {
            List<String> last = lastWarnings;
            if (last.size() == warnings.size()) {
                boolean same = true;
                for (int i = 0; i < last.size() && same; i++) {
                    String w = warnings.get(i);
                    String l = last.get(i);
                    same = w == l || w.equals(l);
                }
                if (same) {
                    return last;
                }
            }
            lastWarnings = warnings.isEmpty() ? Collections.<String>emptyList()
                    : Collections.unmodifiableList(new ArrayList<>(warnings));
            return lastWarnings;
        }
    }
}
