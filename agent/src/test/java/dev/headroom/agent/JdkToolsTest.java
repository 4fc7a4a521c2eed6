package dev.headroom.agent;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which {@code sun.java.command} values are JDK tools (the agent stays silent) and which are applications. */
class JdkToolsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "sun.tools.jcmd.JCmd",
        "sun.tools.jcmd.JCmd -l",
        "jdk.jcmd/sun.tools.jcmd.JCmd 1234 VM.flags",
        "sun.tools.jps.Jps",
        "jdk.jcmd/sun.tools.jps.Jps -lv",
        "jdk.jcmd/sun.tools.jstat.Jstat -gc 1",
        "com.sun.tools.javac.Main",
        "jdk.compiler/com.sun.tools.javac.Main Foo.java",
        "jdk.jartool/sun.tools.jar.Main cf x.jar .",
        "java.base/sun.security.tools.keytool.Main -list",
        "jdk.jshell/jdk.internal.jshell.tool.JShellToolProvider",
        "jdk.hotspot.agent/sun.jvm.hotspot.SALauncher",
        "jdk.jfr/jdk.jfr.internal.tool.Main print x.jfr",
        "/opt/headroom/headroom-agent.jar snapshot",
        "dev.headroom.cli.Main --json",
    })
    void tools(String command) {
        assertTrue(JdkTools.isTool(command), command);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "com.acme.Main",
        "com.acme.Main --port 8080",
        "app/com.acme.Main",
        "/opt/app/app.jar",
        "/opt/sun.tools/app.jar",
        "org.springframework.boot.loader.JarLauncher",
        "dev.headroom.examples.Echo 7 a b",
        "dev.headroom.examples.Grow direct 20M",
        "sun.toolsmith.App",
    })
    void applications(String command) {
        assertFalse(JdkTools.isTool(command), command);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void unknownCommandIsNotATool(String command) {
        assertFalse(JdkTools.isTool(command));
    }
}
