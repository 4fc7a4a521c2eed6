package dev.headroom.sink.log;

import dev.headroom.analysis.Assessment;
import dev.headroom.analysis.Component;
import dev.headroom.analysis.Growth;
import dev.headroom.jvm.JvmSnapshot;
import dev.headroom.parse.Values;
import dev.headroom.report.Grown;
import dev.headroom.text.JsonWriter;
import dev.headroom.text.Units;

/**
 * The part of a warning line that answers "the heap was fine, so what grew?": the components
 * that grew most since the last OK state with their rates, the native gap, and the JVM's own
 * breakdown. Text for people, fields for JSON lines.
 */
public final class JvmDetails implements Reporter.DetailSource {

    private static final int SHOWN = 3;

    @Override
    public String text(Assessment a) {
        StringBuilder out = new StringBuilder(400);
        String grown = Grown.describe(a.growth, SHOWN);
        if (grown != null) {
            out.append(grown);
        }
        long gap = a.nativeGapBytes();
        if (Values.known(gap)) {
            sep(out).append("native memory the JVM does not account for: ").append(Units.bytes(gap)).append(", ")
                    .append(Units.rate(a.nativeGapBytesPerSecond())).append(" (glibc arenas, JNI or a native library)");
        }
        JvmSnapshot j = a.jvm;
        if (j != null) {
            sep(out).append("JVM: heap ").append(Units.bytes(j.heapUsed)).append(" used, ")
                    .append(Units.bytes(j.heapCommitted)).append(" committed of ").append(Units.bytes(j.heapMax)).append(" max")
                    .append(", metaspace ").append(optional(j.metaspaceCommitted))
                    .append(", code cache ").append(optional(j.codeCacheCommitted))
                    .append(", direct ").append(optional(j.directCapacity)).append(" in ").append(Math.max(0, j.directCount))
                    .append(" buffers of ").append(optional(j.maxDirectMemory)).append(" max")
                    .append(", mapped ").append(optional(j.mappedCapacity))
                    .append(", threads ").append(j.threads).append(" (").append(Units.bytes(j.threadStackBytes())).append(" of stacks)");
        }
        return out.length() == 0 ? null : out.toString();
    }

    @Override
    public String jsonFields(Assessment a) {
        StringBuilder out = new StringBuilder(512);
        JsonWriter w = JsonWriter.continuing(out);
        Component top = a.topGrower();
        w.string("topGrower", top == null ? null : top.id);
        Growth g = a.growth;
        w.array("growers");
        for (Component c : g.growers()) {
            w.element().string("component", c.id).number("bytes", g.grown(c)).decimal("bytesPerSecond", g.rate(c)).end();
        }
        w.endArray();
        w.number("nativeGapBytes", a.nativeGapBytes()).decimal("nativeGapBytesPerSecond", a.nativeGapBytesPerSecond());
        JvmSnapshot j = a.jvm;
        if (j != null) {
            w.object("jvm")
                    .number("heapUsedBytes", j.heapUsed).number("heapCommittedBytes", j.heapCommitted)
                    .number("heapMaxBytes", j.heapMax).number("metaspaceCommittedBytes", known(j.metaspaceCommitted))
                    .number("codeCacheCommittedBytes", known(j.codeCacheCommitted))
                    .number("directBytes", known(j.directCapacity)).number("directCount", known(j.directCount))
                    .number("maxDirectBytes", known(j.maxDirectMemory)).number("mappedBytes", known(j.mappedCapacity))
                    .number("threads", j.threads).number("threadStackBytes", j.threadStackBytes())
                    .end();
        }
        return out.toString();
    }

    private static long known(long v) {
        return v < 0 ? Values.UNKNOWN : v;
    }

    private static String optional(long v) {
        return Units.bytes(known(v));
    }

    private static StringBuilder sep(StringBuilder out) {
        return out.length() == 0 ? out : out.append("; ");
    }
}
