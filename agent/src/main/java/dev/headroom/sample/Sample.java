package dev.headroom.sample;

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
    /**
     * This tick's values that change from tick to tick: the {@link #CHANGING} metrics, then per
     * level the usages, then per level the inactive file (one array: a tick allocates as little
     * as it can). The leaf's usage and inactive file are left out when they are the leaf's
     * {@link Metric#USAGE} and {@link Metric#INACTIVE_FILE} (as the readers always set them).
     */
    private final long[] values;
    /**
     * The {@link #SETTLED} metrics, then per level the limit: values that stay the same for long
     * stretches. Never written after it is built, so one array is shared by every sample while
     * they do not change (the sampler's builder hands the previous tick's on when it is equal).
     */
    private final long[] settled;
    public final List<String> warnings;

    /**
     * Limits, settings, OOM counters, the process count and host memory: a change is an event.
     * Counters that move while a cgroup merely works at its limit (limit hits, high events) and
     * peaks (new with every tick of growth) are not settled.
     */
    static final Metric[] SETTLED = {
        Metric.SWAP_LIMIT, Metric.HIGH, Metric.SOFT_LIMIT, Metric.OOM_EVENTS, Metric.OOM_KILLS,
        Metric.OOM_GROUP_KILLS, Metric.UNDER_OOM, Metric.OOM_GROUP, Metric.HIERARCHICAL_LIMIT,
        Metric.PROCESSES, Metric.OOM_SCORE_ADJ, Metric.MEM_TOTAL,
    };
    /** Every other metric, in {@link Metric} order. */
    static final Metric[] CHANGING;
    /** The ordinals of {@link #CHANGING} and {@link #SETTLED}: a tick copies by index, without a call per metric. */
    private static final int[] CHANGING_ORDINALS;
    private static final int[] SETTLED_ORDINALS;
    /** Per metric ordinal: its index in {@link #values}, or {@code ~index} in {@link #settled}. */
    private static final int[] SLOT = new int[Metric.ALL.length];

    static {
        Arrays.fill(SLOT, Integer.MAX_VALUE);
        for (int i = 0; i < SETTLED.length; i++) {
            SLOT[SETTLED[i].ordinal()] = ~i;
        }
        CHANGING = new Metric[Metric.ALL.length - SETTLED.length];
        int n = 0;
        for (Metric m : Metric.ALL) {
            if (SLOT[m.ordinal()] == Integer.MAX_VALUE) {
                SLOT[m.ordinal()] = n;
                CHANGING[n++] = m;
            }
        }
        CHANGING_ORDINALS = ordinals(CHANGING);
        SETTLED_ORDINALS = ordinals(SETTLED);
    }

    static int[] ordinals(Metric[] metrics) {
        int[] ordinals = new int[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            ordinals[i] = metrics[i].ordinal();
        }
        return ordinals;
    }

    private Sample(Builder b) {
        this.nanoTime = b.nanoTime;
        this.wallMillis = b.wallMillis;
        this.location = b.location;
        int n = b.location.levels.size();
        int c = CHANGING.length;
        boolean leafInMetrics = n > 0 && b.levelUsage[0] == b.get(Metric.USAGE)
                && b.levelInactiveFile[0] == b.get(Metric.INACTIVE_FILE);
        int from = leafInMetrics ? 1 : 0;
        int stored = n - from;
        this.values = new long[c + 2 * stored];
        for (int i = 0; i < c; i++) {
            values[i] = b.values[CHANGING_ORDINALS[i]];
        }
        System.arraycopy(b.levelUsage, from, values, c, stored);
        System.arraycopy(b.levelInactiveFile, from, values, c + stored, stored);
        this.settled = b.settled();
        this.warnings = b.warnings();
    }

    /** The settled values' array, for tests that check it is shared. */
    long[] settled() {
        return settled;
    }

    public long get(Metric metric) {
        int slot = SLOT[metric.ordinal()];
        return slot >= 0 ? values[slot] : settled[~slot];
    }

    public int version() {
        return location.version;
    }

    public int levels() {
        return settled.length - SETTLED.length;
    }

    public String levelDir(int level) {
        return location.levels.get(level);
    }

    public long levelLimit(int level) {
        return settled[SETTLED.length + level(level)];
    }

    public long levelUsage(int level) {
        int at = stored(level);
        return at < 0 ? get(Metric.USAGE) : values[CHANGING.length + at];
    }

    /** max(0, usage − inactive file) of that level, as cAdvisor and the kubelet count it. */
    public long levelWorkingSet(int level) {
        int at = stored(level);
        long inactiveFile = at < 0 ? get(Metric.INACTIVE_FILE)
                : values[CHANGING.length + (values.length - CHANGING.length) / 2 + at];
        return workingSet(levelUsage(level), inactiveFile);
    }

    /** Where the level's usage is among the stored levels; -1 for a leaf kept in the metrics. */
    private int stored(int level) {
        int storedLevels = (values.length - CHANGING.length) / 2;
        return level(level) - (levels() - storedLevels);
    }

    /** The level, checked: the levels share their arrays with the metrics, so a bad index must not read a neighbour. */
    private int level(int level) {
        if (level < 0 || level >= levels()) {
            throw new IndexOutOfBoundsException("level " + level + " of " + levels());
        }
        return level;
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
        /** The previous tick's settled values: reused while they stay the same (almost always). */
        private long[] lastSettled;

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

        /** The tick's settled values and level limits; the previous tick's array when they are the same. */
        long[] settled() {
            int k = SETTLED.length;
            int n = levelLimit.length;
            long[] last = lastSettled;
            if (last != null && last.length == k + n) {
                boolean same = true;
                for (int i = 0; i < k && same; i++) {
                    same = last[i] == values[SETTLED_ORDINALS[i]];
                }
                for (int i = 0; i < n && same; i++) {
                    same = last[k + i] == levelLimit[i];
                }
                if (same) {
                    return last;
                }
            }
            long[] settled = new long[k + n];
            for (int i = 0; i < k; i++) {
                settled[i] = values[SETTLED_ORDINALS[i]];
            }
            System.arraycopy(levelLimit, 0, settled, k, n);
            lastSettled = settled;
            return settled;
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
