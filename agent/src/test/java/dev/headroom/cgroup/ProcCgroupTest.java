package dev.headroom.cgroup;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcCgroupTest {

    private static ProcCgroup only(String text) {
        List<ProcCgroup> lines = ProcCgroup.parseAll(text);
        assertEquals(1, lines.size(), () -> "one line expected from: " + text);
        return lines.get(0);
    }

    @Test
    void v2Line() {
        ProcCgroup line = only("0::/\n");
        assertEquals("0", line.id);
        assertTrue(line.controllers.isEmpty());
        assertEquals("/", line.path);
        assertTrue(line.isV2());
        ProcCgroup pod = only("0::/kubepods.slice/kubepods-burstable.slice/cri-containerd-abc.scope");
        assertTrue(pod.isV2());
        assertEquals("/kubepods.slice/kubepods-burstable.slice/cri-containerd-abc.scope", pod.path);
    }

    @Test
    void pathsMayContainColons() {
        assertEquals("/system.slice/foo:bar.service", only("0::/system.slice/foo:bar.service").path);
        ProcCgroup v1 = only("4:memory:/a:b:c\n");
        assertEquals(List.of("memory"), v1.controllers);
        assertEquals("/a:b:c", v1.path);
        assertEquals("/..:x", only("0::/..:x").path);
    }

    @Test
    void namedHierarchiesAreNotControllers() {
        ProcCgroup line = only("1:name=systemd:/user.slice/user-0.slice/session-1.scope");
        assertEquals(List.of("name=systemd"), line.controllers);
        assertFalse(line.controllers.contains("memory"));
        assertFalse(line.isV2());
    }

    @Test
    void coMountedControllers() {
        ProcCgroup line = only("3:cpu,cpuacct,memory:/x");
        assertEquals(List.of("cpu", "cpuacct", "memory"), line.controllers);
        assertTrue(line.controllers.contains("memory"));
        assertFalse(line.isV2());
        assertEquals("/x", line.path);
    }

    @Test
    void thisMachinesFile() {
        String text = "9:name=systemd:/\n8:pids:/\n7:blkio:/\n6:freezer:/\n5:devices:/\n"
                + "4:memory:/process_api/6aaf2e4c976fedfd7ad92464d4aa72e7\n3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n";
        List<ProcCgroup> lines = ProcCgroup.parseAll(text);
        assertEquals(10, lines.size());
        ProcCgroup memory = lines.stream().filter(l -> l.controllers.contains("memory")).findFirst().orElseThrow();
        assertEquals("4", memory.id);
        assertEquals("/process_api/6aaf2e4c976fedfd7ad92464d4aa72e7", memory.path);
        assertEquals(1, lines.stream().filter(ProcCgroup::isV2).count());
    }

    @Test
    void malformedLinesAreSkipped() {
        List<ProcCgroup> lines = ProcCgroup.parseAll("\ngarbage\n4:memory\n:memory:/x\n4:memory:relative\n4:memory:/ok\n");
        assertEquals(1, lines.size());
        assertEquals("/ok", lines.get(0).path);
        assertTrue(ProcCgroup.parseAll("").isEmpty());
    }
}
