package dev.headroom.jmx;

import dev.headroom.sink.jmx.ContainerMemory;

import dev.headroom.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MXBean registration never takes an application's own LogManager or MBeanServerBuilder away,
 * and jmx=false registers (and loads) nothing: child JVMs with the built agent running {@link SafetyApp}.
 */
class JmxSafetyIT {

    private static final String AGENT = "jmxDelay=1s,interval=250ms,log=stderr";

    @TempDir
    Path temp;

    private static String testClasses() {
        return Path.of("target", "test-classes").toAbsolutePath().toString();
    }

    private static ChildJvm.Result run(ChildJvm child) throws Exception {
        ChildJvm.Result r = child.timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, r.exitCode(), r.describe());
        return r;
    }

    @Test
    void anOwnLogManagerOnTheClassPathIsKeptAndTheMBeanStillRegistered() throws Exception {
        ChildJvm.Result r = run(ChildJvm.builder().withAgent(AGENT)
                .jvmArgs("-Djava.util.logging.manager=" + AppLogManager.class.getName())
                .mainClass(SafetyApp.class.getName(), testClasses()).args("wait"));
        assertTrue(r.stdout().contains("server-created-by-agent=true"), r.describe());
        assertTrue(r.stdout().contains("logmanager=" + AppLogManager.class.getName()), r.describe());
        assertTrue(r.stdout().contains("registered=true"), r.describe());
        assertTrue(r.stderr().contains("[headroom] INFO jmx: registered dev.headroom:type=ContainerMemory"), r.describe());
        assertFalse(r.stderr().contains("Could not load Logmanager"), r.describe());
    }

    @Test
    void anOwnMBeanServerBuilderBuildsThePlatformServer() throws Exception {
        ChildJvm.Result r = run(ChildJvm.builder().withAgent(AGENT)
                .jvmArgs("-Djavax.management.builder.initial=" + AppMBeanServerBuilder.class.getName())
                .mainClass(SafetyApp.class.getName(), testClasses()).args("wait"));
        assertTrue(r.stdout().contains("server-created-by-agent=true"), r.describe());
        assertTrue(r.stdout().contains("builder-built=1"), r.describe());
        assertTrue(r.stdout().contains("registered=true"), r.describe());
    }

    /**
     * WildFly's shape: the LogManager named by java.util.logging.manager lives in the application's
     * own class loader and logging is set up after jmxDelay. Creating the platform server first would
     * fix the JDK's LogManager for good; the agent waits for the application to create the server.
     */
    @Test
    void aLogManagerOnlyTheApplicationCanLoadIsWaitedFor() throws Exception {
        Path app = temp.resolve("app/dev/headroom/jmx");
        Path lib = temp.resolve("lib/dev/headroom/jmx");
        Files.createDirectories(app);
        Files.createDirectories(lib);
        Path classes = Path.of(testClasses(), "dev/headroom/jmx");
        try (DirectoryStream<Path> s = Files.newDirectoryStream(classes, "SafetyApp*.class")) {
            for (Path p : s) {
                Files.copy(p, app.resolve(p.getFileName()));
            }
        }
        Files.copy(classes.resolve("AppLogManager.class"), lib.resolve("AppLogManager.class"));

        ChildJvm.Result r = run(ChildJvm.builder().withAgent(AGENT)
                .jvmArgs("-Djava.util.logging.manager=" + AppLogManager.class.getName())
                .mainClass(SafetyApp.class.getName(), temp.resolve("app").toString())
                .args("own-loader", temp.resolve("lib").toString(), "3000"));
        assertTrue(r.stdout().contains("server-before-logging=false"), r.describe());
        assertTrue(r.stdout().contains("logmanager=" + AppLogManager.class.getName()), r.describe());
        assertTrue(r.stdout().contains("registered=true"), r.describe());
        assertTrue(r.stderr().contains("MXBean registration waits until the application creates the platform MBean server: "
                + "java.util.logging.manager=" + AppLogManager.class.getName()), r.describe());
        assertTrue(r.stderr().contains("in the application's platform MBean server"), r.describe());
        assertFalse(r.stderr().contains("Could not load Logmanager"), r.describe());
    }

    @Test
    void jmxFalseRegistersAndLoadsNothing() throws Exception {
        ChildJvm.Result r = run(ChildJvm.builder().withAgent("jmx=false,jmxDelay=0s,interval=100ms")
                .jvmArgs("-Xlog:class+load=info:file=" + temp.resolve("classes.log"))
                .mainClass(SafetyApp.class.getName(), testClasses()).args("create", "1500"));
        assertTrue(r.stdout().contains("registered=false"), r.describe());
        assertFalse(r.stderr().contains("jmx:"), r.describe());
        // the application itself is dev.headroom.jmx.SafetyApp: look at what came from the agent jar
        List<String> fromAgent = Files.readAllLines(temp.resolve("classes.log")).stream()
                .filter(l -> l.contains(ChildJvm.agentJar().getFileName().toString())).toList();
        assertTrue(fromAgent.stream().anyMatch(l -> l.contains("dev.headroom.runtime.Sampler ")), "the agent ran");
        assertEquals(List.of(), fromAgent.stream().filter(l -> l.contains("dev.headroom.jmx.")).toList(),
                "jmx=false loaded headroom JMX classes");
    }

    @Test
    void jmxTrueRegistersAsSoonAsTheApplicationCreatesTheServer() throws Exception {
        ChildJvm.Result r = run(ChildJvm.builder().withAgent("jmxDelay=60s,interval=100ms")
                .mainClass(SafetyApp.class.getName(), testClasses()).args("create", "1500"));
        assertTrue(r.stdout().contains("registered=true"), r.describe());
        assertTrue(r.stderr().contains("in the application's platform MBean server"), r.describe());
    }

}
