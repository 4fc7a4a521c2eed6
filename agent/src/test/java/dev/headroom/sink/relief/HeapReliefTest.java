package dev.headroom.sink.relief;

import dev.headroom.sink.relief.HeapFacts.Collector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heap relief's decision with made-up heaps: when it acts, and each reason it gives not to. */
class HeapReliefTest {

    private static final long MIB = 1024 * 1024;
    /** One young collection a second: an application that is not churning its heap. */
    private static final double CALM = 1;

    private static HeapFacts heap(Collector c, long usedMib, long committedMib) {
        return new HeapFacts(c, usedMib * MIB, committedMib * MIB, 8 * MIB, true, true, false, 0);
    }

    @Test
    void anEmptiedHeapIsGivenBackWithEveryCollectorThatCanShrink() {
        for (Collector c : new Collector[] {Collector.G1, Collector.PARALLEL, Collector.SERIAL, Collector.SHENANDOAH}) {
            assertNull(HeapRelief.skipReason(heap(c, 10, 200), 30 * MIB, CALM), c.name());
        }
        assertNull(HeapRelief.skipReason(new HeapFacts(Collector.Z, 10 * MIB, 200 * MIB, 8 * MIB, true, true, false, 1),
                30 * MIB, CALM), "ZGC with a short uncommit delay");
    }

    @Test
    void aHeapNearlyAllInUseIsNotWorthAFullGc() {
        String why = HeapRelief.skipReason(heap(Collector.G1, 195, 200), 30 * MIB, CALM);
        assertNotNull(why);
        assertTrue(why.startsWith("the heap is nearly all in use (195.0 MiB of 200.0 MiB committed): at most 5.0 MiB"), why);
        assertTrue(why.endsWith("worth a full GC from 15.0 MiB"), "half of the 30 MiB missing: " + why);
    }

    @Test
    void whatIsWorthItGrowsWithWhatIsMissingAndNeverFallsBelow8Mib() {
        // 40 MiB to give back: enough when 60 MiB are missing, not when 100 MiB are
        assertNull(HeapRelief.skipReason(heap(Collector.G1, 60, 100), 60 * MIB, CALM));
        assertNotNull(HeapRelief.skipReason(heap(Collector.G1, 60, 100), 100 * MIB, CALM));
        // nothing missing (a warning by trend): 8 MiB at least
        assertNull(HeapRelief.skipReason(heap(Collector.G1, 10, 18), 0, CALM));
        assertNotNull(HeapRelief.skipReason(heap(Collector.G1, 10, 17), 0, CALM));
    }

    @Test
    void aHeapThatCannotShrinkBelowXmsIsLeftAlone() {
        HeapFacts pinned = new HeapFacts(Collector.G1, 10 * MIB, 200 * MIB, 200 * MIB, true, true, false, 0);
        String why = HeapRelief.skipReason(pinned, 30 * MIB, CALM);
        assertTrue(why.startsWith("the heap cannot shrink: 200.0 MiB committed, and -Xms"), why);
        HeapFacts halfPinned = new HeapFacts(Collector.G1, 10 * MIB, 200 * MIB, 195 * MIB, true, true, false, 0);
        assertTrue(HeapRelief.skipReason(halfPinned, 30 * MIB, CALM).startsWith("the heap is nearly all in use"),
                "only 5 MiB above -Xms");
    }

    @Test
    void collectorsThatCannotShrinkAndFlagsThatAreNotManageableAreSaid() {
        assertTrue(HeapRelief.skipReason(heap(Collector.EPSILON, 10, 200), 0, CALM).contains("Epsilon"));
        assertTrue(HeapRelief.skipReason(heap(Collector.UNKNOWN, 10, 200), 0, CALM).startsWith("unknown collector"));
        HeapFacts noRatios = new HeapFacts(Collector.G1, 10 * MIB, 200 * MIB, 8 * MIB, false, true, false, 0);
        assertTrue(HeapRelief.skipReason(noRatios, 0, CALM).contains("MinHeapFreeRatio/MaxHeapFreeRatio are not manageable"));
        HeapFacts noSoftMax = new HeapFacts(Collector.SHENANDOAH, 10 * MIB, 200 * MIB, 8 * MIB, true, false, false, 0);
        assertTrue(HeapRelief.skipReason(noSoftMax, 0, CALM).contains("SoftMaxHeapSize is not manageable"));
        HeapFacts zgcDefault = new HeapFacts(Collector.Z, 10 * MIB, 200 * MIB, 8 * MIB, true, true, false, 300);
        String why = HeapRelief.skipReason(zgcDefault, 0, CALM);
        assertTrue(why.startsWith("ZGC gives memory back only after ZUncommitDelay (5m00s)") && why.contains("-XX:ZUncommitDelay=1"), why);
        HeapFacts zgcNever = new HeapFacts(Collector.Z, 10 * MIB, 200 * MIB, 8 * MIB, true, true, false, Double.POSITIVE_INFINITY);
        assertTrue(HeapRelief.skipReason(zgcNever, 0, CALM).contains("-XX:-ZUncommit"));
    }

    @Test
    void aHeapTheApplicationIsChurningIsLeftAloneUntilItCalmsDown() {
        HeapFacts emptied = heap(Collector.G1, 10, 200);
        String why = HeapRelief.skipReason(emptied, 30 * MIB, 40);
        assertTrue(why.startsWith("the application is allocating fast (40 collections a second)"), why);
        assertNull(HeapRelief.skipReason(emptied, 30 * MIB, 5), "5 a second is calm enough");
        assertEquals("", HeapRelief.skipReason(emptied, 30 * MIB, Double.NaN), "no rate yet: skip silently, decide next tick");
    }

    @Test
    void disableExplicitGcIsHonouredBeforeAnythingElse() {
        HeapFacts disabled = new HeapFacts(Collector.G1, 10 * MIB, 200 * MIB, 8 * MIB, true, true, true, 0);
        assertTrue(HeapRelief.skipReason(disabled, 30 * MIB, CALM).startsWith("-XX:+DisableExplicitGC is set"));
    }

    @Test
    void thisJvmsOwnFactsAreReadable() {
        HeapFacts f = HeapFacts.read();
        assertTrue(f.committed >= f.used && f.used > 0, () -> f.used + " of " + f.committed);
        assertTrue(f.collector != Collector.UNKNOWN, "a HotSpot JVM names its collector");
        assertTrue(f.freeRatiosManageable, "MinHeapFreeRatio/MaxHeapFreeRatio are manageable on JDK 17 and 25");
        assertTrue(f.floor > 0);
        assertTrue(HeapFacts.collections() >= 0, "a HotSpot JVM counts its collections");
    }
}
