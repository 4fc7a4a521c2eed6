package dev.headroom.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountInfoTest {

    private static MountInfo parse(String line) {
        MountInfo m = MountInfo.parse(line);
        assertNotNull(m, () -> "should parse: " + line);
        return m;
    }

    @Test
    void noOptionalFields() {
        MountInfo m = parse("35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory");
        assertEquals("/", m.root);
        assertEquals("/sys/fs/cgroup/memory", m.mountPoint);
        assertEquals("cgroup", m.fsType);
        assertEquals("cgroup", m.source);
        assertEquals(List.of("rw", "memory"), m.superOptions);
        assertTrue(m.hasSuperOption("memory"));
    }

    @Test
    void oneOptionalField() {
        MountInfo m = parse("36 25 0:31 /docker/abc /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory");
        assertEquals("/docker/abc", m.root);
        assertEquals("/sys/fs/cgroup/memory", m.mountPoint);
        assertEquals("cgroup", m.fsType);
        assertEquals(List.of("rw", "memory"), m.superOptions);
    }

    @Test
    void severalOptionalFields() {
        MountInfo m = parse("40 30 0:35 / /sys/fs/cgroup/cpu,cpuacct,memory rw,nosuid shared:15 master:3 propagate_from:2 unbindable - cgroup cgroup rw,cpu,cpuacct,memory");
        assertEquals("/sys/fs/cgroup/cpu,cpuacct,memory", m.mountPoint);
        assertEquals("cgroup", m.fsType);
        assertEquals("cgroup", m.source);
        assertEquals(List.of("rw", "cpu", "cpuacct", "memory"), m.superOptions);
        assertTrue(m.hasSuperOption("memory"));
        assertTrue(m.hasSuperOption("cpuacct"));
    }

    @Test
    void hyphensInNamesAreNotTheSeparator() {
        MountInfo m = parse("1483 1470 0:32 /system.slice/docker-0123abcd.scope /sys/fs/cgroup/memory/my-dir ro,nosuid master:11 - cgroup cgroup-src rw,memory");
        assertEquals("/system.slice/docker-0123abcd.scope", m.root);
        assertEquals("/sys/fs/cgroup/memory/my-dir", m.mountPoint);
        assertEquals("cgroup", m.fsType);
        assertEquals("cgroup-src", m.source);
    }

    @Test
    void sourceThatIsAHyphen() {
        MountInfo m = parse("31 23 0:27 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup - rw,memory");
        assertEquals("cgroup", m.fsType);
        assertEquals("-", m.source);
        assertEquals(List.of("rw", "memory"), m.superOptions);
        MountInfo noOptional = parse("31 23 0:27 / /sys/fs/cgroup rw - cgroup2 - rw,nsdelegate");
        assertEquals("cgroup2", noOptional.fsType);
        assertEquals("-", noOptional.source);
        assertEquals(List.of("rw", "nsdelegate"), noOptional.superOptions);
    }

    @Test
    void mountPointThatIsAHyphen() {
        MountInfo m = parse("31 23 0:27 / - rw - cgroup cgroup rw,memory");
        assertEquals("-", m.mountPoint);
        assertEquals("cgroup", m.fsType);
        assertEquals(List.of("rw", "memory"), m.superOptions);
    }

    @Test
    void escapesInRootAndMountPoint() {
        MountInfo m = parse("50 31 0:32 /a\\040b /mnt/x\\040y\\011z\\012w\\134v rw - cgroup cgroup rw,memory");
        assertEquals("/a b", m.root);
        assertEquals("/mnt/x y\tz\nw\\v", m.mountPoint);
        assertEquals("cgroup", m.fsType);
    }

    @Test
    void unescapeLeavesOtherBackslashesAlone() {
        assertEquals("a\\b", MountInfo.unescape("a\\b"));
        assertEquals("a\\08", MountInfo.unescape("a\\08"));
        assertEquals("x\\", MountInfo.unescape("x\\"));
        assertEquals("plain", MountInfo.unescape("plain"));
        assertEquals(" \\", MountInfo.unescape("\\040\\134"));
    }

    @Test
    void superOptionsWithSpaces() {
        MountInfo m = parse("60 31 0:40 / /sys/fs/cgroup/memory rw shared:1 - cgroup my cgroup rw,name=a b,memory");
        assertEquals("cgroup", m.fsType);
        assertEquals("my", m.source);
        assertTrue(m.hasSuperOption("memory"), m.superOptions.toString());
    }

    @Test
    void superOptionsMatchWholeOptionsOnly() {
        MountInfo v2 = parse("41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot");
        assertFalse(v2.hasSuperOption("memory"));
        MountInfo named = parse("40 31 0:37 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,name=systemd");
        assertFalse(named.hasSuperOption("memory"), "the directory name must not matter");
        MountInfo memsw = parse("40 31 0:37 / /x rw - cgroup cgroup rw,memory.foo");
        assertFalse(memsw.hasSuperOption("memory"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   ",
        "garbage",
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime cgroup cgroup rw,memory",       // no separator
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup",                      // nothing after the fstype
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:1 master:2 - cgroup",
        "35 31 0:32 / /sys/fs/cgroup/memory - cgroup cgroup rw,memory",                 // only five fixed fields
    })
    void malformedLines(String line) {
        assertNull(MountInfo.parse(line), () -> "should be rejected: " + line);
    }

    @Test
    void parseAllSkipsMalformedLines() {
        String text = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
                + "this is not a mount\n"
                + "\n"
                + "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
                + "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
        List<MountInfo> mounts = MountInfo.parseAll(text);
        assertEquals(3, mounts.size());
        assertEquals("tmpfs", mounts.get(0).fsType);
        assertEquals("/sys/fs/cgroup/memory", mounts.get(1).mountPoint);
        assertEquals("cgroup2", mounts.get(2).fsType);
        assertEquals(List.of("rw"), mounts.get(2).superOptions);
    }
}
