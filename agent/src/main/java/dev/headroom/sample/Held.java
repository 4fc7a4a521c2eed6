package dev.headroom.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * What a reader set at its last full read (a group of metrics and the warnings it gave), put
 * back at ticks that read none of its files: a calm tick then touches one small array instead of
 * a dozen kept files and their parsers, which matters most when a tick runs once a second on
 * cold caches. Owned by the reader's thread.
 */
public final class Held {

    private final int[] metrics;
    private final long[] values;
    private final List<String> warnings = new ArrayList<>();
    private int warningsFrom = -1;
    private boolean held;

    public Held(Metric... metrics) {
        this.metrics = Sample.ordinals(metrics);
        this.values = new long[metrics.length];
    }

    /** A group made of several lists of metrics, in that order. */
    public static Held of(Metric[]... groups) {
        int n = 0;
        for (Metric[] g : groups) {
            n += g.length;
        }
        Metric[] all = new Metric[n];
        int at = 0;
        for (Metric[] g : groups) {
            System.arraycopy(g, 0, all, at, g.length);
            at += g.length;
        }
        return new Held(all);
    }

    /** Before a full read into {@code b}. */
    public void begin(Sample.Builder b) {
        warningsFrom = b.warnings.size();
    }

    /** After a full read into {@code b}: remembers the group's values and the warnings added since {@link #begin}. */
    public void end(Sample.Builder b) {
        for (int i = 0; i < metrics.length; i++) {
            values[i] = b.values[metrics[i]];
        }
        warnings.clear();
        for (int i = warningsFrom; i < b.warnings.size(); i++) {
            warnings.add(b.warnings.get(i));
        }
        held = true;
    }

    /**
     * Puts the last full read's values and warnings into {@code b}, unless a read is {@code due}
     * or none was recorded yet: true when it put them back (the caller reads nothing), false when
     * the caller must read ({@link #begin}, the reads, {@link #end}).
     */
    public boolean replay(Sample.Builder b, boolean due) {
        if (due || !held) {
            return false;
        }
        for (int i = 0; i < metrics.length; i++) {
            b.values[metrics[i]] = values[i];
        }
        for (int i = 0; i < warnings.size(); i++) {
            b.warnings.add(warnings.get(i));
        }
        return true;
    }
}
