package dev.headroom.cli;

/** The text of --help: every command. */
final class Help {

    private Help() {
    }

    static String text() {
        StringBuilder keys = new StringBuilder();
        for (String key : dev.headroom.runtime.Config.describeKeys()) {
            keys.append("  ").append(key).append('\n');
        }
        return "headroom: container memory awareness for the JVM\n\n"
                + Main.USAGE + "\n\n"
                + "commands:\n"
                + "  snapshot            print what the agent sees (the default)\n"
                + "    --json            one JSON object instead of text\n"
                + "    --root DIR        read a captured tree under DIR instead of /\n"
                + "  attach <pid> [k=v,...]  load the agent into a running JVM (settings are checked first)\n\n"
                + "as an agent: -javaagent:headroom-agent.jar[=key=value,...]\n"
                + "  or JAVA_TOOL_OPTIONS=-javaagent:/path/headroom-agent.jar\n\n"
                + "configuration (agent arguments key=value,... > system properties headroom.KEY > environment HEADROOM_KEY):\n"
                + keys;
    }
}
