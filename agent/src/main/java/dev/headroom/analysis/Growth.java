package dev.headroom.analysis;

import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.Values;
import dev.headroom.sample.Sample;

/**
 * What grew since the last OK state, per component (in {@link Component#MEASURED} order):
 * current bytes, bytes grown since the baseline, and over how long. Immutable: the current
 * bytes are measured from this tick's sample and JVM snapshot (both immutable) when asked,
 * and the grown bytes are fields, so a tick allocates this one object and no array.
 */
public final class Growth {
    private final Sample sample;
    private final JvmSnapshot jvm;
    private final long heap;
    private final long metaspace;
    private final long codeCache;
    private final long direct;
    private final long mapped;
    private final long threads;
    private final long nativeGap;
    private final long pageCache;
    public final double seconds;

    /** {@code grown} in {@link Component#MEASURED} order; copied, so the caller may reuse it. */
    Growth(Sample sample, JvmSnapshot jvm, long[] grown, double seconds) {
        this.sample = sample;
        this.jvm = jvm;
        this.heap = grown[index(Component.HEAP)];
        this.metaspace = grown[index(Component.METASPACE)];
        this.codeCache = grown[index(Component.CODECACHE)];
        this.direct = grown[index(Component.DIRECT)];
        this.mapped = grown[index(Component.MAPPED)];
        this.threads = grown[index(Component.THREADS)];
        this.nativeGap = grown[index(Component.NATIVE)];
        this.pageCache = grown[index(Component.PAGECACHE)];
        this.seconds = seconds;
    }

    public long current(Component c) {
        return index(c) < 0 ? Values.UNKNOWN : c.measure(sample, jvm);
    }

    public long grown(Component c) {
        if (c == null) {
            return Values.UNKNOWN;
        }
        switch (c) {
            case HEAP:
                return heap;
            case METASPACE:
                return metaspace;
            case CODECACHE:
                return codeCache;
            case DIRECT:
                return direct;
            case MAPPED:
                return mapped;
            case THREADS:
                return threads;
            case NATIVE:
                return nativeGap;
            case PAGECACHE:
                return pageCache;
            default:
                return Values.UNKNOWN;
        }
    }

    public double rate(Component c) {
        long g = grown(c);
        return !Values.known(g) || seconds <= 0 ? Double.NaN : g / seconds;
    }

    /** The component that grew most (at least 1 MiB), OTHER when none did, null when nothing is known. */
    public Component top() {
        Component best = null;
        long most = 0;
        boolean anyKnown = false;
        for (Component c : Component.MEASURED) {
            long g = grown(c);
            if (Values.known(g)) {
                anyKnown = true;
                if (g > most) {
                    most = g;
                    best = c;
                }
            }
        }
        if (best != null && most >= 1024 * 1024) {
            return best;
        }
        return anyKnown ? Component.OTHER : null;
    }

    /** Components that grew by at least 1 MiB, largest first. */
    public java.util.List<Component> growers() {
        java.util.List<Component> out = new java.util.ArrayList<>();
        for (Component c : Component.MEASURED) {
            long g = grown(c);
            if (Values.known(g) && g >= 1024 * 1024) {
                out.add(c);
            }
        }
        out.sort((a, b) -> Long.compare(grown(b), grown(a)));
        return out;
    }

    private static int index(Component c) {
        for (int i = 0; i < Component.MEASURED.length; i++) {
            if (Component.MEASURED[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
