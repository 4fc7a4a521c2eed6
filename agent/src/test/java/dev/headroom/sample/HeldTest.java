package dev.headroom.sample;

import dev.headroom.parse.Values;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A held group puts back exactly what its last read set: its metrics and its own warnings, nothing else. */
class HeldTest {

    private static final CgroupLocation NONE = CgroupLocation.none("/", Collections.<String>emptyList());

    @Test
    void putsBackTheLastReadsValuesAndWarningsOnly() {
        Held held = new Held(Metric.SWAP, Metric.OOM_KILLS);
        Sample.Builder b = new Sample.Builder().start(NONE, 1, 1);
        assertFalse(held.replay(b, false), "nothing read yet: the caller reads");
        b.warn("before the group");
        held.begin(b);
        b.set(Metric.SWAP, 7).set(Metric.OOM_KILLS, 2).warn("memory.oom_control: missing");
        held.end(b);

        b.start(NONE, 2, 2).set(Metric.USAGE, 100).warn("another reader's");
        assertTrue(held.replay(b, false));
        Sample s = b.build();
        assertEquals(7, s.get(Metric.SWAP));
        assertEquals(2, s.get(Metric.OOM_KILLS));
        assertEquals(100, s.get(Metric.USAGE), "what else this tick set stays");
        assertEquals(Values.UNKNOWN, s.get(Metric.PEAK), "a metric outside the group is not put back");
        assertEquals(List.of("another reader's", "memory.oom_control: missing"), s.warnings);
    }

    @Test
    void aDueReadIsNotPutBack() {
        Held held = new Held(Metric.SWAP);
        Sample.Builder b = new Sample.Builder().start(NONE, 1, 1);
        held.begin(b);
        b.set(Metric.SWAP, 7);
        held.end(b);
        b.start(NONE, 2, 2);
        assertFalse(held.replay(b, true));
        assertEquals(Values.UNKNOWN, b.get(Metric.SWAP));
    }
}
