package dev.headroom.cgroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One line of {@code /proc/self/cgroup}: {@code ID:CONTROLLERS:PATH}. The path may itself
 * contain {@code :}, so a line splits into at most three parts. The v2 line is {@code 0::PATH}.
 */
public final class ProcCgroup {

    public final String id;
    public final List<String> controllers;
    public final String path;

    ProcCgroup(String id, List<String> controllers, String path) {
        this.id = id;
        this.controllers = controllers;
        this.path = path;
    }

    public static List<ProcCgroup> parseAll(String text) {
        List<ProcCgroup> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && !parts[0].isEmpty() && parts[2].startsWith("/")) {
                List<String> controllers = parts[1].isEmpty()
                        ? Collections.<String>emptyList()
                        : Collections.unmodifiableList(Arrays.asList(parts[1].split(",")));
                lines.add(new ProcCgroup(parts[0], controllers, parts[2]));
            }
        }
        return lines;
    }

    public boolean isV2() {
        return id.equals("0") && controllers.isEmpty();
    }
}
