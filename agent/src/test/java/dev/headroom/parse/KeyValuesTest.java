package dev.headroom.parse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.headroom.parse.Values.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class KeyValuesTest {

    private static long[] parse(String text, String... keys) {
        KeyValues kv = new KeyValues(keys);
        long[] out = new long[keys.length];
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        kv.parse(b, b.length, out);
        return out;
    }

    @Test
    void oomIsNotOomKill() {
        String events = "low 0\nhigh 12\nmax 7\noom 2\noom_kill 1\noom_group_kill 0\n";
        assertArrayEquals(new long[] {2, 1, 7, 12, 0}, parse(events, "oom", "oom_kill", "max", "high", "oom_group_kill"));
        // the longer key first in the file must not satisfy the shorter one, nor the reverse
        assertArrayEquals(new long[] {5, 3}, parse("oom_kill 3\noom 5\n", "oom", "oom_kill"));
        assertArrayEquals(new long[] {UNKNOWN}, parse("oom_kill 3\noom_group_kill 4\n", "oom"));
        assertArrayEquals(new long[] {UNKNOWN}, parse("oom 3\n", "oom_kill"));
    }

    @Test
    void anonIsNotAnonThp() {
        String stat = "anon_thp 2097152\nanon 8388608\nfile 4096\nfile_mapped 0\nfile_dirty 8192\n";
        assertArrayEquals(new long[] {8388608, 4096, 0}, parse(stat, "anon", "file", "file_mapped"));
        assertArrayEquals(new long[] {UNKNOWN}, parse("anon_thp 2097152\n", "anon"));
        assertArrayEquals(new long[] {UNKNOWN, 5}, parse("total_rss_huge 9\nrss 5\n", "total_rss", "rss"));
    }

    @Test
    void firstOccurrenceWins() {
        assertArrayEquals(new long[] {1, 7}, parse("a 1\nb 7\na 2\nb 8\n", "a", "b"));
    }

    @Test
    void aGarbledFirstOccurrenceStaysUnknown() {
        assertArrayEquals(new long[] {UNKNOWN}, parse("a x\na 5\n", "a"));
    }

    @Test
    void kilobytesBecomeBytes() {
        String meminfo = "MemTotal:       16369392 kB\nMemFree:         6711449 kB\nMemAvailable:   11131186 kB\nHugePages_Total:       0\n";
        assertArrayEquals(new long[] {16369392L * 1024, 11131186L * 1024, 0},
                parse(meminfo, "MemTotal:", "MemAvailable:", "HugePages_Total:"));
        String status = "Name:\tjava\nVmHWM:\t  480000 kB\nVmRSS:\t  450556 kB\nRssAnon:\t  412344 kB\nVmSwap:\t       0 kB\n";
        assertArrayEquals(new long[] {450556L * 1024, 412344L * 1024, 0, 480000L * 1024},
                parse(status, "VmRSS:", "RssAnon:", "VmSwap:", "VmHWM:"));
    }

    @Test
    void kilobytesThatOverflowAreUnknown() {
        // 2^53 kB = 2^63 bytes: does not fit
        assertArrayEquals(new long[] {UNKNOWN, (1L << 53) - 1 << 10},
                parse("a 9007199254740992 kB\nb 9007199254740991 kB\n", "a", "b"));
    }

    @Test
    void missingKeysAreUnknown() {
        assertArrayEquals(new long[] {UNKNOWN, 3}, parse("b 3\n", "a", "b"));
        assertArrayEquals(new long[] {UNKNOWN, UNKNOWN}, parse("", "a", "b"));
        assertArrayEquals(new long[] {UNKNOWN}, parse("a\n", "a"));
        assertArrayEquals(new long[] {UNKNOWN}, parse("a \n", "a"));
    }

    @Test
    void hugeAndNegativeValuesAreUnknown() {
        assertArrayEquals(new long[] {UNKNOWN, UNKNOWN, 9223372036854771712L},
                parse("a 18446744073709551615\nb -1\nhierarchical_memory_limit 9223372036854771712\n",
                        "a", "b", "hierarchical_memory_limit"));
    }

    @Test
    void aReusedArrayIsResetAndBytesBeyondLengthAreIgnored() {
        KeyValues kv = new KeyValues("a", "b");
        long[] out = new long[2];
        byte[] first = "a 1\nb 2\n".getBytes(StandardCharsets.US_ASCII);
        kv.parse(first, first.length, out);
        assertArrayEquals(new long[] {1, 2}, out);
        // a reused buffer: the second read is shorter, stale bytes after length must not count
        byte[] reused = Arrays.copyOf(first, first.length);
        byte[] second = "b 9\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(second, 0, reused, 0, second.length);
        kv.parse(reused, second.length, out);
        assertArrayEquals(new long[] {UNKNOWN, 9}, out);
        // the last line without a newline still counts
        byte[] noNewline = "a 4\nb 5".getBytes(StandardCharsets.US_ASCII);
        kv.parse(noNewline, noNewline.length, out);
        assertArrayEquals(new long[] {4, 5}, out);
    }

    @Test
    void names() {
        KeyValues kv = new KeyValues("total_rss", "VmRSS:");
        assertEquals(2, kv.size());
        assertEquals("VmRSS:", kv.name(1));
    }
}
