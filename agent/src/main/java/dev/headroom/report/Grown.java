package dev.headroom.report;

import dev.headroom.analysis.Component;
import dev.headroom.analysis.Growth;
import dev.headroom.text.Units;

import java.util.List;

/** What grew since the last OK state, in one phrase: for warning lines and the JMX {@code Grown} attribute. */
public final class Grown {

    private Grown() {
    }

    /**
     * "grew in the last 6s: direct +121.0 MiB (+20.1 MiB/s), native +2.1 MiB (+350.0 KiB/s)" with
     * at most {@code shown} components, largest first; a sentence when none grew by 1 MiB; null
     * when nothing could be measured.
     */
    public static String describe(Growth g, int shown) {
        List<Component> growers = g.growers();
        if (!growers.isEmpty()) {
            StringBuilder out = new StringBuilder(200);
            out.append("grew in the last ").append(Units.duration(g.seconds)).append(": ");
            for (int i = 0; i < Math.min(shown, growers.size()); i++) {
                Component c = growers.get(i);
                out.append(i == 0 ? "" : ", ").append(c.id).append(" +").append(Units.bytes(g.grown(c)))
                        .append(" (").append(Units.rate(g.rate(c))).append(')');
            }
            return out.toString();
        }
        return g.top() == Component.OTHER ? "no component grew by 1 MiB or more since the last OK state" : null;
    }
}
