package dev.headroom.sink.log;

import dev.headroom.jvm.JvmFlags;
import dev.headroom.jvm.JvmSnapshot;
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
        assertEquals(List.of(), StartupCheck.problems(sensible(), null, LIMIT, NO_SWAP));
        assertEquals(List.of(), StartupCheck.problems(sensible(), null, LIMIT, SOME_SWAP));
        assertEquals(List.of(), StartupCheck.problems(sensible(), null, LIMIT, Values.UNKNOWN));
        // MaxRAMPercentage=50 on a container-aware JVM: heap 128 MiB, direct defaults to the heap, code cache 48 MiB
        JvmFlags percent = flags(120 * MIB, -1, 120 * MIB, 48 * MIB, false, true);
        assertTrue(StartupCheck.problems(percent, null, 512 * MIB, SOME_SWAP).isEmpty());
    }

    @Test
    void heapAtOrAboveNinetyPercentOfTheLimit() {
        JvmFlags big = flags(231 * MIB, -1, 16 * MIB, 8 * MIB, true, false); // 90.2%
        List<String> p = StartupCheck.problems(big, null, LIMIT, SOME_SWAP);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("max heap 231.0 MiB is 90.2% of the 256.0 MiB limit")), p::toString);
        assertTrue(p.stream().anyMatch(s -> s.contains("lower -Xmx or -XX:MaxRAMPercentage")), p::toString);

        JvmFlags justBelow = flags(230 * MIB, -1, 8 * MIB, 8 * MIB, true, false); // 89.8%, total 246 MiB
        assertEquals(List.of(), StartupCheck.problems(justBelow, null, LIMIT, SOME_SWAP));
    }

    @Test
    void heapPlusMetaspacePlusDirectPlusCodeCacheAboveTheLimit() {
        JvmFlags sum = flags(128 * MIB, 64 * MIB, 64 * MIB, 32 * MIB, true, false); // 288 MiB
        List<String> p = StartupCheck.problems(sum, null, LIMIT, SOME_SWAP);
        assertEquals(1, p.size(), p::toString);
        assertEquals("max heap 128.0 MiB + max metaspace 64.0 MiB + max direct memory 64.0 MiB + reserved code cache "
                + "32.0 MiB = 288.0 MiB, above the 256.0 MiB limit: the kernel can kill the process before the JVM "
                + "reports any OutOfMemoryError", p.get(0));

        // unset metaspace (unlimited) is left out of the sum; exactly the limit is not above it
        JvmFlags exact = flags(128 * MIB, -1, 96 * MIB, 32 * MIB, true, false);
        assertEquals(List.of(), StartupCheck.problems(exact, null, LIMIT, SOME_SWAP));
        JvmFlags oneMore = flags(128 * MIB, -1, 96 * MIB + 1, 32 * MIB, true, false);
        List<String> q = StartupCheck.problems(oneMore, null, LIMIT, SOME_SWAP);
        assertEquals(1, q.size(), q::toString);
        assertTrue(q.get(0).startsWith("max heap 128.0 MiB + max direct memory"), q.get(0));
    }

    @Test
    void neitherXmxNorMaxRamPercentageOnAJvmThatSizedItsHeapFromTheHost() {
        // an old JDK 8 that is not container-aware: a quarter of a 16 GiB host
        JvmFlags host = flags(4096 * MIB, -1, 4096 * MIB, 240 * MIB, false, false);
        List<String> p = StartupCheck.problems(host, null, LIMIT, SOME_SWAP);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("neither -Xmx nor -XX:MaxRAMPercentage is set and the JVM sized "
                + "its heap to 4.00 GiB from host memory")), p::toString);

        // the same sizes with -Xmx set: the container-awareness line does not apply (the others do)
        JvmFlags set = flags(4096 * MIB, -1, 4096 * MIB, 240 * MIB, true, false);
        assertTrue(StartupCheck.problems(set, null, LIMIT, SOME_SWAP).stream().noneMatch(s -> s.startsWith("neither")));
        JvmFlags percent = flags(4096 * MIB, -1, 4096 * MIB, 240 * MIB, false, true);
        assertTrue(StartupCheck.problems(percent, null, LIMIT, SOME_SWAP).stream().noneMatch(s -> s.startsWith("neither")));

        // a container-aware JVM's default (a quarter of the limit) is quiet
        JvmFlags aware = flags(64 * MIB, -1, 64 * MIB, 48 * MIB, false, false);
        assertEquals(List.of(), StartupCheck.problems(aware, null, LIMIT, NO_SWAP));
    }

    @Test
    void noSwapWithALargeHeap() {
        JvmFlags half = flags(128 * MIB, -1, 32 * MIB, 32 * MIB, true, false);
        List<String> p = StartupCheck.problems(half, null, LIMIT, NO_SWAP);
        assertEquals(1, p.size(), p::toString);
        assertTrue(p.get(0).startsWith("no swap is allowed (swap limit 0) and max heap is 128.0 MiB of the 256.0 MiB limit"),
                p.get(0));
        assertEquals(List.of(), StartupCheck.problems(half, null, LIMIT, SOME_SWAP));
        assertEquals(List.of(), StartupCheck.problems(half, null, LIMIT, Values.UNLIMITED));
        assertEquals(List.of(), StartupCheck.problems(half, null, LIMIT, Values.UNKNOWN));
    }

    @Test
    void allFourAtOnceAndNothingWithoutALimit() {
        JvmFlags worst = flags(4096 * MIB, -1, 4096 * MIB, 240 * MIB, false, false);
        assertEquals(4, StartupCheck.problems(worst, null, LIMIT, NO_SWAP).size());
        assertEquals(List.of(), StartupCheck.problems(worst, null, Values.UNLIMITED, NO_SWAP));
        assertEquals(List.of(), StartupCheck.problems(worst, null, Values.UNKNOWN, NO_SWAP));
        assertEquals(List.of(), StartupCheck.problems(worst, null, 0, NO_SWAP));
    }

    /** What a default JVM has at its first sample: a few MiB of metaspace and code cache, one small direct buffer. */
    private static JvmSnapshot startedJvm(long maxHeap) {
        return new JvmSnapshot.Builder().heap(3 * MIB, 8 * MIB, maxHeap).metaspace(6 * MIB, 7 * MIB)
                .codeCache(3 * MIB, 7 * MIB + MIB / 2).direct(2, 16 * 1024, 16 * 1024, maxHeap).mapped(0, 0, 0)
                .threads(12, MIB).build();
    }

    @Test
    void aDefaultJvmIsQuietIn256And384MiBAnd1GiBThoughItsDefaultCapsAddUpAboveTheLimit() {
        // JDK 17's defaults in those cgroups (measured): max heap 126 MiB, 126 MiB, 256 MiB; direct memory
        // capped at the max heap; 240 MiB of code cache reserved; none of it set by hand
        long[][] cases = {{256, 126}, {384, 126}, {1024, 256}};
        for (long[] c : cases) {
            long limit = c[0] * MIB;
            long heap = c[1] * MIB;
            JvmFlags defaults = flags(heap, -1, heap, 240 * MIB, false, false, false);
            assertEquals(List.of(), StartupCheck.problems(defaults, startedJvm(heap), limit, SOME_SWAP), c[0] + " MiB");
            assertEquals(List.of(), StartupCheck.problems(defaults, startedJvm(heap), limit, NO_SWAP), c[0] + " MiB");
            assertEquals(List.of(), StartupCheck.problems(defaults, null, limit, SOME_SWAP), c[0] + " MiB, not measured");
            // the same sizes chosen by hand are a sizing decision, counted at their caps
            boolean over = heap + heap + 240 * MIB > limit;
            JvmFlags chosen = flags(heap, -1, heap, 240 * MIB, true, true, false);
            assertEquals(over, !StartupCheck.problems(chosen, startedJvm(heap), limit, SOME_SWAP).isEmpty(), c[0] + " MiB");
        }
    }

    @Test
    void defaultCapsCountWithWhatIsInUseNow() {
        JvmFlags defaults = flags(128 * MIB, -1, 128 * MIB, 240 * MIB, false, true, false);
        JvmSnapshot direct = new JvmSnapshot.Builder().heap(3 * MIB, 8 * MIB, 128 * MIB).metaspace(6 * MIB, 8 * MIB)
                .codeCache(3 * MIB, 8 * MIB).direct(100, 120 * MIB, 120 * MIB, 128 * MIB).mapped(0, 0, 0)
                .threads(12, MIB).build();
        List<String> p = StartupCheck.problems(defaults, direct, LIMIT, SOME_SWAP);
        assertEquals(List.of("max heap 128.0 MiB + metaspace 8.0 MiB committed + direct memory 120.0 MiB in use + code cache "
                + "8.0 MiB committed = 264.0 MiB, above the 256.0 MiB limit: the kernel can kill the process before the JVM "
                + "reports any OutOfMemoryError"), p);
    }

    @Test
    void theRunningJvmsFlagsAreReadable() {
        JvmFlags own = JvmFlags.read();
        assertEquals(Runtime.getRuntime().maxMemory(), own.maxHeap);
        assertTrue(own.reservedCodeCache > 0 && own.threadStackSize > 0 && own.maxDirectMemory > 0);
        // a limit of exactly our max heap always trips the 90% check
        assertTrue(StartupCheck.problems(own, null, own.maxHeap, SOME_SWAP).stream().anyMatch(s -> s.startsWith("max heap ")));
    }

    /** Flags with -XX:MaxDirectMemorySize and -XX:ReservedCodeCacheSize given. */
    static JvmFlags flags(long maxHeap, long maxMetaspace, long maxDirect, long codeCache, boolean heapSet, boolean percentSet) {
        return flags(maxHeap, maxMetaspace, maxDirect, codeCache, true, heapSet, percentSet);
    }

    /**
     * JvmFlags(maxHeap, maxMetaspace, maxDirect, reservedCodeCache, directSet, codeCacheSet, threadStackSize,
     * heapSizeSet, ramPercentageSet, nmt).
     */
    static JvmFlags flags(long maxHeap, long maxMetaspace, long maxDirect, long codeCache, boolean capsSet, boolean heapSet,
                          boolean percentSet) {
        try {
            Constructor<JvmFlags> c = JvmFlags.class.getDeclaredConstructor(long.class, long.class, long.class, long.class,
                    boolean.class, boolean.class, long.class, boolean.class, boolean.class, boolean.class);
            c.setAccessible(true);
            return c.newInstance(maxHeap, maxMetaspace, maxDirect, codeCache, capsSet, capsSet, MIB, heapSet, percentSet, false);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("JvmFlags' constructor changed: " + e, e);
        }
    }
}
