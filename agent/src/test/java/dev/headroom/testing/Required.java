package dev.headroom.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests that need something a machine may lack (root, a cgroup, a container runtime, a
 * guest kernel): elsewhere they are skipped with the reason ({@link SkipReasons} prints it), but
 * under {@code CI=true} they must run, so there a missing requirement is a failure.
 */
public final class Required {

    private Required() {
    }

    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Fails under CI=true, else aborts (skips) the test; both say which tests and why. */
    public static void unavailable(String tests, String reason) {
        if (underCi()) {
            Assertions.fail(tests + " must run under CI=true, but: " + reason);
        }
        Assumptions.abort(tests + " skipped: " + reason);
    }
}
