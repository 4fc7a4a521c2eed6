package dev.headroom.cli;

import java.io.PrintStream;

/** {@code attach <pid> [options]}: loads this jar into a running JVM. */
final class Attach {

    private Attach() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        err.println("headroom: attach is not available in this build");
        return 2;
    }
}
