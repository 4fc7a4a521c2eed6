package dev.headroom.agent;

/**
 * Recognises JVMs that are JDK tools (jcmd, jps, jstat, javac, jar, keytool, jshell, ...)
 * picked up through JAVA_TOOL_OPTIONS, and this jar's own command line: the agent stays
 * silent and passive in them.
 */
final class JdkTools {

    private static final String[] TOOL_PACKAGES = {
        "sun.tools.", "com.sun.tools.", "jdk.internal.", "sun.security.tools.", "sun.jvm.hotspot.",
        "jdk.jfr.internal.tool.", "jdk.jpackage.", "jdk.tools.", "sun.rmi.registry.", "com.sun.jndi.",
        "jdk.jshell.", "sun.applet.",
    };

    private JdkTools() {
    }

    /** @param command the {@code sun.java.command} property: main class (or module/class, or jar) and arguments */
    static boolean isTool(String command) {
        if (command == null || command.trim().isEmpty()) {
            return false;
        }
        // no regular expressions at agent start: they load dozens of classes while the application starts
        String trimmed = command.trim();
        int end = 0;
        while (end < trimmed.length() && !Character.isWhitespace(trimmed.charAt(end))) {
            end++;
        }
        String main = trimmed.substring(0, end);
        int slash = main.indexOf('/');
        if (slash > 0 && !main.endsWith(".jar")) {
            main = main.substring(slash + 1);
        }
        if (main.endsWith("headroom-agent.jar") || main.startsWith("dev.headroom.cli.")) {
            return true;
        }
        for (String prefix : TOOL_PACKAGES) {
            if (main.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
