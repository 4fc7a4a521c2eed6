package dev.headroom.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.headroom.cgroup.MountInfo;
import dev.headroom.cgroup.ProcCgroup;
import dev.headroom.parse.KeyValues;
import dev.headroom.parse.Numbers;
import dev.headroom.parse.Pressure;
import dev.headroom.parse.Values;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every parser of kernel files, fed arbitrary bytes. Properties: nothing is thrown, and every
 * value is either what the slow reference parser ({@link Oracle}) finds, or unknown.
 *
 * <p>Seeds: {@code src/test/resources/dev/headroom/fuzz/ParsersFuzzTestInputs/<method>/}, made from
 * the fixture trees by {@link FuzzSeeds}. In a normal build these run as regression tests; with
 * {@code JAZZER_FUZZ=1} (scripts/fuzz.sh) Jazzer mutates them.
 */
class ParsersFuzzTest {

    /** The key sets the readers use (V1Reader, V2Reader, ProcReader), with the files they read. */
    static final List<String[]> KEY_SETS = List.of(
            new String[] {"total_inactive_file", "total_rss", "total_cache", "total_shmem", "total_mapped_file",
                "hierarchical_memory_limit"},
            new String[] {"inactive_file", "anon", "file", "shmem", "file_mapped", "kernel", "kernel_stack",
                "pagetables", "sock", "slab"},
            new String[] {"max", "high", "oom", "oom_kill", "oom_group_kill"},
            new String[] {"under_oom", "oom_kill"},
            new String[] {"MemTotal:", "MemAvailable:"},
            new String[] {"VmRSS:", "RssAnon:", "RssFile:", "RssShmem:", "VmSwap:", "VmHWM:"});

    @FuzzTest
    void mountinfo(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        List<MountInfo> all = MountInfo.parseAll(text);
        assertNotNull(all);
        for (MountInfo m : all) {
            assertNotNull(m.root);
            assertNotNull(m.mountPoint);
            assertNotNull(m.fsType);
            assertNotNull(m.source);
            assertNotNull(m.superOptions);
            assertTrue(!m.fsType.isEmpty() && !m.fsType.contains(" "), () -> "fstype '" + m.fsType + "'");
        }
        assertTrue(all.size() <= text.split("\n").length, "at most one mount per line");
        for (String line : text.split("\n")) {
            MountInfo m = MountInfo.parse(line);
            if (m != null && line.indexOf('\\') < 0) {
                String[] f = line.trim().split(" +");
                assertEquals(f[3], m.root);
                assertEquals(f[4], m.mountPoint);
            }
        }
    }

    @FuzzTest
    void procCgroup(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        List<ProcCgroup> all = ProcCgroup.parseAll(text);
        int expected = 0;
        for (String line : text.split("\n")) {
            String[] p = line.split(":", 3);
            if (p.length == 3 && !p[0].isEmpty() && p[2].startsWith("/")) {
                expected++;
            }
        }
        assertEquals(expected, all.size());
        for (ProcCgroup c : all) {
            assertTrue(c.path.startsWith("/"), c.path);
            assertNotNull(c.controllers);
            assertTrue(!c.id.isEmpty());
            c.isV2();
        }
    }

    @FuzzTest
    void keyValues(byte[] data) {
        String text = Oracle.latin1(data);
        long[] out = new long[16];
        for (String[] keys : KEY_SETS) {
            KeyValues kv = new KeyValues(keys);
            kv.parse(data, data.length, out);
            for (int i = 0; i < keys.length; i++) {
                long v = out[i];
                assertTrue(v == Values.UNKNOWN || v >= 0, () -> "negative value for a count");
                if (v != Values.UNKNOWN) {
                    assertEquals(Oracle.keyValue(text, keys[i]), v, "value of " + keys[i] + " in " + show(text));
                }
            }
        }
    }

    @FuzzTest
    void singleValues(byte[] data) {
        String text = Oracle.latin1(data);
        int n = data.length;
        agrees("count", Oracle.count(text), Numbers.count(data, 0, n), text);
        long count = Numbers.count(data, 0, n);
        assertTrue(count == Values.UNKNOWN || count >= 0);
        agrees("limit", Oracle.limit(text), Numbers.limit(data, 0, n), text);
        long limit = Numbers.limit(data, 0, n);
        assertTrue(limit == Values.UNKNOWN || limit >= 0);
        agrees("signed", Oracle.signed(text), Numbers.signed(data, 0, n), text);
        agrees("hundredths", Oracle.hundredths(text), Numbers.hundredths(data, 0, n), text);
        long h = Numbers.hundredths(data, 0, n);
        assertTrue(h == Values.UNKNOWN || h >= 0);
        // a sub-range, as the parsers are used on parts of a buffer
        if (n > 2) {
            String inner = text.substring(1, n - 1);
            agrees("count in a range", Oracle.count(inner), Numbers.count(data, 1, n - 1), inner);
            agrees("limit in a range", Oracle.limit(inner), Numbers.limit(data, 1, n - 1), inner);
        }
    }

    @FuzzTest
    void pressure(byte[] data) {
        long[] out = new long[Pressure.SIZE];
        Pressure.parse(data, data.length, out);
        for (int i = 0; i < Pressure.SIZE; i++) {
            long v = out[i];
            assertTrue(v == Values.UNKNOWN || v >= 0, () -> "negative PSI value in " + show(Oracle.latin1(data)));
            boolean average = i != Pressure.SOME_TOTAL && i != Pressure.FULL_TOTAL;
            if (average && v != Values.UNKNOWN) {
                assertTrue(v <= 100_00, () -> "a PSI average above 100% (" + v + " hundredths) in "
                        + show(Oracle.latin1(data)));
            }
        }
        // every known value is one that some field of the input spells
        String text = Oracle.latin1(data);
        for (int i = 0; i < Pressure.SIZE; i++) {
            long v = out[i];
            if (v == Values.UNKNOWN) {
                continue;
            }
            boolean total = i == Pressure.SOME_TOTAL || i == Pressure.FULL_TOTAL;
            boolean found = false;
            for (String token : text.split("[ \n]")) {
                int eq = token.indexOf('=');
                if (eq >= 0) {
                    String value = token.substring(eq + 1);
                    long parsed = total ? Oracle.count(value) : Oracle.hundredths(value);
                    found |= parsed == v;
                }
            }
            if (!found) {
                fail("PSI value " + v + " at index " + i + " is spelled nowhere in " + show(text));
            }
        }
    }

    private static void agrees(String what, long reference, long fast, String text) {
        if (fast != Values.UNKNOWN && fast != reference) {
            fail(what + " of " + show(text) + ": parser says " + fast + ", reference says "
                    + (reference == Values.UNKNOWN ? "unknown" : Long.toString(reference)));
        }
    }

    static String show(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c >= 32 && c < 127 && c != '"' && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\x%02x", (int) c));
            }
            if (out.length() > 400) {
                return out + "...\"";
            }
        }
        return out.append('"').toString();
    }
}
