package dev.headroom.agent;

import dev.headroom.testing.CgroupSandbox;
import dev.headroom.testing.ChildJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The startup configuration check in real memory cgroups: loud on -Xmx1g, quiet on a sensibly
 * sized JVM and on a default JVM (no memory option at all) in 256 MiB, 384 MiB and 1 GiB.
 */
class StartupCheckIT {

    private static final long LIMIT = 256L << 20;
    private static final String CHECK = "[headroom] WARNING config-check: ";

    @BeforeAll
    static void requireCgroups() {
        CgroupSandbox.requireCgroups();
    }

    @Test
    void firesOnAHeapAboveTheLimit() throws Exception {
        ChildJvm.Result r = run("-Xmx1g");
        List<String> checks = checks(r);
        System.out.println("StartupCheckIT -Xmx1g:\n" + String.join("\n", checks));
        // the max heap is what Runtime.maxMemory() says: -Xmx1g less a survivor space with the serial collector
        Pattern heapLine = Pattern.compile(Pattern.quote(CHECK) + "max heap (\\d+\\.\\d+) (MiB|GiB) is (\\d+\\.\\d)% of the 256\\.0 MiB limit: .*");
        Matcher m = checks.stream().map(heapLine::matcher).filter(Matcher::matches).findFirst().orElse(null);
        assertTrue(m != null, () -> checks + "\n" + r.describe());
        double percent = Double.parseDouble(m.group(3));
        assertTrue(percent >= 350 && percent <= 400.05, () -> percent + "% of the limit: " + checks);
        assertTrue(checks.stream().anyMatch(l -> l.contains("above the 256.0 MiB limit")), () -> checks + "\n" + r.describe());
        // -Xmx is set: the container-awareness line does not apply
        assertTrue(checks.stream().noneMatch(l -> l.contains("neither -Xmx")), checks::toString);
        // all of them at start, before anything else is logged past the start line
        assertEquals(checks.size(), r.lines().stream().skip(1).limit(checks.size() + 1)
                .filter(l -> l.text().startsWith(CHECK)).count(), r::describe);
    }

    @Test
    void quietOnASensiblySizedJvm() throws Exception {
        ChildJvm.Result r = run("-Xmx64m", "-XX:MaxDirectMemorySize=32m", "-XX:ReservedCodeCacheSize=32m");
        assertTrue(r.stderr().contains("[headroom] INFO start: cgroup v1 "), () -> "the agent ran its first tick\n" + r.describe());
        assertTrue(r.stderr().contains("limit 256.0 MiB"), r::describe);
        assertEquals(List.of(), checks(r), r::describe);
        assertTrue(!r.stderr().contains("config-check"), r::describe);
    }

    @ParameterizedTest(name = "{0} MiB")
    @ValueSource(longs = {256, 384, 1024})
    void quietOnADefaultJvm(long mebibytes) throws Exception {
        ChildJvm.Result r = run(mebibytes << 20);
        String limit = mebibytes == 1024 ? "limit 1.00 GiB" : "limit " + mebibytes + ".0 MiB";
        assertTrue(r.stderr().contains("[headroom] INFO start: cgroup v1 ") && r.stderr().contains(limit),
                () -> "the agent ran its first tick in the cgroup\n" + r.describe());
        assertEquals(List.of(), checks(r), r::describe);
        assertTrue(!r.stderr().contains("config-check"), r::describe);
    }

    private static ChildJvm.Result run(String... jvmArgs) throws Exception {
        return run(LIMIT, jvmArgs);
    }

    private static ChildJvm.Result run(long limit, String... jvmArgs) throws Exception {
        Path examples = Path.of("../examples/target/headroom-examples.jar").toAbsolutePath().normalize();
        try (CgroupSandbox box = CgroupSandbox.create(limit)) {
            ChildJvm.Result r = ChildJvm.builder().withAgent(null).jvmArgs(jvmArgs)
                    .mainClass("dev.headroom.examples.Grow", examples.toString())
                    .args("--quiet", "heap", "1M", "--max", "1M", "--hold", "3s")
                    .inside(box).timeout(Duration.ofSeconds(60)).run();
            assertEquals(0, r.exitCode(), r::describe);
            return r;
        }
    }

    private static List<String> checks(ChildJvm.Result r) {
        return r.lines().stream().map(ChildJvm.Line::text).filter(t -> t.startsWith(CHECK)).collect(Collectors.toList());
    }
}
