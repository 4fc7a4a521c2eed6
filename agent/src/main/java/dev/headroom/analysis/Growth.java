package dev.headroom.analysis;

import dev.headroom.parse.Values;

/**
 * What grew since the last OK state, per component (in {@link Component#MEASURED} order):
 * current bytes, bytes grown since the baseline, and over how long.
 */
public final class Growth {
    private final long[] current;
    private final long[] grown;
    public final double seconds;

    Growth(long[] current, long[] grown, double seconds) {
        this.current = current;
        this.grown = grown;
        this.seconds = seconds;
    }

    public long current(Component c) {
        int i = index(c);
        return i < 0 ? Values.UNKNOWN : current[i];
    }

    public long grown(Component c) {
        int i = index(c);
        return i < 0 ? Values.UNKNOWN : grown[i];
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
