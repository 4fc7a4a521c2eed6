package dev.headroom.proc;

import java.io.File;
import java.io.IOException;

/** This process's id without touching the management classes (Java 8 has no ProcessHandle). */
public final class Pid {

    private Pid() {
    }

    public static long self() {
        try {
            return Long.parseLong(new File("/proc/self").getCanonicalFile().getName());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
