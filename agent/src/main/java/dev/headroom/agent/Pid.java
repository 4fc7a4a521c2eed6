package dev.headroom.agent;

import java.io.File;
import java.io.IOException;

/** This process's id without touching the management classes (Java 8 has no ProcessHandle). */
final class Pid {

    private Pid() {
    }

    static long self() {
        try {
            return Long.parseLong(new File("/proc/self").getCanonicalFile().getName());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
