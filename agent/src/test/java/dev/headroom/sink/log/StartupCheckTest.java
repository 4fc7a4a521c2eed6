package dev.headroom.sink.log;

import dev.headroom.jvm.JvmFlags;
import dev.headroom.parse.Values;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four startup checks against the effective limit. JvmFlags has only a private constructor
 * (it reads the running JVM); the test builds flags through it reflectively rather than widening
 * main code.
 */
class StartupCheckTest {

    private static final long MIB = 1024 * 1024;
    private static final long LIMIT = 256 * MIB;
    /** No swap allowed. */
    private static final long NO_SWAP = 0;
    private static final long SOME_SWAP = 256 * MIB;

    /** -Xmx64m -XX:MaxDirectMemorySize=32m -XX:ReservedCodeCacheSize=32m in 256 MiB. */
    private static JvmFlags sensible() {
        return flags(64 * MIB, -1, 32 * MIB, 32 * MIB, true, false);
    }

    @Test
    void sensibleFlagsAreQuietEvenWithoutSwap() {
        assertEquals(List.of(), StartupCheck.problems(sensible(), LIMIT, NO_SWAP));
        assertEquals(List.of(), StartupCheck.problems(sensible(), LIMIT, SOME_SWAP));
        assertEquals(List.of(), StartupCheck.problems(sensible(), LIMIT, Values.UNKNOWN));
        // MaxRAMPercentage=50 on a container-aware JVM: heap 128 MiB, direct defaults to the heap, code cache 48 MiB
        JvmFlags percent = flags(120 * MIB, -1, 120 * MIB, 48 * MIB, false, true);
        assertTrue(StartupCheck.problems(percent, 512 * MIB, SOME_SWAP).isEmpty());
    }

    @Test
    void heapAtOrAboveNinetyPercentOfTheLimit() {
        JvmFlags big = flags(231 * MIB, -1, 16 * MIB, 8 * MIB, true, false); // 90.2%
        List<String> p = StartupCheck.problems(big, LIMIT, SOME_SWAP);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("max heap 231.0 MiB is 90.2% of the 256.0 MiB limit")), p::toString);
        assertTrue(p.stream().anyMatch(s -> s.contains("lower -Xmx or -XX:MaxRAMPercentage")), p::toString);

        JvmFlags justBelow = flags(230 * MIB, -1, 8 * MIB, 8 * MIB, true, false); // 89.8%, total 246 MiB
        assertEquals(List.of(), StartupCheck.problems(justBelow, LIMIT, SOME_SWAP));
    }

    @Test
    void heapPlusMetaspacePlusDirectPlusCodeCacheAboveTheLimit() {
        JvmFlags sum = flags(128 * MIB, 64 * MIB, 64 * MIB, 32 * MIB, true, false); // 288 MiB
        List<String> p = StartupCheck.problems(sum, LIMIT, SOME_SWAP);
        assertEquals(1, p.size(), p::toString);
        assertEquals("max heap 128.0 MiB + max metaspace 64.0 MiB + max direct memory 64.0 MiB + reserved code cache "
                + "32.0 MiB = 288.0 MiB, above the 256.0 MiB limit: the kernel can kill the process before the JVM "
                + "reports any OutOfMemoryError", p.get(0));

        // unset metaspace (unlimited) is left out of the sum; exactly the limit is not above it
        JvmFlags exact = flags(128 * MIB, -1, 96 * MIB, 32 * MIB, true, false);
        assertEquals(List.of(), StartupCheck.problems(exact, LIMIT, SOME_SWAP));
        JvmFlags oneMore = flags(128 * MIB, -1, 96 * MIB + 1, 32 * MIB, true, false);
        List<String> q = StartupCheck.problems(oneMore, LIMIT, SOME_SWAP);
        assertEquals(1, q.size(), q::toString);
        assertTrue(q.get(0).startsWith("max heap 128.0 MiB + max direct memory"), q.get(0));
    }

    @Test
    void neitherXmxNorMaxRamPercentageOnAJvmThatSizedItsHeapFromTheHost() {
        // an old JDK 8 that is not container-aware: a quarter of a 16 GiB host
        JvmFlags host = flags(4096 * MIB, -1, 4096 * MIB, 240 * MIB, false, false);
        List<String> p = StartupCheck.problems(host, LIMIT, SOME_SWAP);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("neither -Xmx nor -XX:MaxRAMPercentage is set and the JVM sized "
                + "its heap to 4.00 GiB from host memory")), p::toString);

        // the same sizes with -Xmx set: the container-awareness line does not apply (the others do)
        JvmFlags set = flags(4096 * MIB, -1, 4096 * MIB, 240 * MIB, true, false);
        assertTrue(StartupCheck.problems(set, LIMIT, SOME_SWAP).stream().noneMatch(s -> s.startsWith("neither")));
        JvmFlags percent = flags(4096 * MIB, -1, 4096 * MIB, 240 * MIB, false, true);
        assertTrue(StartupCheck.problems(percent, LIMIT, SOME_SWAP).stream().noneMatch(s -> s.startsWith("neither")));

        // a container-aware JVM's default (a quarter of the limit) is quiet
        JvmFlags aware = flags(64 * MIB, -1, 64 * MIB, 48 * MIB, false, false);
        assertEquals(List.of(), StartupCheck.problems(aware, LIMIT, NO_SWAP));
    }

    @Test
    void noSwapWithALargeHeap() {
        JvmFlags half = flags(128 * MIB, -1, 32 * MIB, 32 * MIB, true, false);
        List<String> p = StartupCheck.problems(half, LIMIT, NO_SWAP);
        assertEquals(1, p.size(), p::toString);
        assertTrue(p.get(0).startsWith("no swap is allowed (swap limit 0) and max heap is 128.0 MiB of the 256.0 MiB limit"),
                p.get(0));
        assertEquals(List.of(), StartupCheck.problems(half, LIMIT, SOME_SWAP));
        assertEquals(List.of(), StartupCheck.problems(half, LIMIT, Values.UNLIMITED));
        assertEquals(List.of(), StartupCheck.problems(half, LIMIT, Values.UNKNOWN));
    }

    @Test
    void allFourAtOnceAndNothingWithoutALimit() {
        JvmFlags worst = flags(4096 * MIB, -1, 4096 * MIB, 240 * MIB, false, false);
        assertEquals(4, StartupCheck.problems(worst, LIMIT, NO_SWAP).size());
        assertEquals(List.of(), StartupCheck.problems(worst, Values.UNLIMITED, NO_SWAP));
        assertEquals(List.of(), StartupCheck.problems(worst, Values.UNKNOWN, NO_SWAP));
        assertEquals(List.of(), StartupCheck.problems(worst, 0, NO_SWAP));
    }

    @Test
    void theRunningJvmsFlagsAreReadable() {
        JvmFlags own = JvmFlags.read();
        assertEquals(Runtime.getRuntime().maxMemory(), own.maxHeap);
        assertTrue(own.reservedCodeCache > 0 && own.threadStackSize > 0 && own.maxDirectMemory > 0);
        // a limit of exactly our max heap always trips the 90% check
        assertTrue(StartupCheck.problems(own, own.maxHeap, SOME_SWAP).stream().anyMatch(s -> s.startsWith("max heap ")));
    }

    /** JvmFlags(maxHeap, maxMetaspace, maxDirect, reservedCodeCache, threadStackSize, heapSizeSet, ramPercentageSet, nmt). */
    static JvmFlags flags(long maxHeap, long maxMetaspace, long maxDirect, long codeCache, boolean heapSet, boolean percentSet) {
        try {
            Constructor<JvmFlags> c = JvmFlags.class.getDeclaredConstructor(long.class, long.class, long.class, long.class,
                    long.class, boolean.class, boolean.class, boolean.class);
            c.setAccessible(true);
            return c.newInstance(maxHeap, maxMetaspace, maxDirect, codeCache, MIB, heapSet, percentSet, false);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("JvmFlags' constructor changed: " + e, e);
        }
    }
}
