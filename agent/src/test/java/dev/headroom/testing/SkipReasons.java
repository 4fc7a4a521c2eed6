package dev.headroom.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints why each skipped (disabled) or aborted test or class did not run, on the console next to
 * Surefire's and Failsafe's bare "Skipped: N". Registered for every test run through
 * META-INF/services.
 */
public final class SkipReasons implements TestExecutionListener {

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        print(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private static void print(TestIdentifier test, String reason) {
        String name = test.getSource().map(s -> s instanceof MethodSource m ? m.getClassName() + " " + test.getDisplayName()
                : s instanceof ClassSource c ? c.getClassName() : null).orElse(test.getDisplayName());
        System.out.println("[SKIPPED] " + name + ": " + reason);
    }
}
