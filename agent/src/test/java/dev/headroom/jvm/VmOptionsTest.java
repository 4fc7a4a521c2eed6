package dev.headroom.jvm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** This JVM's own options, through the diagnostic MXBean. */
class VmOptionsTest {

    @Test
    void readsNumbersAndFlagsAndTellsUnknownOptions() {
        assertTrue(VmOptions.number("MaxHeapSize", -1) >= Runtime.getRuntime().maxMemory());
        assertNull(VmOptions.value("NoSuchOptionAnywhere"));
        assertEquals(42, VmOptions.number("NoSuchOptionAnywhere", 42));
        assertEquals(7, VmOptions.number("UseG1GC", 7), "not a number: the fallback");
        assertFalse(VmOptions.writable("NoSuchOptionAnywhere"));
        assertFalse(VmOptions.setByUser("NoSuchOptionAnywhere"));
        assertTrue(VmOptions.writable("MinHeapFreeRatio"), "manageable in HotSpot");
        assertFalse(VmOptions.writable("MaxHeapSize"));
    }

    @Test
    void aValueChangedAtRunTimeCountsAsChosen() {
        // a default nobody touched is not a choice
        assertFalse(VmOptions.setByUser("PrintFlagsFinal"));
        String before = VmOptions.value("HeapDumpOnOutOfMemoryError");
        try {
            VmOptions.set("HeapDumpOnOutOfMemoryError", before);
            assertTrue(VmOptions.setByUser("HeapDumpOnOutOfMemoryError"), "origin MANAGEMENT after a change");
        } finally {
            VmOptions.set("HeapDumpOnOutOfMemoryError", before);
        }
    }
}
